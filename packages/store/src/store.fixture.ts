import { makeEvent, type EventEnvelope } from '@tradelane/canonical';
import { systemContext, type TenantContext } from '@tradelane/core';

export { manualClock, type ManualClock } from '@tradelane/testkit';

/** A system context for a test tenant. */
export function ctxFor(tenantId: string): TenantContext {
  return systemContext(tenantId, `corr-${tenantId}`, 'test');
}

/** A valid test event about `subject` of the given tenant. */
export function testEvent(tenantId: string, subject: string, type = 'widget.changed', data: unknown = { subject }): EventEnvelope {
  return makeEvent({ type, source: '/tradelane/test', tenantId, subject, data, dataVersion: 1 });
}
