import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { makeEvent } from '@tradelane/canonical';
import { systemContext } from '@tradelane/core';
import { verifyWebhookSignature } from '@tradelane/bus';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '@tradelane/store';
import { createRuntime } from './runtime.js';
import { webhooksModule } from './webhooks.module.js';

for (const target of databaseTargets()) {
  describe(`webhooks module on ${target.name}`, () => {
    let db: Database;
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    before(async () => {
      db = await target.open();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    });

    it('fans events out to subscriptions through the runtime and delivers them signed', async () => {
      const webhooks = webhooksModule({ logger: pino({ level: 'silent' }), allow: { cidrs: ['127.0.0.1/32'] } });
      const rt = createRuntime(db, { bus: { pollIntervalMs: 50 }, flows: { pollIntervalMs: 50 } } as never, pino({ level: 'silent' }), [webhooks.module]);
      const ctx = systemContext('acme', 'corr-1');
      const service = webhooks.service(rt.store);
      const { secret } = await service.createSubscription(ctx, {
        partnerId: 'pty_supplier',
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        eventTypes: ['purchase_order.*'],
      });
      const event = makeEvent({ type: 'purchase_order.published', source: '/test', tenantId: 'acme', subject: 'po_1', partnerId: 'pty_supplier', data: { purchaseOrder: { id: 'po_1' } }, dataVersion: 1 });
      await rt.store.transaction((tx) => tx.outbox.append(ctx, { envelope: event }));
      await rt.relay.drain();
      assert.equal(await webhooks.worker().runDue(), 1);
      assert.equal(received.length, 1);
      const r = received[0]!;
      assert.deepEqual(
        verifyWebhookSignature({ id: String(r.headers['webhook-id']), timestamp: String(r.headers['webhook-timestamp']), signatureHeader: String(r.headers['webhook-signature']), body: r.body, secrets: secret }),
        { ok: true },
      );
      assert.ok(rt.components.some((c) => c.name === 'webhook-worker'));
    });
  });
}
