import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowLeaseLostError, flowRef, systemContext, type FlowLease, type FlowRunState, type FlowStepRecord, type NewFlowRun } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createFlowStore } from './flow-store.repo.js';

const tenantA = systemContext('t_store_a', 'corr-a', 'test');
const tenantB = systemContext('t_store_b', 'corr-b', 'test');
const t0 = new Date('2026-05-04T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

let seq = 0;
function newRun(flowId: string, overrides: Partial<NewFlowRun> = {}): NewFlowRun {
  seq++;
  return { id: `flow_test${seq}`, flowId, flowVersion: 1, idempotencyKey: `key-${seq}`, concurrencyKey: undefined, input: { n: seq }, now: t0, ...overrides };
}

function step(lease: FlowLease, key: string, overrides: Partial<FlowStepRecord> = {}): FlowStepRecord {
  return {
    runId: lease.runId,
    tenantId: lease.tenantId,
    stepKey: key,
    stepId: key.split('#')[0]!,
    kind: 'Step',
    seq: 1,
    status: 'Running',
    input: null,
    output: undefined,
    error: undefined,
    attempts: 1,
    nextAttemptAt: undefined,
    wakeAt: undefined,
    waitKey: undefined,
    compensated: false,
    compensationAttempts: 0,
    compensationError: undefined,
    compensationNextAt: undefined,
    startedAt: t0,
    updatedAt: t0,
    finishedAt: undefined,
    ...overrides,
  };
}

const waiting = (patch: Partial<FlowRunState> = {}): FlowRunState => ({
  status: 'Waiting',
  phase: 'Forward',
  output: undefined,
  error: undefined,
  failure: undefined,
  wakeAt: undefined,
  waitKey: undefined,
  ...patch,
});

for (const target of databaseTargets()) {
  describe(`flow store on ${target.name}`, () => {
    let db: Database;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    test('creates a run once per tenant, flow and idempotency key, and keeps tenants apart', async () => {
      const store = createFlowStore(db);
      const first = await store.createRun(tenantA, newRun('s-create', { idempotencyKey: 'so_1', input: { a: [1, null], b: 'x' } }));
      assert.equal(first.created, true);
      assert.equal(first.run.status, 'Pending');
      assert.equal(first.run.phase, 'Forward');
      assert.deepEqual(first.run.input, { a: [1, null], b: 'x' });
      assert.equal(first.run.output, undefined);
      assert.deepEqual(first.run.startedBy, tenantA.actor);
      assert.equal(first.run.correlationId, 'corr-a');
      const again = await store.createRun(tenantA, newRun('s-create', { idempotencyKey: 'so_1' }));
      assert.deepEqual([again.created, again.run.id], [false, first.run.id]);
      const otherFlow = await store.createRun(tenantA, newRun('s-create-2', { idempotencyKey: 'so_1' }));
      assert.equal(otherFlow.created, true);
      const otherTenant = await store.createRun(tenantB, newRun('s-create', { idempotencyKey: 'so_1' }));
      assert.equal(otherTenant.created, true);
      assert.equal(await store.getRun(tenantB, first.run.id), undefined);
      assert.deepEqual((await store.listRuns(tenantA, { flowId: 's-create' })).map((r) => r.id), [first.run.id]);
      assert.deepEqual((await store.listRuns(tenantB, { flowId: 's-create' })).map((r) => r.id), [otherTenant.run.id]);
      assert.deepEqual(await store.listRuns(tenantA, { flowId: 's-create', status: ['Completed', 'Failed'] }), []);
      assert.equal((await store.listRuns(tenantA, { flowId: 's-create', status: 'Pending' })).length, 1);
    });

    test('claims due runs with a lease; a lost lease fences every write of its former holder', async () => {
      const store = createFlowStore(db);
      const { run } = await store.createRun(tenantA, newRun('s-lease'));
      const refs = [flowRef('s-lease', 1)];
      assert.deepEqual(await store.claimRuns({ workerId: 'w1', flowRefs: [flowRef('s-lease', 2)], now: t0, leaseUntil: at(1000), limit: 5 }), [], 'other version');
      const [claimed] = await store.claimRuns({ workerId: 'w1', flowRefs: refs, now: t0, leaseUntil: at(1000), limit: 5 });
      assert.equal(claimed?.run.id, run.id);
      assert.equal(claimed?.run.status, 'Running');
      assert.equal(claimed?.run.leaseOwner, 'w1');
      const lease = claimed!.lease;
      assert.deepEqual(await store.claimRuns({ workerId: 'w2', flowRefs: refs, now: at(999), leaseUntil: at(2000), limit: 5 }), [], 'leased');
      await store.saveStep(lease, step(lease, 'a#1'), at(1000));
      const [stolen] = await store.claimRuns({ workerId: 'w2', flowRefs: refs, now: at(1001), leaseUntil: at(5000), limit: 5 });
      assert.equal(stolen?.run.id, run.id, 'an expired lease is claimed by another worker');
      const isLost = (e: unknown) => e instanceof FlowLeaseLostError && e.code === 'TL_FLOW_LEASE_LOST';
      await assert.rejects(store.saveStep(lease, step(lease, 'a#1', { status: 'Completed' }), at(2000)), isLost);
      await assert.rejects(store.setRun(lease, waiting(), at(1002)), isLost);
      await assert.rejects(store.renewLease(lease, at(3000), at(1002)), isLost);
      await assert.rejects(store.consumeSignal(lease, 'k', () => step(lease, 'w#1'), at(3000)), isLost);
      assert.equal((await store.listSteps(tenantA, run.id))[0]?.status, 'Running', 'the fenced write left nothing');
      await store.saveStep(stolen!.lease, step(stolen!.lease, 'a#1', { status: 'Completed', output: { ok: true }, attempts: 2 }), at(5000));
      await store.setRun(stolen!.lease, { ...waiting(), status: 'Completed', output: 'fine' }, at(1003));
      const done = await store.getRun(tenantA, run.id);
      assert.deepEqual([done?.status, done?.output, done?.leaseOwner, done?.finishedAt?.getTime()], ['Completed', 'fine', undefined, at(1003).getTime()]);
      const [s] = await store.listSteps(tenantA, run.id);
      assert.deepEqual([s?.status, s?.output, s?.attempts], ['Completed', { ok: true }, 2]);
      assert.deepEqual(await store.listSteps(tenantB, run.id), [], 'steps are tenant-scoped');
    });

    test('a waiting run is due at its wake time, and released leases of a restarted worker are due at once', async () => {
      const store = createFlowStore(db);
      const refs = [flowRef('s-wake', 1)];
      const { run } = await store.createRun(tenantA, newRun('s-wake'));
      const [c] = await store.claimRuns({ workerId: 'w-wake', flowRefs: refs, now: t0, leaseUntil: at(60_000), limit: 1 });
      await store.setRun(c!.lease, waiting({ wakeAt: at(500) }), t0);
      assert.deepEqual(await store.claimRuns({ workerId: 'w-wake', flowRefs: refs, now: at(499), leaseUntil: at(60_000), limit: 1 }), []);
      const [c2] = await store.claimRuns({ workerId: 'w-wake', flowRefs: refs, now: at(500), leaseUntil: at(60_000), limit: 1 });
      assert.equal(c2?.run.id, run.id);
      assert.equal(c2?.run.wakeAt, undefined, 'claiming clears the timer');
      assert.equal(await store.releaseWorkerLeases('someone-else', at(600)), 0);
      assert.equal(await store.releaseWorkerLeases('w-wake', at(600)), 1);
      const [c3] = await store.claimRuns({ workerId: 'w-wake', flowRefs: refs, now: at(600), leaseUntil: at(60_000), limit: 1 });
      assert.equal(c3?.run.id, run.id, 'due at once, long before the old lease would expire');
    });

    test('runs sharing a concurrency key are claimed one at a time in start order; one needing attention holds the key', async () => {
      const store = createFlowStore(db);
      const refs = [flowRef('s-serial', 1)];
      const claim = (now: Date) => store.claimRuns({ workerId: 'w', flowRefs: refs, now, leaseUntil: at(3_600_000), limit: 10 });
      const r1 = (await store.createRun(tenantA, newRun('s-serial', { concurrencyKey: 'so_7' }))).run;
      const r2 = (await store.createRun(tenantA, newRun('s-serial', { concurrencyKey: 'so_7' }))).run;
      const other = (await store.createRun(tenantB, newRun('s-serial', { concurrencyKey: 'so_7' }))).run;
      let claimed = await claim(t0);
      assert.deepEqual(claimed.map((c) => c.run.id).sort(), [r1.id, other.id].sort(), 'same key in another tenant is another queue');
      const lease1 = claimed.find((c) => c.run.id === r1.id)!.lease;
      await store.setRun(lease1, waiting({ wakeAt: at(1000) }), t0);
      assert.deepEqual(await claim(at(1)), [], 'r2 waits while r1 sleeps');
      claimed = await claim(at(1000));
      assert.deepEqual(claimed.map((c) => c.run.id), [r1.id]);
      await store.setRun(claimed[0]!.lease, { ...waiting(), status: 'NeedsAttention', error: 'undo failed' }, at(1000));
      assert.deepEqual(await claim(at(2000)), [], 'a run needing attention still holds the key');
      await store.requeue(tenantA, r1.id, at(2000));
      claimed = await claim(at(2000));
      assert.deepEqual(claimed.map((c) => c.run.id), [r1.id]);
      await store.setRun(claimed[0]!.lease, { ...waiting(), status: 'Failed' }, at(2001));
      assert.deepEqual((await claim(at(2002))).map((c) => c.run.id), [r2.id]);
    });

    test('a signal is consumed once, by the oldest first, within its tenant; a redelivered one is ignored', async () => {
      const store = createFlowStore(db);
      const refs = [flowRef('s-signal', 1)];
      const { run } = await store.createRun(tenantA, newRun('s-signal'));
      const [c] = await store.claimRuns({ workerId: 'w', flowRefs: refs, now: t0, leaseUntil: at(60_000), limit: 1 });
      const lease = c!.lease;
      const toStep = (key: string) => (payload: unknown) => step(lease, key, { kind: 'Wait', status: 'Completed', output: { event: payload } });
      assert.equal(await store.consumeSignal(lease, 'asn:1', toStep('wait:a#1'), at(60_000)), undefined);
      assert.deepEqual(await store.addSignal(tenantB, { key: 'asn:1', payload: 'other tenant', now: t0 }), { accepted: true, woken: 0 });
      assert.equal(await store.consumeSignal(lease, 'asn:1', toStep('wait:a#1'), at(60_000)), undefined, 'not another tenant’s signal');
      await store.addSignal(tenantA, { key: 'asn:1', payload: { n: 1 }, dedupeId: 'e1', now: t0 });
      assert.deepEqual(await store.addSignal(tenantA, { key: 'asn:1', payload: { n: 1 }, dedupeId: 'e1', now: t0 }), { accepted: false, woken: 0 });
      await store.addSignal(tenantA, { key: 'asn:1', payload: { n: 2 }, now: t0 });
      assert.deepEqual(await store.consumeSignal(lease, 'asn:1', toStep('wait:a#1'), at(60_000)), { payload: { n: 1 } });
      assert.deepEqual(await store.consumeSignal(lease, 'asn:1', toStep('wait:a#2'), at(60_000)), { payload: { n: 2 } });
      assert.equal(await store.consumeSignal(lease, 'asn:1', toStep('wait:a#3'), at(60_000)), undefined);
      const steps = await store.listSteps(tenantA, run.id);
      assert.deepEqual(steps.map((s) => [s.stepKey, s.output]), [['wait:a#1', { event: { n: 1 } }], ['wait:a#2', { event: { n: 2 } }]]);

      // A run that suspended on a key is due when its signal exists, even if the signal came before the suspension.
      await store.addSignal(tenantA, { key: 'asn:2', payload: null, now: t0 });
      await store.setRun(lease, waiting({ waitKey: 'asn:2' }), t0);
      const [again] = await store.claimRuns({ workerId: 'w', flowRefs: refs, now: t0, leaseUntil: at(60_000), limit: 1 });
      assert.equal(again?.run.id, run.id);
      await store.setRun(again!.lease, waiting({ waitKey: 'asn:3' }), t0);
      assert.deepEqual(await store.addSignal(tenantA, { key: 'asn:3', payload: 1, now: at(5) }), { accepted: true, woken: 1 });
      const woken = await store.getRun(tenantA, run.id);
      assert.deepEqual([woken?.status, woken?.wakeAt?.getTime()], ['Pending', at(5).getTime()]);
    });

    test('cancel marks unfinished runs only and makes a suspended one due', async () => {
      const store = createFlowStore(db);
      const refs = [flowRef('s-cancel', 1)];
      const { run } = await store.createRun(tenantA, newRun('s-cancel'));
      const [c] = await store.claimRuns({ workerId: 'w', flowRefs: refs, now: t0, leaseUntil: at(60_000), limit: 1 });
      await store.setRun(c!.lease, waiting({ wakeAt: at(3_600_000) }), t0);
      assert.equal(await store.requestCancel(tenantB, run.id, at(1)), undefined);
      const cancelled = await store.requestCancel(tenantA, run.id, at(1));
      assert.deepEqual([cancelled?.status, cancelled?.cancelRequested, cancelled?.wakeAt?.getTime()], ['Pending', true, at(1).getTime()]);
      const [c2] = await store.claimRuns({ workerId: 'w', flowRefs: refs, now: at(1), leaseUntil: at(60_000), limit: 1 });
      assert.equal(c2?.run.cancelRequested, true);
      assert.deepEqual(await store.renewLease(c2!.lease, at(70_000), at(2)), { cancelRequested: true });
      await store.setRun(c2!.lease, { ...waiting(), status: 'Cancelled' }, at(2));
      assert.equal(await store.requestCancel(tenantA, run.id, at(3)), undefined, 'finished');
    });

    test('runInCheckpoint commits the step’s own writes with its checkpoint, or rolls both back', async () => {
      const store = createFlowStore(db);
      await db.exec('CREATE TABLE IF NOT EXISTS test_flow_effects (id text PRIMARY KEY)');
      const { run } = await store.createRun(tenantA, newRun('s-tx'));
      const [c] = await store.claimRuns({ workerId: 'w', flowRefs: [flowRef('s-tx', 1)], now: t0, leaseUntil: at(60_000), limit: 1 });
      const lease = c!.lease;
      await assert.rejects(
        store.runInCheckpoint!(
          lease,
          async (tx) => {
            await tx.query(`INSERT INTO test_flow_effects (id) VALUES ('e1')`);
            throw new Error('step failed');
          },
          () => step(lease, 'a#1', { status: 'Completed' }),
          at(60_000),
        ),
        /step failed/,
      );
      assert.equal((await db.query(`SELECT id FROM test_flow_effects WHERE id = 'e1'`)).rows.length, 0);
      assert.deepEqual(await store.listSteps(tenantA, run.id), []);
      const out = await store.runInCheckpoint!(
        lease,
        async (tx) => {
          await tx.query(`INSERT INTO test_flow_effects (id) VALUES ('e1')`);
          return 'e1';
        },
        (id) => step(lease, 'a#1', { status: 'Completed', output: id }),
        at(60_000),
      );
      assert.equal(out, 'e1');
      assert.equal((await db.query(`SELECT id FROM test_flow_effects WHERE id = 'e1'`)).rows.length, 1);
      assert.equal((await store.listSteps(tenantA, run.id))[0]?.output, 'e1');
    });

    test('concurrent claims never hand one run to two workers', async () => {
      const store = createFlowStore(db);
      const refs = [flowRef('s-race', 1)];
      for (let i = 0; i < 24; i++) await store.createRun(i % 2 ? tenantA : tenantB, newRun('s-race'));
      const seen: string[] = [];
      await Promise.all(
        ['w1', 'w2', 'w3', 'w4'].map(async (workerId) => {
          for (;;) {
            const claimed = await store.claimRuns({ workerId, flowRefs: refs, now: t0, leaseUntil: at(60_000), limit: 3 });
            if (claimed.length === 0) return;
            seen.push(...claimed.map((c) => c.run.id));
          }
        }),
      );
      assert.equal(seen.length, 24);
      assert.equal(new Set(seen).size, 24);
    });
  });
}
