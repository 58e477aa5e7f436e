import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toJulian } from '../wire/julian-date.js';
import type { SimExpectedReceipt, SimItemBranchRow, SimPurchaseOrder, SimReceipt, SimVoucher } from '../wire/sim-purchasing.types.js';
import type { SimBalanceRow, SimChangesPage } from '../wire/sim-wire.types.js';
import { startErpSim, type ErpSim } from './erp-sim.server.js';

let sim: ErpSim;

interface Answer<T> {
  status: number;
  body: T;
}

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const errorOf = (a: Answer<unknown>) => (a.body as { ERROR: { CODE: string; MSG: string; FIELD?: string } }).ERROR;
const today = () => toJulian(new Date());

async function approvedPo(lines: Array<Record<string, unknown>> = [{ LITM: 'FAS-1001', UORG: 10 }], extra: Record<string, unknown> = {}): Promise<SimPurchaseOrder> {
  const created = await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', { AN8: 5101, MCU: 'M10', LINES: lines, ...extra });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return (await call<{ ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${created.body.ORDER.DOCO}/approve`)).body.ORDER;
}

/** Sends each case and checks status, error code and field; returns nothing. */
async function expectRefusals(cases: Array<[method: string, path: string, body: unknown, status: number, code: string, field?: string]>): Promise<void> {
  for (const [method, path, body, status, code, field] of cases) {
    const res = await call(method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
    assert.equal(errorOf(res).CODE, code, JSON.stringify(res.body));
    if (field !== undefined) assert.equal(errorOf(res).FIELD, field, JSON.stringify(res.body));
  }
}

before(async () => {
  sim = await startErpSim({ port: 0, seed: 1, autoReplenish: false });
});
after(async () => {
  await sim.close();
});
beforeEach(async () => {
  await sim.reset();
});

describe('purchasing master data', () => {
  test('suppliers are in the address book (AT1=V); the supplier catalog and item-branch parameters page', async () => {
    const suppliers = (await call<{ ROWS: Array<{ AN8: number; AT1: string; CRCD: string; LTDT: number }> }>('GET', '/address-book?AT1=V')).body.ROWS;
    assert.ok(suppliers.length >= 5);
    assert.ok(suppliers.every((s) => s.AT1 === 'V' && s.LTDT > 0));
    const catalog = await call<{ ROWS: Array<{ AN8: number; LITM: string }>; NEXT: number | null }>('GET', '/supplier-items?AN8=5101&max=5');
    assert.equal(catalog.body.ROWS.length, 5);
    assert.equal(catalog.body.NEXT, 5);
    assert.ok(catalog.body.ROWS.every((r) => r.AN8 === 5101));
    const params = (await call<{ ROWS: SimItemBranchRow[] }>('GET', '/item-branches?LITM=FAS-1001')).body.ROWS;
    assert.deepEqual(params.map((p) => p.MCU), ['M10', 'M20']);
  });
});

describe('purchase order routes', () => {
  test('create answers 201, the same EXTREF 200 with the same order; approve, change, acknowledge and cancel', async () => {
    const body = { AN8: 5101, MCU: 'M10', EXTREF: 'po-ext-1', LINES: [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: '4', UOM: 'BX', PRRC: '2.5' }] };
    const created = await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', body);
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.ORDER.LTTR, created.body.ORDER.LINES[1]!.PRRC], [220, '2.5000']);
    const again = await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', { ...body, LINES: [{ LITM: 'FAS-1003', UORG: 1 }] });
    assert.deepEqual([again.status, again.body.ORDER.DOCO], [200, created.body.ORDER.DOCO]);
    const doco = created.body.ORDER.DOCO;
    assert.deepEqual((await call<{ ORDERS: SimPurchaseOrder[] }>('GET', '/purchase-orders?EXTREF=po-ext-1')).body.ORDERS.map((o) => o.DOCO), [doco]);

    assert.equal((await call<{ ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${doco}/approve`)).body.ORDER.LTTR, 280);
    const changed = await call<{ ORDER: SimPurchaseOrder }>('PATCH', `/purchase-orders/${doco}`, { LINES: [{ LNID: '1.000', UORG: 12 }] });
    assert.deepEqual([changed.status, changed.body.ORDER.RVNO, changed.body.ORDER.LINES[0]!.UORG], [200, 1, 12]);
    const acked = await call<{ ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${doco}/acknowledgments`, { LINES: [{ LNID: '1.000', ACKC: 'IA' }, { LNID: '2.000', ACKC: 'IR', ACKT: 'no stock' }] });
    assert.deepEqual(acked.body.ORDER.LINES.map((l) => [l.ACKC, l.LTTR]), [['IA', 300], ['IR', 980]]);
    const cancelled = await call<{ ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${doco}/cancel`, { RSTX: 'not needed' });
    assert.deepEqual([cancelled.status, cancelled.body.ORDER.LTTR, cancelled.body.ORDER.RSTX], [200, 980, 'not needed']);
    assert.equal((await call('POST', `/purchase-orders/${doco}/cancel`, {})).status, 200, 'cancelling twice is harmless');
    const listed = await call<{ ORDERS: SimPurchaseOrder[]; NEXT: number | null }>('GET', '/purchase-orders?max=1');
    assert.deepEqual([listed.body.ORDERS.length, listed.body.NEXT], [1, null]);
  });

  test('bad requests are 4xx in the simulator format naming the field, and create nothing', async () => {
    const entered = (await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', { AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] })).body.ORDER.DOCO;
    const line = (extra: Record<string, unknown>) => ({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1, ...extra }] });
    await expectRefusals([
      ['POST', '/purchase-orders', { ...line({}), AN8: 4242 }, 422, 'SUP001', 'AN8'],
      ['POST', '/purchase-orders', line({ LITM: 'PLB-1001' }), 422, 'SUP002', 'LINES.0.LITM'],
      ['POST', '/purchase-orders', line({ LITM: 'NOPE-1' }), 422, 'ITM001', 'LINES.0.LITM'],
      ['POST', '/purchase-orders', line({ UOM: 'GA' }), 422, 'ITM003', 'LINES.0.UOM'],
      ['POST', '/purchase-orders', line({ UORG: '2.5' }), 400, 'VAL001', 'LINES.0.UORG'],
      ['POST', '/purchase-orders', line({ UORG: 0 }), 400, 'VAL001', 'LINES.0.UORG'],
      ['POST', '/purchase-orders', line({ PRRC: '1.23456' }), 400, 'VAL001', 'LINES.0.PRRC'],
      ['POST', '/purchase-orders', line({ LNID: '1.5' }), 400, 'LIN001', 'LINES.0.LNID'],
      ['POST', '/purchase-orders', { ...line({}), MCU: 'X9' }, 422, 'MCU001', 'MCU'],
      ['POST', '/purchase-orders', { AN8: 5101, MCU: 'M10', LINES: [] }, 400, 'VAL001', 'LINES'],
      ['POST', '/purchase-orders', { AN8: 5101, LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }, 400, 'VAL001', 'MCU'],
      ['PATCH', `/purchase-orders/${entered}`, { LINES: [{ LNID: '1.000' }] }, 400, 'VAL001', 'LINES.0'],
      ['PATCH', `/purchase-orders/${entered}`, { LINES: [{ LNID: '7.000', UORG: 2 }] }, 422, 'LIN003', 'LINES.0.LNID'],
      ['PATCH', '/purchase-orders/999999', { LINES: [{ LNID: '1.000', UORG: 2 }] }, 404, 'DOC002'],
      ['POST', `/purchase-orders/${entered}/acknowledgments`, { LINES: [{ LNID: '1.000', ACKC: 'IA' }] }, 409, 'PST004'],
      ['POST', `/purchase-orders/${entered}/acknowledgments`, { LINES: [{ LNID: '1.000', ACKC: 'OK' }] }, 400, 'VAL001', 'LINES.0.ACKC'],
      ['POST', `/purchase-orders/${entered}/receipts`, { RCTREF: 'r', LINES: [{ LNID: '1.000', UREC: 1 }] }, 409, 'PST004'],
      ['GET', '/purchase-orders/abc', undefined, 400, 'VAL001', 'doco'],
    ]);
    assert.equal(((await call('GET', '/admin/stats')).body as { purchaseOrders: number }).purchaseOrders, 1, 'only the first order exists');
  });
});

describe('expected receipt, receipt and voucher routes', () => {
  test('a ship notice, a receipt against it and a supplier invoice; duplicates answer 200 with the existing record', async () => {
    const po = await approvedPo([{ LITM: 'FAS-1007', UORG: 2 }]);
    const sales = (await call<{ ORDER: { DOCO: number; LINES: Array<{ SOBK: number; QCOM: number }> } }>('POST', '/orders', { AN8: 4242, VR01: 'BO', LINES: [{ LITM: 'FAS-1007', UORG: 120 }] })).body.ORDER;
    assert.equal(sales.LINES[0]!.SOBK, 120);

    const asn = { AN8: 5101, VASN: 'MF-ASN-1', ASNREF: 'asn_x', EXDJ: today(), LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 2 }] };
    const recorded = await call<{ EXPECTED: SimExpectedReceipt }>('POST', '/expected-receipts', asn);
    assert.deepEqual([recorded.status, recorded.body.EXPECTED.STS], [201, 'A']);
    assert.equal((await call('POST', '/expected-receipts', asn)).status, 200);
    const inbound = (await call<{ ROWS: SimBalanceRow[] }>('GET', '/inventory?LITM=FAS-1007&MCU=M10')).body.ROWS[0]!;
    assert.deepEqual([inbound.PQOO, inbound.PQIT, inbound.INBD.map((i) => i.TYP)], [200, 200, ['ASN']]);
    assert.equal((await call<{ EXPECTED: SimExpectedReceipt[] }>('GET', `/expected-receipts?DOCO=${po.DOCO}`)).body.EXPECTED.length, 1);

    const receipt = { RCTREF: 'rct-http-1', ASNREF: 'asn_x', LINES: [{ LNID: '1.000', UREC: 2 }] };
    const received = await call<{ RECEIPT: SimReceipt; ORDER: SimPurchaseOrder }>('POST', `/purchase-orders/${po.DOCO}/receipts`, receipt);
    assert.deepEqual([received.status, received.body.RECEIPT.VASN, received.body.ORDER.LTTR], [201, 'MF-ASN-1', 400]);
    assert.equal((await call('POST', `/purchase-orders/${po.DOCO}/receipts`, receipt)).status, 200);
    const filled = (await call<{ ORDER: { LINES: Array<{ SOBK: number; QCOM: number }> } }>('GET', `/orders/${sales.DOCO}`)).body.ORDER;
    assert.deepEqual([filled.LINES[0]!.QCOM, filled.LINES[0]!.SOBK], [120, 0], 'the receipt filled the backorder');
    assert.equal((await call<{ EXPECTED: SimExpectedReceipt }>('GET', `/expected-receipts/${recorded.body.EXPECTED.ERN}`)).body.EXPECTED.STS, 'R');
    assert.equal((await call<{ RECEIPTS: SimReceipt[] }>('GET', '/receipts?RCTREF=rct-http-1')).body.RECEIPTS.length, 1);
    assert.equal((await call<{ RECEIPT: SimReceipt }>('GET', `/receipts/${received.body.RECEIPT.RCTN}`)).body.RECEIPT.DOCO, po.DOCO);

    const invoice = { AN8: 5101, VINV: 'MF-77', INVREF: 'inv_77', DIVJ: today(), LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 2, UPRC: po.LINES[0]!.PRRC }] };
    const voucher = await call<{ VOUCHER: SimVoucher; DUPLICATE?: boolean }>('POST', '/vouchers', invoice);
    assert.deepEqual([voucher.status, voucher.body.VOUCHER.MTCH, voucher.body.DUPLICATE], [201, 'P', undefined]);
    const duplicate = await call<{ VOUCHER: SimVoucher; DUPLICATE?: boolean }>('POST', '/vouchers', { ...invoice, INVREF: 'inv_other' });
    assert.deepEqual([duplicate.status, duplicate.body.DUPLICATE, duplicate.body.VOUCHER.DOC, duplicate.body.VOUCHER.INVREF], [200, true, voucher.body.VOUCHER.DOC, 'inv_77']);
    assert.equal((await call<{ VOUCHERS: SimVoucher[] }>('GET', '/vouchers?INVREF=inv_77')).body.VOUCHERS.length, 1);
    const stats = (await call<{ vouchers: number; duplicateSupplierInvoices: number }>('GET', '/admin/stats')).body;
    assert.deepEqual([stats.vouchers, stats.duplicateSupplierInvoices], [1, 1]);

    const disputed = await call<{ VOUCHER: SimVoucher }>('POST', `/vouchers/${voucher.body.VOUCHER.DOC}/match`, { MTCH: 'D', HRSN: 'quantity short' });
    assert.deepEqual([disputed.body.VOUCHER.MTCH, disputed.body.VOUCHER.PST], ['D', 'H']);
    const approved = await call<{ VOUCHER: SimVoucher }>('POST', `/vouchers/${voucher.body.VOUCHER.DOC}/match`, { MTCH: 'A' });
    assert.deepEqual([approved.body.VOUCHER.MTCH, approved.body.VOUCHER.PST], ['A', 'A']);
    assert.equal((await call<{ ORDER: SimPurchaseOrder }>('GET', `/purchase-orders/${po.DOCO}`)).body.ORDER.LTTR, 999);

    const kinds = (await call<SimChangesPage>('GET', '/changes?after=0&limit=1000')).body.CHANGES.map((c) => c.TYP);
    assert.deepEqual([...new Set(kinds)].sort(), ['IV', 'OP', 'OV', 'PV', 'SO']);
  });

  test('bad ship notices, receipts and invoices are refused with specific codes', async () => {
    const po = await approvedPo([{ LITM: 'FAS-1001', UORG: 3 }]);
    const allied = (await call<{ ORDER: SimPurchaseOrder }>('POST', '/purchase-orders', { AN8: 5106, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 5 }] })).body.ORDER;
    const asn = (extra: Record<string, unknown>) => ({ AN8: 5101, VASN: 'A-1', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 1 }], ...extra });
    const rct = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ RCTREF: 'rct-bad', LINES: lines, ...extra });
    const inv = (lines: unknown[], extra: Record<string, unknown> = {}) => ({ AN8: 5101, VINV: 'I-1', DIVJ: today(), LINES: lines, ...extra });
    await expectRefusals([
      ['POST', '/expected-receipts', asn({ LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 4 }] }), 422, 'ASN002', 'LINES.0.QTY'],
      ['POST', '/expected-receipts', asn({ LINES: [{ DOCO: allied.DOCO, LNID: '1.000', QTY: 1 }] }), 422, 'SUP003', 'LINES.0.DOCO'],
      ['POST', '/expected-receipts', asn({ LINES: [{ DOCO: 123, LNID: '1.000', QTY: 1 }] }), 422, 'DOC003', 'LINES.0.DOCO'],
      ['POST', '/expected-receipts', asn({ PURP: '99' }), 400, 'VAL001', 'PURP'],
      ['POST', '/expected-receipts', asn({ LINES: [] }), 400, 'VAL001', 'LINES'],
      ['POST', '/expected-receipts', asn({ PURP: '01', LINES: [] }), 404, 'ASN001', 'VASN'],
      ['POST', '/expected-receipts', asn({ SHPJ: today(), EXDJ: today() - 1 }), 422, 'ASN004', 'EXDJ'],
      ['POST', '/expected-receipts', asn({ EXDJ: 125400 }), 400, 'VAL001', 'EXDJ'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, rct([{ LNID: '1.000', UREC: 4 }]), 422, 'RCV002', 'LINES.0.UREC'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, rct([{ LNID: '1.000', UREC: 0 }]), 422, 'RCV003', 'LINES'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, rct([{ LNID: '1.000', UREC: 1 }], { MCU: 'M20' }), 422, 'MCU002', 'MCU'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, rct([{ LNID: '1.000', UREC: 1 }], { VASN: 'NO-SUCH' }), 422, 'ASN001', 'VASN'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, rct([{ LNID: '1.000', UREC: -1 }]), 400, 'VAL001', 'LINES.0.UREC'],
      ['POST', `/purchase-orders/${po.DOCO}/receipts`, { LINES: [{ LNID: '1.000', UREC: 1 }] }, 400, 'VAL001', 'RCTREF'],
      ['POST', '/vouchers', inv([{ DOCO: po.DOCO, QTY: 1, UPRC: '1' }]), 400, 'VAL001', 'LINES.0'],
      ['POST', '/vouchers', inv([{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '1' }], { CRCD: 'EUR' }), 422, 'AP002', 'CRCD'],
      ['POST', '/vouchers', inv([{ DOCO: allied.DOCO, LNID: '1.000', QTY: 1, UPRC: '1' }]), 422, 'SUP003', 'LINES.0.DOCO'],
      ['POST', '/vouchers', inv([{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '-1' }]), 400, 'VAL001', 'LINES.0.UPRC'],
      ['POST', '/vouchers', inv([{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '1' }], { AN8: 4242 }), 422, 'SUP001', 'AN8'],
      ['POST', '/vouchers', inv([{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '1' }], { DIVJ: undefined }), 400, 'VAL001', 'DIVJ'],
      ['POST', '/vouchers/999999/match', { MTCH: 'A' }, 404, 'AP001'],
      ['POST', '/vouchers/999999/match', { MTCH: 'D' }, 400, 'VAL001', 'HRSN'],
      ['POST', '/vouchers/999999/match', { MTCH: 'X' }, 400, 'VAL001', 'MTCH'],
    ]);
    const stats = (await call<{ expectedReceipts: number; receipts: number; vouchers: number }>('GET', '/admin/stats')).body;
    assert.deepEqual([stats.expectedReceipts, stats.receipts, stats.vouchers], [0, 0, 0], 'nothing half-applied');
    const voucher = (await call<{ VOUCHER: SimVoucher }>('POST', '/vouchers', inv([{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '1' }]))).body.VOUCHER;
    await call('POST', `/vouchers/${voucher.DOC}/match`, { MTCH: 'A' });
    await expectRefusals([['POST', `/vouchers/${voucher.DOC}/match`, { MTCH: 'D', HRSN: 'later' }, 409, 'AP003', 'MTCH']]);
  });

  test('commit-then-timeout loses the answer of a voucher create; the retry is answered as the duplicate it is', async () => {
    const po = await approvedPo([{ LITM: 'FAS-1001', UORG: 3 }]);
    const invoice = { AN8: 5101, VINV: 'LOST-1', DIVJ: today(), LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 3, UPRC: '1' }] };
    await sim.setFaults({ commitThenTimeout: 1 });
    await assert.rejects(call('POST', '/vouchers', invoice));
    await sim.clearFaults();
    const retry = await call<{ VOUCHER: SimVoucher; DUPLICATE?: boolean }>('POST', '/vouchers', invoice);
    assert.deepEqual([retry.status, retry.body.DUPLICATE], [200, true]);
    assert.equal(sim.stats().vouchers, 1);
    assert.equal(sim.stats().faults.commitThenTimeout, 1);
  });
});

describe('admin: stock, reorder points, replenishment', () => {
  test('set stock and reorder point, run replenishment once; settings switch automatic replenishment and approval', async () => {
    const set = await call<SimItemBranchRow>('PUT', '/admin/item-branches/FAS-1001/M10', { ROPI: 500, ROQI: 1000 });
    assert.deepEqual([set.status, set.body.ROPI, set.body.ROQI, set.body.VEND], [200, 500, 1000, 5101]);
    const stock = await call<{ ROWS: SimBalanceRow[] }>('PUT', '/admin/inventory/FAS-1001/M10', { PQOH: 499 });
    assert.equal(stock.body.ROWS.find((r) => r.MCU === 'M10')!.PQOH, 499);
    const run = await call<{ ORDERS: SimPurchaseOrder[] }>('POST', '/admin/replenishment', { LITM: 'FAS-1001', MCU: 'M10' });
    assert.deepEqual(run.body.ORDERS.map((o) => [o.ORIG, o.LTTR, o.LINES[0]!.UORG, o.LINES[0]!.UOM]), [['R', 280, 10, 'BX']]);
    assert.deepEqual((await call<{ ORDERS: SimPurchaseOrder[] }>('POST', '/admin/replenishment', { LITM: 'FAS-1001', MCU: 'M10' })).body.ORDERS, []);

    const settings = await call<{ autoReplenish: boolean; autoApprovePurchaseOrders: boolean }>('PUT', '/admin/settings', { autoReplenish: true, autoApprovePurchaseOrders: false });
    assert.deepEqual([settings.body.autoReplenish, settings.body.autoApprovePurchaseOrders], [true, false]);
    await call('POST', '/orders', { AN8: 4242, VR01: 'R', LINES: [{ LITM: 'FAS-1007', UORG: 1 }] });
    const created = (await call<{ ORDERS: SimPurchaseOrder[] }>('GET', '/purchase-orders?ORIG=R&LITM=FAS-1007')).body.ORDERS;
    assert.deepEqual(created.map((o) => [o.MCU, o.LTTR]), [['M10', 220]], 'entered, waiting for approval');

    await expectRefusals([
      ['PUT', '/admin/item-branches/NOPE/M10', { ROPI: 1 }, 404, 'ITM001', 'LITM'],
      ['PUT', '/admin/item-branches/FAS-1001/M10', { ROPI: -1 }, 400, 'VAL001', 'ROPI'],
      ['PUT', '/admin/item-branches/FAS-1001/M10', { VEND: 5102 }, 422, 'SUP002', 'VEND'],
      ['PUT', '/admin/item-branches/FAS-1001/M10', { ROPX: 1 }, 400, 'VAL001'],
      ['PUT', '/admin/inventory/FAS-1001/X9', { PQOH: 1 }, 422, 'MCU001', 'MCU'],
      ['PUT', '/admin/inventory/FAS-1001/M10', { PQOH: 1.5 }, 400, 'VAL001', 'PQOH'],
      ['POST', '/admin/replenishment', { LITM: 'FAS-1001', extra: 1 }, 400, 'VAL001'],
      ['PUT', '/admin/settings', { autoReplenish: 'yes' }, 400, 'VAL001', 'autoReplenish'],
    ]);
  });
});
