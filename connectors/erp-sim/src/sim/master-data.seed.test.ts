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

test('seed data covers what procure-to-pay needs: suppliers, their catalog and reorder points per item and branch', () => {
  for (const seed of [1, 2, 42]) {
    const data = buildMasterData(seed);
    const suppliers = data.addresses.filter((a) => a.AT1 === 'V');
    assert.ok(suppliers.length >= 5);
    assert.ok(new Set(suppliers.map((s) => s.CRCD)).size >= 2, 'more than one currency');
    assert.ok(new Set(suppliers.map((s) => s.SNDM)).size >= 4, 'suppliers on different channels');
    for (const s of suppliers) {
      assert.ok(s.LTDT !== undefined && s.LTDT > 0, `${s.AN8} lead time`);
      assert.ok(data.terms.some((t) => t.PTC === s.TRAP), `${s.AN8} payables terms`);
    }
    for (const item of data.items) {
      const catalog = data.supplierItems.filter((r) => r.LITM === item.LITM);
      assert.equal(catalog.filter((r) => r.PRIM === 'Y').length, 1, `${item.LITM} has one primary supplier`);
      for (const row of catalog) {
        assert.ok(/^\d+\.\d{4}$/.test(row.PRRC) && Number(row.PRRC) > 0, `${item.LITM} cost ${row.PRRC}`);
        assert.equal(row.CRCD, suppliers.find((s) => s.AN8 === row.AN8)!.CRCD);
        assert.ok(item.XREF.some((x) => x.XRT === 'VN' && x.AN8 === row.AN8 && x.CITM === row.VITM && x.UOM === row.UOM), 'supplier item number as cross-reference');
      }
      for (const mcu of ['M10', 'M20']) {
        const params = data.itemBranches.find((r) => r.LITM === item.LITM && r.MCU === mcu)!;
        assert.equal(params.VEND, catalog.find((r) => r.PRIM === 'Y')!.AN8);
        if (item.STKT === 'O') assert.deepEqual([params.ROPI, params.ROQI], [0, 0], 'obsolete items are not replenished');
        else assert.ok(params.ROPI > 0 && params.ROQI > params.ROPI, `${item.LITM}@${mcu} ${params.ROPI}/${params.ROQI}`);
        const stock = data.balances.find((b) => b.LITM === item.LITM && b.MCU === mcu)!;
        const short = data.items.indexOf(item) % 8 === 3 || data.items.indexOf(item) % 8 === 6;
        if (item.STKT === 'S' && !short) assert.ok(stock.PQOH >= 2 * params.ROPI, 'normal stock is well above the reorder point');
      }
    }
    const vitms = data.supplierItems.map((r) => `${r.AN8}|${r.VITM}`);
    assert.equal(new Set(vitms).size, vitms.length, 'supplier item numbers are unique per supplier');
  }
  assert.deepEqual(buildMasterData(1).supplierItems, buildMasterData(1).supplierItems);
  assert.notDeepEqual(buildMasterData(1).supplierItems, buildMasterData(2).supplierItems, 'costs vary with the seed');
});
