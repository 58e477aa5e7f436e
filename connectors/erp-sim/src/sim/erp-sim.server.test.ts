import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { SimBalanceRow, SimChangesPage, SimInvoice, SimOrder, SimReturn } from '../wire/sim-wire.types.js';
import { addDaysJulian, toJulian } from '../wire/julian-date.js';
import { startErpSim, type ErpSim } from './erp-sim.server.js';

let sim: ErpSim;

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, timeoutMs = 5000): Promise<Answer<T>> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

const order = (lines: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ AN8: 4242, VR01: 'PO-T', LINES: lines, ...extra });
const createOrder = async (body: unknown) => call<{ ORDER: SimOrder }>('POST', '/orders', body);
const balance = async (litm: string, mcu = 'M10') => (await call<{ ROWS: SimBalanceRow[] }>('GET', `/inventory?LITM=${litm}&MCU=${mcu}`)).body.ROWS[0]!;
const errorOf = (a: Answer<unknown>) => (a.body as { ERROR: { CODE: string; MSG: string; FIELD?: string } }).ERROR;

before(async () => {
  sim = await startErpSim({ port: 0, seed: 1 });
});
after(async () => {
  await sim.close();
});
beforeEach(async () => {
  await sim.reset();
  sim.engine.settings.releaseMode = 'auto';
  sim.engine.settings.dedupeExternalRef = true;
});

describe('orders', () => {
  test('create answers 201; the same external reference answers 200 with the same order', async () => {
    const first = await createOrder(order([{ LITM: 'FAS-1001', UORG: 2, UOM: 'BX' }], { EXTREF: 'so_ref_1' }));
    assert.equal(first.status, 201);
    assert.equal(first.body.ORDER.DCTO, 'SO');
    assert.equal(first.body.ORDER.LINES[0]!.LNID, '1.000');
    assert.equal(first.body.ORDER.SHAN, 14242, 'defaults to the first ship-to');
    const again = await createOrder(order([{ LITM: 'FAS-1002', UORG: 9 }], { EXTREF: 'so_ref_1' }));
    assert.equal(again.status, 200);
    assert.equal(again.body.ORDER.DOCO, first.body.ORDER.DOCO);
    assert.equal(again.body.ORDER.LINES[0]!.LITM, 'FAS-1001', 'the existing order, not the new body');
    const found = await call<{ ORDERS: SimOrder[] }>('GET', '/orders?EXTREF=so_ref_1');
    assert.equal(found.body.ORDERS.length, 1);
    const stats = await call<{ ordersByExternalRef: Record<string, number>; duplicateExternalRefs: string[] }>('GET', '/admin/stats');
    assert.deepEqual(stats.body.ordersByExternalRef, { so_ref_1: 1 });
    assert.deepEqual(stats.body.duplicateExternalRefs, []);
  });

  test('validation errors are 4xx in the simulator format, naming the field', async () => {
    const cases: Array<[unknown, number, string, string]> = [
      [order([{ LITM: 'NOPE-1', UORG: 1 }]), 422, 'ITM001', 'LINES.0.LITM'],
      [order([{ LITM: 'FAS-1001', UORG: 1, UOM: 'GA' }]), 422, 'ITM003', 'LINES.0.UOM'],
      [order([{ LITM: 'JAN-1012', UORG: 1 }]), 422, 'ITM002', 'LINES.0.LITM'],
      [order([{ LITM: 'FAS-1001', UORG: '2.5' }]), 400, 'VAL001', 'LINES.0.UORG'],
      [order([{ LITM: 'FAS-1001', UORG: 1 }], { SHAN: 14243 }), 422, 'AN8002', 'SHAN'],
      [order([{ LITM: 'FAS-1001', UORG: 1 }], { AN8: 14242 }), 422, 'AN8001', 'AN8'],
      [order([{ LITM: 'FAS-1001', UORG: 1, MCU: 'X99' }]), 422, 'MCU001', 'LINES.0.MCU'],
      [order([{ CITM: 'NO-SUCH-PART', UORG: 1 }]), 422, 'ITM004', 'LINES.0.CITM'],
      [order([{ LITM: 'FAS-1001', UORG: 1 }], { KCOO: '00020' }), 422, 'KCO001', 'KCOO'],
      [{ AN8: 4242, LINES: [] }, 400, 'VAL001', 'VR01'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await createOrder(body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(errorOf(res).CODE, code);
      assert.equal(errorOf(res).FIELD, field);
    }
    assert.equal((await call('GET', '/admin/stats')).body.orders, 0, 'nothing was created');
  });

  test('a customer item number is resolved through the cross-reference', async () => {
    const items = (await call<{ ROWS: Array<{ LITM: string; XREF: Array<{ XRT: string; AN8?: number; CITM: string }> }> }>('GET', '/items?max=1000')).body.ROWS;
    const withPart = items.find((i) => i.XREF.some((x) => x.XRT === 'C' && x.AN8 === 4242))!;
    const part = withPart.XREF.find((x) => x.XRT === 'C' && x.AN8 === 4242)!.CITM;
    const res = await createOrder(order([{ CITM: part, UORG: 1 }]));
    assert.equal(res.status, 201);
    assert.equal(res.body.ORDER.LINES[0]!.LITM, withPart.LITM);
    assert.equal(res.body.ORDER.LINES[0]!.CITM, part);
  });

  test('contract prices and quantity tiers price the lines; the list book prices the rest', async () => {
    const contract = (await call<{ ROWS: Array<{ LITM: string; UOM: string; BRKS: Array<{ MNQ: number; UPRC: string }> }> }>('GET', '/prices?AN8=4242&max=1')).body.ROWS[0]!;
    const list = (await call<{ ROWS: Array<{ BRKS: Array<{ UPRC: string }> }> }>('GET', `/prices?PRBK=LIST&max=1000`)).body.ROWS;
    assert.ok(list.length >= 50);
    const small = await createOrder(order([{ LITM: contract.LITM, UORG: 1, UOM: contract.UOM }]));
    assert.equal(small.body.ORDER.LINES[0]!.UPRC, contract.BRKS[0]!.UPRC);
    const tier = contract.BRKS[1]!;
    sim.receiveStock(contract.LITM, 'M10', tier.MNQ);
    const big = await createOrder(order([{ LITM: contract.LITM, UORG: tier.MNQ, UOM: contract.UOM }]));
    assert.equal(big.body.ORDER.LINES[0]!.UPRC, tier.UPRC);
  });
});

describe('credit', () => {
  test('a customer on credit hold gets orders on hold (540), unallocated; credit release allocates', async () => {
    const res = await createOrder(order([{ LITM: 'FAS-1001', UORG: 5 }], { AN8: 4244 }));
    assert.equal(res.status, 201);
    assert.equal(res.body.ORDER.HOLD, 'C1');
    assert.equal(res.body.ORDER.LTTR, 540);
    assert.equal(res.body.ORDER.LINES[0]!.QCOM, 0);
    const credit = await call<{ HOLD: string; HOLDDS: string }>('GET', '/customers/4244/credit');
    assert.equal(credit.body.HOLD, 'C1');
    const released = await call<{ ORDER: SimOrder }>('POST', `/admin/orders/${res.body.ORDER.DOCO}/credit-release`);
    assert.equal(released.body.ORDER.HOLD, '');
    assert.equal(released.body.ORDER.LINES[0]!.QCOM, 5);
    assert.equal(released.body.ORDER.LTTR, 570);
  });

  test('an order taking exposure over the credit limit is held C2; exposure counts open orders', async () => {
    const limit = await call<{ ACL: string }>('PUT', '/admin/customers/4245/credit', { ACL: '100.00' });
    assert.equal(limit.body.ACL, '100.00');
    const credit = (await call<{ ACL: string; EXPO: string }>('GET', '/customers/4245/credit')).body;
    assert.equal(credit.EXPO, '0.00');
    const res = await createOrder(order([{ LITM: 'PLB-1006', UORG: 40 }], { AN8: 4245 }));
    assert.equal(res.body.ORDER.HOLD, 'C2', `${res.body.ORDER.OTOT} vs limit ${credit.ACL}`);
    assert.equal(res.body.ORDER.LINES[0]!.QCOM, 0, 'held orders are not allocated');
    assert.match(res.body.ORDER.HLDS ?? '', /Over credit limit/);
    const small = await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }], { AN8: 4245 }));
    assert.equal(small.body.ORDER.HOLD, '');
    const after = (await call<{ EXPO: string; OPOR: string }>('GET', '/customers/4245/credit')).body;
    assert.equal(after.OPOR, small.body.ORDER.OTOT, 'held orders do not count, open ones do');
  });
});

describe('allocation', () => {
  test('allocates what is available and backorders the rest; balances show committed and backordered', async () => {
    const before = await balance('FAS-1004');
    const res = await createOrder(order([{ LITM: 'FAS-1004', UORG: before.PAVL + 7 }, { LITM: 'FAS-1001', UORG: 3 }]));
    const [short, plenty] = res.body.ORDER.LINES;
    assert.equal(short!.QCOM, before.PAVL);
    assert.equal(short!.SOBK, 7);
    assert.equal(plenty!.QCOM, 3);
    assert.equal(plenty!.SOBK, 0);
    assert.equal(plenty!.LTTR, 570, 'released automatically');
    assert.equal(plenty!.PDDJ, addDaysJulian(toJulian(new Date()), 2));
    const afterwards = await balance('FAS-1004');
    assert.equal(afterwards.PCOM, before.PAVL);
    assert.equal(afterwards.PBCK, 7);
    assert.equal(afterwards.PAVL, 0);
  });

  test('the requested warehouse is used per line', async () => {
    const m20 = await balance('FAS-1002', 'M20');
    const res = await createOrder(order([{ LITM: 'FAS-1002', UORG: 4, MCU: 'M20' }]));
    assert.equal(res.body.ORDER.LINES[0]!.MCU, 'M20');
    assert.equal((await balance('FAS-1002', 'M20')).PCOM, m20.PCOM + 4);
  });

  test('a case (CA) line commits case quantity × conversion in primary units', async () => {
    const before = await balance('PLB-1001');
    const res = await createOrder(order([{ LITM: 'PLB-1001', UORG: 1, UOM: 'CA' }]));
    assert.equal(res.body.ORDER.LINES[0]!.QCOM, 1);
    assert.equal((await balance('PLB-1001')).PCOM, before.PCOM + 25);
  });

  test('backorders fill in order-date order when stock arrives', async () => {
    const stock = await balance('FAS-1007');
    assert.equal(stock.PQOH, 0);
    const first = (await createOrder(order([{ LITM: 'FAS-1007', UORG: 5 }], { EXTREF: 'so_bo_1' }))).body.ORDER;
    const second = (await createOrder(order([{ LITM: 'FAS-1007', UORG: 5 }], { EXTREF: 'so_bo_2' }))).body.ORDER;
    assert.equal(first.LINES[0]!.SOBK, 5);
    assert.equal(first.LTTR, 565);
    const seq = (await call<SimChangesPage>('GET', '/changes?after=0&limit=1000')).body.LASTSEQ;
    const receipt = await call<{ ROWS: SimBalanceRow[] }>('POST', '/admin/receipts', { LITM: 'FAS-1007', MCU: 'M10', TRQT: 7 });
    assert.equal(receipt.status, 200);
    const a = (await call<{ ORDER: SimOrder }>('GET', `/orders/${first.DOCO}`)).body.ORDER;
    const b = (await call<{ ORDER: SimOrder }>('GET', `/orders/${second.DOCO}`)).body.ORDER;
    assert.deepEqual([a.LINES[0]!.QCOM, a.LINES[0]!.SOBK, a.LTTR], [5, 0, 570]);
    assert.deepEqual([b.LINES[0]!.QCOM, b.LINES[0]!.SOBK, b.LTTR], [2, 3, 570]);
    const changes = (await call<SimChangesPage>('GET', `/changes?after=${seq}`)).body.CHANGES;
    assert.deepEqual(changes.map((c) => `${c.TYP} ${c.KEY}`), [`SO ${first.DOCO}`, `SO ${second.DOCO}`, 'IV FAS-1007']);
  });
});

describe('change and cancel', () => {
  test('quantities change and orders cancel before release; after release both are refused (409)', async () => {
    await call('PUT', '/admin/settings', { releaseMode: 'manual' });
    const before = await balance('FAS-1001');
    const created = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 4 }]))).body.ORDER;
    assert.equal(created.LTTR, 560, 'allocated, waiting for pick release');
    const changed = await call<{ ORDER: SimOrder }>('PATCH', `/orders/${created.DOCO}`, { LINES: [{ LNID: '1.000', UORG: 6 }, { LNID: '2.000', UORG: 0 }] });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.ORDER.LINES[0]!.UORG, 6);
    assert.equal(changed.body.ORDER.LINES[0]!.QCOM, 6);
    assert.equal(changed.body.ORDER.LINES[1]!.LTTR, 980, 'quantity 0 cancels the line');
    assert.equal((await balance('FAS-1001')).PCOM, before.PCOM + 6);
    const released = await call<{ ORDER: SimOrder }>('POST', `/admin/orders/${created.DOCO}/release`);
    assert.equal(released.body.ORDER.LTTR, 570);
    const refused = await call('PATCH', `/orders/${created.DOCO}`, { LINES: [{ LNID: '1.000', UORG: 1 }] });
    assert.equal(refused.status, 409);
    assert.equal(errorOf(refused).CODE, 'STS001');
    const noCancel = await call('POST', `/orders/${created.DOCO}/cancel`, {});
    assert.equal(noCancel.status, 409);

    const other = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 10 }]))).body.ORDER;
    const cancelled = await call<{ ORDER: SimOrder }>('POST', `/orders/${other.DOCO}/cancel`, { RSTX: 'customer changed mind' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.ORDER.LTTR, 980);
    assert.equal(cancelled.body.ORDER.LINES[0]!.SOCN, 10);
    assert.equal((await balance('FAS-1001')).PCOM, before.PCOM + 6, 'the commitment is given back');
    const again = await call<{ ORDER: SimOrder }>('POST', `/orders/${other.DOCO}/cancel`, {});
    assert.equal(again.status, 200, 'cancelling twice is harmless');
    assert.equal((await call('PATCH', `/orders/${other.DOCO}`, { LINES: [{ LNID: '1.000', UORG: 1 }] })).status, 409);
    assert.equal((await call('PATCH', '/orders/999999', { LINES: [{ LNID: '1.000', UORG: 1 }] })).status, 404);
  });
});

describe('shipping, invoicing, payment', () => {
  test('partial ship confirm issues an invoice per shipment; the same shipment reference changes nothing', async () => {
    const before = await balance('FAS-1001');
    const o = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'PLB-1001', UORG: 3 }], { SHAN: 24242, EXTREF: 'so_ship_1' }))).body.ORDER;
    const ship = { SHPREF: 'shp_a', CARS: 'UPSN', TRKN: '1Z0001', LINES: [{ LNID: '1.000', SOQS: 4 }] };
    const first = await call<{ ORDER: SimOrder }>('POST', `/orders/${o.DOCO}/shipments`, ship);
    assert.equal(first.status, 201);
    const line = first.body.ORDER.LINES[0]!;
    assert.deepEqual([line.SOQS, line.QCOM, line.LTTR], [4, 6, 575]);
    assert.equal(first.body.ORDER.SHIPMENTS.length, 1);
    const stock = await balance('FAS-1001');
    assert.equal(stock.PQOH, before.PQOH - 4);
    assert.equal(stock.PCOM, before.PCOM + 6);
    const repeat = await call<{ ORDER: SimOrder }>('POST', `/orders/${o.DOCO}/shipments`, ship);
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.ORDER.SHIPMENTS.length, 1);
    assert.equal((await balance('FAS-1001')).PQOH, before.PQOH - 4);

    const invoices = (await call<{ INVOICES: SimInvoice[] }>('GET', `/invoices?DOCO=${o.DOCO}`)).body.INVOICES;
    assert.equal(invoices.length, 1);
    const inv = invoices[0]!;
    assert.equal(inv.DCT, 'RI');
    assert.equal(inv.EXTREF, 'so_ship_1');
    assert.equal(inv.SHPREF, 'shp_a');
    assert.equal(inv.TXR1, '5.50', 'tax rate of the Milwaukee ship-to');
    assert.equal(inv.LINES.length, 1);
    assert.equal(inv.LINES[0]!.QTY, 4);
    assert.equal(inv.PTC, '210');
    assert.equal(inv.DDJ, addDaysJulian(inv.DIVJ, 30));
    const cents = (s: string) => Math.round(Number(s) * 100);
    assert.equal(cents(inv.AG), cents(inv.AEXP) + cents(inv.STAM));
    assert.equal(cents(inv.STAM), Math.round((cents(inv.ATXA) * 5.5) / 100));

    const over = await call('POST', `/orders/${o.DOCO}/shipments`, { ...ship, SHPREF: 'shp_b', LINES: [{ LNID: '1.000', SOQS: 7 }] });
    assert.equal(over.status, 409);
    assert.equal(errorOf(over).CODE, 'SHP003');
    const elsewhere = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }]))).body.ORDER;
    const reused = await call('POST', `/orders/${elsewhere.DOCO}/shipments`, { ...ship, LINES: [{ LNID: '1.000', SOQS: 1 }] });
    assert.equal(reused.status, 409);
    assert.equal(errorOf(reused).CODE, 'SHP002');
  });

  test('payments settle invoices; a fully shipped and paid order closes (620)', async () => {
    const o = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 10 }]))).body.ORDER;
    await call('POST', `/orders/${o.DOCO}/shipments`, { SHPREF: 's1', CARS: 'FDEG', TRKN: 'T1', LINES: [{ LNID: '1.000', SOQS: 6 }] });
    const shipped = await call<{ ORDER: SimOrder }>('POST', `/orders/${o.DOCO}/shipments`, { SHPREF: 's2', CARS: 'FDEG', TRKN: 'T2', LINES: [{ LNID: '1.000', SOQS: 4 }] });
    assert.equal(shipped.body.ORDER.LTTR, 600, 'fully shipped and invoiced');
    const invoices = (await call<{ INVOICES: SimInvoice[] }>('GET', `/invoices?DOCO=${o.DOCO}`)).body.INVOICES;
    assert.equal(invoices.length, 2);
    const [a, b] = invoices as [SimInvoice, SimInvoice];
    const tooMuch = await call('POST', '/admin/payments', { DOC: a.DOC, PAAP: '999999.00' });
    assert.equal(tooMuch.status, 422);
    const part = await call<{ PAYMENT: { PYID: number } }>('POST', '/admin/payments', { DOC: a.DOC, PAAP: '0.01', CKNU: 'CHK-1' });
    assert.equal(part.status, 201);
    const same = await call<{ PAYMENT: { PYID: number } }>('POST', '/admin/payments', { DOC: a.DOC, PAAP: '0.01', CKNU: 'CHK-1' });
    assert.equal(same.status, 200);
    assert.equal(same.body.PAYMENT.PYID, part.body.PAYMENT.PYID);
    const partly = (await call<{ INVOICE: SimInvoice }>('GET', `/invoices/RI/${a.DOC}`)).body.INVOICE;
    assert.equal(partly.PST, 'A');
    const rest = (Math.round(Number(a.AG) * 100) - 1) / 100;
    await call('POST', '/admin/payments', { DOC: a.DOC, PAAP: rest.toFixed(2), PYIN: 'A' });
    assert.equal((await call<{ INVOICE: SimInvoice }>('GET', `/invoices/RI/${a.DOC}`)).body.INVOICE.PST, 'P');
    assert.equal((await call<{ ORDER: SimOrder }>('GET', `/orders/${o.DOCO}`)).body.ORDER.LTTR, 600, 'still one invoice open');
    await call('POST', '/admin/payments', { DOC: b.DOC, PAAP: b.AG, PYIN: 'W' });
    const closed = (await call<{ ORDER: SimOrder }>('GET', `/orders/${o.DOCO}`)).body.ORDER;
    assert.equal(closed.LTTR, 620);
    assert.ok(closed.CLSJ > 0);
  });
});

describe('returns', () => {
  test('an RMA for shipped goods is authorised, received, restocked and credited; over-quantity and unshipped are rejected', async () => {
    const o = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 5 }], { EXTREF: 'so_rma_1' }))).body.ORDER;
    await call('POST', `/orders/${o.DOCO}/shipments`, { SHPREF: 's1', CARS: 'UPSN', TRKN: 'T1', LINES: [{ LNID: '1.000', SOQS: 10 }] });
    const stock = await balance('FAS-1001');
    const request = { EXTREF: 'rma_1', AN8: 4242, LINES: [{ LITM: 'FAS-1001', UORG: 3, RCD: 'DMG', OEXT: 'so_rma_1', OLNID: '1.000' }] };
    const created = await call<{ RETURN: SimReturn }>('POST', '/returns', request);
    assert.equal(created.status, 201);
    assert.equal(created.body.RETURN.LTTR, 910);
    assert.equal(created.body.RETURN.LINES[0]!.ODOC, o.DOCO);
    const again = await call<{ RETURN: SimReturn }>('POST', '/returns', request);
    assert.equal(again.status, 200);
    assert.equal(again.body.RETURN.RMAN, created.body.RETURN.RMAN);

    const over = await call<{ RETURN: SimReturn }>('POST', '/returns', { ...request, EXTREF: 'rma_2', LINES: [{ ...request.LINES[0], UORG: 8 }] });
    assert.equal(over.body.RETURN.LTTR, 915);
    assert.match(over.body.RETURN.RJRS ?? '', /exceeds the quantity shipped and not yet returned \(7 EA\)/);
    const unshipped = await call<{ RETURN: SimReturn }>('POST', '/returns', { EXTREF: 'rma_3', AN8: 4242, LINES: [{ LITM: 'FAS-1002', UORG: 1, RCD: 'WRG', ODOC: o.DOCO }] });
    assert.equal(unshipped.body.RETURN.LTTR, 915);
    assert.match(unshipped.body.RETURN.RJRS ?? '', /has not shipped/);
    assert.equal((await call('POST', `/returns/${unshipped.body.RETURN.RMAN}/receipts`, { LINES: [{ LNID: '1.000', QTY: 1 }] })).status, 409);

    const received = await call<{ RETURN: SimReturn }>('POST', `/returns/${created.body.RETURN.RMAN}/receipts`, { LINES: [{ LNID: '1.000', QTY: 3 }] });
    assert.equal(received.status, 200);
    assert.equal(received.body.RETURN.LTTR, 940);
    assert.ok(received.body.RETURN.CMDOC);
    assert.equal((await balance('FAS-1001')).PQOH, stock.PQOH + 3);
    const memo = (await call<{ INVOICE: SimInvoice }>('GET', `/invoices/RM/${received.body.RETURN.CMDOC}`)).body.INVOICE;
    assert.equal(memo.DCT, 'RM');
    assert.equal(memo.RMAEXT, 'rma_1');
    assert.ok(memo.AG.startsWith('-'));
    assert.equal(memo.LINES[0]!.QTY, 3);
    const twice = await call<{ RETURN: SimReturn }>('POST', `/returns/${created.body.RETURN.RMAN}/receipts`, { LINES: [{ LNID: '1.000', QTY: 3 }] });
    assert.equal(twice.body.RETURN.CMDOC, received.body.RETURN.CMDOC, 'a second receipt issues no second credit');
    assert.equal((await call('GET', '/admin/stats')).body.creditMemos, 1);
  });
});

describe('change feed', () => {
  test('every change gets the next sequence number; pages follow `after`', async () => {
    const o = (await createOrder(order([{ LITM: 'FAS-1001', UORG: 2 }]))).body.ORDER;
    await call('POST', `/orders/${o.DOCO}/shipments`, { SHPREF: 's1', CARS: 'UPSN', TRKN: 'T1', LINES: [{ LNID: '1.000', SOQS: 2 }] });
    const inv = (await call<{ INVOICES: SimInvoice[] }>('GET', `/invoices?DOCO=${o.DOCO}`)).body.INVOICES[0]!;
    await call('POST', '/admin/payments', { DOC: inv.DOC, PAAP: inv.AG });
    const all = (await call<SimChangesPage>('GET', '/changes?after=0&limit=1000')).body;
    assert.deepEqual(all.CHANGES.map((c) => c.SEQ), all.CHANGES.map((_, i) => i + 1));
    assert.equal(all.LASTSEQ, all.CHANGES.length);
    assert.deepEqual(all.CHANGES.map((c) => c.TYP), ['SO', 'IV', 'SO', 'IV', 'RI', 'SO', 'PY']);
    const created = all.CHANGES[0]!;
    assert.equal(created.TYP === 'SO' && created.DATA.LINES[0]!.SOQS, 0, 'a snapshot at the time of the change');
    const paged = (await call<SimChangesPage>('GET', '/changes?after=2&limit=2')).body.CHANGES;
    assert.deepEqual(paged.map((c) => c.SEQ), [3, 4]);
    assert.deepEqual((await call<SimChangesPage>('GET', `/changes?after=${all.LASTSEQ}`)).body.CHANGES, []);
  });
});

describe('fault modes', () => {
  test('down really refuses connections and listens again on the same port when cleared', async () => {
    await sim.setFaults({ down: true });
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(sim.port, sim.host);
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message));
    });
    assert.equal(refused, 'ECONNREFUSED');
    await assert.rejects(fetch(`${sim.url}/status`));
    await sim.setFaults({ down: false });
    assert.equal((await call('GET', '/status')).status, 200);
  });

  test('down set over HTTP with downForMs comes back by itself', async () => {
    const res = await call('PUT', '/admin/faults', { downForMs: 400 });
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 50));
    await assert.rejects(fetch(`${sim.url}/status`));
    const deadline = Date.now() + 5000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = await call('GET', '/status').then((a) => a.status, () => 0);
    }
    assert.equal(status, 200);
    assert.equal(sim.faults().down, false);
  });

  test('slow adds latency to business requests, not to admin ones', async () => {
    await call('PUT', '/admin/faults', { slowMs: 600 });
    let started = Date.now();
    await call('GET', '/status');
    assert.ok(Date.now() - started >= 590);
    started = Date.now();
    await call('GET', '/admin/faults');
    assert.ok(Date.now() - started < 500);
  });

  test('errorRate answers HTTP 500 for that fraction of requests, the same ones for the same seed, and creates nothing', async () => {
    const pattern = async () => {
      await sim.reset();
      await call('PUT', '/admin/faults', { errorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }], { EXTREF: `so_err_${i}` }))).status);
      return statuses;
    };
    const first = await pattern();
    const failures = first.filter((s) => s === 500).length;
    assert.ok(failures >= 4 && failures <= 16, `${failures} of 20`);
    assert.equal((await call('GET', '/admin/stats')).body.orders, 20 - failures, 'a 500 is answered before anything happens');
    assert.deepEqual(await pattern(), first);
    await call('PUT', '/admin/faults', { errorRate: 1 });
    const failed = await call('GET', '/status');
    assert.equal(failed.status, 500);
    assert.equal(errorOf(failed).CODE, 'SYS500');
    assert.equal((await call('GET', '/admin/stats')).status, 200, 'admin is never faulted');
  });

  test('commitThenTimeout (drop) creates the order, loses the answer; the retry finds exactly one order', async () => {
    await sim.setFaults({ commitThenTimeout: 1 });
    await assert.rejects(createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }], { EXTREF: 'so_lost' })));
    assert.equal(sim.stats().orders, 1);
    await sim.clearFaults();
    const retry = await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }], { EXTREF: 'so_lost' }));
    assert.equal(retry.status, 200);
    assert.deepEqual(sim.stats().ordersByExternalRef, { so_lost: 1 });
    assert.equal(sim.stats().faults.commitThenTimeout, 1);
  });

  test('commitThenTimeout (hang) keeps the client waiting until it gives up; the order exists once', async () => {
    await sim.setFaults({ commitThenTimeout: 1, commitThenTimeoutMode: 'hang' });
    const started = Date.now();
    await assert.rejects(call('POST', '/orders', order([{ LITM: 'FAS-1001', UORG: 1 }], { EXTREF: 'so_hang' }), 300), { name: 'TimeoutError' });
    assert.ok(Date.now() - started >= 290);
    await sim.clearFaults();
    assert.equal((await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }], { EXTREF: 'so_hang' }))).status, 200);
    assert.equal(sim.stats().orders, 1);
  });

  test('maintenance answers 503 with Retry-After until the window ends', async () => {
    await call('PUT', '/admin/faults', { maintenanceForMs: 5000 });
    const res = await call('GET', '/orders?EXTREF=x');
    assert.equal(res.status, 503);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
    assert.equal(errorOf(res).CODE, 'SYS503');
    await call('PUT', '/admin/faults', { maintenanceUntil: new Date(Date.now() - 1000).toISOString() });
    assert.equal((await call('GET', '/orders?EXTREF=x')).status, 200);
    assert.equal((await call('PUT', '/admin/faults', { errorRate: 2 })).status, 400);
  });

  test('reset rebuilds the seed data and clears faults and counts', async () => {
    await createOrder(order([{ LITM: 'FAS-1001', UORG: 1 }]));
    await sim.setFaults({ slowMs: 10 });
    const res = await call<{ orders: number; seed: number }>('POST', '/admin/reset', { seed: 7 });
    assert.equal(res.body.orders, 0);
    assert.equal(res.body.seed, 7);
    assert.equal(sim.faults().slowMs, 0);
    assert.equal((await call<{ SEED: number }>('GET', '/status')).body.SEED, 7);
    await call('POST', '/admin/reset', { seed: 1 });
  });
});
