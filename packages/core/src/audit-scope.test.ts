import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditScopeToRecord, createAuditScope, runInAuditScope, runOutsideAuditScope, type PendingAudit } from './audit-scope.js';
import { systemContext } from './context.js';

const pending: PendingAudit = { ctx: systemContext('t1', 'corr'), entryFor: () => ({ action: 'thing.create', resource: { kind: 'thing', id: '-' }, outcome: 'success' }) };

test('the scope follows the async work started inside it, and only while there is something to record', async () => {
  assert.equal(auditScopeToRecord(), undefined, 'outside a scope');
  let ready = false;
  const scope = createAuditScope(() => (ready ? pending : undefined));
  await runInAuditScope(scope, async () => {
    assert.equal(auditScopeToRecord(), undefined, 'nothing pending yet');
    ready = true;
    await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(auditScopeToRecord()?.scope, scope, 'across awaits and timers');
    assert.equal(runOutsideAuditScope(() => auditScopeToRecord()), undefined);
    scope.recording = true;
    assert.equal(auditScopeToRecord(), undefined, 'while another transaction records');
    scope.recording = false;
    scope.closed = true;
    assert.equal(auditScopeToRecord(), undefined, 'once closed');
  });
  assert.equal(auditScopeToRecord(), undefined);
});
