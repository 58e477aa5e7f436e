/**
 * Procure-to-pay through the whole hub (supplier API, PGlite store, outbox, flow engine, ERP connector, ERP and WMS
 * simulators in process), as `npm start` runs it, with a population of simulated suppliers.
 *
 * supplier-cycle: S suppliers are generated in the ERP simulator, each gets a supplier API key and a behaviour from a
 * fixed preset mix; P purchase orders (1–3 lines of items the supplier sells) are created and approved in the ERP. The
 * supplier simulator acknowledges, ships and invoices every one through `/v1/supplier`, while an operations loop works
 * the exceptions through `/v1/ops` (`accept_change` for out-of-tolerance acknowledgments, `approve_variance` for
 * invoice disputes) until every order is complete in the ERP: acknowledged once, received, its invoice approved (or
 * every line rejected). Counts per outcome are checked against the presets and the simulator's stats (exit 1 when
 * wrong).
 *
 * Figures: POs/s from the first approval to the last invoice approved in the ERP; ack-to-ERP p95, from the hub
 * accepting an acknowledgment (`receivedAt` of its answer) to the ERP simulator having applied it (timed in the
 * simulator's purchasing book), over the acknowledgments applied without a buyer. Baseline: the same number of
 * acknowledgments POSTed by the same concurrency straight to the ERP simulator's own acknowledgment API; acks/s through
 * the hub vs direct, and the ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemContext } from '@tradelane/core';
import { derivedId } from '@tradelane/connector-erp-sim';
import { createSupplierSimulator, generateSuppliers, scaledClock, type PresetName } from '@tradelane/connector-supplier-sim';
import { loadConfig, startServer, SUPPLIER_DEMO_SCOPES } from '@tradelane/server';
import { openPostgres, quoteIdent } from '@tradelane/store';

const SUPPLIERS = Number(process.env.TL_BENCH_P2P_SUPPLIERS ?? 250);
const POS = Number(process.env.TL_BENCH_P2P_POS ?? 5000);
const CONCURRENCY = Number(process.env.TL_BENCH_P2P_CONCURRENCY ?? 16);
const TIMEOUT_MS = Number(process.env.TL_BENCH_P2P_TIMEOUT_MS ?? 1_800_000);
/** Real ms per simulated ms of the supplier simulator (its delays are written in realistic ms). */
const TIME_SCALE = 0.05;
/** Each supplier polls the hub every 3 s of real time. */
const SUPPLIER_POLL_MS = 3_000 / TIME_SCALE;
const OPS_POLL_MS = 250;
const SEED = 7;
/** Server Postgres instead of PGlite: a throw-away database is created on it for the run, e.g. postgres://postgres@127.0.0.1:5432/test. */
const DATABASE_URL = process.env.TL_BENCH_DATABASE_URL;
const MIX: Partial<Record<PresetName, number>> = {
  reliable: 0.5,
  'tolerant-changer': 0.1,
  'out-of-tolerance': 0.1,
  'partial-shipper': 0.1,
  'price-variance-invoicer': 0.08,
  'duplicate-sender': 0.06,
  rejecter: 0.06,
};

const benchStart = performance.now();
/** Progress on stderr, with the seconds since the start. */
const progress = (message: string) => console.error(`p2p [${((performance.now() - benchStart) / 1000).toFixed(0)} s] ${message}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inParallel(count: number, clients: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${res.url}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

/** What the bench observes in the ERP simulator's purchasing book (in process), per purchase order. */
interface ErpObservations {
  acksApplied: Map<number, number[]>;
  receiptsCreated: Map<number, number>;
  vouchersCreated: Map<number, number>;
  voucherApprovedAt: Map<number, number>;
  duplicateVoucherCalls: number;
}

/**
 * JSON over a keep-alive agent of its own: the direct calls of the baseline do not reuse connections that sat idle
 * through the scenario (a request written on a socket the server is closing fails with ECONNRESET).
 */
function directClient() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    new Promise<any>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(url, { method, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${res.statusCode} ${method} ${url}: ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  return { call, close: () => agent.destroy() };
}

/** A fresh database on the server named by `TL_BENCH_DATABASE_URL`, dropped by `drop()`. */
async function throwAwayDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tl_bench_p2p_${process.pid}`;
  const admin = await openPostgres(url, { poolSize: 1 });
  await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.href,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.close();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-bench-p2p-'));
  const database = DATABASE_URL ? await throwAwayDatabase(DATABASE_URL) : undefined;
  const config = loadConfig({
    ...(database ? { DATABASE_URL: database.url } : {}),
    PORT: '0',
    TRADELANE_SERVER_HOST: '127.0.0.1',
    TRADELANE_DATA_DIR: dir,
    TRADELANE_SIM_PORT_BASE: '0',
    TRADELANE_SIM_SUPPLIERS: 'false',
    TRADELANE_SIM_WMS_INBOUND_MS: '200',
    TRADELANE_SIM_WMS_ADVANCE_MS: '0',
    TRADELANE_SIM_ADVANCE_MS: '0',
    TRADELANE_BUS_POLL_INTERVAL_MS: '20',
    TRADELANE_FLOWS_POLL_INTERVAL_MS: '20',
    TRADELANE_O2C_POLL_INTERVAL_MS: '100',
    TRADELANE_P2P_SWEEP_INTERVAL_MS: '5000',
    TRADELANE_LOG_LEVEL: 'error',
    TRADELANE_RATE_LIMIT_ENABLED: 'false',
  });
  const server = await startServer(config, { logger: pino({ level: process.env.TL_BENCH_P2P_LOG ?? 'error' }) });
  const realFetch = globalThis.fetch;
  try {
    const demo = await server.demo!;
    const erpSim = server.simulators.erp!;
    const erp = server.simulators.endpoints.erp!;
    const hub = server.url;
    const staffKey = demo.staff!.apiKey;
    const ctx = systemContext(demo.tenantId, 'bench-p2p', 'bench');

    // --- Observe the hub's HTTP answers (5xx; acknowledgment receipt times) and the ERP's purchasing book.
    const hub5xx: string[] = [];
    const ackReceivedAt = new Map<number, number>();
    globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      const res = await realFetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.startsWith(hub)) {
        if (res.status >= 500) hub5xx.push(`${init?.method ?? 'GET'} ${url} ${res.status}`);
        if (res.ok && init?.method === 'POST' && url.endsWith('/acknowledgments') && typeof init.body === 'string') {
          const ackNumber: string = JSON.parse(init.body).acknowledgmentNumber ?? '';
          const doco = Number(/^ACK-(\d+)-R/.exec(ackNumber)?.[1]);
          const answer = await res.clone().json();
          if (answer.outcome === 'Applied' && Number.isFinite(doco)) ackReceivedAt.set(doco, Date.parse(answer.receivedAt));
        }
      }
      return res;
    };
    const purchasing = erpSim.engine.purchasing;
    const seen: ErpObservations = { acksApplied: new Map(), receiptsCreated: new Map(), vouchersCreated: new Map(), voucherApprovedAt: new Map(), duplicateVoucherCalls: 0 };
    const bump = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
    const ack = purchasing.acknowledgePurchaseOrder.bind(purchasing);
    purchasing.acknowledgePurchaseOrder = (doco, input) => {
      const po = ack(doco, input);
      seen.acksApplied.set(doco, [...(seen.acksApplied.get(doco) ?? []), Date.now()]);
      return po;
    };
    const receive = purchasing.receivePurchaseOrder.bind(purchasing);
    purchasing.receivePurchaseOrder = (doco, input) => {
      const r = receive(doco, input);
      if (r.created) bump(seen.receiptsCreated, doco);
      return r;
    };
    const voucher = purchasing.recordVoucher.bind(purchasing);
    purchasing.recordVoucher = (input) => {
      const r = voucher(input);
      if (r.created) for (const doco of new Set(r.voucher.LINES.map((l) => l.DOCO))) bump(seen.vouchersCreated, doco);
      else seen.duplicateVoucherCalls++;
      return r;
    };
    const decide = purchasing.decideMatch.bind(purchasing);
    purchasing.decideMatch = (doc, decision) => {
      const r = decide(doc, decision);
      if (r.changed && r.voucher.MTCH === 'A') for (const doco of new Set(r.voucher.LINES.map((l) => l.DOCO))) seen.voucherApprovedAt.set(doco, performance.now());
      return r;
    };

    // --- Suppliers: generated in the ERP, a key each at the hub, a behaviour each from the mix.
    const rows = (await json(await realFetch(`${erp}/admin/suppliers/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: SUPPLIERS }) }))).ROWS as Array<{ AN8: number }>;
    const presets = generateSuppliers({ count: SUPPLIERS, seed: SEED, mix: MIX }).map((s) => s.preset);
    const suppliers: Array<{ an8: number; partyId: string; apiKey: string; preset: PresetName; items: string[] }> = [];
    for (const [i, row] of rows.entries()) {
      const partyId = derivedId('pty', demo.tenantId, 'party', String(row.AN8));
      const key = await server.runtime.orderToCash.apiKeys.createApiKey(ctx, { partnerId: partyId, scopes: SUPPLIER_DEMO_SCOPES });
      const catalog = (await json(await realFetch(`${erp}/supplier-items?AN8=${row.AN8}`))).ROWS as Array<{ LITM: string }>;
      suppliers.push({ an8: row.AN8, partyId, apiKey: key.apiKey, preset: presets[i]!, items: catalog.map((c) => c.LITM) });
    }

    // --- Purchase orders: P of them, round-robin over the suppliers, 1–3 lines of what the supplier sells.
    const random = rng(SEED);
    const plans = Array.from({ length: POS }, (_, i) => {
      const s = suppliers[i % SUPPLIERS]!;
      const lineCount = random.int(1, 3);
      const start = random.int(0, s.items.length - 1);
      const lines = Array.from({ length: lineCount }, (_, k) => ({ LITM: s.items[(start + k) % s.items.length]!, UORG: random.int(10, 200) }));
      return { supplier: s, ref: `P2P-BENCH-${i + 1}`, lines };
    });
    const docos: number[] = new Array(POS);
    await inParallel(POS, 8, async (i) => {
      const p = plans[i]!;
      const body = { AN8: p.supplier.an8, MCU: 'M10', EXTREF: p.ref, LINES: p.lines };
      docos[i] = (await json(await realFetch(`${erp}/purchase-orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))).ORDER.DOCO;
    });
    const docoPreset = new Map(docos.map((d, i) => [d, plans[i]!.supplier.preset]));

    // --- Operations: work the exceptions as they come.
    const opsHeaders = { authorization: `Bearer ${staffKey}` };
    const exceptionsByType: Record<string, number> = {};
    const resolved = new Set<string>();
    let opsRunning = true;
    const ACTION: Record<string, string> = { acknowledgment_out_of_tolerance: 'accept_change', invoice_dispute: 'approve_variance', promise_missed: 'acknowledge', acknowledgment_missing: 'close' };
    const opsErrors: string[] = [];
    const opsLoop = (async () => {
      while (opsRunning) {
        try {
          await workExceptions();
        } catch (err) {
          opsErrors.push(err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err));
        }
        await sleep(OPS_POLL_MS);
      }
    })();
    async function workExceptions(): Promise<void> {
      // An exception claimed in a round whose resolve failed is taken up again from `Claimed`.
      for (const status of ['Open', 'Claimed']) {
        let cursor: string | null = null;
        do {
          const page: { items: Array<{ id: string; type: string; actions: string[] }>; nextCursor: string | null } = await json(
            await realFetch(`${hub}/v1/ops/exceptions?status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: opsHeaders }),
          );
          for (const e of page.items) {
            if (resolved.has(e.id)) continue;
            const action = ACTION[e.type];
            if (!action || !e.actions.includes(action)) throw new Error(`exception ${e.id} of type ${e.type}: no action for the bench among ${e.actions.join(', ')}`);
            await json(await realFetch(`${hub}/v1/ops/exceptions/${e.id}/claim`, { method: 'POST', headers: opsHeaders }));
            await json(
              await realFetch(`${hub}/v1/ops/exceptions/${e.id}/resolve`, {
                method: 'POST',
                headers: { ...opsHeaders, 'content-type': 'application/json', 'idempotency-key': `bench-${e.id}` },
                body: JSON.stringify({ action, note: 'bench' }),
              }),
            );
            resolved.add(e.id);
            exceptionsByType[e.type] = (exceptionsByType[e.type] ?? 0) + 1;
          }
          cursor = page.items.length > 0 ? page.nextCursor : null;
        } while (cursor);
      }
    }

    // --- Run: approve every order, the suppliers answer, until every order is complete in the ERP.
    const sim = createSupplierSimulator({
      hubUrl: hub,
      seed: SEED,
      pollIntervalMs: SUPPLIER_POLL_MS,
      concurrency: CONCURRENCY,
      suppliers: suppliers.map((s) => ({ supplierId: s.partyId, apiKey: s.apiKey, preset: s.preset })),
      clock: scaledClock({ scale: TIME_SCALE }),
    });
    sim.start();
    progress(`${SUPPLIERS} suppliers and ${POS} purchase orders set up; approving`);
    const t0 = performance.now();
    await inParallel(POS, 8, async (i) => {
      await json(await realFetch(`${erp}/purchase-orders/${docos[i]}/approve`, { method: 'POST' }));
    });
    const approvedIn = performance.now() - t0;
    const isComplete = (doco: number) => {
      const po = purchasing.getPurchaseOrder(doco);
      if (po.LINES.every((l) => l.UCAN >= l.UORG)) return true;
      return seen.voucherApprovedAt.has(doco) && po.LINES.every((l) => l.UCAN >= l.UORG || l.UREC >= l.UORG - l.UCAN);
    };
    const deadline = Date.now() + TIMEOUT_MS;
    let pending = docos;
    let lastReport = Date.now();
    const deadLetters = async () =>
      (await server.db.query<{ consumer: string; event_type: string; error: string }>(`SELECT consumer, event_type, error FROM tl_dead_letters WHERE status = 'open'`)).rows;
    while ((pending = pending.filter((d) => !isComplete(d))).length > 0) {
      if (Date.now() > deadline) {
        const dead = await deadLetters();
        if (dead.length > 0) console.error(`${dead.length} dead letters, e.g. ${dead.slice(0, 3).map((d) => `${d.consumer} ${d.event_type}: ${d.error}`).join(' | ')}`);
        const sample = pending.slice(0, 5).map((d) => {
          const po = purchasing.getPurchaseOrder(d);
          return `${d} (${docoPreset.get(d)}) LTTR ${po.LTTR} MTST ${po.MTST} ${po.LINES.map((l) => `${l.LNID}:${l.ACKC}/${l.UORG}/${l.UREC}/${l.UCAN}`).join(' ')}`;
        });
        throw new Error(`${pending.length} purchase orders not complete after ${TIMEOUT_MS} ms, e.g. ${sample.join('; ')}\n${JSON.stringify(sim.stats())}`);
      }
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        progress(`${POS - pending.length}/${POS} purchase orders complete`);
      }
      await sleep(200);
    }
    const tEnd = Math.max(...docos.map((d) => seen.voucherApprovedAt.get(d) ?? 0));
    const cycleSeconds = (Math.max(tEnd, t0) - t0) / 1000;
    progress(`all ${POS} purchase orders complete in ${cycleSeconds.toFixed(1)} s; waiting for the suppliers to go idle`);
    await sim.runUntilIdle({ timeoutMs: 120_000 });
    await sleep(1_000);
    opsRunning = false;
    await opsLoop;
    await sim.stop();
    const stats = sim.stats();

    // --- Counts per outcome.
    const failures: string[] = [];
    const expect = (what: string, actual: number, expected: number) => {
      if (actual !== expected) failures.push(`${what}: ${actual}, expected ${expected}`);
    };
    const ofPreset = (p: PresetName) => docos.filter((d) => docoPreset.get(d) === p).length;
    const fullyRejected = docos.filter((d) => purchasing.getPurchaseOrder(d).LINES.every((l) => l.UCAN >= l.UORG)).length;
    const invoiced = POS - fullyRejected;
    const ackCounts = docos.map((d) => seen.acksApplied.get(d)?.length ?? 0);
    expect('purchase orders acknowledged in the ERP', ackCounts.filter((n) => n >= 1).length, POS);
    expect('purchase orders acknowledged in the ERP more than once', ackCounts.filter((n) => n > 1).length, 0);
    expect('acknowledgments sent (originals)', stats.acknowledgments.sent - stats.duplicatesSent.acknowledgments, POS);
    expect('acknowledgments applied + exceptions', stats.acknowledgments.applied + stats.acknowledgments.exception, POS);
    expect('acknowledgment exceptions (simulator)', stats.acknowledgments.exception, ofPreset('out-of-tolerance'));
    expect('acknowledgment_out_of_tolerance exceptions (ops)', exceptionsByType.acknowledgment_out_of_tolerance ?? 0, stats.acknowledgments.exception);
    expect('out-of-tolerance acknowledgments drawn', stats.acknowledgments.byAction.outOfTolerance, ofPreset('out-of-tolerance'));
    expect('invoice_dispute exceptions (ops)', exceptionsByType.invoice_dispute ?? 0, ofPreset('price-variance-invoicer'));
    expect('duplicate acknowledgments answered Duplicate', stats.acknowledgments.duplicate, stats.duplicatesSent.acknowledgments);
    expect('duplicate ASNs answered duplicate', stats.asns.duplicate, stats.duplicatesSent.asns);
    expect('duplicate invoices answered duplicate', stats.invoices.duplicate, stats.duplicatesSent.invoices);
    expect('ASNs accepted = receipts in the ERP', [...seen.receiptsCreated.values()].reduce((a, b) => a + b, 0), stats.asns.accepted);
    expect('invoices sent (originals)', stats.invoices.sent - stats.duplicatesSent.invoices, invoiced);
    expect('purchase orders with exactly one voucher', docos.filter((d) => seen.vouchersCreated.get(d) === 1).length, invoiced);
    expect('purchase orders with more than one voucher', docos.filter((d) => (seen.vouchersCreated.get(d) ?? 0) > 1).length, 0);
    expect('vouchers approved for payment', docos.filter((d) => seen.voucherApprovedAt.has(d)).length, invoiced);
    expect('rejected by the hub (4xx)', stats.acknowledgments.rejected + stats.asns.rejected + stats.invoices.rejected, 0);
    expect('failed after retries', stats.errors, 0);
    expect('5xx answers of the hub', hub5xx.length, 0);
    expect('operations calls that failed', opsErrors.length, 0);
    if (opsErrors.length > 0) console.error(`operations errors, e.g. ${opsErrors.slice(0, 3).join(' | ')}`);
    const dead = await deadLetters();
    expect('dead letters', dead.length, 0);
    if (dead.length > 0) console.error(`dead letters, e.g. ${dead.slice(0, 3).map((d) => `${d.consumer} ${d.event_type}: ${d.error}`).join(' | ')}`);
    const unexpected = Object.entries(exceptionsByType).filter(([t]) => t !== 'acknowledgment_out_of_tolerance' && t !== 'invoice_dispute');
    expect('other exceptions', unexpected.reduce((n, [, c]) => n + c, 0), 0);

    // --- Ack-to-ERP: hub receipt of an applied acknowledgment → the ERP simulator applied it.
    const ackLatencies = docos.flatMap((d) => {
      const received = ackReceivedAt.get(d);
      const applied = seen.acksApplied.get(d)?.[0];
      return received !== undefined && applied !== undefined ? [applied - received] : [];
    });
    ackLatencies.sort((a, b) => a - b);
    expect('ack-to-ERP samples', ackLatencies.length, stats.acknowledgments.applied);
    const hubAckFirst = Math.min(...ackReceivedAt.values());
    const hubAckLast = Math.max(...docos.map((d) => seen.acksApplied.get(d)?.[0] ?? 0));
    const hubAcksPerSec = ackLatencies.length / ((hubAckLast - hubAckFirst) / 1000);

    // --- Baseline: the same number of acknowledgments straight to the ERP simulator, same concurrency.
    progress('counts checked; baseline: creating purchase orders directly in the ERP simulator');
    const direct_ = directClient();
    const baseDocos: number[] = new Array(POS);
    const broadLine = 5106;
    const scenarioItems = new Set(suppliers.flatMap((s) => s.items));
    const baseItems = ((await direct_.call('GET', `${erp}/supplier-items?AN8=${broadLine}&max=100`)).ROWS as Array<{ LITM: string }>).map((r) => r.LITM).filter((l) => scenarioItems.has(l));
    await inParallel(POS, 8, async (i) => {
      const body = { AN8: broadLine, MCU: 'M10', EXTREF: `P2P-BASE-${i + 1}`, LINES: plans[i]!.lines.map((l, k) => ({ LITM: baseItems[(i + k) % baseItems.length]!, UORG: l.UORG })) };
      const doco = (await direct_.call('POST', `${erp}/purchase-orders`, body)).ORDER.DOCO;
      await direct_.call('POST', `${erp}/purchase-orders/${doco}/approve`);
      baseDocos[i] = doco;
    });
    // Let the hub take in the baseline orders first (published, awaiting acknowledgment), so both paths start quiet.
    const broadLineKey = demo.suppliers.find((s) => s.accountNumber === String(broadLine))!.apiKey;
    const awaiting = async () => {
      let n = 0;
      let cursor: string | null = null;
      do {
        const page: { items: unknown[]; nextCursor: string | null } = await json(
          await realFetch(`${hub}/v1/supplier/purchase-orders?awaitingAcknowledgment=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${broadLineKey}` } }),
        );
        n += page.items.length;
        cursor = page.items.length > 0 ? page.nextCursor : null;
      } while (cursor);
      return n;
    };
    progress('baseline: purchase orders approved directly in the ERP simulator; waiting for the hub to publish them');
    const baseDeadline = Date.now() + 600_000;
    while ((await awaiting()) < POS) {
      if (Date.now() > baseDeadline) throw new Error('the hub did not take in the baseline purchase orders');
      await sleep(1_000);
    }
    const direct: number[] = [];
    progress('baseline: acknowledging directly in the ERP simulator');
    const tb = performance.now();
    await inParallel(POS, CONCURRENCY, async (i) => {
      const lines = plans[i]!.lines.map((_, k) => ({ LNID: `${k + 1}.000`, ACKC: 'IA' }));
      const t = performance.now();
      await direct_.call('POST', `${erp}/purchase-orders/${baseDocos[i]}/acknowledgments`, { LINES: lines });
      direct.push(performance.now() - t);
    });
    direct_.close();
    const directAcksPerSec = POS / ((performance.now() - tb) / 1000);
    direct.sort((a, b) => a - b);

    const posPerSec = POS / cycleSeconds;
    const p95 = percentile(ackLatencies, 95);
    console.log(
      `p2p supplier-cycle: ${posPerSec.toFixed(1)} POs/s ack-to-ERP p95 ${p95.toFixed(0)} ms (p50 ${percentile(ackLatencies, 50).toFixed(0)} ms over ${ackLatencies.length} acks applied without a buyer; ` +
        `acks ${hubAcksPerSec.toFixed(1)}/s through the hub vs ${directAcksPerSec.toFixed(1)}/s direct to the ERP simulator (p95 ${percentile(direct, 95).toFixed(0)} ms) ratio ${(hubAcksPerSec / directAcksPerSec).toFixed(3)}; ` +
        `${POS} POs of ${SUPPLIERS} suppliers in ${cycleSeconds.toFixed(1)} s, approvals took ${(approvedIn / 1000).toFixed(1)} s, ${CONCURRENCY} supplier connections)`,
    );
    const presetCounts = Object.fromEntries(Object.keys(MIX).map((p) => [p, suppliers.filter((s) => s.preset === p).length]));
    console.log(`  suppliers by preset: ${JSON.stringify(presetCounts)}`);
    console.log(
      `  acks: ${stats.acknowledgments.applied} applied, ${stats.acknowledgments.exception} exceptions, ${stats.acknowledgments.duplicate} duplicates answered Duplicate (of ${stats.duplicatesSent.acknowledgments} sent), by action ${JSON.stringify(stats.acknowledgments.byAction)}; ${fullyRejected} POs rejected whole`,
    );
    console.log(
      `  ASNs: ${stats.asns.accepted} accepted (= ERP receipts), ${stats.asns.duplicate}/${stats.duplicatesSent.asns} duplicates; invoices: ${stats.invoices.sent - stats.duplicatesSent.invoices} sent, ${stats.invoices.approved} approved at once, ${stats.invoices.disputed} disputed at once, ${stats.invoices.waiting} waiting for receipt, ${stats.invoices.duplicate}/${stats.duplicatesSent.invoices} duplicates; vouchers approved ${seen.voucherApprovedAt.size}`,
    );
    console.log(`  exceptions worked through /v1/ops: ${JSON.stringify(exceptionsByType)}; ERP duplicate voucher calls ${seen.duplicateVoucherCalls}; hub 5xx ${hub5xx.length}; retries ${stats.retries}`);
    if (failures.length > 0) {
      console.error(`p2p counts wrong:\n  ${failures.join('\n  ')}${hub5xx.length ? `\n  5xx: ${hub5xx.slice(0, 5).join('; ')}` : ''}${stats.recentFailures.length ? `\n  failures: ${stats.recentFailures.slice(-5).join('; ')}` : ''}`);
      process.exitCode = 1;
    }
  } finally {
    globalThis.fetch = realFetch;
    await server.shutdown('bench done');
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
