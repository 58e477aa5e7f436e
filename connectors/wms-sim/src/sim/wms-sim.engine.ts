import type { WmsApiEvent, WmsInboundReceiveRequest, WmsInboundRequest, WmsInboundStatus, WmsOrderStatus, WmsOutboundOrderRequest, WmsReceiptRequest } from '../codec/wms-api.codec.js';
import { hashSeed, unitHash } from '../shared/seeded-random.js';
import { bookWithCarrier, CarrierBookingError, supportedCarriers, type CarrierBooking, type CarrierBookingRequest } from './carrier-booking.client.js';
import { buildSscc } from './sscc.js';

/** Behaviour of the simulated warehouse; every field can be changed at run time. */
export interface WmsSimSettings {
  /** Carrier (SCAC) used when a release names none. */
  defaultCarrier: string;
  /** Units short on the first pick of every line of these SKUs, e.g. `{ 'SKU-B': 2 }`. */
  shortPicks: Record<string, number>;
  /** Share of lines (0-1) short-picked by half on the first pick, chosen deterministically from seed, order and line. */
  shortPickRate: number;
  /** Short quantities are picked later (replenishment) and ship as a further shipment; false ships short and closes. */
  completeShortPicks: boolean;
  /** Most order lines in one LPN (package). */
  maxLinesPerLpn: number;
  /** Most units in one LPN; 0 for no limit. */
  maxUnitsPerLpn: number;
  /** Most order lines in one shipment, so a manifest can split an order into several shipments; 0 for no limit. */
  maxLinesPerShipment: number;
  /** GS1 company prefix of the SSCCs on LPN labels. */
  gs1CompanyPrefix: string;
  /** Timer that advances every open order one stage; 0 turns it off. */
  autoAdvanceMs: number;
  /** Timeout of each carrier booking call. */
  carrierTimeoutMs: number;
  /** Delay after which an announced inbound shipment is received in full (counted from its latest announcement); 0 never. */
  inboundReceiveMs: number;
}

/** Settings when none are given. */
export const defaultWmsSimSettings: WmsSimSettings = {
  defaultCarrier: 'PRCL',
  shortPicks: {},
  shortPickRate: 0,
  completeShortPicks: true,
  maxLinesPerLpn: 2,
  maxUnitsPerLpn: 0,
  maxLinesPerShipment: 0,
  gs1CompanyPrefix: '0614141',
  autoAdvanceMs: 0,
  carrierTimeoutMs: 5000,
  inboundReceiveMs: 0,
};

/** One order line's quantity inside an LPN or a shipment. */
export interface Content {
  lineNo: number;
  itemCode: string;
  qty: number;
}
/** An outbound order line with its running quantities. */
export interface ObLine {
  lineNo: number;
  itemCode: string;
  uom: WmsOutboundOrderRequest['lines'][number]['uom'];
  qtyOrdered: number;
  qtyPicked: number;
  qtyShipped: number;
  /** Short-picked and not yet picked again. */
  qtyOpenShort: number;
}
/** A pick task of a wave (one per order line). */
export interface PickTask {
  taskId: string;
  lineNo: number;
  itemCode: string;
  uom: ObLine['uom'];
  qtyRequested: number;
  qtyPicked: number;
  taskStatus: 'OPEN' | 'DONE' | 'SHORT';
}
/** A license plate: one packed container with its SSCC label. */
export interface Lpn {
  lpn: string;
  sscc: string;
  weightKg: number;
  contents: Content[];
}
/** A manifested shipment: LPNs booked with a carrier under one tracking number. */
export interface WmsShipment {
  shipmentNo: string;
  carrierScac: string;
  carrierName: string;
  serviceCode: string;
  trackingNo: string;
  lpns: string[];
  contents: Content[];
}
/** One wave of an order: its pick tasks, then LPNs, then shipments (a later wave picks short quantities). */
export interface Wave {
  waveNo: string;
  round: number;
  tasks: PickTask[];
  lpns: Lpn[];
  shipments: WmsShipment[];
}

/** An outbound order as the simulated WMS holds it. */
export interface ObOrder {
  obOrderId: string;
  clientRef: string;
  request: WmsOutboundOrderRequest;
  carrierScac: string;
  service: string | undefined;
  status: WmsOrderStatus;
  lines: ObLine[];
  waves: Wave[];
  lastError: string | undefined;
  busy: boolean;
}

/** An inbound receipt as the simulated WMS holds it. */
export interface WmsReceipt {
  receiptNo: string;
  request: WmsReceiptRequest;
}

/** One line of an inbound shipment: expected, and received once the shipment is received. */
export interface InboundLine {
  poNo: string;
  poLineNo: number;
  itemCode: string;
  uom: WmsInboundRequest['lines'][number]['uom'];
  qtyExpected: number;
  qtyReceived: number;
}

/** An expected inbound shipment (from a supplier's ship notice) as the simulated WMS holds it. */
export interface WmsInbound {
  inboundId: string;
  inboundRef: string;
  request: WmsInboundRequest;
  status: WmsInboundStatus;
  /** 1 when announced, +1 on each replacement. */
  revision: number;
  /** Clock time (ms) of the latest announcement; automatic receiving counts from here. */
  announcedAtMs: number;
  lines: InboundLine[];
  /** Receipt number once received. */
  receiptNo: string | undefined;
}

/** What one advance did to one order. */
export interface WmsAdvanceResult {
  obOrderId: string;
  clientRef: string;
  from: WmsOrderStatus;
  to: WmsOrderStatus;
  error?: string;
}

/** A refusal by the simulated WMS, with the HTTP status it answers with. */
export class WmsSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WmsSimError';
  }
}

/** Engine options. */
export interface WmsEngineOptions {
  seed: number;
  /** Carrier API base URL per SCAC, e.g. `{ PRCL: 'http://127.0.0.1:4101' }`. */
  carrierUrls: Record<string, string>;
  settings: WmsSimSettings;
  now?: () => Date;
  /** How a manifest books a shipment with a carrier. @default bookWithCarrier over HTTP */
  book?: (baseUrl: string, req: CarrierBookingRequest, timeoutMs: number) => Promise<CarrierBooking>;
}

const FINAL: readonly WmsOrderStatus[] = ['SHIPPED', 'SHORTSHIPPED'];
const stable = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(stable) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, stable(x)])) : v;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(stable(a)) === JSON.stringify(stable(b));
const inboundLines = (r: WmsInboundRequest): InboundLine[] =>
  r.lines.map((l) => ({ poNo: l.poNo, poLineNo: l.poLineNo, itemCode: l.itemCode, uom: l.uom, qtyExpected: l.qtyExpected, qtyReceived: 0 }));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

type OrderEventBody =
  | { eventType: 'WAVE_RELEASED'; waveNo: string }
  | { eventType: 'PICK_CONFIRMED'; waveNo: string; tasks: PickTask[] }
  | { eventType: 'PACK_COMPLETE'; waveNo: string; lpns: Lpn[] }
  | Omit<WmsShipment, 'carrierName' | 'serviceCode'> & { eventType: 'SHIP_CONFIRMED'; carrierName: string; serviceCode: string };

/** The simulated warehouse: outbound orders through wave, pick, pack and manifest; receipts; inbound shipments; one event log. */
export class WmsEngine {
  readonly settings: WmsSimSettings;
  private readonly orders = new Map<string, ObOrder>();
  private readonly byRef = new Map<string, ObOrder>();
  private readonly receipts = new Map<string, WmsReceipt>();
  private readonly inbounds = new Map<string, WmsInbound>();
  private readonly inboundByRef = new Map<string, WmsInbound>();
  private readonly log: WmsApiEvent[] = [];
  private readonly now: () => Date;
  private readonly book: NonNullable<WmsEngineOptions['book']>;
  private readonly ssccBase: number;
  private counters = { order: 0, wave: 0, lpn: 0, receipt: 0, inbound: 0 };

  constructor(private readonly options: WmsEngineOptions) {
    this.settings = options.settings;
    this.now = options.now ?? (() => new Date());
    this.book = options.book ?? bookWithCarrier;
    this.ssccBase = hashSeed('sscc', options.seed) % 100_000_000;
  }

  /** Accepts an order release, or returns the order already released under `clientRef` (`duplicate: true`). */
  release(request: WmsOutboundOrderRequest): { order: ObOrder; duplicate: boolean } {
    const existing = this.byRef.get(request.clientRef);
    if (existing) return { order: existing, duplicate: true };
    const lineNos = new Set<number>();
    for (const l of request.lines) {
      if (lineNos.has(l.lineNo)) throw new WmsSimError(400, 'DUPLICATE_LINE', `line ${l.lineNo} appears twice`);
      lineNos.add(l.lineNo);
    }
    const carrierScac = request.carrier?.scac ?? this.settings.defaultCarrier;
    if (!supportedCarriers[carrierScac]) throw new WmsSimError(422, 'CARRIER_NOT_SUPPORTED', `no shipping integration for carrier ${carrierScac}`);
    if (!this.options.carrierUrls[carrierScac]) throw new WmsSimError(422, 'CARRIER_NOT_CONFIGURED', `carrier ${carrierScac} has no URL configured`);
    this.counters.order += 1;
    const order: ObOrder = {
      obOrderId: `OB${pad(this.counters.order, 6)}`,
      clientRef: request.clientRef,
      request,
      carrierScac,
      service: request.carrier?.service,
      status: 'RELEASED',
      lines: request.lines.map((l) => ({ lineNo: l.lineNo, itemCode: l.itemCode, uom: l.uom, qtyOrdered: l.qtyOrdered, qtyPicked: 0, qtyShipped: 0, qtyOpenShort: 0 })),
      waves: [],
      lastError: undefined,
      busy: false,
    };
    this.orders.set(order.obOrderId, order);
    this.byRef.set(order.clientRef, order);
    return { order, duplicate: false };
  }

  /** Records an inbound receipt (closed at once), or returns the one recorded under `receiptRef`. */
  receive(request: WmsReceiptRequest): { receipt: WmsReceipt; duplicate: boolean } {
    const existing = this.receipts.get(request.receiptRef);
    if (existing) return { receipt: existing, duplicate: true };
    this.counters.receipt += 1;
    const receipt = { receiptNo: `RC${pad(this.counters.receipt, 6)}`, request };
    this.receipts.set(request.receiptRef, receipt);
    this.log.push({
      seq: this.log.length + 1,
      eventTs: this.now().toISOString(),
      facility: request.facility,
      eventType: 'RECEIPT_CLOSED',
      receiptNo: receipt.receiptNo,
      receiptRef: request.receiptRef,
      receiptType: request.receiptType,
      lines: request.lines.map((l) => ({ itemCode: l.itemCode, qtyReceived: l.qtyReceived, uom: l.uom })),
    });
    return { receipt, duplicate: false };
  }

  /**
   * Announces an inbound shipment. The same `inboundRef` with the same content returns the existing one
   * (`outcome: 'duplicate'`); changed content replaces it while it is `EXPECTED` (`'replaced'`, next revision, the
   * automatic receipt delay restarts) and is refused with 409 once it is `RECEIVED`.
   */
  announceInbound(request: WmsInboundRequest): { inbound: WmsInbound; outcome: 'created' | 'duplicate' | 'replaced' } {
    const keys = new Set<string>();
    for (const l of request.lines) {
      const key = `${l.poNo}#${l.poLineNo}`;
      if (keys.has(key)) throw new WmsSimError(400, 'DUPLICATE_LINE', `PO ${l.poNo} line ${l.poLineNo} appears twice`);
      keys.add(key);
    }
    const existing = this.inboundByRef.get(request.inboundRef);
    if (existing) {
      if (sameJson(existing.request, request)) return { inbound: existing, outcome: 'duplicate' };
      if (existing.status !== 'EXPECTED') {
        throw new WmsSimError(409, 'INBOUND_ALREADY_RECEIVED', `inbound ${existing.inboundId} (${request.inboundRef}) is ${existing.status} and can no longer change`);
      }
      existing.request = structuredClone(request);
      existing.revision += 1;
      existing.announcedAtMs = this.now().getTime();
      existing.lines = inboundLines(request);
      this.emitInboundExpected(existing);
      return { inbound: existing, outcome: 'replaced' };
    }
    this.counters.inbound += 1;
    const inbound: WmsInbound = {
      inboundId: `IB${pad(this.counters.inbound, 6)}`,
      inboundRef: request.inboundRef,
      request: structuredClone(request),
      status: 'EXPECTED',
      revision: 1,
      announcedAtMs: this.now().getTime(),
      lines: inboundLines(request),
      receiptNo: undefined,
    };
    this.inbounds.set(inbound.inboundId, inbound);
    this.inboundByRef.set(inbound.inboundRef, inbound);
    this.emitInboundExpected(inbound);
    return { inbound, outcome: 'created' };
  }

  /** An inbound shipment by WMS id or inbound reference. */
  findInbound(key: string): WmsInbound | undefined {
    return this.inbounds.get(key) ?? this.inboundByRef.get(key);
  }

  /**
   * Receives an inbound shipment now and closes it (`RECEIPT_CLOSED`): in full without `lines`, else exactly the
   * given quantities (short, over or 0; lines not named count as 0). 404 unknown, 409 already received, 400 a line
   * that is not on the shipment, named twice, or nothing received at all.
   */
  receiveInbound(key: string, request: WmsInboundReceiveRequest = {}): WmsInbound {
    const inbound = this.findInbound(key);
    if (!inbound) throw new WmsSimError(404, 'INBOUND_NOT_FOUND', `no inbound shipment ${key}`);
    if (inbound.status === 'RECEIVED') throw new WmsSimError(409, 'INBOUND_ALREADY_RECEIVED', `inbound ${inbound.inboundId} (${inbound.inboundRef}) was already received as ${inbound.receiptNo}`);
    let quantities: number[];
    if (!request.lines) quantities = inbound.lines.map((l) => l.qtyExpected);
    else {
      quantities = inbound.lines.map(() => 0);
      const named = new Set<number>();
      for (const r of request.lines) {
        const i = inbound.lines.findIndex((l) => l.poNo === r.poNo && l.poLineNo === r.poLineNo);
        if (i < 0) throw new WmsSimError(400, 'LINE_NOT_ON_INBOUND', `PO ${r.poNo} line ${r.poLineNo} is not on inbound ${inbound.inboundId}`);
        if (named.has(i)) throw new WmsSimError(400, 'DUPLICATE_LINE', `PO ${r.poNo} line ${r.poLineNo} appears twice`);
        named.add(i);
        quantities[i] = r.qtyReceived;
      }
      if (quantities.every((q) => q === 0)) throw new WmsSimError(400, 'NOTHING_RECEIVED', `a receipt of inbound ${inbound.inboundId} needs at least one unit`);
    }
    this.counters.receipt += 1;
    inbound.receiptNo = `RC${pad(this.counters.receipt, 6)}`;
    inbound.status = 'RECEIVED';
    inbound.lines.forEach((l, i) => (l.qtyReceived = quantities[i]!));
    this.log.push({
      seq: this.log.length + 1,
      eventTs: this.now().toISOString(),
      facility: inbound.request.facility,
      eventType: 'RECEIPT_CLOSED',
      receiptNo: inbound.receiptNo,
      receiptRef: inbound.inboundRef,
      receiptType: 'PURCHASE',
      inboundId: inbound.inboundId,
      asnNo: inbound.request.asnNo,
      lines: inbound.lines
        .filter((l) => l.qtyReceived > 0)
        .map((l) => ({ itemCode: l.itemCode, qtyReceived: l.qtyReceived, uom: l.uom, poNo: l.poNo, poLineNo: l.poLineNo, qtyExpected: l.qtyExpected })),
    });
    return inbound;
  }

  /** Receives in full every `EXPECTED` inbound whose automatic delay has passed (announcement order); none when the delay is 0. */
  receiveDueInbounds(): WmsInbound[] {
    const delay = this.settings.inboundReceiveMs;
    if (delay <= 0) return [];
    const nowMs = this.now().getTime();
    const due = [...this.inbounds.values()].filter((i) => i.status === 'EXPECTED' && i.announcedAtMs + delay <= nowMs);
    return due.map((i) => this.receiveInbound(i.inboundId));
  }

  /** An order by WMS id or client reference. */
  find(key: string): ObOrder | undefined {
    return this.orders.get(key) ?? this.byRef.get(key);
  }

  /** Every order. */
  list(): ObOrder[] {
    return [...this.orders.values()];
  }

  /** Events with `seq > after`, oldest first, at most `limit`. */
  eventsAfter(after: number, limit: number): { events: WmsApiEvent[]; more: boolean } {
    const start = Math.max(0, Math.min(after, this.log.length));
    const events = this.log.slice(start, start + limit);
    return { events, more: start + events.length < this.log.length };
  }

  /**
   * Advances one order (by id or reference) or every open order one stage; `toEnd` runs each to SHIPPED (or
   * SHORTSHIPPED), including the later pick of short quantities. A failed manifest leaves the order PACKED.
   */
  async advance(key?: string, options: { toEnd?: boolean } = {}): Promise<WmsAdvanceResult[]> {
    let targets: ObOrder[];
    if (key === undefined) targets = this.list().filter((o) => !FINAL.includes(o.status));
    else {
      const order = this.find(key);
      if (!order) throw new WmsSimError(404, 'ORDER_NOT_FOUND', `no outbound order ${key}`);
      targets = [order];
    }
    const results: WmsAdvanceResult[] = [];
    for (const order of targets) {
      if (order.busy) continue;
      order.busy = true;
      const from = order.status;
      try {
        let error = await this.step(order);
        while (options.toEnd && !error && !FINAL.includes(order.status)) error = await this.step(order);
        results.push({ obOrderId: order.obOrderId, clientRef: order.clientRef, from, to: order.status, ...(error ? { error } : {}) });
      } finally {
        order.busy = false;
      }
    }
    return results;
  }

  private emitInboundExpected(inbound: WmsInbound): void {
    const r = inbound.request;
    this.log.push({
      seq: this.log.length + 1,
      eventTs: this.now().toISOString(),
      facility: r.facility,
      eventType: 'INBOUND_EXPECTED',
      inboundId: inbound.inboundId,
      inboundRef: inbound.inboundRef,
      asnNo: r.asnNo,
      vendorId: r.vendorId,
      expectedDate: r.expectedDate,
      revision: inbound.revision,
      lines: r.lines.map((l) => ({ poNo: l.poNo, poLineNo: l.poLineNo, itemCode: l.itemCode, qtyExpected: l.qtyExpected, uom: l.uom })),
    });
  }

  private emit(order: ObOrder, body: OrderEventBody): void {
    this.log.push({
      seq: this.log.length + 1,
      eventTs: this.now().toISOString(),
      facility: order.request.facility,
      obOrderId: order.obOrderId,
      clientRef: order.clientRef,
      ...structuredClone(body),
    } as WmsApiEvent);
  }

  private shortFor(order: ObOrder, line: ObLine, qty: number): number {
    const fixed = this.settings.shortPicks[line.itemCode] ?? 0;
    const drawn = unitHash(this.options.seed, order.obOrderId, line.lineNo) < this.settings.shortPickRate ? Math.max(1, Math.floor(qty / 2)) : 0;
    return Math.min(qty, Math.max(fixed, drawn));
  }

  /** Runs the next stage of one order; returns an error text when the stage could not complete. */
  private async step(order: ObOrder): Promise<string | undefined> {
    const wave = order.waves.at(-1);
    switch (order.status) {
      case 'RELEASED':
      case 'BACKORDERED': {
        const round = order.waves.length + 1;
        this.counters.wave += 1;
        const waveNo = `WV${pad(this.counters.wave, 5)}`;
        const tasks: PickTask[] = order.lines
          .map((l) => ({ l, qty: round === 1 ? l.qtyOrdered : l.qtyOpenShort }))
          .filter(({ qty }) => qty > 0)
          .map(({ l, qty }) => ({ taskId: `${waveNo}-T${l.lineNo}`, lineNo: l.lineNo, itemCode: l.itemCode, uom: l.uom, qtyRequested: qty, qtyPicked: 0, taskStatus: 'OPEN' }));
        order.waves.push({ waveNo, round, tasks, lpns: [], shipments: [] });
        order.status = 'WAVED';
        this.emit(order, { eventType: 'WAVE_RELEASED', waveNo });
        return undefined;
      }
      case 'WAVED': {
        if (!wave) return 'no wave';
        for (const task of wave.tasks) {
          const line = order.lines.find((l) => l.lineNo === task.lineNo)!;
          const short = wave.round === 1 ? this.shortFor(order, line, task.qtyRequested) : 0;
          task.qtyPicked = task.qtyRequested - short;
          task.taskStatus = short > 0 ? 'SHORT' : 'DONE';
          line.qtyPicked += task.qtyPicked;
          line.qtyOpenShort = wave.round === 1 ? short : line.qtyOpenShort - task.qtyPicked;
        }
        this.emit(order, { eventType: 'PICK_CONFIRMED', waveNo: wave.waveNo, tasks: wave.tasks });
        const picked = wave.tasks.some((t) => t.qtyPicked > 0);
        order.status = picked ? 'PICKED' : this.afterShipping(order);
        return undefined;
      }
      case 'PICKED': {
        if (!wave) return 'no wave';
        wave.lpns = this.packLpns(wave.tasks.filter((t) => t.qtyPicked > 0).map((t) => ({ lineNo: t.lineNo, itemCode: t.itemCode, qty: t.qtyPicked })));
        order.status = 'PACKED';
        this.emit(order, { eventType: 'PACK_COMPLETE', waveNo: wave.waveNo, lpns: wave.lpns });
        return undefined;
      }
      case 'PACKED': {
        if (!wave) return 'no wave';
        return this.manifest(order, wave);
      }
      default:
        return undefined;
    }
  }

  private afterShipping(order: ObOrder): WmsOrderStatus {
    if (!order.lines.some((l) => l.qtyOpenShort > 0)) return 'SHIPPED';
    return this.settings.completeShortPicks ? 'BACKORDERED' : 'SHORTSHIPPED';
  }

  private packLpns(contents: Content[]): Lpn[] {
    const maxLines = Math.max(1, this.settings.maxLinesPerLpn);
    const maxUnits = this.settings.maxUnitsPerLpn;
    const lpns: Lpn[] = [];
    let current: Lpn | undefined;
    const units = (l: Lpn) => l.contents.reduce((n, c) => n + c.qty, 0);
    for (const c of contents) {
      let remaining = c.qty;
      while (remaining > 0) {
        if (!current || current.contents.length >= maxLines || (maxUnits > 0 && units(current) >= maxUnits)) {
          this.counters.lpn += 1;
          current = { lpn: `LPN${pad(this.counters.lpn, 7)}`, sscc: buildSscc(0, this.settings.gs1CompanyPrefix, this.ssccBase + this.counters.lpn), weightKg: 0, contents: [] };
          lpns.push(current);
        }
        const take = maxUnits > 0 ? Math.min(remaining, maxUnits - units(current)) : remaining;
        current.contents.push({ lineNo: c.lineNo, itemCode: c.itemCode, qty: take });
        remaining -= take;
      }
    }
    for (const l of lpns) l.weightKg = Math.round((0.4 + units(l) * 0.75) * 10) / 10;
    return lpns;
  }

  private groupShipments(lpns: Lpn[]): Lpn[][] {
    const max = this.settings.maxLinesPerShipment;
    if (max <= 0) return [lpns];
    const groups: Array<{ lpns: Lpn[]; lines: Set<number> }> = [];
    for (const lpn of lpns) {
      const lines = new Set(lpn.contents.map((c) => c.lineNo));
      const fit = groups.find((g) => new Set([...g.lines, ...lines]).size <= max);
      if (fit) {
        fit.lpns.push(lpn);
        for (const n of lines) fit.lines.add(n);
      } else groups.push({ lpns: [lpn], lines });
    }
    return groups.map((g) => g.lpns);
  }

  private async manifest(order: ObOrder, wave: Wave): Promise<string | undefined> {
    const baseUrl = this.options.carrierUrls[order.carrierScac];
    if (!baseUrl) return (order.lastError = `carrier ${order.carrierScac} has no URL configured`);
    const earlier = order.waves.slice(0, -1).reduce((n, w) => n + w.shipments.length, 0);
    const shipments: WmsShipment[] = [];
    const groups = this.groupShipments(wave.lpns);
    for (const [i, group] of groups.entries()) {
      const shipmentNo = `${order.obOrderId}-S${earlier + i + 1}`;
      try {
        const booking = await this.book(
          baseUrl,
          { scac: order.carrierScac, service: order.service, shipmentNo, shipTo: order.request.shipTo, lpns: group.map((l) => ({ sscc: l.sscc, weightKg: l.weightKg })) },
          this.settings.carrierTimeoutMs,
        );
        const contents = new Map<number, Content>();
        for (const c of group.flatMap((l) => l.contents)) {
          const sum = contents.get(c.lineNo);
          if (sum) sum.qty += c.qty;
          else contents.set(c.lineNo, { ...c });
        }
        shipments.push({
          shipmentNo,
          carrierScac: order.carrierScac,
          carrierName: booking.carrierName,
          serviceCode: booking.serviceCode,
          trackingNo: booking.trackingNo,
          lpns: group.map((l) => l.lpn),
          contents: [...contents.values()].sort((a, b) => a.lineNo - b.lineNo),
        });
      } catch (err) {
        order.lastError = err instanceof CarrierBookingError ? err.message : `carrier booking failed: ${String(err)}`;
        return order.lastError;
      }
    }
    wave.shipments = shipments;
    order.lastError = undefined;
    for (const s of shipments) {
      for (const c of s.contents) order.lines.find((l) => l.lineNo === c.lineNo)!.qtyShipped += c.qty;
      this.emit(order, { eventType: 'SHIP_CONFIRMED', ...s });
    }
    order.status = this.afterShipping(order);
    return undefined;
  }
}
