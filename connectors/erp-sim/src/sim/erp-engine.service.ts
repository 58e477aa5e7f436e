import type {
  JulianDate,
  SimAddressBlock,
  SimAddressRow,
  SimBalanceRow,
  SimChange,
  SimChangesPage,
  SimCompany,
  SimCreditStanding,
  SimHoldCode,
  SimInvoice,
  SimInvoiceLine,
  SimItemRow,
  SimOrder,
  SimOrderLine,
  SimOrderStatusCode,
  SimPayment,
  SimPaymentInstrument,
  SimPaymentTerms,
  SimPriceRow,
  SimReturn,
  SimReturnLine,
  SimReturnReason,
  SimRowsPage,
  SimShipment,
  SimUom,
} from '../wire/sim-wire.types.js';
import { simOrderStatus, simReturnStatus } from '../wire/sim-wire.types.js';
import { addDaysJulian, toJulian, toTimeOfDay } from '../wire/julian-date.js';
import { formatLnid, parseLnid } from '../wire/line-number.js';
import type { SimReceipt, SimVoucher } from '../wire/sim-purchasing.types.js';
import { buildGeneratedSuppliers, buildMasterData, GENERATED_SUPPLIER_BASE, GENERATED_SUPPLIERS_MAX, type SimMasterData } from './master-data.seed.js';
import { ErpSimPurchasing, type PurchasingStats } from './purchasing.service.js';
import { formatUnits, percentOf, toUnits } from './sim-amount.js';
import { lineNumbering } from './line-numbering.js';
import { SimError } from './sim.errors.js';

/** How orders reach the warehouse: `auto` releases allocated lines at once (unless held), `manual` waits for an admin release. */
export type SimReleaseMode = 'auto' | 'manual';

/** Behaviour switches of the simulated ERP. */
export interface ErpSimSettings {
  /** @default 'auto' */
  releaseMode: SimReleaseMode;
  /** Honour the external reference on order create (return the existing order). @default true */
  dedupeExternalRef: boolean;
  /** Run the reorder-point check after every allocation and ship confirm, creating purchase orders. @default true */
  autoReplenish: boolean;
  /** Approve purchase orders created by replenishment at once (otherwise they wait, entered, for approval). @default true */
  autoApprovePurchaseOrders: boolean;
}

/** Options of the simulated ERP's business engine. */
export interface ErpSimEngineOptions extends Partial<ErpSimSettings> {
  /** Seed of the master data. @default 1 */
  seed?: number;
  /** The ERP's clock. @default the wall clock */
  now?: () => Date;
  /** Suppliers generated on top of the seeded ones (address numbers from 5201), kept across resets. @default 0 */
  generatedSuppliers?: number;
}

/** Order create input (already shape-checked): quantities are positive whole numbers. */
export interface SimOrderInput {
  KCOO?: string | undefined;
  AN8: number;
  SHAN?: number | undefined;
  VR01: string;
  EXTREF?: string | undefined;
  DRQJ?: JulianDate | undefined;
  MCU?: string | undefined;
  CARS?: string | undefined;
  HDTX?: string | undefined;
  LINES: Array<{ LNID?: string | undefined; LITM?: string | undefined; CITM?: string | undefined; UORG: number; UOM?: string | undefined; MCU?: string | undefined; DRQJ?: JulianDate | undefined }>;
}

/** Ship confirm input (already shape-checked). */
export interface SimShipInput {
  SHPREF: string;
  CARS: string;
  TRKN: string;
  SHPJ?: JulianDate | undefined;
  SHTM?: number | undefined;
  LINES: Array<{ LNID: string; SOQS: number }>;
}

/** Return request input (already shape-checked). */
export interface SimReturnInput {
  EXTREF: string;
  AN8: number;
  MCU?: string | undefined;
  LINES: Array<{
    LNID?: string | undefined;
    LITM: string;
    UOM?: string | undefined;
    UORG: number;
    RCD: SimReturnReason;
    ODOC?: number | undefined;
    OEXT?: string | undefined;
    OLNID?: string | undefined;
  }>;
}

/** Payment input (already shape-checked). */
export interface SimPaymentInput {
  DOC: number;
  PAAP: string;
  CKNU?: string | undefined;
  PYIN?: SimPaymentInstrument | undefined;
  DMTJ?: JulianDate | undefined;
}

/** Counts the test harness reads: orders per external reference prove there are no duplicates. */
export interface ErpSimStats extends PurchasingStats {
  orders: number;
  ordersByExternalRef: Record<string, number>;
  /** External references held by more than one order (empty when nothing was duplicated). */
  duplicateExternalRefs: string[];
  invoices: number;
  creditMemos: number;
  payments: number;
  returns: number;
  lastSeq: number;
}

interface Tx {
  orders: Set<number>;
  purchaseOrders: Set<number>;
  balances: Set<string>;
  /** Item-branches whose availability an allocation or ship confirm changed: candidates for replenishment. */
  demand: Set<string>;
  documents: Array<
    | { TYP: 'RI' | 'RM'; invoice: SimInvoice }
    | { TYP: 'PY'; payment: SimPayment }
    | { TYP: 'OV'; receipt: SimReceipt }
    | { TYP: 'PV'; voucher: SimVoucher }
  >;
}

const clone = <T>(value: T): T => structuredClone(value);
const balanceKey = (litm: string, mcu: string) => `${litm}|${mcu}`;
const lineCompare = (a: string, b: string) => parseLnid(a) - parseLnid(b);

function page<T>(rows: T[], start = 0, max = 100): SimRowsPage<T> {
  const slice = rows.slice(start, start + max);
  return { ROWS: clone(slice), NEXT: start + max < rows.length ? start + max : null };
}

/**
 * The simulated ERP's business rules and state: address book, items, price books, balances, sales orders with
 * credit check, allocation, backorders and pick release, ship confirm with invoicing, payments, returns with credit
 * memos, purchasing (in {@link ErpSimEngine.purchasing}), and the change feed. Single-threaded and synchronous: each
 * public call is one transaction.
 */
export class ErpSimEngine {
  /** Current behaviour switches. */
  readonly settings: ErpSimSettings;
  /** Purchasing: supplier catalog, reorder points, purchase orders, expected receipts, receipts, AP vouchers, replenishment. */
  readonly purchasing: ErpSimPurchasing;
  private readonly initialSettings: Readonly<ErpSimSettings>;
  private readonly now: () => Date;
  private seedValue = 1;
  private master!: SimMasterData;
  private addresses = new Map<number, SimAddressRow>();
  private items = new Map<string, SimItemRow>();
  private pricesByItem = new Map<string, SimPriceRow[]>();
  private terms = new Map<string, SimPaymentTerms>();
  private balances = new Map<string, SimBalanceRow>();
  private orders = new Map<number, SimOrder>();
  private orderRefs = new Map<string, number[]>();
  private invoices = new Map<string, SimInvoice>();
  private payments = new Map<number, SimPayment>();
  private returns = new Map<number, SimReturn>();
  private returnRefs = new Map<string, number>();
  private shipmentRefs = new Map<string, number>();
  private changes: SimChange[] = [];
  private counters = { order: 0, invoice: 0, credit: 0, payment: 0, rma: 0, shipment: 0 };
  private tx: Tx | undefined;
  private readonly initialGenerated: number;
  private generated = 0;

  constructor(options: ErpSimEngineOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.initialGenerated = options.generatedSuppliers ?? 0;
    this.initialSettings = {
      releaseMode: options.releaseMode ?? 'auto',
      dedupeExternalRef: options.dedupeExternalRef ?? true,
      autoReplenish: options.autoReplenish ?? true,
      autoApprovePurchaseOrders: options.autoApprovePurchaseOrders ?? true,
    };
    this.settings = { ...this.initialSettings };
    this.purchasing = new ErpSimPurchasing({
      now: () => this.now(),
      today: () => this.today(),
      transact: (fn) => this.transact(fn),
      autoApprove: () => this.settings.autoApprovePurchaseOrders,
      company: () => this.master.company,
      address: (an8) => this.addresses.get(an8),
      terms: (ptc) => this.terms.get(ptc),
      item: (litm) => this.items.get(litm),
      factor: (item, uom) => this.factor(item, uom),
      branchOr422: (mcu, field) => this.branchOr422(mcu, field),
      balance: (litm, mcu) => this.balance(litm, mcu),
      touchBalance: (row) => this.touchBalance(row),
      fillBackorders: (litm, mcu) => this.fillBackorders(balanceKey(litm, mcu)),
      touchPurchaseOrder: (doco) => this.tx?.purchaseOrders.add(doco),
      addDocument: (doc) => this.tx?.documents.push(doc),
    });
    this.reset(options.seed ?? 1);
  }

  /** The seed the current data was built from. */
  get seed(): number {
    return this.seedValue;
  }

  /** Throws everything away and starts again from the master data of `seed` (default: the current seed) and the settings given at construction. */
  reset(seed: number = this.seedValue): void {
    this.seedValue = seed;
    Object.assign(this.settings, this.initialSettings);
    this.master = buildMasterData(seed);
    this.addresses = new Map(this.master.addresses.map((a) => [a.AN8, a]));
    this.items = new Map(this.master.items.map((i) => [i.LITM, i]));
    this.terms = new Map(this.master.terms.map((t) => [t.PTC, t]));
    this.pricesByItem = new Map();
    for (const p of this.master.prices) this.pricesByItem.set(p.LITM, [...(this.pricesByItem.get(p.LITM) ?? []), p]);
    this.balances = new Map(this.master.balances.map((b) => [balanceKey(b.LITM, b.MCU), b]));
    this.orders = new Map();
    this.orderRefs = new Map();
    this.invoices = new Map();
    this.payments = new Map();
    this.returns = new Map();
    this.returnRefs = new Map();
    this.shipmentRefs = new Map();
    this.changes = [];
    this.counters = { order: 100_000, invoice: 700_000, credit: 800_000, payment: 900_000, rma: 300_000, shipment: 500_000 };
    this.purchasing.reset(this.master);
    this.generated = 0;
    if (this.initialGenerated > 0) this.generateSuppliers(this.initialGenerated);
  }

  /**
   * Makes sure `count` generated suppliers exist (address numbers 5201, 5202, …), each with a catalog of six stocked
   * items at a cost; only the missing ones are added (the same seed always gives the same suppliers). Returns the
   * address book rows of all `count` of them.
   */
  generateSuppliers(count: number): SimAddressRow[] {
    if (!Number.isInteger(count) || count < 0 || count > GENERATED_SUPPLIERS_MAX) {
      throw new SimError(422, 'VAL001', `count must be a whole number from 0 to ${GENERATED_SUPPLIERS_MAX}`, 'count');
    }
    if (count > this.generated) {
      const { addresses, supplierItems } = buildGeneratedSuppliers(this.seedValue, this.generated, count, this.master);
      for (const a of addresses) {
        this.master.addresses.push(a);
        this.addresses.set(a.AN8, a);
      }
      for (const r of supplierItems) this.items.get(r.LITM)?.XREF.push({ XRT: 'VN', AN8: r.AN8, CITM: r.VITM, UOM: r.UOM, PRIM: r.PRIM });
      this.master.supplierItems.push(...supplierItems);
      this.purchasing.addSupplierItems(supplierItems);
      this.generated = count;
    }
    return Array.from({ length: count }, (_, n) => clone(this.addresses.get(GENERATED_SUPPLIER_BASE + n)!));
  }

  // ---------------------------------------------------------------- master data

  /** Company and branch/plants. */
  company(): SimCompany {
    return clone(this.master.company);
  }

  /** Payment terms. */
  paymentTerms(): SimPaymentTerms[] {
    return clone(this.master.terms);
  }

  /** Address book rows (customers, ship-tos, suppliers), optionally of one search type. */
  listAddressBook(query: { AT1?: 'C' | 'ST' | 'V' | undefined; start?: number | undefined; max?: number | undefined }): SimRowsPage<SimAddressRow> {
    const rows = [...this.addresses.values()].filter((a) => !query.AT1 || a.AT1 === query.AT1);
    return page(rows, query.start, query.max);
  }

  /** One address book row. */
  getAddress(an8: number): SimAddressRow {
    const row = this.addresses.get(an8);
    if (!row) throw new SimError(404, 'AN8001', `address number ${an8} is not in the address book`, 'AN8');
    return clone(row);
  }

  /** Item master rows. */
  listItems(query: { start?: number | undefined; max?: number | undefined }): SimRowsPage<SimItemRow> {
    return page([...this.items.values()], query.start, query.max);
  }

  /** Price book rows, optionally of one book or customer. */
  listPrices(query: { PRBK?: string | undefined; AN8?: number | undefined; start?: number | undefined; max?: number | undefined }): SimRowsPage<SimPriceRow> {
    const rows = this.master.prices.filter((p) => (!query.PRBK || p.PRBK === query.PRBK) && (query.AN8 === undefined || p.AN8 === query.AN8));
    return page(rows, query.start, query.max);
  }

  /** Item balances, optionally of one item or branch. */
  listBalances(query: { LITM?: string | undefined; MCU?: string | undefined; start?: number | undefined; max?: number | undefined }): SimRowsPage<SimBalanceRow> {
    const rows = [...this.balances.values()].filter((b) => (!query.LITM || b.LITM === query.LITM) && (!query.MCU || b.MCU === query.MCU));
    return page(rows, query.start, query.max);
  }

  /** A customer's credit standing: limit, hold, open receivables, open order value, exposure. */
  creditStanding(an8: number): SimCreditStanding {
    const customer = this.customerRow(an8, 'AN8', 404);
    const { openAr, openOrders } = this.exposure(an8);
    return {
      AN8: an8,
      ACL: customer.ACL ?? '0.00',
      HOLD: customer.HOLD ?? '',
      HOLDDS: customer.HOLDDS,
      OPAR: formatUnits(openAr),
      OPOR: formatUnits(openOrders),
      EXPO: formatUnits(openAr + openOrders),
      CRCD: customer.CRCD ?? this.master.company.CRCD,
    };
  }

  /** Changes a customer's credit limit or hold (admin). */
  setCustomerCredit(an8: number, change: { ACL?: string | undefined; HOLD?: SimHoldCode | undefined; HOLDDS?: string | undefined }): SimAddressRow {
    const customer = this.customerRow(an8, 'AN8', 404);
    if (change.ACL !== undefined) customer.ACL = formatUnits(toUnits(change.ACL));
    if (change.HOLD !== undefined) {
      customer.HOLD = change.HOLD;
      customer.HOLDDS = change.HOLD ? (change.HOLDDS ?? customer.HOLDDS ?? 'Credit hold') : undefined;
    }
    customer.UPMJ = this.today();
    customer.TDAY = toTimeOfDay(this.now());
    return clone(customer);
  }

  // ---------------------------------------------------------------- sales orders

  /** Orders, optionally by external reference or customer. */
  listOrders(query: { EXTREF?: string | undefined; AN8?: number | undefined }): SimOrder[] {
    const docos = query.EXTREF !== undefined ? (this.orderRefs.get(query.EXTREF) ?? []) : [...this.orders.keys()];
    return docos.map((d) => this.orders.get(d)!).filter((o) => query.AN8 === undefined || o.AN8 === query.AN8).map(clone);
  }

  /** One order. */
  getOrder(doco: number): SimOrder {
    return clone(this.orderOr404(doco));
  }

  /**
   * Enters a sales order: validates customer, ship-to, branch, items and units, prices each line, checks credit,
   * allocates and (in `auto` release mode) releases. With an `EXTREF` that an order already has, returns that order.
   */
  createOrder(input: SimOrderInput): { order: SimOrder; created: boolean } {
    const result = this.transact(() => {
      if (input.KCOO !== undefined && input.KCOO !== this.master.company.KCOO) {
        throw new SimError(422, 'KCO001', `company ${input.KCOO} does not exist (this ERP has ${this.master.company.KCOO})`, 'KCOO');
      }
      if (input.EXTREF !== undefined && this.settings.dedupeExternalRef) {
        const existing = this.orderRefs.get(input.EXTREF)?.[0];
        if (existing !== undefined) return { order: this.orders.get(existing)!, created: false };
      }
      const customer = this.customerRow(input.AN8, 'AN8');
      const shipTo = this.shipToRow(customer, input.SHAN);
      const headerMcu = input.MCU ?? shipTo.MCU ?? customer.MCU;
      this.branchOr422(headerMcu, 'MCU');
      const today = this.today();
      const lines: SimOrderLine[] = [];
      const nextLine = lineNumbering();
      input.LINES.forEach((requested, i) => {
        const field = `LINES.${i}`;
        const number = nextLine(requested.LNID, field);
        const item = this.resolveItem(customer.AN8, requested.LITM, requested.CITM, field);
        const uom = (requested.UOM ?? item.UOM1) as SimUom;
        if (this.factor(item, uom) === undefined) {
          throw new SimError(422, 'ITM003', `unit of measure ${requested.UOM} is not defined for item ${item.LITM} (use ${this.unitsOf(item).join(', ')})`, `${field}.UOM`);
        }
        const mcu = requested.MCU ?? headerMcu;
        this.branchOr422(mcu, `${field}.MCU`);
        const uprc = this.unitPrice(customer.AN8, item, uom, requested.UORG);
        lines.push({
          LNID: formatLnid(number), ITM: item.ITM, LITM: item.LITM, CITM: requested.CITM, DSC1: item.DSC1, UOM: uom,
          UORG: requested.UORG, QCOM: 0, SOBK: 0, SOQS: 0, SOCN: 0, UPRC: uprc, AEXP: '0.00', MCU: mcu,
          DRQJ: requested.DRQJ ?? input.DRQJ ?? 0, PDDJ: 0, RLSJ: 0, LTTR: simOrderStatus.entered, NXTR: simOrderStatus.allocated,
        });
      });
      lines.sort((a, b) => lineCompare(a.LNID, b.LNID));
      const now = this.now();
      const order: SimOrder = {
        DOCO: ++this.counters.order, DCTO: 'SO', KCOO: this.master.company.KCOO, AN8: customer.AN8, SHAN: shipTo.AN8, VR01: input.VR01,
        EXTREF: input.EXTREF, TRDJ: today, TRTM: toTimeOfDay(now), DRQJ: input.DRQJ ?? 0, MCU: headerMcu, PTC: customer.TRAR ?? 'N30',
        CRCD: customer.CRCD ?? this.master.company.CRCD, CARS: input.CARS, HDTX: input.HDTX, HOLD: '', LTTR: simOrderStatus.entered,
        NXTR: simOrderStatus.allocated, OTOT: '0.00', CLSJ: 0, LINES: lines, SHIPMENTS: [], UPMJ: today, TDAY: toTimeOfDay(now),
      };
      this.refreshOrder(order);
      // Credit check: a customer on hold, or an order that takes exposure over the limit, holds the order.
      if (customer.HOLD) {
        order.HOLD = customer.HOLD;
        order.HLDS = customer.HOLDDS ?? 'Customer on credit hold';
      } else {
        const { openAr, openOrders } = this.exposure(customer.AN8);
        const exposure = openAr + openOrders;
        const total = toUnits(order.OTOT);
        const limit = toUnits(customer.ACL ?? '0');
        if (exposure + total > limit) {
          order.HOLD = 'C2';
          order.HLDS = `Over credit limit: exposure ${formatUnits(exposure)} + order ${order.OTOT} > limit ${formatUnits(limit)}`;
        }
      }
      this.orders.set(order.DOCO, order);
      if (input.EXTREF !== undefined) this.orderRefs.set(input.EXTREF, [...(this.orderRefs.get(input.EXTREF) ?? []), order.DOCO]);
      if (!order.HOLD) {
        for (const line of order.LINES) this.allocate(order, line);
        this.autoRelease(order);
      }
      this.touchOrder(order);
      return { order, created: true };
    });
    return { order: clone(result.order), created: result.created };
  }

  /** Changes ordered quantities of lines not yet released (0 cancels the line); stock freed fills backorders. */
  changeOrder(doco: number, change: { LINES: Array<{ LNID: string; UORG: number }> }): SimOrder {
    const order = this.transact(() => {
      const o = this.orderOr404(doco);
      this.assertOpen(o);
      const targets = this.linesFor(o, change.LINES.map((l) => l.LNID));
      targets.forEach((line) => this.assertChangeable(o, line));
      const freed = new Set<string>();
      change.LINES.forEach((requested, i) => {
        const line = targets[i]!;
        this.free(o, line);
        freed.add(balanceKey(line.LITM, line.MCU));
        if (requested.UORG === 0) {
          line.SOCN = line.UORG;
        } else {
          line.UORG = requested.UORG;
          line.UPRC = this.unitPrice(o.AN8, this.items.get(line.LITM)!, line.UOM, requested.UORG);
          if (!o.HOLD) this.allocate(o, line);
        }
      });
      this.autoRelease(o);
      this.touchOrder(o);
      for (const key of freed) this.fillBackorders(key);
      return o;
    });
    return clone(order);
  }

  /** Cancels every line of an order not yet released; cancelling a cancelled order changes nothing. */
  cancelOrder(doco: number, reason: { RCCD?: string | undefined; RSTX?: string | undefined }): { order: SimOrder; changed: boolean } {
    const result = this.transact(() => {
      const o = this.orderOr404(doco);
      if (o.LINES.every((l) => l.SOCN >= l.UORG)) return { order: o, changed: false };
      if (o.CLSJ) throw new SimError(409, 'STS002', `order ${doco} is closed`);
      const released = o.LINES.filter((l) => l.RLSJ > 0 || l.SOQS > 0);
      if (released.length > 0) {
        throw new SimError(409, 'STS001', `order ${doco} cannot be cancelled: line(s) ${released.map((l) => l.LNID).join(', ')} released to the warehouse (status ${simOrderStatus.released}+)`);
      }
      const freed = new Set<string>();
      for (const line of o.LINES) {
        this.free(o, line);
        freed.add(balanceKey(line.LITM, line.MCU));
        line.SOCN = line.UORG;
      }
      o.RCCD = reason.RCCD ?? 'CX';
      o.RSTX = reason.RSTX;
      this.touchOrder(o);
      for (const key of freed) this.fillBackorders(key);
      return { order: o, changed: true };
    });
    return { order: clone(result.order), changed: result.changed };
  }

  /** Pick release (admin, `manual` mode): releases every committed line of an order not on hold. */
  releaseOrder(doco: number): SimOrder {
    const order = this.transact(() => {
      const o = this.orderOr404(doco);
      this.assertOpen(o);
      if (o.HOLD) throw new SimError(409, 'STS004', `order ${doco} is on hold (${o.HOLD}: ${o.HLDS}); release the hold first`);
      if (this.release(o) > 0) this.touchOrder(o);
      return o;
    });
    return clone(order);
  }

  /** Credit release (admin): lifts an order's hold, allocates and (in `auto` mode) releases it. */
  releaseHold(doco: number): SimOrder {
    const order = this.transact(() => {
      const o = this.orderOr404(doco);
      this.assertOpen(o);
      if (!o.HOLD) return o;
      o.HOLD = '';
      o.HLDS = undefined;
      for (const line of o.LINES) this.allocate(o, line);
      this.autoRelease(o);
      this.touchOrder(o);
      return o;
    });
    return clone(order);
  }

  /**
   * Ship confirm: records what left the warehouse against released lines (partial shipments allowed), decrements
   * on-hand and issues one invoice for the shipment. Idempotent on `SHPREF`.
   */
  confirmShipment(doco: number, input: SimShipInput): { order: SimOrder; created: boolean } {
    const result = this.transact(() => {
      const o = this.orderOr404(doco);
      const previous = this.shipmentRefs.get(input.SHPREF);
      if (previous === doco) return { order: o, created: false };
      if (previous !== undefined) throw new SimError(409, 'SHP002', `shipment reference ${input.SHPREF} was already confirmed on order ${previous}`, 'SHPREF');
      const targets = this.linesFor(o, input.LINES.map((l) => l.LNID));
      input.LINES.forEach((requested, i) => {
        const line = targets[i]!;
        if (line.SOCN >= line.UORG) throw new SimError(409, 'SHP001', `line ${line.LNID} is cancelled`, `LINES.${i}.LNID`);
        if (!line.RLSJ) throw new SimError(409, 'SHP001', `line ${line.LNID} is not released to the warehouse (status ${line.LTTR})`, `LINES.${i}.LNID`);
        if (requested.SOQS > line.QCOM) {
          throw new SimError(409, 'SHP003', `line ${line.LNID}: ${requested.SOQS} ${line.UOM} confirmed but only ${line.QCOM} ${line.UOM} released and unshipped`, `LINES.${i}.SOQS`);
        }
      });
      const shipped: Array<{ line: SimOrderLine; qty: number }> = [];
      input.LINES.forEach((requested, i) => {
        const line = targets[i]!;
        if (requested.SOQS === 0) return;
        const f = this.factor(this.items.get(line.LITM)!, line.UOM)!;
        const balance = this.balance(line.LITM, line.MCU);
        balance.PQOH -= requested.SOQS * f;
        balance.PCOM -= requested.SOQS * f;
        this.touchBalance(balance);
        line.QCOM -= requested.SOQS;
        line.SOQS += requested.SOQS;
        this.tx!.demand.add(balanceKey(line.LITM, line.MCU));
        shipped.push({ line, qty: requested.SOQS });
      });
      if (shipped.length === 0) throw new SimError(422, 'SHP004', 'a shipment needs at least one line with a quantity', 'LINES');
      const shpj = input.SHPJ ?? this.today();
      const invoice = this.issueInvoice(o, shipped, input.SHPREF, shpj);
      const shipment: SimShipment = {
        SHPN: ++this.counters.shipment, SHPREF: input.SHPREF, CARS: input.CARS, TRKN: input.TRKN, SHPJ: shpj,
        SHTM: input.SHTM ?? toTimeOfDay(this.now()), DOC: invoice.DOC, LINES: shipped.map((s) => ({ LNID: s.line.LNID, SOQS: s.qty })),
      };
      o.SHIPMENTS.push(shipment);
      this.shipmentRefs.set(input.SHPREF, doco);
      this.touchOrder(o);
      return { order: o, created: true };
    });
    return { order: clone(result.order), created: result.created };
  }

  // ---------------------------------------------------------------- stock

  /**
   * Sets the on-hand quantity of an item at a branch (admin stock count): more stock fills waiting backorders; the
   * reorder-point check is not run (use {@link ErpSimPurchasing.replenish}).
   */
  setStock(input: { LITM: string; MCU: string; PQOH: number }): SimBalanceRow[] {
    this.transact(() => {
      const item = this.items.get(input.LITM);
      if (!item) throw new SimError(404, 'ITM001', `item ${input.LITM} is not in the item master`, 'LITM');
      this.branchOr422(input.MCU, 'MCU');
      const balance = this.balance(item.LITM, input.MCU);
      const grew = input.PQOH > balance.PQOH;
      balance.PQOH = input.PQOH;
      this.touchBalance(balance);
      if (grew) this.fillBackorders(balanceKey(item.LITM, input.MCU));
    });
    return this.listBalances({ LITM: input.LITM, max: 10 }).ROWS;
  }

  /** Stock arrives at a branch (admin): on-hand grows and backorders fill in order-date order. */
  receiveStock(input: { LITM: string; MCU: string; TRQT: number }): SimBalanceRow[] {
    this.transact(() => {
      const item = this.items.get(input.LITM);
      if (!item) throw new SimError(422, 'ITM001', `item ${input.LITM} is not in the item master`, 'LITM');
      this.branchOr422(input.MCU, 'MCU');
      const balance = this.balance(item.LITM, input.MCU);
      balance.PQOH += input.TRQT;
      this.touchBalance(balance);
      this.fillBackorders(balanceKey(item.LITM, input.MCU));
    });
    return this.listBalances({ LITM: input.LITM, max: 10 }).ROWS;
  }

  // ---------------------------------------------------------------- invoices and payments

  /** One invoice (`RI`) or credit memo (`RM`). */
  getInvoice(dct: 'RI' | 'RM', doc: number): SimInvoice {
    const invoice = this.invoices.get(`${dct}${doc}`);
    if (!invoice) throw new SimError(404, 'INV001', `${dct} ${doc} does not exist`);
    return clone(invoice);
  }

  /** Invoices and credit memos, optionally of one order or customer. */
  listInvoices(query: { DOCO?: number | undefined; AN8?: number | undefined; DCT?: 'RI' | 'RM' | undefined }): SimInvoice[] {
    return [...this.invoices.values()]
      .filter((i) => (query.DOCO === undefined || i.DOCO === query.DOCO) && (query.AN8 === undefined || i.AN8 === query.AN8) && (!query.DCT || i.DCT === query.DCT))
      .map(clone);
  }

  /** Posts a receipt against an invoice (admin); idempotent on check number + invoice. Closes fully paid orders. */
  postPayment(input: SimPaymentInput): { payment: SimPayment; created: boolean } {
    const result = this.transact(() => {
      const invoice = this.invoices.get(`RI${input.DOC}`);
      if (!invoice) throw new SimError(404, 'PAY001', `invoice RI ${input.DOC} does not exist`, 'DOC');
      if (input.CKNU !== undefined) {
        const existing = [...this.payments.values()].find((p) => p.CKNU === input.CKNU && p.DOC === input.DOC);
        if (existing) return { payment: existing, created: false };
      }
      const amount = toUnits(input.PAAP);
      const open = toUnits(invoice.AAP);
      if (amount <= 0n || amount > open) {
        throw new SimError(422, 'PAY002', `payment ${input.PAAP} must be positive and at most the open amount ${invoice.AAP} of invoice ${invoice.DOC}`, 'PAAP');
      }
      const now = this.now();
      const pyid = ++this.counters.payment;
      const payment: SimPayment = {
        PYID: pyid, AN8: invoice.AN8, DOC: invoice.DOC, DCT: 'RI', CKNU: input.CKNU ?? `PY${pyid}`, PYIN: input.PYIN ?? 'C',
        PAAP: formatUnits(amount), CRCD: invoice.CRCD, DMTJ: input.DMTJ ?? this.today(), UPMJ: this.today(), TDAY: toTimeOfDay(now),
      };
      this.payments.set(pyid, payment);
      invoice.AAP = formatUnits(open - amount);
      if (open - amount === 0n) invoice.PST = 'P';
      invoice.UPMJ = payment.UPMJ;
      invoice.TDAY = payment.TDAY;
      this.tx!.documents.push({ TYP: 'PY', payment });
      if (invoice.DOCO !== undefined) this.closeIfSettled(this.orders.get(invoice.DOCO));
      return { payment, created: true };
    });
    return { payment: clone(result.payment), created: result.created };
  }

  // ---------------------------------------------------------------- returns

  /** One return. */
  getReturn(rman: number): SimReturn {
    const rma = this.returns.get(rman);
    if (!rma) throw new SimError(404, 'RMA001', `return ${rman} does not exist`);
    return clone(rma);
  }

  /** Returns, optionally by external reference. */
  listReturns(query: { EXTREF?: string | undefined }): SimReturn[] {
    const all = [...this.returns.values()];
    return (query.EXTREF === undefined ? all : all.filter((r) => r.EXTREF === query.EXTREF)).map(clone);
  }

  /**
   * Requests a return: authorised when every line was shipped to this customer and not already returned, otherwise
   * rejected with the reason (a business outcome, not an error). Idempotent on `EXTREF`.
   */
  createReturn(input: SimReturnInput): { rma: SimReturn; created: boolean } {
    const result = this.transact(() => {
      const existing = this.returnRefs.get(input.EXTREF);
      if (existing !== undefined) return { rma: this.returns.get(existing)!, created: false };
      const customer = this.customerRow(input.AN8, 'AN8');
      const mcu = input.MCU ?? customer.MCU;
      this.branchOr422(mcu, 'MCU');
      const lines: SimReturnLine[] = [];
      const nextLine = lineNumbering();
      let rejection: string | undefined;
      const pending = new Map<string, number>();
      input.LINES.forEach((requested, i) => {
        const field = `LINES.${i}`;
        const number = nextLine(requested.LNID, field);
        const item = this.items.get(requested.LITM);
        if (!item) throw new SimError(422, 'ITM001', `item ${requested.LITM} is not in the item master`, `${field}.LITM`);
        const uom = (requested.UOM ?? item.UOM1) as SimUom;
        const f = this.factor(item, uom);
        if (f === undefined) throw new SimError(422, 'ITM003', `unit of measure ${requested.UOM} is not defined for item ${item.LITM}`, `${field}.UOM`);
        const line: SimReturnLine = { LNID: formatLnid(number), LITM: item.LITM, UOM: uom, UORG: requested.UORG, QRCV: 0, RCD: requested.RCD, UPRC: '0.0000' };
        lines.push(line);
        const reject = (why: string) => {
          rejection ??= `line ${line.LNID}: ${why}`;
        };
        const hasOrderRef = requested.ODOC !== undefined || requested.OEXT !== undefined;
        const order = requested.ODOC !== undefined ? this.orders.get(requested.ODOC) : requested.OEXT !== undefined ? this.orders.get(this.orderRefs.get(requested.OEXT)?.[0] ?? -1) : undefined;
        if (hasOrderRef && !order) return reject(`original order ${requested.ODOC ?? requested.OEXT} not found`);
        if (order) {
          line.ODOC = order.DOCO;
          if (order.AN8 !== customer.AN8) return reject(`order ${order.DOCO} belongs to another customer`);
          const orderLine = requested.OLNID !== undefined ? order.LINES.find((l) => parseLnid(l.LNID) === parseLnid(requested.OLNID!)) : order.LINES.find((l) => l.LITM === item.LITM);
          if (!orderLine) return reject(`order ${order.DOCO} has no line ${requested.OLNID ?? `for item ${item.LITM}`}`);
          line.OLNID = orderLine.LNID;
          line.UPRC = orderLine.UPRC;
          if (orderLine.LITM !== item.LITM) return reject(`order ${order.DOCO} line ${orderLine.LNID} is item ${orderLine.LITM}, not ${item.LITM}`);
          if (orderLine.UOM !== uom) return reject(`unit ${uom} differs from the order line's unit ${orderLine.UOM}`);
          if (orderLine.SOQS === 0) return reject(`order ${order.DOCO} line ${orderLine.LNID} has not shipped`);
          const key = `${order.DOCO}|${orderLine.LNID}`;
          const already = this.returnedQuantity((l) => l.ODOC === order.DOCO && l.OLNID === orderLine.LNID) + (pending.get(key) ?? 0);
          pending.set(key, (pending.get(key) ?? 0) + requested.UORG);
          if (requested.UORG > orderLine.SOQS - already) {
            return reject(`return quantity ${requested.UORG} exceeds the quantity shipped and not yet returned (${Math.max(0, orderLine.SOQS - already)} ${uom})`);
          }
          return;
        }
        // No original order: the customer must have been shipped at least this much of the item overall.
        line.UPRC = this.unitPrice(customer.AN8, item, uom, requested.UORG);
        const key = `*|${item.LITM}`;
        let shippedBase = 0;
        for (const o of this.orders.values()) {
          if (o.AN8 !== customer.AN8) continue;
          for (const l of o.LINES) if (l.LITM === item.LITM) shippedBase += l.SOQS * this.factor(item, l.UOM)!;
        }
        const returnedBase = this.returnedQuantity((l, r) => r.AN8 === customer.AN8 && l.LITM === item.LITM, item) + (pending.get(key) ?? 0);
        pending.set(key, (pending.get(key) ?? 0) + requested.UORG * f);
        if (shippedBase === 0) return reject(`item ${item.LITM} was never shipped to customer ${customer.AN8}`);
        if (requested.UORG * f > shippedBase - returnedBase) {
          return reject(`return quantity ${requested.UORG} ${uom} exceeds what was shipped and not yet returned`);
        }
      });
      lines.sort((a, b) => lineCompare(a.LNID, b.LNID));
      const now = this.now();
      const rma: SimReturn = {
        RMAN: ++this.counters.rma, DCTO: 'CO', EXTREF: input.EXTREF, AN8: customer.AN8, MCU: mcu, TRDJ: this.today(),
        LTTR: rejection ? simReturnStatus.rejected : simReturnStatus.authorized, RJRS: rejection, LINES: lines,
        UPMJ: this.today(), TDAY: toTimeOfDay(now),
      };
      this.returns.set(rma.RMAN, rma);
      this.returnRefs.set(rma.EXTREF, rma.RMAN);
      return { rma, created: true };
    });
    return { rma: clone(result.rma), created: result.created };
  }

  /**
   * Receives an authorised return (once): restocks what came back (filling backorders) and issues a credit memo for
   * it. Receiving a received or credited return again changes nothing.
   */
  receiveReturn(rman: number, input: { LINES: Array<{ LNID: string; QTY: number }> }): { rma: SimReturn; changed: boolean } {
    const result = this.transact(() => {
      const rma = this.returns.get(rman);
      if (!rma) throw new SimError(404, 'RMA001', `return ${rman} does not exist`);
      if (rma.LTTR === simReturnStatus.rejected) throw new SimError(409, 'RMA002', `return ${rman} was rejected: ${rma.RJRS}`);
      if (rma.LTTR !== simReturnStatus.authorized) return { rma, changed: false };
      const seen = new Set<number>();
      const targets = input.LINES.map((requested, i) => {
        const n = parseLnid(requested.LNID);
        const line = rma.LINES.find((l) => parseLnid(l.LNID) === n);
        if (!line) throw new SimError(422, 'LIN003', `return ${rman} has no line ${requested.LNID}`, `LINES.${i}.LNID`);
        if (seen.has(n)) throw new SimError(400, 'LIN002', `line number ${requested.LNID} is used twice`, `LINES.${i}.LNID`);
        seen.add(n);
        if (requested.QTY > line.UORG) throw new SimError(422, 'RMA003', `line ${line.LNID}: ${requested.QTY} received but only ${line.UORG} authorised`, `LINES.${i}.QTY`);
        return line;
      });
      const restocked = new Set<string>();
      input.LINES.forEach((requested, i) => {
        const line = targets[i]!;
        line.QRCV = requested.QTY;
        if (requested.QTY > 0) {
          const balance = this.balance(line.LITM, rma.MCU);
          balance.PQOH += requested.QTY * this.factor(this.items.get(line.LITM)!, line.UOM)!;
          this.touchBalance(balance);
          restocked.add(balanceKey(line.LITM, rma.MCU));
        }
      });
      rma.LTTR = simReturnStatus.received;
      const received = rma.LINES.filter((l) => l.QRCV > 0);
      if (received.length > 0) {
        const memo = this.issueCreditMemo(rma, received);
        rma.CMDOC = memo.DOC;
        rma.LTTR = simReturnStatus.credited;
      }
      rma.UPMJ = this.today();
      rma.TDAY = toTimeOfDay(this.now());
      for (const key of restocked) this.fillBackorders(key);
      return { rma, changed: true };
    });
    return { rma: clone(result.rma), changed: result.changed };
  }

  // ---------------------------------------------------------------- change feed and stats

  /** Changes with a sequence number above `after`, oldest first, at most `limit`. */
  changesAfter(after: number, limit: number): SimChangesPage {
    const start = Math.max(0, Math.floor(after));
    return { CHANGES: clone(this.changes.slice(start, start + limit)), LASTSEQ: this.changes.length };
  }

  /** Counts for the test harness. */
  stats(): ErpSimStats {
    const ordersByExternalRef: Record<string, number> = {};
    for (const o of this.orders.values()) if (o.EXTREF !== undefined) ordersByExternalRef[o.EXTREF] = (ordersByExternalRef[o.EXTREF] ?? 0) + 1;
    const invoices = [...this.invoices.values()];
    return {
      orders: this.orders.size,
      ordersByExternalRef,
      duplicateExternalRefs: Object.entries(ordersByExternalRef).filter(([, n]) => n > 1).map(([ref]) => ref),
      invoices: invoices.filter((i) => i.DCT === 'RI').length,
      creditMemos: invoices.filter((i) => i.DCT === 'RM').length,
      payments: this.payments.size,
      returns: this.returns.size,
      ...this.purchasing.stats(),
      lastSeq: this.changes.length,
    };
  }

  // ---------------------------------------------------------------- internals

  private today(): JulianDate {
    return toJulian(this.now());
  }

  private transact<T>(fn: () => T): T {
    if (this.tx) return fn();
    const tx: Tx = { orders: new Set(), purchaseOrders: new Set(), balances: new Set(), demand: new Set(), documents: [] };
    this.tx = tx;
    try {
      const result = fn();
      if (this.settings.autoReplenish && tx.demand.size > 0) this.purchasing.replenishKeys(tx.demand);
      this.flush(tx);
      return result;
    } finally {
      this.tx = undefined;
    }
  }

  /** Stamps what the transaction touched and appends one change per sales order, purchase order, item and document. */
  private flush(tx: Tx): void {
    const now = this.now();
    const stamp = { UPMJ: toJulian(now), TDAY: toTimeOfDay(now) };
    const push = (change: Omit<SimChange, 'SEQ'>) => this.changes.push({ ...change, SEQ: this.changes.length + 1 } as SimChange);
    for (const doco of [...tx.orders].sort((a, b) => a - b)) {
      const o = this.orders.get(doco)!;
      this.refreshOrder(o);
      Object.assign(o, stamp);
      push({ TYP: 'SO', KEY: String(doco), ...stamp, DATA: clone(o) });
    }
    for (const doco of [...tx.purchaseOrders].sort((a, b) => a - b)) {
      const po = this.purchasing.refresh(doco);
      Object.assign(po, stamp);
      push({ TYP: 'OP', KEY: String(doco), ...stamp, DATA: clone(po) });
    }
    const items = new Set([...tx.balances].map((k) => k.split('|')[0]!));
    for (const litm of [...items].sort()) {
      const rows = [...this.balances.values()].filter((b) => b.LITM === litm);
      for (const row of rows) {
        row.PAVL = row.PQOH - row.PCOM;
        Object.assign(row, this.purchasing.supplyOf(row.LITM, row.MCU));
        if (tx.balances.has(balanceKey(row.LITM, row.MCU))) Object.assign(row, stamp);
      }
      push({ TYP: 'IV', KEY: litm, ...stamp, DATA: clone(rows) });
    }
    for (const doc of tx.documents) {
      if (doc.TYP === 'PY') push({ TYP: 'PY', KEY: String(doc.payment.PYID), ...stamp, DATA: clone(doc.payment) });
      else if (doc.TYP === 'OV') push({ TYP: 'OV', KEY: `OV ${doc.receipt.RCTN}`, ...stamp, DATA: clone(doc.receipt) });
      else if (doc.TYP === 'PV') push({ TYP: 'PV', KEY: `PV ${doc.voucher.DOC}`, ...stamp, DATA: clone(doc.voucher) });
      else push({ TYP: doc.TYP, KEY: `${doc.TYP} ${doc.invoice.DOC}`, ...stamp, DATA: clone(doc.invoice) } as Omit<SimChange, 'SEQ'>);
    }
  }

  private touchOrder(o: SimOrder): void {
    this.tx?.orders.add(o.DOCO);
  }

  private touchBalance(b: SimBalanceRow): void {
    this.tx?.balances.add(balanceKey(b.LITM, b.MCU));
  }

  private orderOr404(doco: number): SimOrder {
    const o = this.orders.get(doco);
    if (!o) throw new SimError(404, 'DOC001', `order ${doco} SO does not exist`);
    return o;
  }

  private assertOpen(o: SimOrder): void {
    if (o.LINES.every((l) => l.SOCN >= l.UORG)) throw new SimError(409, 'STS002', `order ${o.DOCO} is cancelled`);
    if (o.CLSJ) throw new SimError(409, 'STS002', `order ${o.DOCO} is closed`);
  }

  private assertChangeable(o: SimOrder, line: SimOrderLine): void {
    if (line.SOCN >= line.UORG) throw new SimError(409, 'STS003', `order ${o.DOCO} line ${line.LNID} is cancelled`);
    if (line.RLSJ > 0 || line.SOQS > 0) {
      throw new SimError(409, 'STS001', `order ${o.DOCO} line ${line.LNID} is released to the warehouse (status ${line.LTTR}); changes are not allowed`);
    }
  }

  private linesFor(o: SimOrder, lnids: string[]): SimOrderLine[] {
    if (lnids.length === 0) throw new SimError(400, 'VAL001', 'at least one line is required', 'LINES');
    const seen = new Set<number>();
    return lnids.map((lnid, i) => {
      const n = parseLnid(lnid);
      const line = o.LINES.find((l) => parseLnid(l.LNID) === n);
      if (!line) throw new SimError(422, 'LIN003', `order ${o.DOCO} has no line ${lnid}`, `LINES.${i}.LNID`);
      if (seen.has(n)) throw new SimError(400, 'LIN002', `line number ${lnid} is used twice`, `LINES.${i}.LNID`);
      seen.add(n);
      return line;
    });
  }

  private customerRow(an8: number, field: string, status = 422): SimAddressRow {
    const row = this.addresses.get(an8);
    if (!row || row.AT1 !== 'C') throw new SimError(status, 'AN8001', `address number ${an8} is not a customer`, field);
    return row;
  }

  private shipToRow(customer: SimAddressRow, shan: number | undefined): SimAddressRow {
    if (shan === undefined) {
      return [...this.addresses.values()].find((a) => a.AT1 === 'ST' && a.PA8 === customer.AN8) ?? customer;
    }
    if (shan === customer.AN8) return customer;
    const row = this.addresses.get(shan);
    if (!row || row.AT1 !== 'ST' || row.PA8 !== customer.AN8) {
      throw new SimError(422, 'AN8002', `ship-to ${shan} is not a ship-to address of customer ${customer.AN8}`, 'SHAN');
    }
    return row;
  }

  private branchOr422(mcu: string, field: string): void {
    if (!this.master.company.BRANCHES.some((b) => b.MCU === mcu)) {
      throw new SimError(422, 'MCU001', `branch/plant ${mcu} does not exist (use ${this.master.company.BRANCHES.map((b) => b.MCU).join(', ')})`, field);
    }
  }

  private resolveItem(an8: number, litm: string | undefined, citm: string | undefined, field: string): SimItemRow {
    let item: SimItemRow | undefined;
    if (litm !== undefined) {
      item = this.items.get(litm);
      if (!item) throw new SimError(422, 'ITM001', `item ${litm} is not in the item master`, `${field}.LITM`);
    } else if (citm !== undefined) {
      item = [...this.items.values()].find((i) => i.XREF.some((x) => (x.XRT === 'C' && x.AN8 === an8 && x.CITM === citm) || (x.XRT === 'UP' && x.CITM === citm)));
      if (!item) throw new SimError(422, 'ITM004', `customer item ${citm} has no cross-reference for customer ${an8}`, `${field}.CITM`);
    } else {
      throw new SimError(400, 'VAL001', 'a line needs LITM or CITM', field);
    }
    if (item.STKT === 'O') throw new SimError(422, 'ITM002', `item ${item.LITM} is obsolete and cannot be ordered`, `${field}.LITM`);
    return item;
  }

  private unitsOf(item: SimItemRow): SimUom[] {
    return [item.UOM1, ...item.UMCV.map((c) => c.UM)];
  }

  /** Primary units per one `uom` (1 for the primary unit), undefined when the item has no such unit. */
  private factor(item: SimItemRow, uom: string): number | undefined {
    if (uom === item.UOM1) return 1;
    const conversion = item.UMCV.find((c) => c.UM === uom);
    return conversion ? Number(conversion.CONV) : undefined;
  }

  private balance(litm: string, mcu: string): SimBalanceRow {
    const key = balanceKey(litm, mcu);
    let row = this.balances.get(key);
    if (!row) {
      const item = this.items.get(litm)!;
      row = { LITM: litm, MCU: mcu, UOM: item.UOM1, PQOH: 0, PCOM: 0, PBCK: 0, PAVL: 0, PQOO: 0, PQIT: 0, INBD: [], UPMJ: this.today(), TDAY: toTimeOfDay(this.now()) };
      this.balances.set(key, row);
    }
    return row;
  }

  /** Unit price per `uom` for a quantity: the customer's contract book first, then the list book; tiers on primary units. */
  private unitPrice(an8: number, item: SimItemRow, uom: SimUom, quantity: number): string {
    const today = this.today();
    const f = this.factor(item, uom) ?? 1;
    const rows = (this.pricesByItem.get(item.LITM) ?? []).filter((p) => p.EFTJ <= today && (p.EXDJ === 0 || p.EXDJ >= today));
    const row = rows.find((p) => p.AN8 === an8) ?? rows.find((p) => p.PRBK === 'LIST');
    if (!row) return '0.0000';
    const primaryQuantity = quantity * f;
    const tier = [...row.BRKS].reverse().find((b) => primaryQuantity >= b.MNQ) ?? row.BRKS[0]!;
    return formatUnits(toUnits(tier.UPRC) * BigInt(f), 4);
  }

  private exposure(an8: number): { openAr: bigint; openOrders: bigint } {
    let openAr = 0n;
    for (const i of this.invoices.values()) if (i.AN8 === an8) openAr += toUnits(i.AAP);
    let openOrders = 0n;
    for (const o of this.orders.values()) {
      if (o.AN8 !== an8 || o.HOLD || o.CLSJ) continue;
      for (const l of o.LINES) openOrders += toUnits(l.UPRC) * BigInt(Math.max(0, l.UORG - l.SOQS - l.SOCN));
    }
    return { openAr, openOrders };
  }

  /** Allocates what is available of a line's unallocated quantity; the rest is backordered. */
  private allocate(o: SimOrder, line: SimOrderLine): void {
    if (line.SOCN >= line.UORG) return;
    const item = this.items.get(line.LITM)!;
    const f = this.factor(item, line.UOM)!;
    const want = line.UORG - line.SOCN - line.SOQS - line.QCOM;
    const balance = this.balance(line.LITM, line.MCU);
    const allocatable = Math.max(0, Math.min(want, Math.floor((balance.PQOH - balance.PCOM) / f)));
    const backordered = want - allocatable;
    if (allocatable === 0 && backordered === line.SOBK) return;
    balance.PCOM += allocatable * f;
    balance.PBCK += (backordered - line.SOBK) * f;
    line.QCOM += allocatable;
    line.SOBK = backordered;
    const today = this.today();
    line.PDDJ = backordered > 0 ? addDaysJulian(today, 14) : Math.max(line.DRQJ, addDaysJulian(today, 2));
    this.touchBalance(balance);
    this.tx?.demand.add(balanceKey(line.LITM, line.MCU));
    this.touchOrder(o);
  }

  /** Gives a line's committed and backordered quantities back. */
  private free(o: SimOrder, line: SimOrderLine): void {
    if (line.QCOM === 0 && line.SOBK === 0) return;
    const f = this.factor(this.items.get(line.LITM)!, line.UOM)!;
    const balance = this.balance(line.LITM, line.MCU);
    balance.PCOM -= line.QCOM * f;
    balance.PBCK -= line.SOBK * f;
    line.QCOM = 0;
    line.SOBK = 0;
    line.PDDJ = 0;
    this.touchBalance(balance);
    this.touchOrder(o);
  }

  private autoRelease(o: SimOrder): void {
    if (this.settings.releaseMode === 'auto') this.release(o);
  }

  private release(o: SimOrder): number {
    if (o.HOLD) return 0;
    let released = 0;
    for (const line of o.LINES) {
      if (line.RLSJ === 0 && line.QCOM > 0 && line.SOCN < line.UORG) {
        line.RLSJ = this.today();
        released += 1;
      }
    }
    if (released > 0) this.touchOrder(o);
    return released;
  }

  /** Allocates stock of one item at one branch to waiting backorders, oldest order first. */
  private fillBackorders(key: string): void {
    const [litm, mcu] = key.split('|') as [string, string];
    const waiting: Array<{ o: SimOrder; line: SimOrderLine }> = [];
    for (const o of this.orders.values()) {
      if (o.HOLD || o.CLSJ) continue;
      for (const line of o.LINES) if (line.LITM === litm && line.MCU === mcu && line.SOBK > 0) waiting.push({ o, line });
    }
    waiting.sort((a, b) => a.o.TRDJ - b.o.TRDJ || a.o.TRTM - b.o.TRTM || a.o.DOCO - b.o.DOCO || lineCompare(a.line.LNID, b.line.LNID));
    for (const { o, line } of waiting) {
      const before = line.SOBK;
      this.allocate(o, line);
      if (line.SOBK !== before) this.autoRelease(o);
    }
  }

  /** Recomputes line statuses, extended prices, header status and order total. */
  private refreshOrder(o: SimOrder): void {
    let total = 0n;
    for (const line of o.LINES) {
      const [last, next] = this.lineStatus(o, line);
      line.LTTR = last;
      line.NXTR = next;
      const amount = toUnits(line.UPRC) * BigInt(line.UORG - Math.min(line.SOCN, line.UORG));
      line.AEXP = formatUnits(amount);
      total += toUnits(line.AEXP);
    }
    const open = o.LINES.filter((l) => l.LTTR !== simOrderStatus.cancelled);
    o.LTTR = open.length ? (Math.min(...open.map((l) => l.LTTR)) as SimOrderStatusCode) : simOrderStatus.cancelled;
    o.NXTR = open.length ? (Math.min(...open.map((l) => l.NXTR)) as SimOrderStatusCode) : simOrderStatus.done;
    o.OTOT = formatUnits(total);
  }

  private lineStatus(o: SimOrder, line: SimOrderLine): [SimOrderStatusCode, SimOrderStatusCode] {
    const s = simOrderStatus;
    if (line.SOCN >= line.UORG) return [s.cancelled, s.done];
    if (line.SOQS >= line.UORG - line.SOCN) return o.CLSJ ? [s.closed, s.done] : [s.invoiced, s.closed];
    if (line.SOQS > 0) return [s.partiallyShipped, s.shipConfirmed];
    if (line.RLSJ > 0) return [s.released, s.shipConfirmed];
    if (o.HOLD) return [s.creditHold, s.allocated];
    if (line.SOBK > 0) return [s.backordered, s.allocated];
    if (line.QCOM > 0) return [s.allocated, s.released];
    return [s.entered, s.allocated];
  }

  private addressBlock(an8: number): SimAddressBlock {
    const a = this.addresses.get(an8)!;
    return { AN8: a.AN8, ALPH: a.ALPH, ADD1: a.ADD1, CTY1: a.CTY1, ADDS: a.ADDS, ADDZ: a.ADDZ, CTR: a.CTR };
  }

  private issueInvoice(o: SimOrder, shipped: Array<{ line: SimOrderLine; qty: number }>, shpref: string, divj: JulianDate): SimInvoice {
    const lines: SimInvoiceLine[] = shipped.map(({ line, qty }, k) => ({
      LNID: formatLnid(k + 1), OLNID: line.LNID, LITM: line.LITM, DSC1: line.DSC1, UOM: line.UOM, QTY: qty, UPRC: line.UPRC,
      AEXP: formatUnits(toUnits(line.UPRC) * BigInt(qty)),
    }));
    const terms = this.terms.get(o.PTC);
    const invoice = this.buildInvoice('RI', ++this.counters.invoice, o.AN8, o.SHAN, lines, divj, addDaysJulian(divj, terms?.NDTP ?? 30), o.PTC, o.CRCD);
    Object.assign(invoice, { DOCO: o.DOCO, DCTO: 'SO', EXTREF: o.EXTREF, VR01: o.VR01, SHPREF: shpref });
    this.invoices.set(`RI${invoice.DOC}`, invoice);
    this.tx!.documents.push({ TYP: 'RI', invoice });
    return invoice;
  }

  private issueCreditMemo(rma: SimReturn, received: SimReturnLine[]): SimInvoice {
    const lines: SimInvoiceLine[] = received.map((line, k) => ({
      LNID: formatLnid(k + 1), OLNID: line.OLNID, LITM: line.LITM, DSC1: this.items.get(line.LITM)!.DSC1, UOM: line.UOM, QTY: line.QRCV,
      UPRC: line.UPRC, AEXP: formatUnits(-toUnits(line.UPRC) * BigInt(line.QRCV)),
    }));
    const order = received.map((l) => (l.ODOC !== undefined ? this.orders.get(l.ODOC) : undefined)).find((o) => o !== undefined);
    const customer = this.addresses.get(rma.AN8)!;
    const shan = order?.SHAN ?? [...this.addresses.values()].find((a) => a.AT1 === 'ST' && a.PA8 === rma.AN8)?.AN8 ?? rma.AN8;
    const today = this.today();
    const memo = this.buildInvoice('RM', ++this.counters.credit, rma.AN8, shan, lines, today, today, customer.TRAR ?? 'N30', customer.CRCD ?? this.master.company.CRCD);
    Object.assign(memo, { DOCO: order?.DOCO, DCTO: order ? 'SO' : undefined, EXTREF: order?.EXTREF, VR01: order?.VR01, RMAN: rma.RMAN, RMAEXT: rma.EXTREF });
    this.invoices.set(`RM${memo.DOC}`, memo);
    this.tx!.documents.push({ TYP: 'RM', invoice: memo });
    return memo;
  }

  private buildInvoice(dct: 'RI' | 'RM', doc: number, an8: number, shan: number, lines: SimInvoiceLine[], divj: JulianDate, ddj: JulianDate, ptc: string, crcd: string): SimInvoice {
    const rate = this.addresses.get(shan)?.TXR1 ?? '0';
    let net = 0n;
    let taxable = 0n;
    for (const line of lines) {
      const amount = toUnits(line.AEXP);
      net += amount;
      if (this.items.get(line.LITM)?.TAX1 === 'Y') taxable += amount;
    }
    const tax = percentOf(taxable, rate);
    const now = this.now();
    return {
      DOC: doc, DCT: dct, KCO: this.master.company.KCOO, AN8: an8, SHAN: shan, DIVJ: divj, DDJ: ddj, PTC: ptc, CRCD: crcd, TXR1: rate,
      AEXP: formatUnits(net), ATXA: formatUnits(taxable), STAM: formatUnits(tax), AG: formatUnits(net + tax), AAP: formatUnits(net + tax),
      PST: 'A', BLTO: this.addressBlock(an8), LINES: lines, UPMJ: toJulian(now), TDAY: toTimeOfDay(now),
    };
  }

  /** Sum of quantities on non-rejected returns matching a line filter (in primary units when `item` is given). */
  private returnedQuantity(match: (line: SimReturnLine, rma: SimReturn) => boolean, item?: SimItemRow): number {
    let total = 0;
    for (const rma of this.returns.values()) {
      if (rma.LTTR === simReturnStatus.rejected) continue;
      for (const line of rma.LINES) if (match(line, rma)) total += item ? line.UORG * this.factor(item, line.UOM)! : line.UORG;
    }
    return total;
  }

  private closeIfSettled(o: SimOrder | undefined): void {
    if (!o || o.CLSJ) return;
    const allShipped = o.LINES.every((l) => l.SOCN >= l.UORG || l.SOQS >= l.UORG - l.SOCN);
    const invoices = o.SHIPMENTS.map((s) => this.invoices.get(`RI${s.DOC}`)!);
    if (allShipped && invoices.length > 0 && invoices.every((i) => i.PST === 'P')) {
      o.CLSJ = this.today();
      this.touchOrder(o);
    }
  }
}
