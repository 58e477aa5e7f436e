import { makeEvent, type EventEnvelope } from '@tradelane/canonical';
import { systemContext, type Clock, type TenantContext } from '@tradelane/core';

/** A clock that only moves when told to; `sleep` advances it instead of waiting. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(time: Date): void;
}

/** A manual clock starting at `start`. */
export function manualClock(start = new Date('2030-01-01T00:00:00.000Z')): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
    set: (time) => {
      now = time.getTime();
    },
  };
}

/** A system context for a test tenant. */
export function ctxFor(tenantId: string): TenantContext {
  return systemContext(tenantId, `corr-${tenantId}`, 'test');
}

/** A valid test event about `subject` of the given tenant. */
export function testEvent(tenantId: string, subject: string, type = 'widget.changed', data: unknown = { subject }): EventEnvelope {
  return makeEvent({ type, source: '/tradelane/test', tenantId, subject, data, dataVersion: 1 });
}
