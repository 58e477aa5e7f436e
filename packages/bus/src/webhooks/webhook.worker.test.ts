import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeEvent } from '@tradelane/canonical';
import { InputError, NotAllowedError, NotFoundError, systemContext, type TenantContext, type WebhookStore } from '@tradelane/core';
import { createGovernanceStore, type Database, type GovernanceStore, type StoreTx } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { manualClock, wireBus, type BusHarness, type ManualClock } from '../bus.fixture.js';
import { createSsrfGuard } from './ssrf-guard.js';
import { verifyWebhookSignature } from './webhook-signature.js';
import { webhookConsumers } from './webhook.consumer.js';
import { createWebhookService, type WebhookService } from './webhook.service.js';
import { createWebhookWorker, type WebhookAttemptReport, type WebhookWorkerOptions } from './webhook.worker.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that answers with queued status codes (200 when the queue is empty). */
async function startReceiver(): Promise<{ server: Server; base: string; received: Received[]; answers: number[]; hang: { on: boolean } }> {
  const received: Received[] = [];
  const answers: number[] = [];
  const hang = { on: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (hang.on) return;
      const status = answers.shift() ?? 200;
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {}).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, answers, hang };
}

const TENANT = 'acme';
const ops: TenantContext = { ...systemContext(TENANT, 'corr-ops', 'test'), actor: { kind: 'user', id: 'usr_admin' } };
const SUPPLIER = 'pty_01J0SUPPL1ERAAAAAAAAAAAAAA';
const CUSTOMER = 'pty_01J0CUST0MERAAAAAAAAAAAAAA';

function poPublished(supplierId: string) {
  return makeEvent({
    type: 'purchase_order.published',
    source: '/tradelane/test',
    tenantId: TENANT,
    subject: 'po_1',
    data: { purchaseOrder: { id: 'po_1', supplierId }, channel: 'api' },
    dataVersion: 1,
  });
}
function salesOrderEvent(type: string, partnerId: string) {
  return makeEvent({ type, source: '/tradelane/test', tenantId: TENANT, subject: 'so_1', partnerId, data: { salesOrder: { id: 'so_1' } }, dataVersion: 1, correlationId: 'corr-so-1' });
}

for (const target of databaseTargets()) {
  describe(`outbound webhooks on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let bus: BusHarness;
    let gov: GovernanceStore;
    let service: WebhookService;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const guard = createSsrfGuard({ allow: { cidrs: ['127.0.0.1/32'] } });
    const reports: WebhookAttemptReport[] = [];
    const worker = (options: Partial<WebhookWorkerOptions> = {}) =>
      createWebhookWorker({ store: gov.webhooks, guard, clock, timeoutMs: 3000, onAttempt: (r) => reports.push(r), ...options });
    const publish = async (...events: ReturnType<typeof makeEvent>[]) => {
      await bus.publish(systemContext(TENANT, 'corr-test'), ...events);
      await bus.relay().drain();
    };

    before(async () => {
      db = await target.open();
      clock = manualClock();
      receiver = await startReceiver();
      bus = await wireBus(db, webhookConsumers<StoreTx>({ outboxOf: (tx) => createGovernanceStore(bus.store).outboxOf(tx), clock }), { clock });
      gov = createGovernanceStore(bus.store);
      service = createWebhookService({ transactions: gov.transactions, guard, clock });
    });
    beforeEach(async () => {
      await db.exec('TRUNCATE tl_webhook_attempts, tl_webhook_deliveries, tl_webhook_secrets, tl_webhook_subscriptions');
      receiver.received.length = 0;
      receiver.answers.length = 0;
      receiver.hang.on = false;
      reports.length = 0;
    });
    after(async () => {
      await new Promise((resolve) => receiver.server.close(resolve));
      await db.close();
    });

    test("delivers signed events to the matching subscriptions of the event's partner only", async () => {
      const po = await service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/po`, eventTypes: ['purchase_order.*'] });
      const shipped = await service.createSubscription(ops, { partnerId: CUSTOMER, url: `${receiver.base}/shipped`, eventTypes: ['sales_order.shipped'] });
      await service.createSubscription(ops, { partnerId: 'pty_01J0OTHERAAAAAAAAAAAAAAAAA', url: `${receiver.base}/other`, eventTypes: ['*'] });
      const published = poPublished(SUPPLIER);
      const ship = salesOrderEvent('sales_order.shipped', CUSTOMER);
      await publish(published, salesOrderEvent('sales_order.accepted', CUSTOMER), ship, makeEvent({ type: 'asn.received', source: '/t', tenantId: TENANT, subject: 'asn_1', partnerId: SUPPLIER, data: {}, dataVersion: 1 }));
      assert.equal(await worker().runDue(), 2);
      assert.deepEqual(receiver.received.map((r) => r.path).sort(), ['/po', '/shipped']);
      for (const r of receiver.received) {
        const { secret, event } = r.path === '/po' ? { secret: po.secret, event: published } : { secret: shipped.secret, event: ship };
        assert.equal(r.headers['webhook-id'], event.id);
        assert.equal(r.headers['content-type'], 'application/json');
        assert.equal(r.headers['webhook-timestamp'], String(Math.floor(clock.now().getTime() / 1000)));
        const verified = verifyWebhookSignature({
          id: String(r.headers['webhook-id']),
          timestamp: String(r.headers['webhook-timestamp']),
          signatureHeader: String(r.headers['webhook-signature']),
          body: r.body,
          secrets: secret,
          now: clock.now(),
        });
        assert.deepEqual(verified, { ok: true }, r.path);
        const body = JSON.parse(r.body) as { type: string; data: unknown; timestamp: string };
        assert.equal(body.type, event.type);
        assert.deepEqual(body.data, event.data);
        assert.equal(verifyWebhookSignature({ ...verified, id: event.id, timestamp: String(r.headers['webhook-timestamp']), signatureHeader: String(r.headers['webhook-signature']), body: r.body.replace('"type"', '"kind"'), secrets: secret, now: clock.now() }).ok, false, 'tampered body');
      }
      const page = await service.listDeliveries(ops, { subscriptionId: po.subscription.id });
      assert.equal(page.deliveries.length, 1);
      assert.equal(page.deliveries[0]!.status, 'delivered');
      const log = await service.listAttempts(ops, page.deliveries[0]!.id);
      assert.equal(log.attempts.length, 1);
      assert.equal(log.attempts[0]!.statusCode, 200);
      assert.ok(log.attempts[0]!.durationMs >= 0);
      // a redelivered event (same id) is not enqueued twice
      assert.equal(await gov.webhooks.enqueue(ops, { subscriptionId: po.subscription.id, eventId: published.id, eventType: published.type, body: '{}', dueAt: clock.now() }), false);
    });

    test('retries on the schedule: 500 then 200 is delivered on attempt 2 at the scheduled time', async () => {
      const { subscription } = await service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/retry`, eventTypes: ['purchase_order.published'] });
      receiver.answers.push(500, 200);
      await publish(poPublished(SUPPLIER));
      const w = worker();
      const t0 = clock.now().getTime();
      assert.equal(await w.runDue(), 1);
      const [delivery] = (await service.listDeliveries(ops, { subscriptionId: subscription.id })).deliveries;
      assert.equal(delivery!.status, 'pending');
      assert.equal(delivery!.attempts, 1);
      assert.equal(delivery!.lastStatusCode, 500);
      assert.equal(delivery!.nextAttemptAt?.getTime(), t0 + 5000);
      clock.advance(4999);
      assert.equal(await w.runDue(), 0, 'not due before the scheduled time');
      clock.advance(1);
      assert.equal(await w.runDue(), 1);
      const { delivery: done, attempts } = await service.listAttempts(ops, delivery!.id);
      assert.equal(done.status, 'delivered');
      assert.equal(done.deliveredAt?.getTime(), t0 + 5000);
      assert.deepEqual(
        attempts.map((a) => [a.attempt, a.statusCode, a.errorCode, a.at.getTime() - t0, a.nextAttemptAt ? a.nextAttemptAt.getTime() - t0 : null]),
        [
          [1, 500, 'TL_WEBHOOK_HTTP_STATUS', 0, 5000],
          [2, 200, undefined, 5000, null],
        ],
      );
      assert.equal(receiver.received.length, 2);
      assert.equal(receiver.received[0]!.headers['webhook-id'], receiver.received[1]!.headers['webhook-id'], 'same webhook-id on a retry');
      const after = await service.getSubscription(ops, subscription.id);
      assert.equal(after.consecutiveFailures, 0);
      assert.equal(after.failingSince, undefined);
    });

    test('gives up after the last scheduled attempt, and disables a subscription after sustained failure', async () => {
      const { subscription } = await service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/down`, eventTypes: ['purchase_order.published'] });
      receiver.answers.push(...Array(50).fill(503));
      await publish(poPublished(SUPPLIER));
      const w = worker({ disable: { consecutiveFailures: 5, failingForMs: 2 * 3_600_000 } });
      const schedule = [5_000, 300_000, 1_800_000, 7_200_000];
      await w.runDue();
      for (const delay of schedule) {
        clock.advance(delay);
        assert.equal(await w.runDue(), 1);
      }
      // five failures over 2 h 35 min: the policy (5 in a row for at least 2 h) disables it
      const disabled = await service.getSubscription(ops, subscription.id);
      assert.equal(disabled.status, 'disabled');
      assert.match(disabled.disabledReason ?? '', /sustained failure: 5 failed attempts in a row/);
      assert.equal(reports.at(-1)!.disabledReason, disabled.disabledReason);
      clock.advance(20 * 3_600_000);
      assert.equal(await w.runDue(), 0, 'a disabled subscription gets no attempts');
      assert.equal(receiver.received.length, 5);
      // enabling resumes the pending delivery; with a short schedule it is given up after its last attempt
      await service.enable(ops, subscription.id);
      const short = worker({ retryScheduleMs: [1000] });
      assert.equal(await short.runDue(), 1);
      const [delivery] = (await service.listDeliveries(ops, { subscriptionId: subscription.id })).deliveries;
      assert.equal(delivery!.status, 'failed');
      assert.equal(delivery!.attempts, 6);
      assert.equal(delivery!.nextAttemptAt, undefined);
      // an operator can retry a failed delivery
      receiver.answers.length = 0;
      await service.retryDelivery(ops, delivery!.id);
      assert.equal(await short.runDue(), 1);
      assert.equal((await service.listAttempts(ops, delivery!.id)).delivery.status, 'delivered');
    });

    test('refuses loopback, private, link-local and metadata targets with TL_WEBHOOK_TARGET_FORBIDDEN, contacting none', async () => {
      const port = new URL(receiver.base).port;
      const strict = createSsrfGuard({ resolve: async (host) => (host === 'loopback.example.com' ? [{ address: '127.0.0.1', family: 4 }] : []) });
      const urls = [
        `http://127.0.0.1:${port}/a`,
        'http://10.0.0.1/b',
        'http://169.254.169.254/latest/meta-data/',
        `http://[::1]:${port}/c`,
        `http://[::ffff:127.0.0.1]:${port}/d`,
        `http://0x7f000001:${port}/e`,
        `http://2130706433:${port}/f`,
        `http://loopback.example.com:${port}/g`,
      ];
      const strictService = createWebhookService({ transactions: gov.transactions, guard: strict, clock });
      for (const url of urls.slice(0, -1)) {
        await assert.rejects(
          strictService.createSubscription(ops, { partnerId: SUPPLIER, url, eventTypes: ['*'] }),
          (err: unknown) => err instanceof NotAllowedError && err.code === 'TL_WEBHOOK_TARGET_FORBIDDEN',
          url,
        );
      }
      // stored directly (as if the rules or DNS changed after creation): the worker refuses them at send time
      const store: WebhookStore = gov.webhooks;
      for (const url of urls) {
        const s = await store.createSubscription(ops, { partnerId: SUPPLIER, url, eventTypes: ['*'], secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
        await store.enqueue(ops, { subscriptionId: s.id, eventId: `evt_${s.id}`, eventType: 'purchase_order.published', body: '{}', dueAt: clock.now() });
      }
      assert.equal(await worker({ guard: strict }).runDue(), urls.length);
      assert.equal(receiver.received.length, 0, 'no request reached the receiver');
      assert.equal(reports.length, urls.length);
      for (const r of reports) {
        assert.equal(r.attempt.errorCode, 'TL_WEBHOOK_TARGET_FORBIDDEN', r.url);
        assert.equal(r.attempt.statusCode, undefined);
        assert.equal(r.status, 'failed', r.url);
        assert.match(r.disabledReason ?? '', /target refused/);
      }
      const subs = await store.listSubscriptions(ops);
      assert.ok(subs.every((s) => s.status === 'disabled'));
    });

    test('sends both signatures during a secret rotation, only the new one after the overlap', async () => {
      const created = await service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/rotate`, eventTypes: ['purchase_order.published'] });
      const rotated = await service.rotateSecret(ops, created.subscription.id, { overlapMs: 3_600_000 });
      assert.notEqual(rotated.secret, created.secret);
      assert.equal(rotated.subscription.secrets.length, 2);
      assert.ok(rotated.subscription.secrets.every((s) => !s.hint.includes(created.secret.slice(12))), 'secrets are listed by hint only');
      await publish(poPublished(SUPPLIER));
      await worker().runDue();
      const verify = (r: Received, secret: string) =>
        verifyWebhookSignature({
          id: String(r.headers['webhook-id']),
          timestamp: String(r.headers['webhook-timestamp']),
          signatureHeader: String(r.headers['webhook-signature']),
          body: r.body,
          secrets: secret,
          now: clock.now(),
        }).ok;
      const during = receiver.received[0]!;
      assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
      assert.equal(verify(during, created.secret), true, 'old secret verifies during the overlap');
      assert.equal(verify(during, rotated.secret), true, 'new secret verifies');
      clock.advance(3_600_001);
      await publish(poPublished(SUPPLIER));
      await worker().runDue();
      const later = receiver.received[1]!;
      assert.equal(String(later.headers['webhook-signature']).split(' ').length, 1);
      assert.equal(verify(later, rotated.secret), true);
      assert.equal(verify(later, created.secret), false, 'the old secret stopped signing');
      assert.equal((await service.getSubscription(ops, created.subscription.id)).secrets.length, 1);
      const audit = (await gov.audit.list(ops, { resourceId: created.subscription.id })).entries.map((e) => e.action);
      assert.deepEqual(audit, ['webhook_subscription.create', 'webhook_subscription.rotate_secret']);
      assert.doesNotMatch(JSON.stringify(await gov.audit.list(ops)), /whsec_/);
    });

    test('does not follow redirects, disables on 410 Gone, and times out a silent endpoint', async () => {
      const a = await service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/redirect`, eventTypes: ['purchase_order.published'] });
      receiver.answers.push(302);
      await publish(poPublished(SUPPLIER));
      await worker().runDue();
      assert.equal(receiver.received.length, 1);
      assert.equal(reports[0]!.attempt.statusCode, 302);
      assert.match(reports[0]!.attempt.error ?? '', /redirects are not followed/);
      assert.equal(reports[0]!.status, 'pending');
      receiver.answers.push(410);
      clock.advance(5000);
      await worker().runDue();
      assert.equal(reports[1]!.status, 'failed');
      assert.equal((await service.getSubscription(ops, a.subscription.id)).status, 'disabled');

      await service.createSubscription(ops, { partnerId: CUSTOMER, url: `${receiver.base}/silent`, eventTypes: ['sales_order.*'] });
      receiver.hang.on = true;
      await publish(salesOrderEvent('sales_order.accepted', CUSTOMER));
      assert.equal(await worker({ timeoutMs: 150 }).runDue(), 1);
      assert.equal(reports.at(-1)!.attempt.errorCode, 'TL_WEBHOOK_TIMEOUT');
      assert.equal(reports.at(-1)!.status, 'pending');
    });

    test('the service validates filters and isolates partners', async () => {
      await assert.rejects(service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/x`, eventTypes: ['asn.*'] }), InputError);
      await assert.rejects(service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/x`, eventTypes: ['invoice.matched'] }), InputError);
      await assert.rejects(service.createSubscription(ops, { partnerId: SUPPLIER, url: `${receiver.base}/x`, eventTypes: ['sales_order.*.x'] }), InputError);
      await assert.rejects(service.createSubscription(ops, { url: `${receiver.base}/x`, eventTypes: ['*'] }), NotAllowedError);
      const supplierCtx: TenantContext = { ...ops, partnerId: SUPPLIER, actor: { kind: 'client', id: 'cli_sup' } };
      const customerCtx: TenantContext = { ...ops, partnerId: CUSTOMER, actor: { kind: 'client', id: 'cli_cus' } };
      const own = await service.createSubscription(supplierCtx, { url: `${receiver.base}/own`, eventTypes: ['purchase_order.published'] });
      assert.equal(own.subscription.partnerId, SUPPLIER);
      await assert.rejects(service.createSubscription(supplierCtx, { partnerId: CUSTOMER, url: `${receiver.base}/x`, eventTypes: ['*'] }), NotAllowedError);
      await assert.rejects(service.getSubscription(customerCtx, own.subscription.id), NotFoundError);
      await assert.rejects(service.disable(customerCtx, own.subscription.id, 'mine now'), NotFoundError);
      assert.deepEqual(await service.listSubscriptions(customerCtx), []);
      assert.equal((await service.listSubscriptions(ops)).length, 1);
      const disabled = await service.disable(supplierCtx, own.subscription.id, 'maintenance window');
      assert.equal(disabled.disabledReason, 'maintenance window');
      await assert.rejects(service.getSubscription({ ...ops, tenantId: 'globex' }, own.subscription.id), NotFoundError, 'another tenant does not see it');
    });
  });
}
