import { addDaysJulian, toTimeOfDay } from '../wire/julian-date.js';
import { formatLnid, parseLnid } from '../wire/line-number.js';
import {
  simPurchaseStatus,
  type SimAckCode,
  type SimExpectedReceipt,
  type SimExpectedReceiptLine,
  type SimInboundRow,
  type SimItemBranchRow,
  type SimMatchStatus,
  type SimNameAddress,
  type SimPurchaseOrder,
  type SimPurchaseOrderLine,
  type SimPurchaseOrigin,
  type SimPurchaseStatusCode,
  type SimReceipt,
  type SimReceiptLine,
  type SimSupplierItemRow,
  type SimVoucher,
  type SimVoucherLine,
} from '../wire/sim-purchasing.types.js';
import type {
  JulianDate,
  SimAddressRow,
  SimBalanceRow,
  SimCompany,
  SimItemRow,
  SimPaymentTerms,
  SimRowsPage,
  SimUom,
  TimeOfDay,
} from '../wire/sim-wire.types.js';
import type { SimMasterData } from './master-data.seed.js';
import { formatUnits, toUnits } from './sim-amount.js';
import { lineNumbering } from './line-numbering.js';
import { SimError } from './sim.errors.js';

/** What the purchasing book uses of the engine it belongs to: its clock, transactions, master data, stock and backorders. */
export interface PurchasingKernel {
  now(): Date;
  today(): JulianDate;
  /** Runs `fn` as (part of) one engine transaction: changes are stamped and appear on the change feed together. */
  transact<T>(fn: () => T): T;
  /** Approve purchase orders created by replenishment at once. */
  autoApprove(): boolean;
  company(): SimCompany;
  address(an8: number): SimAddressRow | undefined;
  terms(ptc: string): SimPaymentTerms | undefined;
  item(litm: string): SimItemRow | undefined;
  /** Primary units per one `uom` of the item; undefined when the item has no such unit. */
  factor(item: SimItemRow, uom: string): number | undefined;
  /** Throws 422 `MCU001` when the branch/plant does not exist. */
  branchOr422(mcu: string, field: string): void;
  /** The balance row of an item at a branch (created empty when missing). */
  balance(litm: string, mcu: string): SimBalanceRow;
  touchBalance(row: SimBalanceRow): void;
  /** Allocates stock of the item at the branch to waiting sales backorders, oldest order first. */
  fillBackorders(litm: string, mcu: string): void;
  touchPurchaseOrder(doco: number): void;
  /** Appends a receipt or voucher to the change feed of the transaction. */
  addDocument(doc: { TYP: 'OV'; receipt: SimReceipt } | { TYP: 'PV'; voucher: SimVoucher }): void;
}

/** Buyer entry of a purchase order (already shape-checked): quantities are positive whole numbers. */
export interface SimPurchaseOrderInput {
  KCOO?: string | undefined;
  AN8: number;
  MCU: string;
  EXTREF?: string | undefined;
  DRQJ?: JulianDate | undefined;
  BUYR?: string | undefined;
  HDTX?: string | undefined;
  LINES: Array<{ LNID?: string | undefined; LITM: string; UORG: number; UOM?: string | undefined; PRRC?: string | undefined; DRQJ?: JulianDate | undefined }>;
}

/** Purchase order change (already shape-checked): per line a new quantity (0 cancels), cost or requested date. */
export interface SimPurchaseOrderChangeInput {
  LINES: Array<{ LNID: string; UORG?: number | undefined; PRRC?: string | undefined; DRQJ?: JulianDate | undefined }>;
}

/** The supplier's acknowledgment as the hub accepted it (already shape-checked). */
export interface SimAcknowledgmentInput {
  LINES: Array<{ LNID: string; ACKC: Exclude<SimAckCode, ''>; UORG?: number | undefined; PRRC?: string | undefined; PDDJ?: JulianDate | undefined; ACKT?: string | undefined }>;
}

/** A supplier ship notice to record as an expected receipt (already shape-checked). */
export interface SimExpectedReceiptInput {
  AN8: number;
  VASN: string;
  PURP?: '00' | '05' | '01' | undefined;
  ASNREF?: string | undefined;
  SHPJ?: JulianDate | undefined;
  EXDJ?: JulianDate | undefined;
  CARS?: string | undefined;
  TRKN?: string | undefined;
  LINES: Array<{ DOCO: number; LNID: string; QTY: number; UOM?: string | undefined }>;
}

/** A receipt against a purchase order (already shape-checked). */
export interface SimReceiptInput {
  RCTREF: string;
  MCU?: string | undefined;
  RCDJ?: JulianDate | undefined;
  RCTM?: TimeOfDay | undefined;
  ERN?: number | undefined;
  VASN?: string | undefined;
  ASNREF?: string | undefined;
  LINES: Array<{ LNID: string; UREC: number; UREJ?: number | undefined; UOM?: string | undefined; LOTN?: string | undefined }>;
}

/** A supplier invoice to enter as a voucher (already shape-checked). */
export interface SimVoucherInput {
  AN8: number;
  VINV: string;
  INVREF?: string | undefined;
  DIVJ: JulianDate;
  DDJ?: JulianDate | undefined;
  CRCD?: string | undefined;
  STAM?: string | undefined;
  FRTA?: string | undefined;
  LINES: Array<{ DOCO: number; LNID?: string | undefined; LITM?: string | undefined; QTY: number; UPRC: string; UOM?: string | undefined }>;
}

/** Purchasing counts for the test harness. */
export interface PurchasingStats {
  purchaseOrders: number;
  /** Purchase orders created by reorder-point replenishment. */
  replenishmentOrders: number;
  expectedReceipts: number;
  receipts: number;
  vouchers: number;
  /** Supplier invoices sent again with a number the supplier already used (answered with the existing voucher). */
  duplicateSupplierInvoices: number;
}

const S = simPurchaseStatus;
const clone = <T>(value: T): T => structuredClone(value);
const itemKey = (litm: string, mcu: string) => `${litm}|${mcu}`;
const lineCompare = (a: { LNID: string }, b: { LNID: string }) => parseLnid(a.LNID) - parseLnid(b.LNID);
const NEXT: Record<SimPurchaseStatusCode, SimPurchaseStatusCode> = {
  [S.entered]: S.approved,
  [S.approved]: S.acknowledged,
  [S.acknowledged]: S.received,
  [S.inTransit]: S.received,
  [S.partiallyReceived]: S.received,
  [S.received]: S.vouchered,
  [S.vouchered]: S.closed,
  [S.cancelled]: S.closed,
  [S.closed]: S.closed,
};

function page<T>(rows: T[], start = 0, max = 100): SimRowsPage<T> {
  const slice = rows.slice(start, start + max);
  return { ROWS: clone(slice), NEXT: start + max < rows.length ? start + max : null };
}

/** Open quantity of a line: ordered, not received, not cancelled. */
const openOf = (line: SimPurchaseOrderLine) => Math.max(0, line.UORG - line.UCAN - line.UREC);

/**
 * The simulated ERP's purchasing: the supplier catalog and item-branch reorder points, purchase orders (entered,
 * approved, changed, acknowledged, cancelled), expected receipts from supplier ship notices, receipts that stock the
 * branch and fill sales backorders, supplier invoices as AP vouchers with the hub's match decision, and reorder-point
 * replenishment. Every public call is one engine transaction.
 */
export class ErpSimPurchasing {
  private supplierItems = new Map<string, SimSupplierItemRow>();
  private itemBranches = new Map<string, SimItemBranchRow>();
  private orders = new Map<number, SimPurchaseOrder>();
  /** Purchase orders with a line of an item at a branch (`LITM|MCU`), for the supply of a balance row. */
  private ordersByItem = new Map<string, Set<SimPurchaseOrder>>();
  private orderRefs = new Map<string, number>();
  private expected = new Map<number, SimExpectedReceipt>();
  /** Expected receipts that name an order line (`DOCO|LNID`), now or before a replacement: where to look for its supply. */
  private expectedByLine = new Map<string, Set<SimExpectedReceipt>>();
  private expectedRefs = new Map<string, number>();
  private receipts = new Map<number, SimReceipt>();
  private receiptRefs = new Map<string, number>();
  private vouchers = new Map<number, SimVoucher>();
  private voucherRefs = new Map<string, number>();
  private counters = { order: 400_000, expected: 410_000, receipt: 420_000, voucher: 200_000 };
  private duplicateInvoices = 0;

  constructor(private readonly k: PurchasingKernel) {}

  /** Throws everything away and starts from the master data's supplier catalog and item-branch parameters. */
  reset(master: SimMasterData): void {
    this.supplierItems = new Map(master.supplierItems.map((r) => [`${r.AN8}|${r.LITM}`, r]));
    this.itemBranches = new Map(master.itemBranches.map((r) => [itemKey(r.LITM, r.MCU), r]));
    this.orders = new Map();
    this.ordersByItem = new Map();
    this.orderRefs = new Map();
    this.expected = new Map();
    this.expectedByLine = new Map();
    this.expectedRefs = new Map();
    this.receipts = new Map();
    this.receiptRefs = new Map();
    this.vouchers = new Map();
    this.voucherRefs = new Map();
    this.counters = { order: 400_000, expected: 410_000, receipt: 420_000, voucher: 200_000 };
    this.duplicateInvoices = 0;
  }

  // ---------------------------------------------------------------- supplier catalog and replenishment parameters

  /** Supplier catalog rows, optionally of one supplier or item. */
  listSupplierItems(query: { AN8?: number | undefined; LITM?: string | undefined; start?: number | undefined; max?: number | undefined }): SimRowsPage<SimSupplierItemRow> {
    const rows = [...this.supplierItems.values()].filter((r) => (query.AN8 === undefined || r.AN8 === query.AN8) && (!query.LITM || r.LITM === query.LITM));
    return page(rows, query.start, query.max);
  }

  /** Adds catalog rows of new suppliers (generated suppliers); a row of a supplier and item already there is kept. */
  addSupplierItems(rows: readonly SimSupplierItemRow[]): void {
    for (const r of rows) if (!this.supplierItems.has(`${r.AN8}|${r.LITM}`)) this.supplierItems.set(`${r.AN8}|${r.LITM}`, clone(r));
  }

  /** Item-branch replenishment parameters, optionally of one item or branch. */
  listItemBranches(query: { LITM?: string | undefined; MCU?: string | undefined; start?: number | undefined; max?: number | undefined }): SimRowsPage<SimItemBranchRow> {
    const rows = [...this.itemBranches.values()].filter((r) => (!query.LITM || r.LITM === query.LITM) && (!query.MCU || r.MCU === query.MCU));
    return page(rows, query.start, query.max);
  }

  /** Changes an item's reorder point, reorder quantity or primary supplier at a branch (admin). */
  setItemBranch(litm: string, mcu: string, change: { ROPI?: number | undefined; ROQI?: number | undefined; VEND?: number | undefined }): SimItemBranchRow {
    return clone(
      this.k.transact(() => {
        const item = this.k.item(litm);
        if (!item) throw new SimError(404, 'ITM001', `item ${litm} is not in the item master`, 'LITM');
        this.k.branchOr422(mcu, 'MCU');
        if (change.VEND !== undefined) {
          this.supplierOr422(change.VEND, 'VEND');
          if (!this.supplierItems.has(`${change.VEND}|${litm}`)) throw new SimError(422, 'SUP002', `supplier ${change.VEND} does not sell item ${litm}`, 'VEND');
        }
        const key = itemKey(litm, mcu);
        const row = this.itemBranches.get(key) ?? { LITM: litm, MCU: mcu, ROPI: 0, ROQI: 0, VEND: change.VEND ?? 0, UPMJ: 0, TDAY: 0 };
        if (change.ROPI !== undefined) row.ROPI = change.ROPI;
        if (change.ROQI !== undefined) row.ROQI = change.ROQI;
        if (change.VEND !== undefined) row.VEND = change.VEND;
        row.UPMJ = this.k.today();
        row.TDAY = toTimeOfDay(this.k.now());
        this.itemBranches.set(key, row);
        return row;
      }),
    );
  }

  // ---------------------------------------------------------------- purchase orders

  /** Purchase orders, oldest first, optionally filtered; paged with `start` / `max`. */
  listPurchaseOrders(query: {
    DOCO?: number | undefined;
    EXTREF?: string | undefined;
    AN8?: number | undefined;
    ORIG?: SimPurchaseOrigin | undefined;
    LITM?: string | undefined;
    MCU?: string | undefined;
    start?: number | undefined;
    max?: number | undefined;
  }): { ORDERS: SimPurchaseOrder[]; NEXT: number | null } {
    const rows = [...this.orders.values()].filter(
      (o) =>
        (query.DOCO === undefined || o.DOCO === query.DOCO) &&
        (query.EXTREF === undefined || o.EXTREF === query.EXTREF) &&
        (query.AN8 === undefined || o.AN8 === query.AN8) &&
        (query.ORIG === undefined || o.ORIG === query.ORIG) &&
        (query.MCU === undefined || o.MCU === query.MCU) &&
        (query.LITM === undefined || o.LINES.some((l) => l.LITM === query.LITM)),
    );
    const { ROWS, NEXT } = page(rows, query.start, query.max ?? 100);
    return { ORDERS: ROWS, NEXT };
  }

  /** One purchase order. */
  getPurchaseOrder(doco: number): SimPurchaseOrder {
    return clone(this.orderOr404(doco));
  }

  /**
   * Buyer entry: validates supplier, branch, items (in the supplier's catalog), units and costs (default: the catalog
   * cost); the order starts entered (220) and waits for approval. With an `EXTREF` an order already has, returns that order.
   */
  createPurchaseOrder(input: SimPurchaseOrderInput): { order: SimPurchaseOrder; created: boolean } {
    const result = this.k.transact(() => {
      if (input.EXTREF !== undefined) {
        const existing = this.orderRefs.get(input.EXTREF);
        if (existing !== undefined) return { order: this.orders.get(existing)!, created: false };
      }
      return { order: this.enter(input, 'B'), created: true };
    });
    return { order: clone(result.order), created: result.created };
  }

  /** Approves an entered purchase order (220 → 280); approving an approved one changes nothing. */
  approvePurchaseOrder(doco: number): SimPurchaseOrder {
    return clone(this.k.transact(() => this.approve(this.orderOr404(doco))));
  }

  /**
   * Changes lines before receipt: quantity (0 cancels the line; never below what is in transit), cost, requested date.
   * A change after approval raises the revision and clears the supplier's acknowledgment of the changed lines.
   */
  changePurchaseOrder(doco: number, change: SimPurchaseOrderChangeInput): SimPurchaseOrder {
    return clone(
      this.k.transact(() => {
        const po = this.orderOr404(doco);
        this.assertOpen(po);
        const targets = this.linesFor(po, change.LINES.map((l) => l.LNID));
        change.LINES.forEach((requested, i) => {
          const line = targets[i]!;
          this.assertLineOpen(po, line, i);
          if (line.UREC > 0 || line.UREJ > 0) {
            throw new SimError(409, 'PST001', `purchase order ${doco} line ${line.LNID} has receipts; it cannot be changed after receipt`, `LINES.${i}.LNID`);
          }
          const inTransit = this.inTransit(po.DOCO, line.LNID);
          if (requested.UORG !== undefined && requested.UORG < inTransit) {
            throw new SimError(409, 'PST003', `purchase order ${doco} line ${line.LNID}: ${inTransit} ${line.UOM} are in transit per ship notice; the quantity cannot go below that`, `LINES.${i}.UORG`);
          }
        });
        let changed = false;
        change.LINES.forEach((requested, i) => {
          const line = targets[i]!;
          const before = JSON.stringify([line.UORG, line.UCAN, line.PRRC, line.DRQJ]);
          if (requested.UORG === 0) line.UCAN = line.UORG;
          else if (requested.UORG !== undefined) line.UORG = requested.UORG;
          if (requested.PRRC !== undefined) line.PRRC = formatUnits(toUnits(requested.PRRC), 4);
          if (requested.DRQJ !== undefined) line.DRQJ = requested.DRQJ;
          if (JSON.stringify([line.UORG, line.UCAN, line.PRRC, line.DRQJ]) !== before) {
            changed = true;
            line.ACKC = '';
            line.ACKT = undefined;
            line.PDDJ = 0;
            this.touchLine(line);
          }
        });
        if (changed && po.APRJ > 0) po.RVNO += 1;
        this.k.touchPurchaseOrder(po.DOCO);
        return po;
      }),
    );
  }

  /**
   * Cancels what is not received of every line (a partly received line keeps its receipts); refused while goods are in
   * transit or when everything is received. Cancelling a cancelled order (or a cancelled balance) changes nothing.
   */
  cancelPurchaseOrder(doco: number, reason: { RCCD?: string | undefined; RSTX?: string | undefined }): { order: SimPurchaseOrder; changed: boolean } {
    const result = this.k.transact(() => {
      const po = this.orderOr404(doco);
      if (po.LINES.every((l) => l.UCAN >= l.UORG)) return { order: po, changed: false };
      if (po.CLSJ) throw new SimError(409, 'PST002', `purchase order ${doco} is closed`);
      const shipped = po.LINES.filter((l) => this.inTransit(po.DOCO, l.LNID) > 0);
      if (shipped.length > 0) {
        throw new SimError(409, 'PST003', `purchase order ${doco} cannot be cancelled: line(s) ${shipped.map((l) => l.LNID).join(', ')} in transit per ship notice (cancel the ship notice first)`);
      }
      const open = po.LINES.filter((l) => openOf(l) > 0);
      if (open.length === 0) {
        // A balance cancelled before (partly received order) stays cancelled; a fully received order has nothing to cancel.
        if (po.RCCD) return { order: po, changed: false };
        throw new SimError(409, 'PST001', `purchase order ${doco} is fully received; nothing is left to cancel`);
      }
      for (const line of open) {
        line.UCAN = line.UORG - line.UREC;
        this.touchLine(line);
      }
      po.RCCD = reason.RCCD ?? 'CX';
      po.RSTX = reason.RSTX;
      this.k.touchPurchaseOrder(po.DOCO);
      return { order: po, changed: true };
    });
    return { order: clone(result.order), changed: result.changed };
  }

  /**
   * Records the supplier's acknowledgment per line (`IA` accepted, `IC` accepted with changes to quantity, cost or
   * promised date, `IB` backordered, `IR` rejected: the open quantity is cancelled). Only on approved orders.
   */
  acknowledgePurchaseOrder(doco: number, ack: SimAcknowledgmentInput): SimPurchaseOrder {
    return clone(
      this.k.transact(() => {
        const po = this.orderOr404(doco);
        this.assertOpen(po);
        if (po.APRJ === 0) throw new SimError(409, 'PST004', `purchase order ${doco} is not approved yet; approve it before recording the supplier's acknowledgment`);
        const targets = this.linesFor(po, ack.LINES.map((l) => l.LNID));
        ack.LINES.forEach((requested, i) => {
          const line = targets[i]!;
          this.assertLineOpen(po, line, i);
          const inTransit = this.inTransit(po.DOCO, line.LNID);
          if (requested.ACKC === 'IR' && inTransit > 0) {
            throw new SimError(409, 'PST003', `purchase order ${doco} line ${line.LNID}: ${inTransit} ${line.UOM} in transit; a rejection cannot cancel it`, `LINES.${i}.ACKC`);
          }
          if (requested.UORG !== undefined && requested.UORG < line.UREC + inTransit) {
            throw new SimError(409, 'PST003', `purchase order ${doco} line ${line.LNID}: quantity ${requested.UORG} is below what is received or in transit (${line.UREC + inTransit} ${line.UOM})`, `LINES.${i}.UORG`);
          }
        });
        ack.LINES.forEach((requested, i) => {
          const line = targets[i]!;
          if (requested.ACKC === 'IR') {
            line.UCAN = line.UORG - line.UREC;
          } else {
            if (requested.UORG !== undefined) line.UORG = requested.UORG;
            if (requested.PRRC !== undefined) line.PRRC = formatUnits(toUnits(requested.PRRC), 4);
            if (requested.PDDJ !== undefined) line.PDDJ = requested.PDDJ;
          }
          line.ACKC = requested.ACKC;
          line.ACKT = requested.ACKT;
          this.touchLine(line);
        });
        po.ACKJ = this.k.today();
        this.k.touchPurchaseOrder(po.DOCO);
        return po;
      }),
    );
  }

  // ---------------------------------------------------------------- expected receipts (supplier ship notices)

  /** Expected receipts, optionally of one supplier, ship notice number, purchase order or caller's reference. */
  listExpectedReceipts(query: { AN8?: number | undefined; VASN?: string | undefined; DOCO?: number | undefined; ASNREF?: string | undefined }): SimExpectedReceipt[] {
    return [...this.expected.values()]
      .filter(
        (e) =>
          (query.AN8 === undefined || e.AN8 === query.AN8) &&
          (query.VASN === undefined || e.VASN === query.VASN) &&
          (query.ASNREF === undefined || e.ASNREF === query.ASNREF) &&
          (query.DOCO === undefined || e.LINES.some((l) => l.DOCO === query.DOCO)),
      )
      .map(clone);
  }

  /** One expected receipt. */
  getExpectedReceipt(ern: number): SimExpectedReceipt {
    const e = this.expected.get(ern);
    if (!e) throw new SimError(404, 'ASN001', `expected receipt ${ern} does not exist`);
    return clone(e);
  }

  /**
   * Records a supplier's ship notice as an expected receipt (in-transit supply on the order lines). Purpose `00`
   * original (idempotent on supplier + ship notice number), `05` replace (its lines, while nothing arrived against it),
   * `01` cancel. Shipping more than is open and not already in transit is refused.
   */
  recordExpectedReceipt(input: SimExpectedReceiptInput): { expected: SimExpectedReceipt; created: boolean } {
    const result = this.k.transact(() => {
      this.supplierOr422(input.AN8, 'AN8');
      const purpose = input.PURP ?? '00';
      const ref = `${input.AN8}|${input.VASN}`;
      const existing = this.expected.get(this.expectedRefs.get(ref) ?? -1);
      if (purpose === '00' && existing) return { expected: existing, created: false };
      if (purpose !== '00' && !existing) {
        throw new SimError(404, 'ASN001', `supplier ${input.AN8} has no ship notice ${input.VASN} to ${purpose === '01' ? 'cancel' : 'replace'}`, 'VASN');
      }
      if (existing && purpose !== '00') {
        if (existing.STS === 'C' && purpose === '01') return { expected: existing, created: false };
        if (existing.LINES.some((l) => l.QREC > 0)) {
          throw new SimError(409, 'ASN003', `ship notice ${input.VASN} has goods received against it; it cannot be ${purpose === '01' ? 'cancelled' : 'replaced'}`, 'VASN');
        }
        if (purpose === '01') {
          existing.STS = 'C';
          this.stampExpected(existing);
          return { expected: existing, created: false };
        }
      }
      const shpj = input.SHPJ ?? this.k.today();
      const exdj = input.EXDJ ?? addDaysJulian(shpj, 2);
      if (exdj < shpj) throw new SimError(422, 'ASN004', `expected delivery ${exdj} is before the ship date ${shpj}`, 'EXDJ');
      const lines = this.expectedLines(input, existing?.ERN);
      if (existing) {
        for (const old of existing.LINES) this.touchLine(this.orders.get(old.DOCO)!.LINES.find((l) => l.LNID === old.LNID)!);
        Object.assign(existing, { STS: 'A', ASNREF: input.ASNREF ?? existing.ASNREF, SHPJ: shpj, EXDJ: exdj, CARS: input.CARS, TRKN: input.TRKN, LINES: lines });
        this.indexExpected(existing);
        this.stampExpected(existing);
        return { expected: existing, created: false };
      }
      const now = this.k.now();
      const created: SimExpectedReceipt = {
        ERN: ++this.counters.expected, AN8: input.AN8, VASN: input.VASN, ASNREF: input.ASNREF, STS: 'A', SHPJ: shpj, EXDJ: exdj,
        CARS: input.CARS, TRKN: input.TRKN, LINES: lines, UPMJ: this.k.today(), TDAY: toTimeOfDay(now),
      };
      this.expected.set(created.ERN, created);
      this.indexExpected(created);
      this.expectedRefs.set(ref, created.ERN);
      this.stampExpected(created);
      return { expected: created, created: true };
    });
    return { expected: clone(result.expected), created: result.created };
  }

  // ---------------------------------------------------------------- receipts

  /** Receipts, optionally of one purchase order or by the caller's reference. */
  listReceipts(query: { DOCO?: number | undefined; RCTREF?: string | undefined }): SimReceipt[] {
    return [...this.receipts.values()].filter((r) => (query.DOCO === undefined || r.DOCO === query.DOCO) && (query.RCTREF === undefined || r.RCTREF === query.RCTREF)).map(clone);
  }

  /** One receipt. */
  getReceipt(rctn: number): SimReceipt {
    const r = this.receipts.get(rctn);
    if (!r) throw new SimError(404, 'RCV001', `receipt ${rctn} does not exist`);
    return clone(r);
  }

  /**
   * Receives goods against an approved purchase order at its branch: on-hand grows, waiting sales backorders fill
   * (oldest first), line received quantities grow, what arrived is taken off the expected receipt. Receiving more than
   * is open is refused (`RCV002`). Idempotent on `RCTREF`.
   */
  receivePurchaseOrder(doco: number, input: SimReceiptInput): { receipt: SimReceipt; order: SimPurchaseOrder; created: boolean } {
    const result = this.k.transact(() => {
      const po = this.orderOr404(doco);
      const previous = this.receipts.get(this.receiptRefs.get(input.RCTREF) ?? -1);
      if (previous && previous.DOCO === doco) return { receipt: previous, order: po, created: false };
      if (previous) throw new SimError(409, 'RCV004', `receipt reference ${input.RCTREF} was already used for purchase order ${previous.DOCO}`, 'RCTREF');
      this.assertOpen(po);
      if (po.APRJ === 0) throw new SimError(409, 'PST004', `purchase order ${doco} is not approved; goods cannot be received against it`);
      if (input.MCU !== undefined && input.MCU !== po.MCU) throw new SimError(422, 'MCU002', `purchase order ${doco} is received at ${po.MCU}, not ${input.MCU}`, 'MCU');
      const asn = this.expectedFor(po, input);
      const targets = this.linesFor(po, input.LINES.map((l) => l.LNID));
      const quantities = input.LINES.map((requested, i) => {
        const line = targets[i]!;
        this.assertLineOpen(po, line, i);
        const item = this.k.item(line.LITM)!;
        const accepted = this.convert(item, requested.UREC, requested.UOM ?? line.UOM, line.UOM, `LINES.${i}.UREC`);
        const refused = this.convert(item, requested.UREJ ?? 0, requested.UOM ?? line.UOM, line.UOM, `LINES.${i}.UREJ`);
        const open = openOf(line);
        if (accepted > open) {
          throw new SimError(
            422,
            'RCV002',
            `purchase order ${doco} line ${line.LNID}: receiving ${accepted} ${line.UOM} but only ${open} ${line.UOM} are open (ordered ${line.UORG}, received ${line.UREC}, cancelled ${line.UCAN}); over-receipt is not allowed`,
            `LINES.${i}.UREC`,
          );
        }
        return { line, accepted, refused };
      });
      if (quantities.every((q) => q.accepted === 0 && q.refused === 0)) throw new SimError(422, 'RCV003', 'a receipt needs at least one line with a quantity', 'LINES');
      const restocked = new Set<string>();
      const lines: SimReceiptLine[] = [];
      quantities.forEach(({ line, accepted, refused }, i) => {
        line.UREC += accepted;
        line.UREJ += refused;
        if (accepted > 0) {
          const balance = this.k.balance(line.LITM, line.MCU);
          balance.PQOH += accepted * this.k.factor(this.k.item(line.LITM)!, line.UOM)!;
          this.k.touchBalance(balance);
          restocked.add(itemKey(line.LITM, line.MCU));
        }
        this.arrive(po.DOCO, line.LNID, accepted + refused, asn);
        this.touchLine(line);
        lines.push({ LNID: line.LNID, LITM: line.LITM, UOM: line.UOM, UREC: accepted, UREJ: refused, ...(input.LINES[i]!.LOTN ? { LOTN: input.LINES[i]!.LOTN } : {}) });
      });
      const now = this.k.now();
      const receipt: SimReceipt = {
        RCTN: ++this.counters.receipt, DCT: 'OV', RCTREF: input.RCTREF, DOCO: po.DOCO, AN8: po.AN8, MCU: po.MCU,
        RCDJ: input.RCDJ ?? this.k.today(), RCTM: input.RCTM ?? toTimeOfDay(now),
        ...(asn ? { ERN: asn.ERN, VASN: asn.VASN, ASNREF: asn.ASNREF } : {}),
        LINES: lines, UPMJ: this.k.today(), TDAY: toTimeOfDay(now),
      };
      this.receipts.set(receipt.RCTN, receipt);
      this.receiptRefs.set(receipt.RCTREF, receipt.RCTN);
      this.k.addDocument({ TYP: 'OV', receipt });
      this.k.touchPurchaseOrder(po.DOCO);
      for (const key of [...restocked].sort()) {
        const [litm, mcu] = key.split('|') as [string, string];
        this.k.fillBackorders(litm, mcu);
      }
      return { receipt, order: po, created: true };
    });
    return { receipt: clone(result.receipt), order: clone(result.order), created: result.created };
  }

  // ---------------------------------------------------------------- supplier invoices (AP vouchers)

  /** Vouchers, optionally of one supplier, supplier invoice number, purchase order or caller's reference. */
  listVouchers(query: { AN8?: number | undefined; VINV?: string | undefined; DOCO?: number | undefined; INVREF?: string | undefined }): SimVoucher[] {
    return [...this.vouchers.values()]
      .filter(
        (v) =>
          (query.AN8 === undefined || v.AN8 === query.AN8) &&
          (query.VINV === undefined || v.VINV === query.VINV) &&
          (query.INVREF === undefined || v.INVREF === query.INVREF) &&
          (query.DOCO === undefined || v.LINES.some((l) => l.DOCO === query.DOCO)),
      )
      .map(clone);
  }

  /** One voucher. */
  getVoucher(doc: number): SimVoucher {
    return clone(this.voucherOr404(doc));
  }

  /**
   * Enters a supplier invoice as a voucher held for the match decision (`MTCH` `P`, pay status `H`). Each line bills a
   * line of an approved purchase order of that supplier, in the order's currency. A supplier invoice number the
   * supplier already used answers the existing voucher (a duplicate is never stored twice).
   */
  recordVoucher(input: SimVoucherInput): { voucher: SimVoucher; created: boolean } {
    const result = this.k.transact(() => {
      const supplier = this.supplierOr422(input.AN8, 'AN8');
      const ref = `${input.AN8}|${input.VINV}`;
      const existing = this.vouchers.get(this.voucherRefs.get(ref) ?? -1);
      if (existing) {
        this.duplicateInvoices += 1;
        return { voucher: existing, created: false };
      }
      const currency = input.CRCD ?? supplier.CRCD ?? this.k.company().CRCD;
      const lines: SimVoucherLine[] = input.LINES.map((requested, i) => {
        const field = `LINES.${i}`;
        const po = this.orders.get(requested.DOCO);
        if (!po) throw new SimError(422, 'DOC003', `purchase order ${requested.DOCO} does not exist`, `${field}.DOCO`);
        if (po.AN8 !== input.AN8) throw new SimError(422, 'SUP003', `purchase order ${po.DOCO} is from supplier ${po.AN8}, not ${input.AN8}`, `${field}.DOCO`);
        if (po.CRCD !== currency) throw new SimError(422, 'AP002', `purchase order ${po.DOCO} is in ${po.CRCD}; the invoice is in ${currency}`, input.CRCD ? 'CRCD' : `${field}.DOCO`);
        if (po.APRJ === 0) throw new SimError(409, 'PST004', `purchase order ${po.DOCO} is not approved; it cannot be invoiced`, `${field}.DOCO`);
        const line = this.voucherLineTarget(po, requested, field);
        if (line.UCAN >= line.UORG) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} line ${line.LNID} is cancelled`, `${field}.LNID`);
        const item = this.k.item(line.LITM)!;
        const uom = (requested.UOM ?? line.UOM) as SimUom;
        this.convert(item, requested.QTY, uom, line.UOM, `${field}.QTY`);
        const uprc = formatUnits(toUnits(requested.UPRC), 4);
        return {
          LNID: formatLnid(i + 1), DOCO: po.DOCO, OLNID: line.LNID, LITM: line.LITM, ...(line.VITM ? { VITM: line.VITM } : {}), DSC1: line.DSC1,
          UOM: uom, QTY: requested.QTY, UPRC: uprc, AEXP: formatUnits(toUnits(uprc) * BigInt(requested.QTY)),
        };
      });
      const net = lines.reduce((sum, l) => sum + toUnits(l.AEXP), 0n);
      const tax = toUnits(input.STAM ?? '0');
      const freight = toUnits(input.FRTA ?? '0');
      const ptc = supplier.TRAP ?? 'N30';
      const ddj = input.DDJ ?? addDaysJulian(input.DIVJ, this.k.terms(ptc)?.NDTP ?? 30);
      if (ddj < input.DIVJ) throw new SimError(422, 'AP005', `due date ${ddj} is before the invoice date ${input.DIVJ}`, 'DDJ');
      const company = this.k.company();
      const now = this.k.now();
      const voucher: SimVoucher = {
        DOC: ++this.counters.voucher, DCT: 'PV', KCO: company.KCOO, AN8: input.AN8, VINV: input.VINV, INVREF: input.INVREF,
        DIVJ: input.DIVJ, DDJ: ddj, PTC: ptc, CRCD: currency, AEXP: formatUnits(net), STAM: formatUnits(tax), FRTA: formatUnits(freight),
        AG: formatUnits(net + tax + freight), AAP: formatUnits(net + tax + freight), PST: 'H', MTCH: 'P', MTCJ: 0,
        BLTO: companyBlock(company),
        RMIT: { AN8: supplier.AN8, ALPH: supplier.ALPH, ADD1: supplier.ADD1, CTY1: supplier.CTY1, ADDS: supplier.ADDS, ADDZ: supplier.ADDZ, CTR: supplier.CTR },
        LINES: lines, UPMJ: this.k.today(), TDAY: toTimeOfDay(now),
      };
      this.vouchers.set(voucher.DOC, voucher);
      this.voucherRefs.set(ref, voucher.DOC);
      this.k.addDocument({ TYP: 'PV', voucher });
      for (const doco of new Set(lines.map((l) => l.DOCO))) this.k.touchPurchaseOrder(doco);
      return { voucher, created: true };
    });
    return { voucher: clone(result.voucher), created: result.created };
  }

  /**
   * The hub's 3-way match decision on a voucher: `A` approves it for payment (final), `D` puts it on hold as disputed
   * with a reason (a disputed voucher may still be approved later). The same decision again changes nothing.
   */
  decideMatch(doc: number, decision: { MTCH: Exclude<SimMatchStatus, 'P'>; HRSN?: string | undefined }): { voucher: SimVoucher; changed: boolean } {
    const result = this.k.transact(() => {
      const v = this.voucherOr404(doc);
      if (decision.MTCH === 'D' && !decision.HRSN) throw new SimError(400, 'VAL001', 'a dispute needs a reason (HRSN)', 'HRSN');
      if (v.MTCH === 'A') {
        if (decision.MTCH === 'A') return { voucher: v, changed: false };
        throw new SimError(409, 'AP003', `voucher ${doc} is approved for payment; its match decision cannot change`, 'MTCH');
      }
      if (v.MTCH === decision.MTCH && v.HRSN === decision.HRSN) return { voucher: v, changed: false };
      v.MTCH = decision.MTCH;
      v.PST = decision.MTCH === 'A' ? 'A' : 'H';
      v.HRSN = decision.MTCH === 'D' ? decision.HRSN : undefined;
      v.MTCJ = this.k.today();
      v.UPMJ = this.k.today();
      v.TDAY = toTimeOfDay(this.k.now());
      this.k.addDocument({ TYP: 'PV', voucher: v });
      for (const doco of new Set(v.LINES.map((l) => l.DOCO))) this.k.touchPurchaseOrder(doco);
      return { voucher: v, changed: true };
    });
    return { voucher: clone(result.voucher), changed: result.changed };
  }

  // ---------------------------------------------------------------- replenishment

  /**
   * Reorder-point check of the item-branches named by `keys` (`LITM|MCU`), inside the current transaction: when the
   * projected availability (on hand - committed - backordered + on order) is below the reorder point and no
   * replenishment order for the item and branch is still open, orders the shortfall from the primary supplier in
   * multiples of the reorder quantity (rounded up to whole purchasing units), approved at once when the setting says so.
   */
  replenishKeys(keys: Iterable<string>): SimPurchaseOrder[] {
    const created: SimPurchaseOrder[] = [];
    for (const key of [...new Set(keys)].sort()) {
      const po = this.replenishOne(key);
      if (po) created.push(po);
    }
    return created;
  }

  /** Runs the reorder-point check now over every item-branch (optionally of one item or branch) and returns the orders it created (admin). */
  replenish(query: { LITM?: string | undefined; MCU?: string | undefined }): SimPurchaseOrder[] {
    return clone(this.k.transact(() => this.replenishKeys(this.listItemBranches({ ...query, max: Number.MAX_SAFE_INTEGER }).ROWS.map((r) => itemKey(r.LITM, r.MCU)))));
  }

  // ---------------------------------------------------------------- for the engine

  /** On order, in transit and the inbound supply lines of an item at a branch (primary units), for its balance row. */
  supplyOf(litm: string, mcu: string): Pick<SimBalanceRow, 'PQOO' | 'PQIT' | 'INBD'> {
    const item = this.k.item(litm);
    let onOrder = 0;
    let inTransit = 0;
    const inbound: SimInboundRow[] = [];
    if (!item) return { PQOO: 0, PQIT: 0, INBD: [] };
    for (const po of this.ordersByItem.get(itemKey(litm, mcu)) ?? []) {
      for (const line of po.LINES) {
        if (line.LITM !== litm || line.MCU !== mcu) continue;
        const f = this.k.factor(item, line.UOM)!;
        const open = openOf(line);
        if (open === 0) continue;
        onOrder += open * f;
        const shipped = this.inTransit(po.DOCO, line.LNID);
        inTransit += shipped * f;
        if (po.APRJ === 0) continue;
        if (open - shipped > 0) {
          inbound.push({ TYP: 'PO', DOCO: po.DOCO, LNID: line.LNID, QTY: (open - shipped) * f, DATE: line.PDDJ || line.DRQJ, ACK: line.ACKC && line.ACKC !== 'IR' ? 'Y' : 'N' });
        }
        for (const e of this.activeExpected(po.DOCO, line.LNID)) {
          inbound.push({ TYP: 'ASN', DOCO: po.DOCO, LNID: line.LNID, QTY: e.outstanding * f, DATE: e.asn.EXDJ, ERN: e.asn.ERN, AN8: e.asn.AN8, VASN: e.asn.VASN, ...(e.asn.ASNREF ? { ASNREF: e.asn.ASNREF } : {}) });
        }
      }
    }
    return { PQOO: onOrder, PQIT: inTransit, INBD: inbound };
  }

  /** Recomputes a purchase order's derived fields (in transit, vouchered, statuses, totals) and returns it (not a copy). */
  refresh(doco: number): SimPurchaseOrder {
    const po = this.orders.get(doco)!;
    const vouchers = [...this.vouchers.values()].filter((v) => v.LINES.some((l) => l.DOCO === doco));
    let total = 0n;
    for (const line of po.LINES) {
      const item = this.k.item(line.LITM)!;
      const billed = vouchers.flatMap((v) => v.LINES.filter((l) => l.DOCO === doco && l.OLNID === line.LNID).map((l) => ({ v, qty: this.convert(item, l.QTY, l.UOM, line.UOM, 'QTY') })));
      line.UITR = this.inTransit(doco, line.LNID);
      const expectedDates = this.activeExpected(doco, line.LNID).map((e) => e.asn.EXDJ);
      line.EXDJ = expectedDates.length > 0 ? Math.min(...expectedDates) : 0;
      line.UVCH = billed.filter((b) => b.v.MTCH !== 'D').reduce((n, b) => n + b.qty, 0);
      const approved = billed.filter((b) => b.v.MTCH === 'A').reduce((n, b) => n + b.qty, 0);
      line.LTTR = this.lineStatus(po, line, approved);
      line.NXTR = NEXT[line.LTTR];
      line.AEXP = formatUnits(toUnits(line.PRRC) * BigInt(Math.max(0, line.UORG - line.UCAN)));
      total += toUnits(line.AEXP);
    }
    const open = po.LINES.filter((l) => l.LTTR !== S.cancelled);
    po.LTTR = open.length ? (Math.min(...open.map((l) => l.LTTR)) as SimPurchaseStatusCode) : S.cancelled;
    po.NXTR = open.length ? (Math.min(...open.map((l) => l.NXTR)) as SimPurchaseStatusCode) : S.closed;
    po.OTOT = formatUnits(total);
    po.MTST = vouchers.length === 0 ? '' : vouchers.some((v) => v.MTCH === 'D') ? 'D' : vouchers.every((v) => v.MTCH === 'A') ? 'A' : 'P';
    if (!po.CLSJ && open.length > 0 && open.every((l) => l.LTTR === S.closed)) po.CLSJ = this.k.today();
    return po;
  }

  /** Counts for the test harness. */
  stats(): PurchasingStats {
    return {
      purchaseOrders: this.orders.size,
      replenishmentOrders: [...this.orders.values()].filter((o) => o.ORIG === 'R').length,
      expectedReceipts: this.expected.size,
      receipts: this.receipts.size,
      vouchers: this.vouchers.size,
      duplicateSupplierInvoices: this.duplicateInvoices,
    };
  }

  // ---------------------------------------------------------------- internals

  private enter(input: SimPurchaseOrderInput, origin: SimPurchaseOrigin): SimPurchaseOrder {
    const company = this.k.company();
    if (input.KCOO !== undefined && input.KCOO !== company.KCOO) {
      throw new SimError(422, 'KCO001', `company ${input.KCOO} does not exist (this ERP has ${company.KCOO})`, 'KCOO');
    }
    const supplier = this.supplierOr422(input.AN8, 'AN8');
    this.k.branchOr422(input.MCU, 'MCU');
    const branch = company.BRANCHES.find((b) => b.MCU === input.MCU)!;
    const today = this.k.today();
    const drqj = input.DRQJ ?? addDaysJulian(today, supplier.LTDT ?? 7);
    const nextLine = lineNumbering();
    const lines: SimPurchaseOrderLine[] = input.LINES.map((requested, i) => {
      const field = `LINES.${i}`;
      const number = nextLine(requested.LNID, field);
      const item = this.k.item(requested.LITM);
      if (!item) throw new SimError(422, 'ITM001', `item ${requested.LITM} is not in the item master`, `${field}.LITM`);
      if (item.STKT === 'O') throw new SimError(422, 'ITM002', `item ${item.LITM} is obsolete and cannot be ordered`, `${field}.LITM`);
      const catalog = this.supplierItems.get(`${supplier.AN8}|${item.LITM}`);
      if (!catalog) throw new SimError(422, 'SUP002', `supplier ${supplier.AN8} (${supplier.ALPH}) does not sell item ${item.LITM}`, `${field}.LITM`);
      const uom = (requested.UOM ?? catalog.UOM) as SimUom;
      const f = this.k.factor(item, uom);
      if (f === undefined) throw new SimError(422, 'ITM003', `unit of measure ${uom} is not defined for item ${item.LITM}`, `${field}.UOM`);
      const cost = requested.PRRC !== undefined ? toUnits(requested.PRRC) : (toUnits(catalog.PRRC) * BigInt(f)) / BigInt(this.k.factor(item, catalog.UOM)!);
      return {
        LNID: formatLnid(number), ITM: item.ITM, LITM: item.LITM, VITM: catalog.VITM, DSC1: item.DSC1, UOM: uom, UORG: requested.UORG,
        UREC: 0, UREJ: 0, UCAN: 0, UITR: 0, UVCH: 0, PRRC: formatUnits(cost, 4), AEXP: '0.00', MCU: input.MCU, DRQJ: requested.DRQJ ?? drqj,
        PDDJ: 0, EXDJ: 0, ACKC: '', LTTR: S.entered, NXTR: S.approved,
      };
    });
    lines.sort(lineCompare);
    const now = this.k.now();
    const po: SimPurchaseOrder = {
      DOCO: ++this.counters.order, DCTO: 'OP', KCOO: company.KCOO, AN8: supplier.AN8, ALPH: supplier.ALPH, SNDM: supplier.SNDM ?? 'M', MCU: input.MCU,
      SHTO: { ALPH: branch.DL01, ADD1: branch.ADD1, CTY1: branch.CTY1, ADDS: branch.ADDS, ADDZ: branch.ADDZ, CTR: branch.CTR },
      EXTREF: input.EXTREF, ORIG: origin, BUYR: input.BUYR, TRDJ: today, TRTM: toTimeOfDay(now), DRQJ: drqj, PTC: supplier.TRAP ?? 'N30',
      CRCD: supplier.CRCD ?? company.CRCD, RVNO: 0, APRJ: 0, ACKJ: 0, LTTR: S.entered, NXTR: S.approved, OTOT: '0.00', MTST: '', CLSJ: 0,
      HDTX: input.HDTX, LINES: lines, UPMJ: today, TDAY: toTimeOfDay(now),
    };
    this.orders.set(po.DOCO, po);
    for (const line of po.LINES) {
      const key = itemKey(line.LITM, line.MCU);
      const set = this.ordersByItem.get(key) ?? new Set();
      set.add(po);
      this.ordersByItem.set(key, set);
    }
    if (input.EXTREF !== undefined) this.orderRefs.set(input.EXTREF, po.DOCO);
    this.refresh(po.DOCO);
    for (const line of lines) this.touchLine(line);
    this.k.touchPurchaseOrder(po.DOCO);
    return po;
  }

  private approve(po: SimPurchaseOrder): SimPurchaseOrder {
    this.assertOpen(po);
    if (po.APRJ > 0) return po;
    po.APRJ = this.k.today();
    for (const line of po.LINES) this.touchLine(line);
    this.k.touchPurchaseOrder(po.DOCO);
    return po;
  }

  private replenishOne(key: string): SimPurchaseOrder | undefined {
    const params = this.itemBranches.get(key);
    if (!params || params.ROPI <= 0 || params.ROQI <= 0) return undefined;
    const item = this.k.item(params.LITM);
    if (!item || item.STKT === 'O') return undefined;
    const stillOpen = [...this.orders.values()].some((o) => o.ORIG === 'R' && o.LINES.some((l) => l.LITM === params.LITM && l.MCU === params.MCU && openOf(l) > 0));
    if (stillOpen) return undefined;
    const balance = this.k.balance(params.LITM, params.MCU);
    const projected = balance.PQOH - balance.PCOM - balance.PBCK + this.supplyOf(params.LITM, params.MCU).PQOO;
    if (projected >= params.ROPI) return undefined;
    const catalog = this.supplierItems.get(`${params.VEND}|${params.LITM}`);
    if (!catalog) return undefined;
    const quantity = params.ROQI * Math.ceil((params.ROPI - projected) / params.ROQI);
    const perUnit = this.k.factor(item, catalog.UOM)!;
    const po = this.enter(
      {
        AN8: params.VEND,
        MCU: params.MCU,
        BUYR: 'REORDER POINT',
        HDTX: `Replenishment: projected ${projected} ${item.UOM1} (on hand - committed - backordered + on order) below reorder point ${params.ROPI}; ordered ${quantity} ${item.UOM1}`,
        LINES: [{ LITM: params.LITM, UORG: Math.ceil(quantity / perUnit), UOM: catalog.UOM }],
      },
      'R',
    );
    return this.k.autoApprove() ? this.approve(po) : po;
  }

  /** Lines of a ship notice in the order lines' units, one per order line; refuses shipping more than is open and not in transit. */
  private expectedLines(input: SimExpectedReceiptInput, replacing: number | undefined): SimExpectedReceiptLine[] {
    const byLine = new Map<string, SimExpectedReceiptLine>();
    input.LINES.forEach((requested, i) => {
      const field = `LINES.${i}`;
      const po = this.orders.get(requested.DOCO);
      if (!po) throw new SimError(422, 'DOC003', `purchase order ${requested.DOCO} does not exist`, `${field}.DOCO`);
      if (po.AN8 !== input.AN8) throw new SimError(422, 'SUP003', `purchase order ${po.DOCO} is from supplier ${po.AN8}, not ${input.AN8}`, `${field}.DOCO`);
      if (po.LINES.every((l) => l.UCAN >= l.UORG) || po.CLSJ) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} is ${po.CLSJ ? 'closed' : 'cancelled'}`, `${field}.DOCO`);
      if (po.APRJ === 0) throw new SimError(409, 'PST004', `purchase order ${po.DOCO} is not approved; the supplier cannot ship against it`, `${field}.DOCO`);
      const n = parseLnid(requested.LNID);
      const line = po.LINES.find((l) => parseLnid(l.LNID) === n);
      if (!line) throw new SimError(422, 'LIN003', `purchase order ${po.DOCO} has no line ${requested.LNID}`, `${field}.LNID`);
      if (line.UCAN >= line.UORG) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} line ${line.LNID} is cancelled`, `${field}.LNID`);
      const qty = this.convert(this.k.item(line.LITM)!, requested.QTY, requested.UOM ?? line.UOM, line.UOM, `${field}.QTY`);
      const key = `${po.DOCO}|${line.LNID}`;
      const entry = byLine.get(key) ?? { DOCO: po.DOCO, LNID: line.LNID, LITM: line.LITM, UOM: line.UOM, QTY: 0, QREC: 0 };
      entry.QTY += qty;
      byLine.set(key, entry);
      const available = openOf(line) - this.inTransit(po.DOCO, line.LNID, replacing);
      if (entry.QTY > available) {
        throw new SimError(
          422,
          'ASN002',
          `purchase order ${po.DOCO} line ${line.LNID}: ${entry.QTY} ${line.UOM} shipped but only ${Math.max(0, available)} ${line.UOM} are open and not already in transit`,
          `${field}.QTY`,
        );
      }
    });
    return [...byLine.values()];
  }

  /**
   * The expected receipt a receipt arrives against: by number or ship notice number (422 `ASN001` when unknown), or by
   * the caller's ship notice reference (a hint: unknown means the oldest expected receipts are used).
   */
  private expectedFor(po: SimPurchaseOrder, input: SimReceiptInput): SimExpectedReceipt | undefined {
    if (input.ERN === undefined && input.VASN === undefined) {
      return input.ASNREF === undefined ? undefined : [...this.expected.values()].find((e) => e.ASNREF === input.ASNREF && e.AN8 === po.AN8 && e.STS !== 'C');
    }
    const found = input.ERN !== undefined ? this.expected.get(input.ERN) : this.expected.get(this.expectedRefs.get(`${po.AN8}|${input.VASN}`) ?? -1);
    const field = input.ERN !== undefined ? 'ERN' : 'VASN';
    if (!found || found.AN8 !== po.AN8) throw new SimError(422, 'ASN001', `supplier ${po.AN8} has no ship notice ${input.ERN ?? input.VASN}`, field);
    if (found.STS === 'C') throw new SimError(409, 'ASN003', `ship notice ${found.VASN} is cancelled`, field);
    return found;
  }

  /** Takes what arrived for an order line off its expected receipts: the named one first, then the oldest. */
  private arrive(doco: number, lnid: string, quantity: number, named: SimExpectedReceipt | undefined): void {
    let rest = quantity;
    const candidates = this.activeExpected(doco, lnid).map((e) => e.asn);
    if (named) candidates.sort((a, b) => (a.ERN === named.ERN ? -1 : b.ERN === named.ERN ? 1 : a.ERN - b.ERN));
    for (const asn of candidates) {
      if (rest === 0) break;
      const line = asn.LINES.find((l) => l.DOCO === doco && l.LNID === lnid)!;
      const take = Math.min(rest, line.QTY - line.QREC);
      line.QREC += take;
      rest -= take;
      if (asn.LINES.every((l) => l.QREC >= l.QTY)) asn.STS = 'R';
      asn.UPMJ = this.k.today();
      asn.TDAY = toTimeOfDay(this.k.now());
    }
  }

  private indexExpected(asn: SimExpectedReceipt): void {
    for (const line of asn.LINES) {
      const key = `${line.DOCO}|${line.LNID}`;
      const set = this.expectedByLine.get(key) ?? new Set();
      set.add(asn);
      this.expectedByLine.set(key, set);
    }
  }

  /** Active expected receipts with quantity outstanding for an order line. */
  private activeExpected(doco: number, lnid: string): Array<{ asn: SimExpectedReceipt; outstanding: number }> {
    const out: Array<{ asn: SimExpectedReceipt; outstanding: number }> = [];
    for (const asn of this.expectedByLine.get(`${doco}|${lnid}`) ?? []) {
      if (asn.STS !== 'A') continue;
      for (const line of asn.LINES) if (line.DOCO === doco && line.LNID === lnid && line.QTY > line.QREC) out.push({ asn, outstanding: line.QTY - line.QREC });
    }
    return out.sort((a, b) => a.asn.ERN - b.asn.ERN);
  }

  /** Quantity of an order line in transit (shipped per active ship notices, not arrived), optionally leaving one notice out. */
  private inTransit(doco: number, lnid: string, except?: number): number {
    return this.activeExpected(doco, lnid)
      .filter((e) => e.asn.ERN !== except)
      .reduce((n, e) => n + e.outstanding, 0);
  }

  private stampExpected(asn: SimExpectedReceipt): void {
    asn.UPMJ = this.k.today();
    asn.TDAY = toTimeOfDay(this.k.now());
    for (const line of asn.LINES) {
      const po = this.orders.get(line.DOCO)!;
      this.touchLine(po.LINES.find((l) => l.LNID === line.LNID)!);
      this.k.touchPurchaseOrder(po.DOCO);
    }
  }

  private voucherLineTarget(po: SimPurchaseOrder, requested: SimVoucherInput['LINES'][number], field: string): SimPurchaseOrderLine {
    if (requested.LNID !== undefined) {
      const n = parseLnid(requested.LNID);
      const line = po.LINES.find((l) => parseLnid(l.LNID) === n);
      if (!line) throw new SimError(422, 'LIN003', `purchase order ${po.DOCO} has no line ${requested.LNID}`, `${field}.LNID`);
      return line;
    }
    const candidates = po.LINES.filter((l) => l.LITM === requested.LITM && l.UCAN < l.UORG);
    if (candidates.length !== 1) {
      throw new SimError(
        422,
        'LIN004',
        candidates.length === 0 ? `purchase order ${po.DOCO} has no open line for item ${requested.LITM}` : `purchase order ${po.DOCO} has ${candidates.length} lines for item ${requested.LITM}; name the line (LNID)`,
        `${field}.LITM`,
      );
    }
    return candidates[0]!;
  }

  private lineStatus(po: SimPurchaseOrder, line: SimPurchaseOrderLine, approvedQuantity: number): SimPurchaseStatusCode {
    const open = line.UORG - line.UCAN;
    if (open <= 0) return S.cancelled;
    if (line.UREC >= open) {
      if (approvedQuantity >= line.UREC) return S.closed;
      return line.UVCH > 0 ? S.vouchered : S.received;
    }
    if (line.UREC > 0) return S.partiallyReceived;
    if (line.UITR > 0) return S.inTransit;
    if (line.ACKC !== '') return S.acknowledged;
    return po.APRJ > 0 ? S.approved : S.entered;
  }

  /** `qty` in `from` units as a whole number of `to` units of the item; 422 when a unit is unknown or the result is not whole. */
  private convert(item: SimItemRow, qty: number, from: string, to: string, field: string): number {
    const f = this.k.factor(item, from);
    if (f === undefined) throw new SimError(422, 'ITM003', `unit of measure ${from} is not defined for item ${item.LITM}`, field.replace(/\.[A-Z]+$/, '.UOM'));
    const t = this.k.factor(item, to)!;
    if ((qty * f) % t !== 0) throw new SimError(422, 'ITM005', `${qty} ${from} of item ${item.LITM} is not a whole number of ${to}`, field);
    return (qty * f) / t;
  }

  private touchLine(line: SimPurchaseOrderLine): void {
    this.k.touchBalance(this.k.balance(line.LITM, line.MCU));
  }

  private supplierOr422(an8: number, field: string): SimAddressRow {
    const row = this.k.address(an8);
    if (!row || row.AT1 !== 'V') throw new SimError(422, 'SUP001', `address number ${an8} is not a supplier`, field);
    return row;
  }

  private orderOr404(doco: number): SimPurchaseOrder {
    const po = this.orders.get(doco);
    if (!po) throw new SimError(404, 'DOC002', `purchase order ${doco} OP does not exist`);
    return po;
  }

  private voucherOr404(doc: number): SimVoucher {
    const v = this.vouchers.get(doc);
    if (!v) throw new SimError(404, 'AP001', `voucher PV ${doc} does not exist`);
    return v;
  }

  private assertOpen(po: SimPurchaseOrder): void {
    if (po.LINES.every((l) => l.UCAN >= l.UORG)) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} is cancelled`);
    if (po.CLSJ) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} is closed`);
  }

  private assertLineOpen(po: SimPurchaseOrder, line: SimPurchaseOrderLine, i: number): void {
    if (line.UCAN >= line.UORG) throw new SimError(409, 'PST002', `purchase order ${po.DOCO} line ${line.LNID} is cancelled`, `LINES.${i}.LNID`);
  }

  private linesFor(po: SimPurchaseOrder, lnids: string[]): SimPurchaseOrderLine[] {
    if (lnids.length === 0) throw new SimError(400, 'VAL001', 'at least one line is required', 'LINES');
    const seen = new Set<number>();
    return lnids.map((lnid, i) => {
      const n = parseLnid(lnid);
      const line = po.LINES.find((l) => parseLnid(l.LNID) === n);
      if (!line) throw new SimError(422, 'LIN003', `purchase order ${po.DOCO} has no line ${lnid}`, `LINES.${i}.LNID`);
      if (seen.has(n)) throw new SimError(400, 'LIN002', `line number ${lnid} is used twice`, `LINES.${i}.LNID`);
      seen.add(n);
      return line;
    });
  }
}

/** The company as a name-and-address block (bill-to of vouchers). */
function companyBlock(company: SimCompany): SimNameAddress {
  return { ALPH: company.NAME, ADD1: company.ADD1, CTY1: company.CTY1, ADDS: company.ADDS, ADDZ: company.ADDZ, CTR: company.CTR };
}
