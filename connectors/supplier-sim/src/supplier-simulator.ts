import { setMaxListeners } from 'node:events';
import type { AcknowledgmentSubmission, AsnSubmission, SupplierInvoiceSubmission, SupplierPurchaseOrderView } from '@tradelane/core';
import { committedFromView, planAcknowledgment, type CommittedLine } from './plans/acknowledgment.plan.js';
import { addDays } from './plans/decimal.js';
import { planInvoice } from './plans/invoice.plan.js';
import { planShipments } from './plans/shipment.plan.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';
import { realClock, type SimClock } from './sim-clock.js';
import { parseSupplierSimInput, supplierSimOptionsSchema, type SupplierConfig, type SupplierSimOptionsInput } from './supplier-sim-config.schema.js';
import { SupplierSimRecorder, type SupplierSimStats } from './supplier-sim.stats.js';
import { createConcurrencyLimiter } from './transport/concurrency-limiter.js';
import { createSupplierApiClient, type CallKind, type HubOutcome, type SupplierApiClient } from './transport/supplier-api.client.js';

/** Options of {@link createSupplierSimulator}: the validated settings plus the clock. */
export interface SupplierSimulatorOptions extends SupplierSimOptionsInput {
  /** Time source and scheduler of every simulated delay. @default realClock */
  clock?: SimClock | undefined;
}

/** Options of `runUntilIdle`. */
export interface RunUntilIdleOptions {
  /** Real-time limit; the promise rejects when it passes. @default 120000 */
  timeoutMs?: number | undefined;
}

/** A running population of simulated suppliers. */
export interface SupplierSimulator {
  /** The suppliers with their resolved behaviours. */
  readonly suppliers: readonly SupplierConfig[];
  /** Starts polling (idempotent). */
  start(): void;
  /** Stops polling, cancels pending waits and resolves once every task has ended. */
  stop(): Promise<void>;
  /**
   * Starts if needed and resolves when nothing is left to do: no task in flight (acknowledgments, ASNs, invoices,
   * duplicates still to send) and one full poll of every supplier found nothing new. Orders waiting for a buyer's
   * decision on an exception do not keep it busy.
   */
  runUntilIdle(options?: RunUntilIdleOptions): Promise<SupplierSimStats>;
  /** Exact counts per outcome and latency percentiles so far. */
  stats(): SupplierSimStats;
  /** Request→response latencies (real ms, one per attempt) of one kind of call. */
  latencySamples(kind: CallKind): number[];
}

interface FollowUp {
  poNumber: string;
  revision: number;
}

interface SupplierState {
  config: SupplierConfig;
  client: SupplierApiClient;
  /** `<purchase order id>@<revision>` already answered (or being answered). */
  answered: Set<string>;
  /** Orders whose acknowledgment is held as an exception, by id. */
  followUps: Map<string, FollowUp>;
  followUpSince: string | undefined;
  quietAtSeq: number;
}

class Stopped extends Error {}

/**
 * Creates a population of simulated suppliers that poll the hub's supplier API for purchase orders awaiting
 * acknowledgment and answer each revision per their behaviour: acknowledgment → ASN(s) → invoice.
 * @example
 * const sim = createSupplierSimulator({ hubUrl, seed: 7, suppliers: generateSuppliers({ count: 250, seed: 7 }), clock: scaledClock({ scale: 0.001 }) });
 * const stats = await sim.runUntilIdle(); await sim.stop();
 */
export function createSupplierSimulator(options: SupplierSimulatorOptions): SupplierSimulator {
  const { clock: givenClock, ...settings } = options;
  const cfg = parseSupplierSimInput(supplierSimOptionsSchema, settings, 'supplier simulator options');
  const clock = givenClock ?? realClock;
  const ids = new Set<string>();
  for (const s of cfg.suppliers) {
    if (ids.has(s.supplierId)) throw new RangeError(`supplier ${s.supplierId} is configured twice`);
    ids.add(s.supplierId);
  }
  const recorder = new SupplierSimRecorder();
  const limiter = createConcurrencyLimiter(cfg.concurrency);
  let abort = stopSignal();
  let running = false;
  const loops = new Set<Promise<void>>();
  const tasks = new Set<Promise<void>>();
  let activitySeq = 0;
  let idleWaiters: Array<() => void> = [];

  const states: SupplierState[] = cfg.suppliers.map((config) => ({
    config,
    client: createSupplierApiClient({
      hubUrl: cfg.hubUrl,
      apiKey: config.apiKey,
      clock,
      limiter,
      retry: cfg.retry,
      timeoutMs: cfg.requestTimeoutMs,
      random: seededRandom(cfg.seed, `${config.supplierId}/backoff`).next,
      get signal() {
        return abort.signal;
      },
      observer: { attempt: (kind, latencyMs) => recorder.attempt(kind, latencyMs) },
    }),
    answered: new Set(),
    followUps: new Map(),
    followUpSince: undefined,
    quietAtSeq: -1,
  }));

  const c = recorder.counts;
  const sleep = async (ms: number) => {
    if (abort.signal.aborted) throw new Stopped();
    try {
      await clock.sleep(ms, abort.signal);
    } catch {
      throw new Stopped();
    }
    if (abort.signal.aborted) throw new Stopped();
  };
  const draw = (random: SeededRandom, range: { min: number; max: number }) => random.int(range.min, range.max);
  const idempotencyKey = (s: SupplierState, kind: string, documentNumber: string, copy: number) => `sim-${s.config.supplierId}-${kind}-${documentNumber}-${copy}`;

  function checkIdle(): void {
    if (tasks.size > 0 || !running) return;
    if (!states.every((s) => s.quietAtSeq === activitySeq)) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  function spawn(work: () => Promise<void>): void {
    activitySeq++;
    const p: Promise<void> = work()
      .catch((err: unknown) => {
        if (err instanceof Stopped) return;
        c.errors++;
        recorder.failure(err instanceof Error ? err.message : String(err));
      })
      .finally(() => {
        tasks.delete(p);
        activitySeq++;
        checkIdle();
      });
    tasks.add(p);
  }

  function tally<T>(outcome: HubOutcome<T>, counter: { rejected: number; failed: number }): void {
    recorder.attempts(outcome.attempts);
    if (outcome.kind === 'rejected') {
      counter.rejected++;
      recorder.rejected(outcome.code);
    } else if (outcome.kind === 'failed') {
      if (outcome.error === 'stopped') throw new Stopped();
      counter.failed++;
      c.errors++;
      recorder.failure(`${outcome.error}${outcome.status ? ` (HTTP ${outcome.status})` : ''} after ${outcome.attempts} attempts`);
    }
  }

  async function sendAck(s: SupplierState, poId: string, submission: AcknowledgmentSubmission, copy: number) {
    const outcome = await s.client.acknowledge(poId, submission, idempotencyKey(s, 'ack', submission.acknowledgmentNumber!, copy));
    c.acknowledgments.sent++;
    if (copy > 0) c.duplicatesSent.acknowledgments++;
    tally(outcome, c.acknowledgments);
    if (outcome.kind === 'ok') {
      const o = outcome.body.outcome;
      if (o === 'Applied') c.acknowledgments.applied++;
      else if (o === 'Exception') c.acknowledgments.exception++;
      else c.acknowledgments.duplicate++;
    }
    return outcome;
  }

  async function sendAsn(s: SupplierState, submission: AsnSubmission, copy: number) {
    const outcome = await s.client.submitAsn(submission, idempotencyKey(s, 'asn', submission.asnNumber, copy));
    c.asns.sent++;
    if (copy > 0) c.duplicatesSent.asns++;
    tally(outcome, c.asns);
    if (outcome.kind === 'ok') {
      if (outcome.body?.duplicate) c.asns.duplicate++;
      else c.asns.accepted++;
    }
    return outcome;
  }

  async function sendInvoice(s: SupplierState, submission: SupplierInvoiceSubmission, copy: number) {
    const outcome = await s.client.submitInvoice(submission, idempotencyKey(s, 'inv', submission.invoiceNumber, copy));
    c.invoices.sent++;
    if (copy > 0) c.duplicatesSent.invoices++;
    tally(outcome, c.invoices);
    if (outcome.kind === 'ok') {
      const status = outcome.body?.status;
      if (outcome.body?.duplicate) c.invoices.duplicate++;
      else if (status === 'Approved' || status === 'Paid') c.invoices.approved++;
      else if (status === 'Disputed') c.invoices.disputed++;
      else if (status === 'Received') c.invoices.waiting++;
      else c.invoices.other++;
    }
    return outcome;
  }

  /** Sends a second copy of a message later, as its own task, when the behaviour draws a duplicate. */
  function maybeDuplicate(s: SupplierState, random: SeededRandom, send: () => Promise<unknown>): void {
    const d = s.config.behaviour.duplicates;
    if (!random.chance(d.probability)) return;
    const wait = draw(random, d.delayMs);
    spawn(async () => {
      await sleep(wait);
      await send();
    });
  }

  async function shipAndInvoice(s: SupplierState, poNumber: string, currency: string, committed: CommittedLine[], streamKey: string): Promise<void> {
    const b = s.config.behaviour;
    const shipRandom = seededRandom(cfg.seed, `${streamKey}/ship`);
    const dupRandom = seededRandom(cfg.seed, `${streamKey}/ship-dup`);
    const planned = planShipments(poNumber, committed, b.ship, shipRandom);
    const sent: AsnSubmission[] = [];
    for (const asn of planned) {
      await sleep(asn.delayMs);
      const outcome = await sendAsn(s, asn.submission, 0);
      if (outcome.kind !== 'ok') continue;
      sent.push(asn.submission);
      maybeDuplicate(s, dupRandom, () => sendAsn(s, asn.submission, 1));
    }
    const invoice = planInvoice(poNumber, currency, committed, sent, b.invoice);
    if (!invoice) return;
    await sleep(draw(shipRandom, b.invoice.delayMs));
    const outcome = await sendInvoice(s, invoice, 0);
    if (outcome.kind === 'ok') maybeDuplicate(s, dupRandom, () => sendInvoice(s, invoice, 1));
  }

  async function updateAvailability(s: SupplierState, po: SupplierPurchaseOrderView, random: SeededRandom): Promise<void> {
    const a = s.config.behaviour.availability;
    if (!random.chance(a.probability)) return;
    const skus = [...new Map(po.lines.map((l) => [l.sku, l])).values()];
    for (const line of skus) {
      const available = draw(random, a.available);
      const outcome = await s.client.updateAvailability(line.sku, {
        available: String(available),
        unit: line.unit,
        leadTimeDays: a.leadTimeDays,
        ...(available === 0 ? { nextAvailableDate: addDays(line.requestedDate, a.leadTimeDays) } : {}),
      });
      c.availability.sent++;
      tally(outcome, c.availability);
      if (outcome.kind === 'ok') c.availability.accepted++;
    }
  }

  async function answer(s: SupplierState, po: SupplierPurchaseOrderView): Promise<void> {
    const b = s.config.behaviour;
    const streamKey = `${s.config.supplierId}/${po.poNumber}/r${po.revision}`;
    const timingRandom = seededRandom(cfg.seed, `${streamKey}/timing`);
    if (b.ack.timing === 'never') {
      c.acknowledgments.withheld++;
      return;
    }
    let wait = draw(timingRandom, b.ack.delayMs);
    if (b.ack.timing === 'late') {
      const due = po.acknowledgmentDueBy ? Date.parse(po.acknowledgmentDueBy) : NaN;
      wait = Number.isFinite(due) ? Math.max(0, due - clock.now().getTime()) + b.ack.lateByMs : b.ack.lateDelayMs;
    }
    await sleep(wait);
    const plan = planAcknowledgment(po, b, seededRandom(cfg.seed, `${streamKey}/ack`), `ACK-${po.poNumber}-R${po.revision}`);
    c.acknowledgments.byAction[plan.action]++;
    if (b.ack.timing === 'late') c.acknowledgments.late++;
    const outcome = await sendAck(s, po.id, plan.submission, 0);
    if (outcome.kind !== 'ok') return;
    const dupRandom = seededRandom(cfg.seed, `${streamKey}/ack-dup`);
    maybeDuplicate(s, dupRandom, () => sendAck(s, po.id, plan.submission, 1));
    await updateAvailability(s, po, seededRandom(cfg.seed, `${streamKey}/availability`));
    if (outcome.body.outcome === 'Applied') {
      await shipAndInvoice(s, po.poNumber, po.currency, plan.committed, streamKey);
    } else if (outcome.body.outcome === 'Exception') {
      s.followUps.set(po.id, { poNumber: po.poNumber, revision: po.revision });
      if (s.followUpSince === undefined || outcome.body.receivedAt < s.followUpSince) s.followUpSince = outcome.body.receivedAt;
    }
  }

  /** Lists every page of a query; null when a page failed after retries, empty when the hub refused it (4xx). */
  async function listAll(s: SupplierState, query: { awaitingAcknowledgment?: boolean; updatedSince?: string }): Promise<SupplierPurchaseOrderView[] | null> {
    const items: SupplierPurchaseOrderView[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.client.listPurchaseOrders({ ...query, limit: cfg.pageSize, ...(cursor ? { cursor } : {}) });
      c.polls.count++;
      recorder.attempts(page.attempts);
      if (page.kind !== 'ok') {
        if (page.kind === 'failed' && page.error === 'stopped') throw new Stopped();
        c.polls.failed++;
        if (page.kind === 'failed') return null;
        recorder.rejected(page.code);
        return [];
      }
      items.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  async function followUp(s: SupplierState): Promise<void> {
    if (s.followUps.size === 0 || s.followUpSince === undefined) return;
    const changed = await listAll(s, { updatedSince: s.followUpSince });
    if (!changed) return;
    for (const po of changed) {
      if (po.updatedAt > s.followUpSince) s.followUpSince = po.updatedAt;
      const pending = s.followUps.get(po.id);
      if (!pending) continue;
      if (po.awaitingAcknowledgment && po.revision !== pending.revision) {
        s.followUps.delete(po.id);
      } else if (po.status === 'Acknowledged') {
        s.followUps.delete(po.id);
        c.followUps.shipped++;
        const committed = committedFromView(po);
        spawn(() => shipAndInvoice(s, po.poNumber, po.currency, committed, `${s.config.supplierId}/${po.poNumber}/r${po.revision}/decided`));
      } else if (po.status !== 'InException' && po.status !== 'New' && po.status !== 'Changed') {
        s.followUps.delete(po.id);
        c.followUps.closed++;
      }
    }
  }

  async function pollOnce(s: SupplierState): Promise<void> {
    const seqAtStart = activitySeq;
    const awaiting = await listAll(s, { awaitingAcknowledgment: true });
    let found = false;
    for (const po of awaiting ?? []) {
      const key = `${po.id}@${po.revision}`;
      if (s.answered.has(key) || !po.awaitingAcknowledgment) continue;
      s.answered.add(key);
      c.purchaseOrderRevisions++;
      found = true;
      spawn(() => answer(s, po));
    }
    await followUp(s);
    s.quietAtSeq = awaiting !== null && !found ? seqAtStart : -1;
    checkIdle();
  }

  async function loop(s: SupplierState): Promise<void> {
    try {
      while (!abort.signal.aborted) {
        await pollOnce(s);
        await sleep(cfg.pollIntervalMs);
      }
    } catch (err) {
      if (!(err instanceof Stopped)) throw err;
    }
  }

  const sim: SupplierSimulator = {
    suppliers: cfg.suppliers,
    start() {
      if (running) return;
      running = true;
      if (abort.signal.aborted) abort = stopSignal();
      for (const s of states) {
        const p = loop(s).finally(() => loops.delete(p));
        loops.add(p);
      }
    },
    async stop() {
      if (!running) return;
      abort.abort();
      while (loops.size > 0 || tasks.size > 0) await Promise.allSettled([...loops, ...tasks]);
      running = false;
    },
    async runUntilIdle(opts = {}) {
      sim.start();
      const timeoutMs = opts.timeoutMs ?? 120_000;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          idleWaiters = idleWaiters.filter((w) => w !== done);
          reject(new Error(`supplier simulator not idle after ${timeoutMs} ms: ${tasks.size} tasks in flight`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.push(done);
        checkIdle();
      });
      return sim.stats();
    },
    stats: () => recorder.snapshot(states.reduce((n, s) => n + s.followUps.size, 0)),
    latencySamples: (kind) => recorder.latencySamples(kind),
  };
  return sim;
}

/** The controller whose signal stops every supplier's waits and requests: one listener each, however many suppliers. */
function stopSignal(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
