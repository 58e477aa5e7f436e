import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { startServer } from './server.js';

function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

test('graceful shutdown finishes the in-flight request, stops components in reverse order, then closes the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-server-'));
  const { logger, lines } = memoryLogger();
  const events: string[] = [];
  let releaseSlow!: () => void;
  const slowStarted = new Promise<void>((resolve) => {
    releaseSlow = resolve;
  });
  try {
    // The bare hub: no simulators and no ERP URL, so order-to-cash stays off.
    const config = loadConfig({ PORT: '0', TRADELANE_SERVER_HOST: '127.0.0.1', TRADELANE_DATA_DIR: dir, TRADELANE_SIMULATORS: 'false' });
    const server = await startServer(config, {
      logger,
      routes: [
        {
          prefix: '/v1/test',
          plugin: async (app) => {
            app.get('/slow', async () => {
              releaseSlow();
              await new Promise((r) => setTimeout(r, 300));
              events.push('slow request finished');
              return { done: true };
            });
          },
        },
      ],
      components: () => [
        { name: 'relay', start: () => void events.push('relay started'), stop: async () => void events.push('relay stopped') },
        { name: 'worker', start: () => void events.push('worker started'), stop: async () => void events.push('worker stopped') },
      ],
    });
    const ready = await fetch(`${server.url}/ready`);
    assert.equal(ready.status, 200);
    const inFlight = fetch(`${server.url}/v1/test/slow`);
    await slowStarted;
    const stopping = server.shutdown('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    await stopping;
    events.push('database closed');
    assert.equal(server.orderToCash, undefined, 'order-to-cash is off without an ERP');
    assert.ok(lines.some((l) => l.msg === 'order-to-cash is off: no ERP (set TRADELANE_ERP_URL, or TRADELANE_SIMULATORS=true)'));
    assert.deepEqual(events, ['relay started', 'worker started', 'slow request finished', 'worker stopped', 'relay stopped', 'database closed']);
    assert.equal(server.runtime.relay.running, false, 'the outbox relay is stopped');
    assert.equal(await server.db.ping(), false, 'database is closed');
    await assert.rejects(fetch(`${server.url}/health`), 'no longer listening');
    assert.ok(lines.some((l) => l.msg === 'shutdown complete'));
    await server.shutdown('again'); // idempotent
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
