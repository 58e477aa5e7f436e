import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ApiKeyRepo, DocumentRepo } from '@tradelane/store';
import { startDemoSetup } from './demo.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const catalog = { parties: 4, items: 96, prices: 120, inventory: 192 };
const unused = {} as DocumentRepo & ApiKeyRepo;
const noCustomers = { listCustomers: async () => ({ items: [], nextCursor: null }) };

test('the demo set-up retries while the ERP is unreachable, then is ready', async () => {
  const { logger, lines } = capture();
  let calls = 0;
  const demo = startDemoSetup({
    tenantId: 'demo',
    keys: false,
    syncCatalog: async () => {
      calls += 1;
      if (calls < 3) throw new Error('TL_ERP_SIM_UNREACHABLE: erp-sim unreachable: ECONNREFUSED');
      return catalog;
    },
    erpMasterData: noCustomers,
    documents: unused,
    apiKeys: unused,
    logger,
    retry: { initialMs: 5, maxMs: 10 },
  });
  assert.deepEqual(await demo.ready, { tenantId: 'demo', catalog, customers: [], suppliers: [], staff: undefined });
  assert.equal(calls, 3);
  const warnings = lines.filter((l) => l.msg === 'demo tenant not ready yet (is the ERP reachable?); retrying');
  assert.deepEqual(warnings.map((w) => w.retryInMs), [5, 10]);
  assert.match(String(warnings[0]!.err), /ECONNREFUSED/);
});

test('stopping before the ERP answers ends the retries and rejects ready', async () => {
  const { logger } = capture();
  let calls = 0;
  const demo = startDemoSetup({
    tenantId: 'demo',
    keys: false,
    syncCatalog: async () => {
      calls += 1;
      throw new Error('unreachable');
    },
    erpMasterData: noCustomers,
    documents: unused,
    apiKeys: unused,
    logger,
    retry: { initialMs: 60_000, maxMs: 60_000 },
  });
  await new Promise((r) => setTimeout(r, 20));
  await demo.stop();
  await assert.rejects(demo.ready, /demo set-up of tenant demo was stopped before it was ready/);
  assert.equal(calls, 1);
});
