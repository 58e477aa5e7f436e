import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledgmentRequestSchema } from '../sim/purchasing-request.schemas.js';
import { acknowledgmentToSim } from './acknowledgment.to-sim.js';

test('the supplier answer per line becomes the simulator acknowledgment codes; a rejection carries no new values', () => {
  const request = acknowledgmentToSim([
    { lineNumber: 1, action: 'accept', promisedDate: '2025-03-10' },
    { lineNumber: 2, action: 'change', quantity: '8', unitPrice: '4.1', note: 'pack size changed' },
    { lineNumber: 3, action: 'backorder', promisedDate: '2025-04-01' },
    { lineNumber: 4, action: 'reject', quantity: '2', note: 'discontinued' },
  ]);
  assert.deepEqual(request.LINES, [
    { LNID: '1.000', ACKC: 'IA', PDDJ: 125069 },
    { LNID: '2.000', ACKC: 'IC', UORG: '8', PRRC: '4.1', ACKT: 'pack size changed' },
    { LNID: '3.000', ACKC: 'IB', PDDJ: 125091 },
    { LNID: '4.000', ACKC: 'IR', ACKT: 'discontinued' },
  ]);
  assert.equal(acknowledgmentRequestSchema.safeParse(request).success, true);
});
