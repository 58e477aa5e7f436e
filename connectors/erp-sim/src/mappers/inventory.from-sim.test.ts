import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inventoryPositionSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { itemIdOf } from './derived-id.js';
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
