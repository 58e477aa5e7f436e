import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransition } from './lifecycle.js';
import { ConflictError, InputError, NotFoundError, classifyError, describeError } from './errors.js';

test('domain errors carry status, stable code and details', () => {
  const e = new InputError('TL_ORDER_QTY', 'quantity must be > 0', { field: 'lines[0].quantity' });
  assert.equal(e.status, 400);
  assert.equal(e.code, 'TL_ORDER_QTY');
  assert.deepEqual(e.details, { field: 'lines[0].quantity' });
  assert.equal(e.name, 'InputError');
  assert.equal(new NotFoundError('TL_ORDER_NOT_FOUND', 'x').status, 404);
  assert.equal(classifyError(e), 'permanent');
  assert.equal(describeError(e), 'TL_ORDER_QTY: quantity must be > 0');
  assert.equal(describeError('weird'), 'weird');
});

test('applyTransition throws a ConflictError naming both states when the lifecycle refuses', () => {
  const lc = {
    name: 'door',
    check: (from: string, to: string) =>
      from === 'Open' && to === 'Closed' ? ({ ok: true } as const) : ({ ok: false, code: 'TL_LIFECYCLE_ILLEGAL_TRANSITION', reason: 'no such transition' } as const),
  };
  assert.equal(applyTransition(lc, 'Open', 'Closed'), 'Closed');
  assert.throws(
    () => applyTransition(lc, 'Closed', 'Locked'),
    (e: unknown) => e instanceof ConflictError && e.code === 'TL_LIFECYCLE_ILLEGAL_TRANSITION' && /Closed to Locked/.test(e.message),
  );
});
