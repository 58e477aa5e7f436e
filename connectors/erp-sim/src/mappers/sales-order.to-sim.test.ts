import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleOrder } from '../sample-order.fixture.js';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { orderRequestSchema } from '../sim/sim-request.schemas.js';
import { salesOrderToSim } from './sales-order.to-sim.js';

test('a canonical order becomes an order entry request the simulator accepts', () => {
  const order = sampleOrder('acme', [
    { sku: 'PLB-1001', quantity: '2', unit: 'CS' },
    { customerPartNumber: 'NW-PART', quantity: '5' },
    { sku: 'FAS-1001', quantity: '3', unit: 'EA' },
  ]);
  order.lines[2]!.status = 'Cancelled';
  order.requestedDeliveryDate = '2025-02-01';
  const items = new Map([
    [1, { LITM: 'PLB-1001' }],
    [2, { CITM: 'NW-PART' }],
  ]);
  const request = salesOrderToSim(order, order.id, { an8: 4242, shan: 24242, items }, { company: '00010', warehouse: 'M20' });
  assert.equal(request.EXTREF, order.id);
  assert.equal(request.DRQJ, 125032);
  assert.equal(request.MCU, 'M20');
  assert.deepEqual(request.LINES, [
    { LNID: '1.000', LITM: 'PLB-1001', UORG: '2', UOM: 'CA' },
    { LNID: '2.000', CITM: 'NW-PART', UORG: '5', UOM: 'EA' },
  ]);
  const engine = new ErpSimEngine({ seed: 1 });
  const { order: created } = engine.createOrder(orderRequestSchema.parse({ ...request, LINES: request.LINES.slice(0, 1) }));
  assert.equal(created.SHAN, 24242);
  assert.equal(created.LINES[0]!.UOM, 'CA');
  assert.equal(created.LINES[0]!.MCU, 'M20');
});
