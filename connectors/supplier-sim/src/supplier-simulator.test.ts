import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AcknowledgmentSubmission, AsnSubmission, SupplierInvoiceSubmission } from '@tradelane/core';
import { generateSuppliers } from './generate-suppliers.js';
import { scaledClock } from './sim-clock.js';
import { startFakeSupplierHub, type FakeSupplierHub, type RecordedRequest } from './supplier-hub.test-support.js';
import type { SupplierConfigInput } from './supplier-sim-config.schema.js';
import { createSupplierSimulator, type SupplierSimulator } from './supplier-simulator.js';

const fast = { scale: 0.001 };
const lines = [
  { sku: 'FAS-1001', quantity: '100', unitPrice: '10.0000', requestedDate: '2025-03-20' },
  { sku: 'FAS-1002', quantity: '40', unitPrice: '2.5000', requestedDate: '2025-03-21' },
];

async function scenario(
  suppliers: SupplierConfigInput[],
  orders: Record<string, number>,
  opts: { seed?: number; setup?: (hub: FakeSupplierHub) => void } = {},
): Promise<{ hub: FakeSupplierHub; sim: SupplierSimulator; stats: Awaited<ReturnType<SupplierSimulator['runUntilIdle']>> }> {
  const hub = await startFakeSupplierHub({ keys: Object.fromEntries(suppliers.filter((s) => !s.apiKey.startsWith('bad-')).map((s) => [s.apiKey, s.supplierId])) });
  for (const [supplierId, n] of Object.entries(orders)) {
    for (let i = 1; i <= n; i++) hub.addPurchaseOrder(supplierId, { poNumber: `PO-${supplierId}-${i}`, lines });
  }
  opts.setup?.(hub);
  const sim = createSupplierSimulator({ hubUrl: hub.url, suppliers, seed: opts.seed ?? 1, pollIntervalMs: 20_000, concurrency: 4, clock: scaledClock(fast), retry: { initialDelayMs: 1_000 } });
  try {
    const stats = await sim.runUntilIdle({ timeoutMs: 20_000 });
    return { hub, sim, stats };
  } finally {
    await sim.stop();
    await hub.close();
  }
}

const posts = (hub: FakeSupplierHub, suffix: string) => hub.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix));
const body = <T>(r: RecordedRequest) => r.body as T;

test('a reliable supplier acks the ordered lines, ships them in one ASN, invoices at the PO price', async () => {
  const { hub, stats } = await scenario([{ supplierId: 'sup_a', apiKey: 'key-a', preset: 'reliable' }], { sup_a: 2 });
  const acks = posts(hub, '/acknowledgments');
  assert.equal(acks.length, 2);
  for (const a of acks) {
    assert.equal(a.supplierId, 'sup_a');
    assert.ok(a.idempotencyKey);
    assert.deepEqual(body<AcknowledgmentSubmission>(a).lines, [{ lineNumber: 1, action: 'accept' }, { lineNumber: 2, action: 'accept' }]);
    assert.equal(body<AcknowledgmentSubmission>(a).revision, 1);
  }
  const asns = posts(hub, '/asns').map((r) => body<AsnSubmission>(r));
  assert.equal(asns.length, 2);
  for (const asn of asns) assert.deepEqual(asn.lines.map((l) => [l.sku, l.quantity, l.unit]), [['FAS-1001', '100', 'EA'], ['FAS-1002', '40', 'EA']]);
  const invoices = posts(hub, '/invoices').map((r) => body<SupplierInvoiceSubmission>(r));
  assert.equal(invoices.length, 2);
  for (const inv of invoices) assert.deepEqual(inv.lines.map((l) => [l.quantity, l.unitPrice]), [['100', '10.0000'], ['40', '2.5000']]);
  // order per PO: ack → ASN → invoice
  for (const po of ['PO-sup_a-1', 'PO-sup_a-2']) {
    const seq = hub.requests
      .filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes(po))
      .map((r) => r.path.split('/').at(-1));
    assert.deepEqual(seq, ['acknowledgments', 'asns', 'invoices']);
  }
  assert.ok(hub.requests.findIndex((r) => r.path.endsWith('/acknowledgments')) < hub.requests.findIndex((r) => r.path.endsWith('/asns')));
  assert.equal(stats.acknowledgments.applied, 2);
  assert.equal(stats.asns.accepted, 2);
  assert.equal(stats.invoices.approved, 2);
  assert.equal(stats.errors, 0);
  assert.ok(stats.latency.ack.count >= 2 && stats.latency.ack.p95! >= 0);
});

test('a partial shipper sends two ASNs summing to the ordered quantity', async () => {
  const { hub, stats } = await scenario([{ supplierId: 'sup_p', apiKey: 'key-p', preset: 'partial-shipper' }], { sup_p: 1 });
  const asns = posts(hub, '/asns').map((r) => body<AsnSubmission>(r));
  assert.equal(asns.length, 2);
  assert.notEqual(asns[0]!.asnNumber, asns[1]!.asnNumber);
  const total = (sku: string) => asns.flatMap((a) => a.lines).filter((l) => l.sku === sku).reduce((s, l) => s + Number(l.quantity), 0);
  assert.equal(total('FAS-1001'), 100);
  assert.equal(total('FAS-1002'), 40);
  assert.ok(asns[0]!.lines.every((l) => Number(l.quantity) < 100));
  const invoice = body<SupplierInvoiceSubmission>(posts(hub, '/invoices')[0]!);
  assert.deepEqual(invoice.lines.map((l) => l.quantity), ['100', '40']);
  assert.equal(stats.asns.sent, 2);
});

test('an out-of-tolerance supplier changes beyond its tolerance and waits for the buyer', async () => {
  const tolerance = { quantityPct: 5, pricePct: 2, dateDays: 3 };
  const { hub, stats } = await scenario([{ supplierId: 'sup_o', apiKey: 'key-o', preset: 'out-of-tolerance', behaviour: { ack: { tolerance } } }], { sup_o: 3 });
  const acks = posts(hub, '/acknowledgments').map((r) => body<AcknowledgmentSubmission>(r));
  assert.equal(acks.length, 3);
  for (const a of acks) {
    a.lines.forEach((l, i) => {
      const line = lines[i]!;
      assert.equal(l.action, 'change');
      const beyond =
        (l.quantity !== undefined && Math.abs(Number(l.quantity) / Number(line.quantity) - 1) * 100 > tolerance.quantityPct) ||
        (l.unitPrice !== undefined && (Number(l.unitPrice) / Number(line.unitPrice) - 1) * 100 > tolerance.pricePct) ||
        (l.promisedDate !== undefined && Date.parse(l.promisedDate) - Date.parse(line.requestedDate) > tolerance.dateDays * 86_400_000);
      assert.ok(beyond, JSON.stringify(l));
    });
  }
  assert.equal(stats.acknowledgments.exception, 3);
  assert.equal(stats.asns.sent, 0, 'nothing ships while a buyer decides');
  assert.equal(stats.followUps.pending, 3);
});

test('after a buyer accepts an exception the supplier ships and invoices', async () => {
  const hub = await startFakeSupplierHub({ keys: { 'key-o': 'sup_o' } });
  const po = hub.addPurchaseOrder('sup_o', { poNumber: 'PO-X', lines });
  const sim = createSupplierSimulator({ hubUrl: hub.url, suppliers: [{ supplierId: 'sup_o', apiKey: 'key-o', preset: 'out-of-tolerance' }], pollIntervalMs: 20_000, clock: scaledClock(fast) });
  try {
    let stats = await sim.runUntilIdle({ timeoutMs: 20_000 });
    assert.equal(stats.followUps.pending, 1);
    hub.decide(po.id, 'Acknowledged');
    const deadline = Date.now() + 10_000;
    while (sim.stats().invoices.sent === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stats = await sim.runUntilIdle({ timeoutMs: 20_000 });
    assert.deepEqual([stats.followUps.pending, stats.followUps.shipped, stats.asns.sent, stats.invoices.sent], [0, 1, 1, 1]);
    assert.ok(hub.requests.some((r) => r.query.updatedSince !== undefined));
  } finally {
    await sim.stop();
    await hub.close();
  }
});

test('a price-variance invoicer invoices at +X %', async () => {
  const { hub, stats } = await scenario([{ supplierId: 'sup_v', apiKey: 'key-v', preset: 'price-variance-invoicer', behaviour: { invoice: { priceVariancePct: 4 } } }], { sup_v: 1 });
  const inv = body<SupplierInvoiceSubmission>(posts(hub, '/invoices')[0]!);
  assert.deepEqual(inv.lines.map((l) => l.unitPrice), ['10.4000', '2.6000']);
  assert.equal(stats.invoices.disputed, 1);
});

test('a duplicate sender repeats each document number with a new Idempotency-Key', async () => {
  const { hub, stats } = await scenario([{ supplierId: 'sup_d', apiKey: 'key-d', preset: 'duplicate-sender' }], { sup_d: 1 });
  for (const [suffix, field] of [['/acknowledgments', 'acknowledgmentNumber'], ['/asns', 'asnNumber'], ['/invoices', 'invoiceNumber']] as const) {
    const sent = posts(hub, suffix);
    assert.equal(sent.length, 2, suffix);
    const [a, b] = sent as [RecordedRequest, RecordedRequest];
    assert.equal((a.body as Record<string, unknown>)[field], (b.body as Record<string, unknown>)[field]);
    assert.deepEqual(a.body, b.body);
    assert.notEqual(a.idempotencyKey, b.idempotencyKey);
  }
  assert.deepEqual(stats.duplicatesSent, { acknowledgments: 1, asns: 1, invoices: 1 });
  assert.deepEqual([stats.acknowledgments.applied, stats.acknowledgments.duplicate], [1, 1]);
  assert.deepEqual([stats.asns.accepted, stats.asns.duplicate], [1, 1]);
  assert.deepEqual([stats.invoices.approved, stats.invoices.duplicate], [1, 1]);
});

test('a 503 is retried with the same Idempotency-Key; a 4xx is recorded with its code', async () => {
  const { hub, stats } = await scenario([{ supplierId: 'sup_r', apiKey: 'key-r' }, { supplierId: 'sup_bad', apiKey: 'bad-key-unknown-to-hub' }], { sup_r: 1 }, {
    setup: (h) => h.failNext('POST', '/v1/supplier/asns', 2),
  });
  const asnCalls = posts(hub, '/asns');
  assert.deepEqual(asnCalls.map((r) => r.status), [503, 503, 201]);
  assert.equal(new Set(asnCalls.map((r) => r.idempotencyKey)).size, 1);
  assert.equal(stats.asns.accepted, 1);
  assert.ok(stats.retries >= 2);
  assert.equal(stats.polls.failed >= 1, true, 'the supplier with a bad key is refused');
  assert.ok((stats.rejectedByCode.TL_AUTH_INVALID_KEY ?? 0) >= 1);
});

test('a late supplier acknowledges after the due time; a never supplier does not answer', async () => {
  const hub = await startFakeSupplierHub({ keys: { 'key-l': 'sup_l', 'key-n': 'sup_n' } });
  const clock = scaledClock({ scale: 0.0001 });
  const due = new Date(clock.now().getTime() + 3_600_000).toISOString();
  hub.addPurchaseOrder('sup_l', { poNumber: 'PO-L', lines, acknowledgmentDueBy: due });
  hub.addPurchaseOrder('sup_n', { poNumber: 'PO-N', lines });
  let ackedAt = 0;
  const sim = createSupplierSimulator({
    hubUrl: hub.url,
    suppliers: [
      { supplierId: 'sup_l', apiKey: 'key-l', preset: 'slowAcker', behaviour: { ack: { lateByMs: 600_000 } } },
      { supplierId: 'sup_n', apiKey: 'key-n', behaviour: { ack: { timing: 'never' } } },
    ],
    pollIntervalMs: 60_000,
    clock: { now: () => clock.now(), sleep: async (ms, signal) => { await clock.sleep(ms, signal); ackedAt = Math.max(ackedAt, clock.now().getTime()); } },
  });
  try {
    const stats = await sim.runUntilIdle({ timeoutMs: 20_000 });
    assert.deepEqual([stats.acknowledgments.late, stats.acknowledgments.withheld, stats.acknowledgments.sent], [1, 1, 1]);
    assert.ok(ackedAt >= Date.parse(due) + 600_000 - 1_000, 'acknowledged after due + lateBy');
    assert.equal(posts(hub, '/acknowledgments')[0]!.supplierId, 'sup_l');
  } finally {
    await sim.stop();
    await hub.close();
  }
});

test('same seed, same requests; stats equal what the hub recorded', async () => {
  const suppliers: SupplierConfigInput[] = [
    { supplierId: 's1', apiKey: 'k1', preset: 'tolerant-changer' },
    { supplierId: 's2', apiKey: 'k2', behaviour: { ack: { mix: { accept: 1, rejectLines: 1, changePrice: 1 } }, duplicates: { probability: 0.5 }, availability: { probability: 0.5 } } },
    { supplierId: 's3', apiKey: 'k3', preset: 'rejecter' },
    { supplierId: 's4', apiKey: 'k4', preset: 'late-shipper', behaviour: { invoice: { mode: 'quantityVariance' } } },
  ];
  const orders = { s1: 6, s2: 8, s3: 3, s4: 3 };
  const signature = (hub: FakeSupplierHub) =>
    hub.requests
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path} ${r.idempotencyKey ?? ''} ${JSON.stringify(r.body)}`)
      .sort();
  const one = await scenario(suppliers, orders, { seed: 42 });
  const two = await scenario(suppliers, orders, { seed: 42 });
  const other = await scenario(suppliers, orders, { seed: 43 });
  assert.deepEqual(signature(one.hub), signature(two.hub));
  assert.notDeepEqual(signature(one.hub), signature(other.hub));
  assert.deepEqual(one.stats.acknowledgments.byAction, two.stats.acknowledgments.byAction);

  for (const { hub, stats } of [one, two, other]) {
    const acks = hub.messages('ack');
    const answers = (r: RecordedRequest) => r.status;
    assert.equal(stats.acknowledgments.sent, acks.length);
    assert.equal(stats.acknowledgments.sent, stats.acknowledgments.applied + stats.acknowledgments.exception + stats.acknowledgments.duplicate + stats.acknowledgments.rejected);
    assert.equal(stats.acknowledgments.duplicate, acks.filter((r) => answers(r) === 200).length);
    assert.equal(stats.asns.sent, hub.messages('asn').length);
    assert.equal(stats.asns.duplicate, hub.messages('asn').filter((r) => r.status === 200).length);
    assert.equal(stats.invoices.sent, hub.messages('invoice').length);
    assert.equal(stats.invoices.disputed + stats.invoices.approved + stats.invoices.duplicate, stats.invoices.sent);
    assert.equal(stats.availability.sent, hub.requests.filter((r) => r.method === 'PUT').length);
    assert.equal(stats.duplicatesSent.acknowledgments + stats.duplicatesSent.asns + stats.duplicatesSent.invoices, stats.acknowledgments.duplicate + stats.asns.duplicate + stats.invoices.duplicate);
    assert.equal(stats.purchaseOrderRevisions, 20);
    assert.equal(stats.errors, 0);
    const perPo = new Map<string, number>();
    for (const r of acks) {
      const key = `${r.path}#${(r.body as AcknowledgmentSubmission).revision}:${r.idempotencyKey!.endsWith('-0')}`;
      perPo.set(key, (perPo.get(key) ?? 0) + 1);
    }
    assert.ok([...perPo.values()].every((n) => n === 1), 'each revision answered once (plus deliberate duplicates)');
  }
});

test('250 generated suppliers answer their orders and the counts add up', async () => {
  const population = generateSuppliers({ count: 250, seed: 5, mix: { reliable: 0.6, 'partial-shipper': 0.2, 'duplicate-sender': 0.2 } });
  const hub = await startFakeSupplierHub({ keys: Object.fromEntries(population.map((s) => [s.apiKey, s.supplierId])) });
  for (const s of population) for (let i = 1; i <= 2; i++) hub.addPurchaseOrder(s.supplierId, { poNumber: `PO-${s.supplierId}-${i}`, lines });
  const sim = createSupplierSimulator({ hubUrl: hub.url, suppliers: population, seed: 5, pollIntervalMs: 20_000, concurrency: 32, clock: scaledClock({ scale: 0.0002 }) });
  try {
    const stats = await sim.runUntilIdle({ timeoutMs: 60_000 });
    assert.equal(stats.purchaseOrderRevisions, 500);
    assert.deepEqual([stats.acknowledgments.applied, stats.acknowledgments.duplicate], [500, 100]);
    assert.deepEqual([stats.asns.accepted, stats.asns.duplicate], [500 + 100, 100]);
    assert.deepEqual([stats.invoices.approved, stats.invoices.duplicate], [500, 100]);
    assert.equal(stats.acknowledgments.sent, hub.messages('ack').length);
    assert.equal(stats.errors, 0);
  } finally {
    await sim.stop();
    await hub.close();
  }
});
