/**
 * Gateway limits and validation across the whole app: compressed bodies, body size, Content-Type variants, unknown
 * fields on writes, page-size caps on every list route and the request timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildApp } from '../app.js';
import { decodeRequestBody } from './content-encoding.hook.js';
import { FakeApiKeys, FakeIdempotencyStore, FakeOrderToCash, KEYS, as, captureLogger, customerApp, submission } from '../customer/customer.test-support.js';
import { MAX_PAGE_LIMIT } from '../customer/schemas.js';
import { KEYS as P2P_KEYS } from '../supplier/supplier.test-support.js';
import { hubApp } from '../identity/identity.test-support.js';

const ORDERS = '/v1/customer/orders';
let seq = 0;
const post = (app: FastifyInstance, payload: string | Buffer, headers: Record<string, string | string[]>) =>
  app.inject({ method: 'POST', url: ORDERS, headers: { ...as(KEYS.alice, { 'idempotency-key': `k-${++seq}` }), ...headers }, payload });

/** Sends raw bytes (one or several writes) to a listening app and resolves the status line of the answer. */
function rawRequest(port: number, ...chunks: Array<string | Buffer>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let data = '';
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\r\n\r\n')) socket.end();
    });
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

/** `n` MiB of zeros as `n` concatenated gzip members (about 1 KiB each): a bomb that is cheap to build. */
function gzipBomb(mib: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: mib }, () => member));
}

test('gzip, deflate and br request bodies are decoded; the decoded body is what the route sees', async () => {
  const { app, o2c } = await customerApp();
  const body = submission({ customerPoNumber: 'PO-ZIPPED' });
  const json = Buffer.from(JSON.stringify(body));
  const cases: Array<[string, Buffer]> = [
    ['gzip', gzipSync(json)],
    ['x-gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
    ['GZIP', gzipSync(json)],
    ['identity, gzip', gzipSync(json)],
    ['identity', json],
  ];
  for (const [encoding, payload] of cases) {
    const r = await post(app, payload, { 'content-type': 'application/json', 'content-encoding': encoding });
    assert.equal(r.statusCode, 202, `${encoding}: ${r.body}`);
    assert.equal(r.json().customerPoNumber, 'PO-ZIPPED');
  }
  assert.equal(o2c.calls.submitOrder, cases.length);
  const broken = await post(app, gzipSync(json).subarray(0, 20), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(broken.statusCode, 400, broken.body);
  assert.equal(broken.json().code, 'TL_REQUEST_ENCODING_INVALID');
  const notGzip = await post(app, json, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(notGzip.json().code, 'TL_REQUEST_ENCODING_INVALID');
  assert.equal(o2c.calls.submitOrder, cases.length);
  await app.close();
});

test('unknown or stacked encodings are refused with 415 before the body is read', async () => {
  const { app, o2c, idempotency } = await customerApp();
  const json = Buffer.from(JSON.stringify(submission()));
  for (const encoding of ['x-compress', 'compress', 'zstd', 'gzip, br', 'gzip, gzip', 'snappy']) {
    const r = await post(app, json, { 'content-type': 'application/json', 'content-encoding': encoding });
    assert.equal(r.statusCode, 415, `${encoding}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_ENCODING_UNSUPPORTED');
    assert.equal(r.headers['accept-encoding'], 'gzip, deflate, br');
  }
  assert.equal(o2c.calls.submitOrder, 0);
  assert.equal(idempotency.calls.begin, 0);
  await app.close();
});

test('the body limit applies to the decoded size: a small gzip bomb gets 413, over HTTP too, and reaches no handler', async () => {
  const { app, o2c } = await customerApp();
  const bomb = gzipBomb(64); // 64 MiB of zeros in about 64 KiB
  assert.ok(bomb.length < 1_048_576 / 8, 'the bomb itself is far below the limit');
  for (const [encoding, payload] of [
    ['gzip', bomb],
    ['deflate', deflateSync(Buffer.alloc(8 * 1024 * 1024, 0x20))],
    ['br', brotliCompressSync(Buffer.alloc(8 * 1024 * 1024, 0x20))],
  ] as const) {
    const r = await post(app, payload, { 'content-type': 'application/json', 'content-encoding': encoding });
    assert.equal(r.statusCode, 413, `${encoding}: ${r.body}`);
    assert.equal(r.json().code, 'TL_REQUEST_TOO_LARGE');
  }
  const read = await app.inject({ method: 'GET', url: ORDERS, headers: { ...as(KEYS.alice), 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: bomb });
  assert.equal(read.statusCode, 200, 'a body no route reads is never inflated');
  const port = (await app.listen({ port: 0, host: '127.0.0.1' }), (app.server.address() as { port: number }).port);
  const head = [`POST ${ORDERS} HTTP/1.1`, 'Host: x', `Authorization: Bearer ${KEYS.alice}`, 'Idempotency-Key: k-bomb', 'Content-Type: application/json', 'Content-Encoding: gzip', 'Transfer-Encoding: chunked', '', ''].join('\r\n');
  const status = await rawRequest(port, head, `${bomb.length.toString(16)}\r\n`, bomb, '\r\n0\r\n\r\n');
  assert.match(status, /^HTTP\/1\.1 413/);
  assert.equal(o2c.calls.submitOrder, 0);
  await app.close();
});

test('decoding stops at the limit: the decoder is fed only a small part of a bomb', async () => {
  const bomb = gzipBomb(256); // 256 MiB decoded
  const chunks = Array.from({ length: Math.ceil(bomb.length / 4096) }, (_, i) => bomb.subarray(i * 4096, (i + 1) * 4096));
  const request = { headers: { 'content-encoding': 'gzip' }, routeOptions: { bodyLimit: 1_048_576 } } as unknown as FastifyRequest;
  const decoded = (await decodeRequestBody(request, {} as FastifyReply, Readable.from(chunks))) as Readable & { receivedEncodedLength: number };
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(decoded.receivedEncodedLength, 0, 'nothing is read before the body reader asks');
  let received = 0;
  const err = await new Promise<Error & { code?: string }>((resolve) => {
    decoded.on('error', resolve);
    decoded.on('end', () => resolve(new Error('decoded to the end')));
    decoded.on('data', (c: Buffer) => void (received += c.length));
  });
  assert.equal(err.code, 'FST_ERR_CTP_BODY_TOO_LARGE');
  assert.ok(received <= 1_048_576, `at most the limit is passed on (${received})`);
  assert.ok(decoded.receivedEncodedLength < bomb.length / 4, `decoder fed ${decoded.receivedEncodedLength} of ${bomb.length} compressed bytes`);
});

test('bodies over the limit are refused with 413, also when Content-Length understates them', async () => {
  const o2c = new FakeOrderToCash();
  const idempotency = new FakeIdempotencyStore();
  const app = await buildApp({
    logger: captureLogger().logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    bodyLimit: 4096,
    customer: { commands: o2c, queries: o2c, idempotency, apiKeys: new FakeApiKeys() },
  });
  const big = JSON.stringify(submission({ notes: 'x'.repeat(5000) } as never));
  const r = await post(app, big, { 'content-type': 'application/json' });
  assert.equal(r.statusCode, 413, r.body);
  assert.equal(r.json().code, 'TL_REQUEST_TOO_LARGE');
  const port = (await app.listen({ port: 0, host: '127.0.0.1' }), (app.server.address() as { port: number }).port);
  const chunked = [
    `POST ${ORDERS} HTTP/1.1`,
    'Host: x',
    `Authorization: Bearer ${KEYS.alice}`,
    'Idempotency-Key: k-chunked',
    'Content-Type: application/json',
    'Transfer-Encoding: chunked',
    '',
    `${(big.length).toString(16)}\r\n${big}\r\n0\r\n\r\n`,
  ].join('\r\n');
  assert.match(await rawRequest(port, chunked), /^HTTP\/1\.1 413/);
  assert.equal(o2c.calls.submitOrder, 0);
  await app.close();
});

test('an invalid body is rejected under every Content-Type variant and never reaches a handler', async () => {
  const { app, o2c, idempotency } = await customerApp();
  const invalid = JSON.stringify({ customerPoNumber: 5, lines: [], priority: 'high' });
  const valid = JSON.stringify(submission());
  const variants: Array<[string, Record<string, string | string[]>]> = [
    ['json', { 'content-type': 'application/json' }],
    ['json; charset', { 'content-type': 'application/json; charset=utf-8' }],
    ['upper case', { 'content-type': 'APPLICATION/JSON' }],
    ['json:api', { 'content-type': 'application/vnd.api+json' }],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['missing', {}],
    ['garbage', { 'content-type': ';;;' }],
  ];
  for (const [name, headers] of variants) {
    const r = await post(app, invalid, headers);
    assert.ok(r.statusCode === 400 || r.statusCode === 415, `${name}: ${r.statusCode} ${r.body}`);
    assert.match(r.headers['content-type'] as string, /^application\/problem\+json/, name);
  }
  // A valid JSON text sent as anything but JSON is refused too: no parser turns it into an order.
  for (const [name, headers] of variants.slice(3)) {
    const r = await post(app, valid, headers);
    assert.ok(r.statusCode === 400 || r.statusCode === 415, `valid body as ${name}: ${r.statusCode} ${r.body}`);
  }
  assert.equal(o2c.calls.submitOrder, 0, 'no variant reached the handler');
  assert.equal(idempotency.calls.begin, 0, 'no variant claimed an idempotency key');
  // The same valid body under the JSON variants is accepted (the check is on the body, not the spelling).
  for (const [name, headers] of variants.slice(0, 3)) assert.equal((await post(app, valid, headers)).statusCode, 202, name);

  // A duplicated Content-Type header, in both orders, through a real socket.
  const port = (await app.listen({ port: 0, host: '127.0.0.1' }), (app.server.address() as { port: number }).port);
  for (const pair of [['text/plain', 'application/json'], ['application/json', 'text/plain'], ['application/json', 'application/json']]) {
    const request = [
      `POST ${ORDERS} HTTP/1.1`,
      'Host: x',
      `Authorization: Bearer ${KEYS.alice}`,
      `Idempotency-Key: dup-${pair.join('-')}`,
      `Content-Type: ${pair[0]}`,
      `Content-Type: ${pair[1]}`,
      `Content-Length: ${Buffer.byteLength(invalid)}`,
      'Connection: close',
      '',
      invalid,
    ].join('\r\n');
    assert.match(await rawRequest(port, request), /^HTTP\/1\.1 4(00|15)/, pair.join(' + '));
  }
  assert.equal(o2c.calls.submitOrder, 3, 'only the three valid JSON posts above ran');
  await app.close();
});

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: unknown; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[] };

/** Paths of object schemas that accept properties they do not declare. */
function openObjects(schema: Schema | undefined, path: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const isObject = schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || schema.properties !== undefined;
  if (isObject && schema.additionalProperties !== false) out.push(path || '/');
  for (const [k, sub] of Object.entries(schema.properties ?? {})) openObjects(sub, `${path}/${k}`, out);
  if (schema.items) openObjects(schema.items, `${path}/items`, out);
  for (const group of [schema.oneOf, schema.anyOf, schema.allOf]) group?.forEach((s, i) => openObjects(s, `${path}/${i}`, out));
  return out;
}

test('every write body in the OpenAPI document refuses unknown fields (no mass assignment)', async () => {
  const { app } = await hubApp();
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  let writes = 0;
  const open: string[] = [];
  for (const [path, ops] of Object.entries<Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        if (type === 'application/x-www-form-urlencoded') continue; // OAuth token form: RFC 6749 says ignore unknown parameters
        writes++;
        open.push(...openObjects(media.schema, '', []).map((p) => `${method.toUpperCase()} ${path} body${p}`));
      }
    }
  }
  assert.ok(writes >= 10, `only ${writes} write bodies found`);
  assert.deepEqual(open, []);
  await app.close();
});

test('every list route caps its page size', async () => {
  const { app, o2c, p2p, desk } = await hubApp({}, { rateLimit: false });
  const seen: number[] = [];
  for (const fake of [o2c, p2p, desk] as unknown as Array<Record<string, unknown>>) {
    let proto = Object.getPrototypeOf(fake);
    const names = new Set<string>();
    while (proto && proto !== Object.prototype) {
      for (const n of Object.getOwnPropertyNames(proto)) if (n !== 'constructor' && typeof fake[n] === 'function') names.add(n);
      proto = Object.getPrototypeOf(proto);
    }
    for (const n of names) {
      const original = (fake[n] as (...a: unknown[]) => unknown).bind(fake);
      fake[n] = (...args: unknown[]) => {
        for (const a of args) {
          const limit = (a as { limit?: unknown } | null)?.limit;
          if (typeof limit === 'number') seen.push(limit);
        }
        return original(...args);
      };
    }
  }
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const keyFor: Record<string, string> = { customer: KEYS.alice, supplier: P2P_KEYS.supplierA, ops: P2P_KEYS.staff };
  const checked: string[] = [];
  for (const [path, ops] of Object.entries<Record<string, { parameters?: Array<{ in: string; name: string; schema: { maximum?: number } }> }>>(doc.paths)) {
    const op = ops.get;
    const limit = op?.parameters?.find((p) => p.in === 'query' && p.name === 'limit');
    if (!limit) continue;
    checked.push(path);
    if (limit.schema.maximum !== undefined) {
      assert.ok(limit.schema.maximum <= MAX_PAGE_LIMIT, `${path}: maximum ${limit.schema.maximum}`);
      continue; // the validator refuses anything larger
    }
    const tree = /^\/v1\/([a-z]+)\//.exec(path)?.[1] ?? '';
    assert.ok(keyFor[tree], `${path}: no test key for the ${tree} tree; add one`);
    seen.length = 0;
    const r = await app.inject({ method: 'GET', url: `${path}?limit=100000`, headers: { authorization: `Bearer ${keyFor[tree]}` } });
    assert.equal(r.statusCode, 200, `${path}: ${r.body}`);
    assert.ok(seen.length > 0, `${path}: the query port saw no limit`);
    assert.ok(seen.every((l) => l <= MAX_PAGE_LIMIT), `${path}: asked the port for ${seen.join(', ')}`);
    const zero = await app.inject({ method: 'GET', url: `${path}?limit=0`, headers: { authorization: `Bearer ${keyFor[tree]}` } });
    assert.equal(zero.statusCode, 400, `${path}: limit=0`);
  }
  assert.ok(checked.length >= 5, `only ${checked.length} paged routes: ${checked.join(', ')}`);
  await app.close();
});

test('a request that does not arrive within the request timeout gets 408', async () => {
  const o2c = new FakeOrderToCash();
  const app = await buildApp({
    logger: captureLogger().logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    requestTimeoutMs: 1000,
    customer: { commands: o2c, queries: o2c, idempotency: new FakeIdempotencyStore(), apiKeys: new FakeApiKeys() },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const started = Date.now();
  // Headers and half a body, then silence.
  const status = await rawRequest(port, `POST ${ORDERS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEYS.alice}\r\nIdempotency-Key: slow\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"customerPo`);
  const took = Date.now() - started;
  assert.match(status, /^HTTP\/1\.1 408/);
  assert.ok(took >= 900 && took < 5000, `cut off after ${took} ms`);
  assert.equal(o2c.calls.submitOrder, 0);
  await app.close();
});
