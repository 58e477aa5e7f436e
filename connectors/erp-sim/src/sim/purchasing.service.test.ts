import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDaysJulian, toJulian } from '../wire/julian-date.js';
import { simPurchaseStatus as S, type SimPurchaseOrder } from '../wire/sim-purchasing.types.js';
import { ErpSimEngine, type ErpSimEngineOptions } from './erp-engine.service.js';
import { SimError } from './sim.errors.js';

const today = () => toJulian(new Date());

/** Asserts that `fn` throws the simulator error `code` with HTTP `status` (and `field` when given). */
function refuses(fn: () => unknown, status: number, code: string, field?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SimError, String(e));
    assert.deepEqual([e.status, e.code], [status, code], e.message);
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

function engine(options: ErpSimEngineOptions = {}): ErpSimEngine {
  return new ErpSimEngine({ seed: 1, autoReplenish: false, ...options });
}

/** An approved purchase order of supplier 5101 (fasteners, bought in boxes) at branch M10. */
function approvedPo(e: ErpSimEngine, lines: Array<{ LITM: string; UORG: number }>, an8 = 5101, mcu = 'M10'): SimPurchaseOrder {
  const { order } = e.purchasing.createPurchaseOrder({ AN8: an8, MCU: mcu, LINES: lines });
  return e.purchasing.approvePurchaseOrder(order.DOCO);
}

const balance = (e: ErpSimEngine, litm: string, mcu = 'M10') => e.listBalances({ LITM: litm, MCU: mcu }).ROWS[0]!;
/** Change feed records after `after` as `TYP KEY` (document keys already start with their type). */
const changeKeys = (e: ErpSimEngine, after: number) => e.changesAfter(after, 1000).CHANGES.map((c) => (c.KEY.startsWith(`${c.TYP} `) ? c.KEY : `${c.TYP} ${c.KEY}`));

describe('purchase orders', () => {
  test('buyer entry (220) with catalog units and costs, idempotent on EXTREF; approval (280) makes it inbound supply', () => {
    const e = engine();
    const catalog = e.purchasing.listSupplierItems({ AN8: 5102, LITM: 'PLB-1001' }).ROWS[0]!;
    const { order, created } = e.purchasing.createPurchaseOrder({
      AN8: 5102, MCU: 'M20', EXTREF: 'buyer-po-1', BUYR: 'Jo Buyer',
      LINES: [{ LITM: 'PLB-1001', UORG: 4 }, { LITM: 'PLB-1005', UORG: 2, UOM: 'EA', PRRC: '50' }],
    });
    assert.equal(created, true);
    assert.deepEqual([order.DCTO, order.ORIG, order.LTTR, order.NXTR, order.APRJ, order.RVNO], ['OP', 'B', S.entered, S.approved, 0, 0]);
    assert.deepEqual([order.SNDM, order.CRCD, order.PTC, order.ALPH], ['W', 'USD', 'N45', 'Great Lakes Plumbing Supply Co.']);
    assert.equal(order.DRQJ, addDaysJulian(today(), 7), 'requested date = today + the supplier lead time');
    assert.deepEqual([order.LINES[0]!.UOM, order.LINES[0]!.PRRC, order.LINES[0]!.VITM], [catalog.UOM, catalog.PRRC, catalog.VITM]);
    assert.deepEqual([order.LINES[1]!.UOM, order.LINES[1]!.PRRC], ['EA', '50.0000']);
    assert.equal(order.OTOT, (Number(catalog.PRRC) * 4 + 100).toFixed(2));
    assert.equal(order.SHTO.ALPH, 'Dallas Distribution Center');

    const again = e.purchasing.createPurchaseOrder({ AN8: 5102, MCU: 'M20', EXTREF: 'buyer-po-1', LINES: [{ LITM: 'PLB-1002', UORG: 9 }] });
    assert.deepEqual([again.created, again.order.DOCO, again.order.LINES.length], [false, order.DOCO, 2]);

    assert.deepEqual([balance(e, 'PLB-1001', 'M20').PQOO, balance(e, 'PLB-1001', 'M20').INBD], [100, []], 'on order, but not inbound until approved');
    const approved = e.purchasing.approvePurchaseOrder(order.DOCO);
    assert.deepEqual([approved.LTTR, approved.APRJ], [S.approved, today()]);
    assert.deepEqual(balance(e, 'PLB-1001', 'M20').INBD, [{ TYP: 'PO', DOCO: order.DOCO, LNID: '1.000', QTY: 100, DATE: order.DRQJ, ACK: 'N' }]);
    assert.equal(e.purchasing.approvePurchaseOrder(order.DOCO).APRJ, approved.APRJ, 'approving twice changes nothing');
  });

  test('entry refuses a non-supplier, an item the supplier does not sell, an obsolete item and an unknown unit', () => {
    const e = engine();
    refuses(() => e.purchasing.createPurchaseOrder({ AN8: 4242, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }), 422, 'SUP001', 'AN8');
    refuses(() => e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'PLB-1001', UORG: 1 }] }), 422, 'SUP002', 'LINES.0.LITM');
    refuses(() => e.purchasing.createPurchaseOrder({ AN8: 5105, MCU: 'M10', LINES: [{ LITM: 'JAN-1012', UORG: 1 }] }), 422, 'ITM002', 'LINES.0.LITM');
    refuses(() => e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1, UOM: 'GA' }] }), 422, 'ITM003', 'LINES.0.UOM');
    refuses(() => e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'X9', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }), 422, 'MCU001', 'MCU');
    assert.equal(e.stats().purchaseOrders, 0);
  });

  test('changes after approval raise the revision and clear the acknowledgment; acknowledgments change, backorder or reject lines', () => {
    const e = engine();
    const po = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 4 }, { LITM: 'FAS-1003', UORG: 2 }]);
    refuses(() => e.purchasing.acknowledgePurchaseOrder(e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }).order.DOCO, { LINES: [{ LNID: '1.000', ACKC: 'IA' }] }), 409, 'PST004');

    const changed = e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '1.000', UORG: 12 }, { LNID: '2.000', PRRC: '3.5' }] });
    assert.deepEqual([changed.RVNO, changed.LINES[0]!.UORG, changed.LINES[1]!.PRRC], [1, 12, '3.5000']);

    const promised = addDaysJulian(today(), 9);
    const acked = e.purchasing.acknowledgePurchaseOrder(po.DOCO, {
      LINES: [
        { LNID: '1.000', ACKC: 'IC', UORG: 11, PDDJ: promised },
        { LNID: '2.000', ACKC: 'IB', PDDJ: addDaysJulian(today(), 30) },
        { LNID: '3.000', ACKC: 'IR', ACKT: 'discontinued' },
      ],
    });
    const [l1, l2, l3] = acked.LINES;
    assert.deepEqual([l1!.ACKC, l1!.UORG, l1!.PDDJ, l1!.LTTR], ['IC', 11, promised, S.acknowledged]);
    assert.deepEqual([l2!.ACKC, l2!.LTTR], ['IB', S.acknowledged]);
    assert.deepEqual([l3!.ACKC, l3!.UCAN, l3!.LTTR, l3!.ACKT], ['IR', 2, S.cancelled, 'discontinued']);
    assert.deepEqual([acked.ACKJ, acked.LTTR, acked.RVNO], [today(), S.acknowledged, 1], 'the supplier answer is no revision of ours');
    assert.equal(balance(e, 'FAS-1001').INBD.find((i) => i.DOCO === po.DOCO)!.ACK, 'Y');

    const again = e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '1.000', DRQJ: addDaysJulian(today(), 3) }] });
    assert.deepEqual([again.RVNO, again.LINES[0]!.ACKC, again.LINES[0]!.PDDJ, again.LINES[0]!.LTTR], [2, '', 0, S.approved], 'a changed line is acknowledged again');
    const same = e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '1.000', UORG: 11 }] });
    assert.equal(same.RVNO, 2, 'a change that changes nothing is no revision');
    refuses(() => e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '3.000', UORG: 1 }] }), 409, 'PST002', 'LINES.0.LNID');
    refuses(() => e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '9.000', UORG: 1 }] }), 422, 'LIN003', 'LINES.0.LNID');
    refuses(() => e.purchasing.changePurchaseOrder(999_999, { LINES: [{ LNID: '1.000', UORG: 1 }] }), 404, 'DOC002');
  });

  test('no change after receipt or below what is in transit; cancel keeps what was received and refuses while goods are in transit', () => {
    const e = engine();
    const po = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 5 }, { LITM: 'FAS-1002', UORG: 4 }]);
    e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'SN-1', LINES: [{ DOCO: po.DOCO, LNID: '2.000', QTY: 2 }] });
    refuses(() => e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '2.000', UORG: 1 }] }), 409, 'PST003', 'LINES.0.UORG');
    refuses(() => e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '2.000', UORG: 0 }] }), 409, 'PST003');
    refuses(() => e.purchasing.cancelPurchaseOrder(po.DOCO, {}), 409, 'PST003');

    e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-1', LINES: [{ LNID: '1.000', UREC: 2 }] });
    refuses(() => e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '1.000', UORG: 6 }] }), 409, 'PST001', 'LINES.0.LNID');
    const zero = e.purchasing.changePurchaseOrder(po.DOCO, { LINES: [{ LNID: '2.000', UORG: 2 }] });
    assert.equal(zero.LINES[1]!.UORG, 2, 'down to what is in transit is fine');

    e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'SN-1', PURP: '01', LINES: [] });
    const { order: cancelled, changed } = e.purchasing.cancelPurchaseOrder(po.DOCO, { RSTX: 'supplier cannot deliver' });
    assert.equal(changed, true);
    assert.deepEqual(cancelled.LINES.map((l) => [l.UORG, l.UREC, l.UCAN, l.LTTR]), [[5, 2, 3, S.received], [2, 0, 2, S.cancelled]]);
    assert.deepEqual([cancelled.RCCD, cancelled.RSTX, cancelled.LTTR], ['CX', 'supplier cannot deliver', S.received]);
    assert.equal(e.purchasing.cancelPurchaseOrder(po.DOCO, {}).changed, false, 'cancelling twice changes nothing');
    assert.equal(balance(e, 'FAS-1002').PQOO, 0, 'nothing is on order any more');

    const full = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 1 }]);
    e.purchasing.receivePurchaseOrder(full.DOCO, { RCTREF: 'rct-2', LINES: [{ LNID: '1.000', UREC: 1 }] });
    refuses(() => e.purchasing.cancelPurchaseOrder(full.DOCO, {}), 409, 'PST001');
    const gone = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 1 }]);
    assert.equal(e.purchasing.cancelPurchaseOrder(gone.DOCO, {}).order.LTTR, S.cancelled);
    refuses(() => e.purchasing.approvePurchaseOrder(gone.DOCO), 409, 'PST002');
    refuses(() => e.purchasing.changePurchaseOrder(gone.DOCO, { LINES: [{ LNID: '1.000', UORG: 2 }] }), 409, 'PST002');
  });
});

describe('expected receipts', () => {
  test('a ship notice is in-transit supply on the line and the balance; original is idempotent, over-shipment refused, replace and cancel', () => {
    const e = engine();
    const po = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 10 }]);
    const exdj = addDaysJulian(today(), 3);
    const first = e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-7', ASNREF: 'asn_ref', EXDJ: exdj, CARS: 'FDEG', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 4 }] });
    assert.deepEqual([first.created, first.expected.STS, first.expected.SHPJ, first.expected.EXDJ], [true, 'A', today(), exdj]);
    const again = e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-7', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 9 }] });
    assert.deepEqual([again.created, again.expected.ERN, again.expected.LINES[0]!.QTY], [false, first.expected.ERN, 4]);

    const line = e.purchasing.getPurchaseOrder(po.DOCO).LINES[0]!;
    assert.deepEqual([line.UITR, line.EXDJ, line.LTTR], [4, exdj, S.inTransit]);
    const row = balance(e, 'FAS-1001');
    assert.deepEqual([row.PQOO, row.PQIT], [1000, 400]);
    assert.deepEqual(
      row.INBD.filter((i) => i.DOCO === po.DOCO).map((i) => [i.TYP, i.QTY, i.DATE]),
      [['PO', 600, po.LINES[0]!.DRQJ], ['ASN', 400, exdj]],
    );

    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-8', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 7 }] }), 422, 'ASN002', 'LINES.0.QTY');
    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-8', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 150, UOM: 'EA' }] }), 422, 'ITM005', 'LINES.0.QTY');
    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5106, VASN: 'ASN-8', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 1 }] }), 422, 'SUP003', 'LINES.0.DOCO');
    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'NOPE', PURP: '01', LINES: [] }), 404, 'ASN001');
    const packs = e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-8', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 200, UOM: 'EA' }, { DOCO: po.DOCO, LNID: '1.000', QTY: 1 }] });
    assert.deepEqual(packs.expected.LINES.map((l) => [l.QTY, l.UOM]), [[3, 'BX']], 'lines of the same order line add up, in its unit');

    const replaced = e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-7', PURP: '05', LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 7 }] });
    assert.deepEqual([replaced.created, replaced.expected.ERN, e.purchasing.getPurchaseOrder(po.DOCO).LINES[0]!.UITR], [false, first.expected.ERN, 10]);
    const cancelled = e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-7', PURP: '01', LINES: [] });
    assert.deepEqual([cancelled.expected.STS, e.purchasing.getPurchaseOrder(po.DOCO).LINES[0]!.UITR], ['C', 3]);

    e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'r-asn8', VASN: 'ASN-8', LINES: [{ LNID: '1.000', UREC: 3 }] });
    assert.equal(e.purchasing.getExpectedReceipt(packs.expected.ERN).STS, 'R');
    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-8', PURP: '01', LINES: [] }), 409, 'ASN003', 'VASN');
    refuses(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'ASN-9', LINES: [{ DOCO: e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }).order.DOCO, LNID: '1.000', QTY: 1 }] }), 409, 'PST004');
  });
});

describe('receipts', () => {
  test('a receipt stocks the branch and fills sales backorders oldest first; over-receipt is refused; the same reference is recorded once', () => {
    const e = engine();
    const first = e.createOrder({ AN8: 4242, VR01: 'BO-1', LINES: [{ LITM: 'FAS-1007', UORG: 150 }] }).order;
    const second = e.createOrder({ AN8: 4243, VR01: 'BO-2', LINES: [{ LITM: 'FAS-1007', UORG: 100, MCU: 'M10' }] }).order;
    assert.deepEqual([first.LINES[0]!.SOBK, second.LINES[0]!.SOBK], [150, 100]);
    const po = approvedPo(e, [{ LITM: 'FAS-1007', UORG: 3 }]);
    const seq = e.stats().lastSeq;

    const { receipt, order, created } = e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-a', LINES: [{ LNID: '1.000', UREC: 2, UREJ: 1, LOTN: 'L-77' }] });
    assert.equal(created, true);
    assert.deepEqual([receipt.DCT, receipt.MCU, receipt.LINES[0]], ['OV', 'M10', { LNID: '1.000', LITM: 'FAS-1007', UOM: 'BX', UREC: 2, UREJ: 1, LOTN: 'L-77' }]);
    assert.deepEqual([order.LINES[0]!.UREC, order.LINES[0]!.UREJ, order.LINES[0]!.LTTR], [2, 1, S.partiallyReceived]);
    assert.equal(balance(e, 'FAS-1007').PQOH, 200, 'refused (damaged) goods are not stocked');
    assert.deepEqual([e.getOrder(first.DOCO).LINES[0]!.QCOM, e.getOrder(first.DOCO).LINES[0]!.SOBK], [150, 0]);
    assert.deepEqual([e.getOrder(second.DOCO).LINES[0]!.QCOM, e.getOrder(second.DOCO).LINES[0]!.SOBK], [50, 50]);
    assert.deepEqual(changeKeys(e, seq), [`SO ${first.DOCO}`, `SO ${second.DOCO}`, `OP ${po.DOCO}`, 'IV FAS-1007', `OV ${receipt.RCTN}`]);

    refuses(() => e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-b', LINES: [{ LNID: '1.000', UREC: 2 }] }), 422, 'RCV002', 'LINES.0.UREC');
    refuses(() => e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-b', LINES: [{ LNID: '1.000', UREC: 101, UOM: 'EA' }] }), 422, 'ITM005', 'LINES.0.UREC');
    refuses(() => e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-b', LINES: [{ LNID: '1.000', UREC: 0 }] }), 422, 'RCV003', 'LINES');
    refuses(() => e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-b', MCU: 'M20', LINES: [{ LNID: '1.000', UREC: 1 }] }), 422, 'MCU002', 'MCU');
    const repeat = e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-a', LINES: [{ LNID: '1.000', UREC: 1 }] });
    assert.deepEqual([repeat.created, repeat.receipt.RCTN, balance(e, 'FAS-1007').PQOH], [false, receipt.RCTN, 200], 'the same receipt reference is recorded once');
    const other = approvedPo(e, [{ LITM: 'FAS-1007', UORG: 1 }]);
    refuses(() => e.purchasing.receivePurchaseOrder(other.DOCO, { RCTREF: 'rct-a', LINES: [{ LNID: '1.000', UREC: 1 }] }), 409, 'RCV004', 'RCTREF');

    const rest = e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'rct-c', LINES: [{ LNID: '1.000', UREC: 100, UOM: 'EA' }] });
    assert.deepEqual([rest.order.LINES[0]!.UREC, rest.order.LINES[0]!.LTTR, rest.order.LTTR], [3, S.received, S.received]);
    assert.equal(e.getOrder(second.DOCO).LINES[0]!.SOBK, 0, 'the second backorder is filled too');
    assert.equal(e.stats().receipts, 2);
    refuses(() => e.purchasing.receivePurchaseOrder(e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 1 }] }).order.DOCO, { RCTREF: 'rct-d', LINES: [{ LNID: '1.000', UREC: 1 }] }), 409, 'PST004');
  });
});

describe('supplier invoices', () => {
  test('a voucher bills purchase order lines; a duplicate invoice number is reported, not stored twice; the match decision closes the order', () => {
    const e = engine();
    const po = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 10 }, { LITM: 'FAS-1002', UORG: 2 }]);
    e.purchasing.receivePurchaseOrder(po.DOCO, { RCTREF: 'r1', LINES: [{ LNID: '1.000', UREC: 10 }, { LNID: '2.000', UREC: 2 }] });
    const [l1, l2] = po.LINES;
    const input = {
      AN8: 5101, VINV: 'MF-INV-100', INVREF: 'inv_hub_1', DIVJ: today(), STAM: '1.25', FRTA: '10.00',
      LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 10, UPRC: l1!.PRRC }, { DOCO: po.DOCO, LITM: 'FAS-1002', QTY: 2, UPRC: l2!.PRRC }],
    };
    const { voucher, created } = e.purchasing.recordVoucher(input);
    assert.equal(created, true);
    assert.deepEqual([voucher.DCT, voucher.PST, voucher.MTCH, voucher.PTC, voucher.DDJ, voucher.CRCD], ['PV', 'H', 'P', 'N30', addDaysJulian(today(), 30), 'USD']);
    assert.deepEqual(voucher.LINES.map((l) => [l.LNID, l.OLNID, l.QTY]), [['1.000', '1.000', 10], ['2.000', '2.000', 2]]);
    const cents = (s: string) => Math.round(Number(s) * 100);
    assert.equal(cents(voucher.AG), cents(voucher.AEXP) + 125 + 1000);
    assert.equal(voucher.AEXP, po.OTOT);
    let current = e.purchasing.getPurchaseOrder(po.DOCO);
    assert.deepEqual([current.LINES[0]!.UVCH, current.LINES[0]!.LTTR, current.MTST], [10, S.vouchered, 'P']);

    const duplicate = e.purchasing.recordVoucher({ ...input, LINES: [{ DOCO: po.DOCO, LNID: '1.000', QTY: 1, UPRC: '1.00' }] });
    assert.deepEqual([duplicate.created, duplicate.voucher.DOC, duplicate.voucher.AG], [false, voucher.DOC, voucher.AG]);
    assert.deepEqual([e.stats().vouchers, e.stats().duplicateSupplierInvoices], [1, 1]);

    refuses(() => e.purchasing.recordVoucher({ ...input, VINV: 'X-1', CRCD: 'CAD' }), 422, 'AP002', 'CRCD');
    refuses(() => e.purchasing.recordVoucher({ ...input, VINV: 'X-1', AN8: 5106 }), 422, 'SUP003', 'LINES.0.DOCO');
    refuses(() => e.purchasing.recordVoucher({ ...input, VINV: 'X-1', LINES: [{ DOCO: po.DOCO, LITM: 'FAS-1009', QTY: 1, UPRC: '1' }] }), 422, 'LIN004', 'LINES.0.LITM');
    refuses(() => e.purchasing.recordVoucher({ ...input, VINV: 'X-1', LINES: [{ DOCO: 1, LNID: '1.000', QTY: 1, UPRC: '1' }] }), 422, 'DOC003', 'LINES.0.DOCO');
    refuses(() => e.purchasing.recordVoucher({ ...input, VINV: 'X-1', DDJ: addDaysJulian(today(), -1) }), 422, 'AP005', 'DDJ');
    const allied = approvedPo(e, [{ LITM: 'FAS-1001', UORG: 5 }], 5106);
    const sameNumber = e.purchasing.recordVoucher({ AN8: 5106, VINV: 'MF-INV-100', DIVJ: today(), LINES: [{ DOCO: allied.DOCO, LNID: '1.000', QTY: 5, UPRC: '0.05' }] });
    assert.equal(sameNumber.created, true, 'invoice numbers are unique per supplier');

    refuses(() => e.purchasing.decideMatch(voucher.DOC, { MTCH: 'D' }), 400, 'VAL001', 'HRSN');
    const disputed = e.purchasing.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'price over PO' });
    assert.deepEqual([disputed.changed, disputed.voucher.MTCH, disputed.voucher.PST, disputed.voucher.HRSN, disputed.voucher.MTCJ], [true, 'D', 'H', 'price over PO', today()]);
    current = e.purchasing.getPurchaseOrder(po.DOCO);
    assert.deepEqual([current.MTST, current.LINES[0]!.UVCH, current.LINES[0]!.LTTR], ['D', 0, S.received], 'a disputed invoice does not count as invoiced');
    assert.equal(e.purchasing.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'price over PO' }).changed, false);

    const approved = e.purchasing.decideMatch(voucher.DOC, { MTCH: 'A' });
    assert.deepEqual([approved.voucher.MTCH, approved.voucher.PST, approved.voucher.HRSN], ['A', 'A', undefined]);
    current = e.purchasing.getPurchaseOrder(po.DOCO);
    assert.deepEqual([current.MTST, current.LTTR, current.LINES.map((l) => l.LTTR), current.CLSJ], ['A', S.closed, [S.closed, S.closed], today()]);
    refuses(() => e.purchasing.decideMatch(voucher.DOC, { MTCH: 'D', HRSN: 'too late' }), 409, 'AP003', 'MTCH');
    assert.equal(e.purchasing.decideMatch(voucher.DOC, { MTCH: 'A' }).changed, false);
    refuses(() => e.purchasing.decideMatch(1, { MTCH: 'A' }), 404, 'AP001');
  });
});

describe('replenishment', () => {
  test('crossing the reorder point creates exactly one approved purchase order, not again while it is open, again once it is received', () => {
    const e = engine({ autoReplenish: true });
    const params = e.purchasing.listItemBranches({ LITM: 'FAS-1001', MCU: 'M10' }).ROWS[0]!;
    assert.ok(params.ROPI > 0 && params.ROQI > 0 && params.VEND === 5101);
    e.setStock({ LITM: 'FAS-1001', MCU: 'M10', PQOH: params.ROPI + 10 });
    const seq = e.stats().lastSeq;
    e.createOrder({ AN8: 4242, VR01: 'R-1', LINES: [{ LITM: 'FAS-1001', UORG: 10 }] });
    assert.equal(e.stats().purchaseOrders, 0, 'at the reorder point: nothing yet');

    const crossing = e.createOrder({ AN8: 4242, VR01: 'R-2', LINES: [{ LITM: 'FAS-1001', UORG: 5 }] }).order;
    const [po, ...more] = e.purchasing.listPurchaseOrders({}).ORDERS;
    assert.equal(more.length, 0);
    assert.deepEqual([po!.ORIG, po!.AN8, po!.MCU, po!.LTTR, po!.BUYR], ['R', 5101, 'M10', S.approved, 'REORDER POINT']);
    assert.deepEqual([po!.LINES[0]!.LITM, po!.LINES[0]!.UOM, po!.LINES[0]!.UORG * 100], ['FAS-1001', 'BX', params.ROQI], 'the reorder quantity in purchasing units');
    assert.equal(po!.DRQJ, addDaysJulian(today(), 5), 'due after the supplier lead time');
    assert.deepEqual(changeKeys(e, seq).slice(-3), [`SO ${crossing.DOCO}`, `OP ${po!.DOCO}`, 'IV FAS-1001'], 'in the transaction of the allocation');

    const third = e.createOrder({ AN8: 4242, VR01: 'R-3', LINES: [{ LITM: 'FAS-1001', UORG: 20 }] }).order;
    e.confirmShipment(third.DOCO, { SHPREF: 'shp-r3', CARS: 'UPSN', TRKN: '1Z', LINES: [{ LNID: '1.000', SOQS: 20 }] });
    assert.equal(e.stats().purchaseOrders, 1, 'not again while the first is open');
    assert.equal(e.stats().replenishmentOrders, 1);

    e.purchasing.receivePurchaseOrder(po!.DOCO, { RCTREF: 'rpl-1', LINES: [{ LNID: '1.000', UREC: po!.LINES[0]!.UORG }] });
    const b = balance(e, 'FAS-1001');
    e.createOrder({ AN8: 4242, VR01: 'R-4', LINES: [{ LITM: 'FAS-1001', UORG: b.PQOH - b.PCOM - params.ROPI + 1 }] });
    const all = e.purchasing.listPurchaseOrders({ ORIG: 'R' }).ORDERS;
    assert.equal(all.length, 2, 'received: the next crossing orders again');
    assert.equal(e.purchasing.listPurchaseOrders({ ORIG: 'R', LITM: 'FAS-1001' }).ORDERS.length, 2);
  });

  test('backorders count against availability and the shortfall is ordered in multiples of the reorder quantity; approval can be left to the buyer', () => {
    const e = engine({ autoReplenish: true, autoApprovePurchaseOrders: false });
    e.purchasing.setItemBranch('FAS-1007', 'M10', { ROPI: 100, ROQI: 200, VEND: 5106 });
    e.createOrder({ AN8: 4242, VR01: 'BIG', LINES: [{ LITM: 'FAS-1007', UORG: 450 }] });
    const [po] = e.purchasing.listPurchaseOrders({ ORIG: 'R' }).ORDERS;
    assert.deepEqual([po!.AN8, po!.LTTR, po!.APRJ, po!.LINES[0]!.UOM, po!.LINES[0]!.UORG], [5106, S.entered, 0, 'EA', 600], '-450 to 100 needs 550: three times 200');
    assert.match(po!.HDTX ?? '', /projected -450 EA .* below reorder point 100; ordered 600 EA/);
    e.createOrder({ AN8: 4242, VR01: 'MORE', LINES: [{ LITM: 'FAS-1007', UORG: 1000 }] });
    assert.equal(e.stats().replenishmentOrders, 1, 'an entered replenishment order is open too');
    refuses(() => e.purchasing.setItemBranch('FAS-1007', 'M10', { VEND: 5102 }), 422, 'SUP002', 'VEND');
    refuses(() => e.purchasing.setItemBranch('FAS-1007', 'M10', { VEND: 4242 }), 422, 'SUP001', 'VEND');
  });

  test('without automatic replenishment nothing is ordered until the run is asked for; the run orders once per item and branch', () => {
    const e = engine();
    e.createOrder({ AN8: 4242, VR01: 'BO', LINES: [{ LITM: 'FAS-1007', UORG: 5 }] });
    assert.equal(e.stats().purchaseOrders, 0);
    const created = e.purchasing.replenish({ LITM: 'FAS-1007' });
    assert.deepEqual(created.map((o) => [o.MCU, o.ORIG, o.LINES[0]!.LITM]), [['M10', 'R', 'FAS-1007'], ['M20', 'R', 'FAS-1007']], 'both branches are below (nothing on hand)');
    assert.deepEqual(e.purchasing.replenish({ LITM: 'FAS-1007' }), []);
    const everything = e.purchasing.replenish({});
    assert.ok(everything.length > 5, 'the short items of the seed are reordered');
    assert.ok(everything.every((o) => o.LINES.every((l) => e.purchasing.listItemBranches({ LITM: l.LITM, MCU: o.MCU }).ROWS[0]!.VEND === o.AN8)), 'from the primary supplier');
  });
});

describe('change feed', () => {
  test('purchase orders (OP), receipts (OV) and vouchers (PV) appear in transaction order with item balances', () => {
    const e = engine();
    const step = (fn: () => void) => {
      const seq = e.stats().lastSeq;
      fn();
      return changeKeys(e, seq).map((k) => k.replace(/\d+/g, 'n'));
    };
    let doco = 0;
    assert.deepEqual(step(() => (doco = e.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 2 }] }).order.DOCO)), ['OP n', 'IV FAS-n']);
    assert.deepEqual(step(() => e.purchasing.approvePurchaseOrder(doco)), ['OP n', 'IV FAS-n']);
    assert.deepEqual(step(() => e.purchasing.acknowledgePurchaseOrder(doco, { LINES: [{ LNID: '1.000', ACKC: 'IA' }] })), ['OP n', 'IV FAS-n']);
    assert.deepEqual(step(() => e.purchasing.recordExpectedReceipt({ AN8: 5101, VASN: 'F-1', LINES: [{ DOCO: doco, LNID: '1.000', QTY: 2 }] })), ['OP n', 'IV FAS-n']);
    assert.deepEqual(step(() => e.purchasing.receivePurchaseOrder(doco, { RCTREF: 'f-r', LINES: [{ LNID: '1.000', UREC: 2 }] })), ['OP n', 'IV FAS-n', 'OV n']);
    let doc = 0;
    assert.deepEqual(step(() => (doc = e.purchasing.recordVoucher({ AN8: 5101, VINV: 'F-I', DIVJ: today(), LINES: [{ DOCO: doco, LNID: '1.000', QTY: 2, UPRC: '1' }] }).voucher.DOC)), ['OP n', 'PV n']);
    assert.deepEqual(step(() => e.purchasing.decideMatch(doc, { MTCH: 'A' })), ['OP n', 'PV n']);
    assert.deepEqual(step(() => e.purchasing.recordVoucher({ AN8: 5101, VINV: 'F-I', DIVJ: today(), LINES: [{ DOCO: doco, LNID: '1.000', QTY: 2, UPRC: '1' }] })), [], 'a duplicate changes nothing');
    const last = e.changesAfter(e.stats().lastSeq - 2, 1).CHANGES[0]!;
    assert.ok(last.TYP === 'OP' && last.DATA.LTTR === S.closed && last.DATA.CLSJ === today());
  });
});
