import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimPurchaseOrder, SimSupplierItemRow } from '../wire/sim-purchasing.types.js';
import type { SimAddressRow, SimRowsPage } from '../wire/sim-wire.types.js';
import { ErpSimEngine } from './erp-engine.service.js';
import { startErpSim, type ErpSim } from './erp-sim.server.js';

let sim: ErpSim;

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

before(async () => {
  sim = await startErpSim({ port: 0, seed: 3 });
});
after(async () => {
  await sim.close();
});

test('POST /admin/suppliers/generate adds suppliers from 5201 with a catalog, and is idempotent up to the count', async () => {
  const first = await call<{ ROWS: SimAddressRow[] }>('POST', '/admin/suppliers/generate', { count: 3 });
  assert.equal(first.status, 200);
  assert.deepEqual(first.body.ROWS.map((r) => r.AN8), [5201, 5202, 5203]);
  for (const row of first.body.ROWS) {
    assert.equal(row.AT1, 'V');
    assert.equal(row.CRCD, 'USD');
    assert.match(row.ALPH, / 000\d /);
  }
  const again = await call<{ ROWS: SimAddressRow[] }>('POST', '/admin/suppliers/generate', { count: 5 });
  assert.deepEqual(again.body.ROWS.slice(0, 3), first.body.ROWS, 'the first three are unchanged');
  assert.equal(again.body.ROWS.length, 5);

  const suppliers = await call<SimRowsPage<SimAddressRow>>('GET', '/address-book?AT1=V&max=100');
  assert.equal(suppliers.body.ROWS.filter((r) => r.AN8 >= 5201).length, 5, 'generating 5 after 3 adds two, not five');

  const catalog = await call<SimRowsPage<SimSupplierItemRow>>('GET', '/supplier-items?AN8=5204');
  assert.equal(catalog.body.ROWS.length, 6);
  for (const r of catalog.body.ROWS) assert.ok(Number(r.PRRC) > 0 && Number(r.PRRC) < 45, `${r.LITM} at ${r.PRRC}`);

  // A generated supplier can be sent an approved purchase order for what it sells, and acknowledge it.
  const line = catalog.body.ROWS[0]!;
  const created = await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', { AN8: 5204, MCU: 'M10', LINES: [{ LITM: line.LITM, UORG: 12 }] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.ORDER.LINES[0]!.PRRC, line.PRRC, 'the catalog cost is the default');
  assert.equal(created.body.ORDER.LINES[0]!.VITM, line.VITM);
  const doco = created.body.ORDER.DOCO;
  assert.equal((await call('POST', `/purchase-orders/${doco}/approve`)).status, 200);
  const acked = await call<{ ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${doco}/acknowledgments`, { LINES: [{ LNID: '1.000', ACKC: 'IA' }] });
  assert.equal(acked.status, 200, JSON.stringify(acked.body));
  assert.equal(acked.body.ORDER.LINES[0]!.ACKC, 'IA');

  const bad = await call<{ ERROR: { CODE: string } }>('POST', '/admin/suppliers/generate', { count: -1 });
  assert.equal(bad.status, 400);
});

test('generated suppliers are the same for a seed, kept across resets when given as an option, and another seed varies them', () => {
  const a = new ErpSimEngine({ seed: 5, generatedSuppliers: 4 });
  const b = new ErpSimEngine({ seed: 5 });
  assert.deepEqual(b.generateSuppliers(4), a.generateSuppliers(4));
  assert.deepEqual(b.purchasing.listSupplierItems({ AN8: 5203 }), a.purchasing.listSupplierItems({ AN8: 5203 }));
  a.reset();
  assert.equal(a.generateSuppliers(4).length, 4);
  assert.equal(a.purchasing.listSupplierItems({ AN8: 5204 }).ROWS.length, 6, 'the option survives a reset');
  b.reset();
  assert.equal(b.purchasing.listSupplierItems({ AN8: 5201 }).ROWS.length, 0, 'generated on demand only: a reset drops them');
  const c = new ErpSimEngine({ seed: 6, generatedSuppliers: 4 });
  assert.notDeepEqual(c.purchasing.listSupplierItems({ AN8: 5201 }).ROWS, a.purchasing.listSupplierItems({ AN8: 5201 }).ROWS);
  assert.throws(() => a.generateSuppliers(5000), /count must be/);
});
