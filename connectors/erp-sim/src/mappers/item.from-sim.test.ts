import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertQuantity, itemSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { itemIdOf, partyIdOf } from './derived-id.js';
import { itemFromSim } from './item.from-sim.js';

test('every item maps to a valid Item: units in canonical codes, conversions, GTINs, customer and supplier part numbers', () => {
  const engine = new ErpSimEngine({ seed: 3 });
  const rows = engine.listItems({ max: 1000 }).ROWS;
  const items = rows.map((row) => itemFromSim(row, { tenantId: 'acme' }));
  for (const item of items) itemSchema.parse(item);
  const copperElbow = items.find((i) => i.sku === 'PLB-1001')!;
  assert.equal(copperElbow.id, itemIdOf('acme', 'PLB-1001'));
  assert.deepEqual(copperElbow.conversions, [{ from: 'CS', to: 'EA', factor: '25' }], 'the simulator case CA is canonical CS');
  assert.deepEqual(convertQuantity('2', 'CS', 'EA', copperElbow.conversions), { ok: true, quantity: '50' });
  const gallons = items.find((i) => i.sku === 'JAN-1001')!;
  assert.equal(gallons.baseUnit, 'GAL');
  assert.ok(gallons.units.some((u) => u.unit === 'PL'));
  assert.ok(items.every((i) => i.crossReferences.some((x) => x.kind === 'gtin')));
  const parts = items.flatMap((i) => i.crossReferences.filter((x) => x.kind === 'customer_part'));
  assert.ok(parts.length >= 40);
  assert.ok(parts.some((x) => x.kind === 'customer_part' && x.customerId === partyIdOf('acme', 4242)));
  for (const item of items) {
    const suppliers = item.crossReferences.filter((x) => x.kind === 'supplier_part');
    assert.equal(suppliers.length, 2, `${item.sku}: primary and broad-line supplier`);
    assert.equal(suppliers.filter((x) => x.kind === 'supplier_part' && x.primary).length, 1);
  }
  const bolt = items.find((i) => i.sku === 'FAS-1001')!.crossReferences.find((x) => x.kind === 'supplier_part' && x.primary)!;
  assert.deepEqual(bolt.kind === 'supplier_part' && [bolt.supplierId, bolt.unit], [partyIdOf('acme', 5101), 'BX'], 'bought in boxes from the fastener supplier');
  assert.equal(items.find((i) => i.sku === 'JAN-1012')!.status, 'discontinued');
  assert.equal(items.find((i) => i.sku === 'SAF-1009')!.taxCode, 'EXEMPT');
});
