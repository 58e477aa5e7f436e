import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError, systemContext, TransientError } from '@tradelane/core';
import { createErpSimTransport } from './erp-sim-http.transport.js';

const ctx = { ...systemContext('acme', 'corr-42'), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

function stubFetch(answer: () => Response | Promise<Response>, seen: Array<{ url: string; init: RequestInit }> = []): typeof fetch {
  return (async (url: string | URL, init?: RequestInit) => {
    seen.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as typeof fetch;
}

test('requests carry JSON, the query, the correlation id and traceparent', async () => {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const transport = createErpSimTransport({ baseUrl: 'http://erp.test/base', timeoutMs: 1000, fetch: stubFetch(() => Response.json({ ok: 1 }, { status: 201 }), seen) });
  const res = await transport.request<{ ok: number }>(ctx, 'POST', '/orders', { query: { a: 1, b: undefined }, body: { AN8: 1 } });
  assert.deepEqual(res, { status: 201, body: { ok: 1 } });
  assert.equal(seen[0]!.url, 'http://erp.test/base/orders?a=1');
  const headers = seen[0]!.init.headers as Record<string, string>;
  assert.equal(headers['x-correlation-id'], 'corr-42');
  assert.equal(headers.traceparent, ctx.traceparent);
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(seen[0]!.init.body, '{"AN8":1}');
});

test('answers and failures are classified', async () => {
  const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
    createErpSimTransport({ baseUrl: 'http://erp.test', timeoutMs: 1000, fetch: stubFetch(() => new Response(body, { status, headers })) });
  await assert.rejects(answer(422, '{"ERROR":{"CODE":"ITM001","MSG":"item X is not in the item master","FIELD":"LINES.0.LITM"}}').request(ctx, 'GET', '/x'), (e: unknown) => {
    assert.ok(e instanceof PermanentError);
    assert.match(e.message, /ITM001 LINES\.0\.LITM: item X is not in the item master/);
    return true;
  });
  await assert.rejects(answer(503, '{"ERROR":{"CODE":"SYS503","MSG":"maintenance"}}', { 'retry-after': '7' }).request(ctx, 'GET', '/x'), (e: unknown) => e instanceof TransientError && e.retryAfterMs === 7000);
  await assert.rejects(answer(429, 'slow down').request(ctx, 'GET', '/x'), TransientError);
  await assert.rejects(answer(200, '<html>proxy</html>').request(ctx, 'GET', '/x'), (e: unknown) => e instanceof TransientError && e.code === 'TL_ERP_SIM_BAD_RESPONSE');
  const refused = createErpSimTransport({
    baseUrl: 'http://erp.test',
    timeoutMs: 1000,
    fetch: stubFetch(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    }),
  });
  await assert.rejects(refused.request(ctx, 'GET', '/x'), (e: unknown) => e instanceof TransientError && /ECONNREFUSED/.test(e.message));
});

test('a request that outlives the timeout, or the transport, fails as transient', async () => {
  const never = ((_url: string | URL, init?: RequestInit) =>
    new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
  const keepAlive = setInterval(() => {}, 1000); // the timeout timer alone does not keep the event loop alive
  after(() => clearInterval(keepAlive));
  const slow = createErpSimTransport({ baseUrl: 'http://erp.test', timeoutMs: 50, fetch: never });
  await assert.rejects(slow.request(ctx, 'GET', '/x'), (e: unknown) => e instanceof TransientError && /timed out/.test(e.message));
  const closing = createErpSimTransport({ baseUrl: 'http://erp.test', timeoutMs: 10_000, fetch: never });
  const pending = closing.request(ctx, 'GET', '/x');
  closing.close();
  await assert.rejects(pending, TransientError);
});
