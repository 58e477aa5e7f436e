import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectorContract, silentLog } from '@tradelane/connector-kit';
import { systemClock, systemContext, TransientError } from '@tradelane/core';
import { erpSimConnector } from './index.js';
import { sampleOrder } from './sample-order.fixture.js';
import { startErpSim, type ErpSim } from './sim/erp-sim.server.js';

let sim: ErpSim;
before(async () => {
  sim = await startErpSim({ port: 0, seed: 1 });
});
after(async () => {
  await sim.close();
});

connectorContract(erpSimConnector, {
  config: () => ({ baseUrl: sim.url, timeoutMs: 2000 }),
  badConfig: { config: { baseUrl: 'ftp://erp.example', timeoutMs: 2000 }, field: 'baseUrl' },
  sampleOrder: () => sampleOrder('contract-test', [{ sku: 'FAS-1001', quantity: '2', unit: 'BX' }]),
  makeUnreachable: async () => {
    await sim.setFaults({ down: true });
    return async () => {
      await sim.setFaults({ down: false });
    };
  },
});

describe('exactly once under commit-then-timeout', () => {
  const deps = { clock: systemClock, log: silentLog };
  const ctx = systemContext('acme', 'exactly-once');

  /** Commits 50 orders, retrying each until it succeeds; `fresh` opens a new connector per attempt (a restarted worker). */
  async function commitFifty(fresh: boolean) {
    let instance = await erpSimConnector.instantiate(deps, { baseUrl: sim.url, timeoutMs: 2000 });
    let failures = 0;
    let duplicates = 0;
    for (let i = 0; i < 50; i++) {
      const order = sampleOrder('acme', [{ sku: 'FAS-1001', quantity: '1' }]);
      for (let attempt = 1; ; attempt++) {
        assert.ok(attempt <= 25, 'each commit succeeds within a few attempts');
        try {
          const result = await instance.erpSalesOrders.commitOrder(ctx, order, order.id);
          assert.equal(result.record.reference, order.id);
          if (result.duplicate) duplicates += 1;
          break;
        } catch (err) {
          assert.ok(err instanceof TransientError, String(err));
          failures += 1;
          if (fresh) {
            await instance.close();
            instance = await erpSimConnector.instantiate(deps, { baseUrl: sim.url, timeoutMs: 2000 });
          }
        }
      }
    }
    await instance.close();
    return { failures, duplicates };
  }

  test('30% of answers lost: retrying each of 50 commits yields exactly 50 orders (the connector looks before re-posting)', async () => {
    await sim.reset();
    await sim.setFaults({ commitThenTimeout: 0.3 });
    const { failures, duplicates } = await commitFifty(false);
    const stats = sim.stats();
    assert.equal(stats.orders, 50);
    assert.equal(Object.keys(stats.ordersByExternalRef).length, 50);
    assert.deepEqual(stats.duplicateExternalRefs, []);
    assert.ok(failures >= 5, `answers were lost (${failures})`);
    assert.equal(duplicates, failures, 'every lost answer was found on the retry');
    assert.equal(stats.faults.commitThenTimeout, failures, 'no order was posted twice');
  });

  test('a restarted worker (no memory of the lost answer) relies on the ERP honouring the reference: still 50', async () => {
    await sim.reset();
    await sim.setFaults({ commitThenTimeout: 0.3 });
    const { failures, duplicates } = await commitFifty(true);
    const stats = sim.stats();
    assert.equal(stats.orders, 50);
    assert.deepEqual(stats.duplicateExternalRefs, []);
    assert.ok(failures >= 5 && duplicates >= 1);
  });

  test('even when the ERP ignores the reference, looking before re-posting keeps it at 50', async () => {
    await sim.reset();
    sim.engine.settings.dedupeExternalRef = false;
    try {
      await sim.setFaults({ commitThenTimeout: 0.3 });
      await commitFifty(false);
      const stats = sim.stats();
      assert.equal(stats.orders, 50);
      assert.deepEqual(stats.duplicateExternalRefs, []);
    } finally {
      sim.engine.settings.dedupeExternalRef = true;
    }
  });
});
