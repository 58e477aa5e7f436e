import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryPositionSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { itemIdOf, purchaseOrderIdOf } from './derived-id.js';
import { inventoryFromSim } from './inventory.from-sim.js';

test('balances map to valid InventoryPositions per branch, available = on hand - committed', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  engine.createOrder({ AN8: 4242, VR01: 'PO', LINES: [{ LITM: 'FAS-1001', UORG: 7 }] });
  const rows = engine.listBalances({ max: 1000 }).ROWS;
  const positions = rows.map((row) => inventoryFromSim(row, { tenantId: 'acme', asOf: '2025-01-01T00:00:00Z' }));
  for (const p of positions) inventoryPositionSchema.parse(p);
  const p = positions.find((x) => x.sku === 'FAS-1001' && x.locationId === 'M10')!;
  assert.equal(p.itemId, itemIdOf('acme', 'FAS-1001'));
  assert.equal(p.allocated, '7');
  assert.equal(Number(p.available), Number(p.onHand) - 7);
});

test('inbound supply of approved purchase orders maps to po and asn entries in the base unit', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const { order } = engine.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 5 }] });
  const map = () => inventoryFromSim(engine.listBalances({ LITM: 'FAS-1001', MCU: 'M10' }).ROWS[0]!, { tenantId: 'acme', asOf: '2025-01-01T00:00:00Z' });
  assert.deepEqual(map().inbound, [], 'an entered order is not supply yet');
  engine.purchasing.approvePurchaseOrder(order.DOCO);
  engine.purchasing.acknowledgePurchaseOrder(order.DOCO, { LINES: [{ LNID: '1.000', ACKC: 'IA', PDDJ: 125060 }] });
  engine.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'SN-5', ASNREF: 'asn_01JABCDEFGHJKMNPQRSTVWXYZ0', EXDJ: 125058, SHPJ: 125050, LINES: [{ DOCO: order.DOCO, LNID: '1.000', QTY: 2 }] });
  const position = inventoryPositionSchema.parse(map());
  assert.deepEqual(position.inbound, [
    { source: 'po', purchaseOrderId: purchaseOrderIdOf('acme', order.DOCO), lineNumber: 1, quantity: '300', expectedDate: '2025-03-01', acknowledged: true },
    { source: 'asn', asnId: 'asn_01JABCDEFGHJKMNPQRSTVWXYZ0', purchaseOrderId: purchaseOrderIdOf('acme', order.DOCO), quantity: '200', expectedDate: '2025-02-27' },
  ]);
});
