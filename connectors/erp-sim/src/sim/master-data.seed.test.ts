import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidGs1CheckDigit } from '@tradelane/canonical';
import { buildMasterData } from './master-data.seed.js';

test('the same seed gives the same data; another seed varies it', () => {
  assert.deepEqual(buildMasterData(1), buildMasterData(1));
  const a = buildMasterData(1);
  const b = buildMasterData(2);
  assert.deepEqual(a.items.map((i) => i.LITM), b.items.map((i) => i.LITM), 'keys are stable across seeds');
  assert.notDeepEqual(a.prices, b.prices);
  assert.notDeepEqual(a.balances, b.balances);
});

test('seed data covers what order-to-cash needs', () => {
  for (const seed of [1, 2, 42]) {
    const data = buildMasterData(seed);
    const customers = data.addresses.filter((a) => a.AT1 === 'C');
    assert.ok(customers.length >= 3);
    for (const c of customers) {
      assert.ok(data.addresses.some((a) => a.AT1 === 'ST' && a.PA8 === c.AN8), `customer ${c.AN8} has a ship-to`);
      assert.ok(data.terms.some((t) => t.PTC === c.TRAR));
      assert.ok(data.prices.some((p) => p.AN8 === c.AN8), `customer ${c.AN8} has a contract book`);
    }
    assert.equal(customers.filter((c) => c.HOLD).length, 1, 'one customer on credit hold');
    assert.ok(data.items.length >= 50);
    for (const item of data.items) {
      assert.ok(item.UMCV.length >= 1, `${item.LITM} has a conversion`);
      for (const x of item.XREF.filter((r) => r.XRT === 'UP')) assert.ok(hasValidGs1CheckDigit(x.CITM), `${item.LITM} GTIN ${x.CITM}`);
      assert.equal(data.balances.filter((b) => b.LITM === item.LITM).length, 2, 'two warehouses');
      assert.ok(data.prices.some((p) => p.PRBK === 'LIST' && p.LITM === item.LITM));
    }
    const contractBooks = new Set(data.prices.filter((p) => p.AN8 !== undefined).map((p) => p.PRBK));
    assert.ok(contractBooks.size >= 3);
    assert.ok(data.prices.some((p) => p.AN8 !== undefined && p.BRKS.length > 1), 'contract quantity tiers');
    assert.ok(data.items.some((i) => i.XREF.some((x) => x.XRT === 'C')), 'customer part numbers');
    const shortItems = data.items.filter((i) => i.STKT === 'S' && data.balances.filter((b) => b.LITM === i.LITM).every((b) => b.PQOH < 20));
    assert.ok(shortItems.length >= 5, 'some items are short to force backorders');
  }
});
