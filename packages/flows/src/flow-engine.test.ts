import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, PermanentError, TransientError } from '@tradelane/core';
import type { Sql } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { defineFlow, defineStep, type StepContext } from './flow-definition.js';
import { eventually, flowHarness, gate, suiteDatabase, tenantA, tenantB } from './flow-test.fixture.js';

const noJitter = { jitter: 'none' as const };

for (const target of databaseTargets()) {
  describe(`flow engine on ${target.name}`, () => {
    const shared = suiteDatabase(target);
    before(() => shared.open());
    after(() => shared.close());
    const harness = () => flowHarness(shared.get());

    test('finished steps return their checkpoint and are not rerun when another engine resumes the run', async () => {
      const h = harness();
      try {
        const runs: Record<string, number> = {};
        const keys: string[] = [];
        const count = (id: string, sctx: StepContext) => {
          runs[id] = (runs[id] ?? 0) + 1;
          keys.push(sctx.idempotencyKey);
        };
        const a = defineStep({ id: 'a', run: (n: number, sctx) => (count('a', sctx), { doubled: n * 2 }) });
        const b = defineStep({ id: 'b', run: (x: { doubled: number }, sctx) => (count('b', sctx), x.doubled + 1) });
        const c = defineStep({ id: 'c', run: (x: number, sctx) => (count('c', sctx), `done:${x}`) });
        const flow = defineFlow({
          id: 'resume-demo',
          idempotencyKey: (n: number) => `n-${n}`,
          run: async (n: number, f) => {
            const first = await f.step(a, n);
            const second = await f.step(b, first);
            const again = await f.step(a, n + 1);
            await f.sleep('pause', 60_000);
            return { result: await f.step(c, second), again };
          },
        });
        const first = h.engine({ flows: [flow], workerId: 'w1' });
        const runId = await first.start(tenantA, flow, 20);
        assert.match(runId, /^flow_[0-9A-HJKMNP-TV-Z]{26}$/);
        await first.drain();
        let run = await first.getRun(tenantA, runId);
        assert.equal(run?.status, 'Waiting');
        assert.equal(run?.wakeAt?.getTime(), h.clock.now().getTime() + 60_000);
        assert.deepEqual(runs, { a: 2, b: 1 });

        const second = h.engine({ flows: [flow], workerId: 'w2' });
        assert.equal(await second.drain(), 0, 'nothing is due before the timer');
        h.clock.advance(60_000);
        assert.equal(await second.drain(), 1);
        run = await second.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed');
        assert.deepEqual(run?.output, { result: 'done:41', again: { doubled: 42 } });
        assert.deepEqual(runs, { a: 2, b: 1, c: 1 }, 'a and b were not executed again');
        assert.deepEqual(keys, [`${runId}:a#1`, `${runId}:b#1`, `${runId}:a#2`, `${runId}:c#1`]);
        const steps = await second.listSteps(tenantA, runId);
        assert.deepEqual(
          steps.map((s) => [s.stepKey, s.kind, s.status, s.attempts]),
          [
            ['a#1', 'Step', 'Completed', 1],
            ['b#1', 'Step', 'Completed', 1],
            ['a#2', 'Step', 'Completed', 1],
            ['sleep:pause#1', 'Sleep', 'Completed', 0],
            ['c#1', 'Step', 'Completed', 1],
          ],
        );
      } finally {
        await h.close();
      }
    });

    test('a failing step is retried on a persisted backoff timer and then succeeds with the same idempotency key', async () => {
      const h = harness();
      try {
        const attempts: Array<[number, string]> = [];
        const flaky = defineStep({
          id: 'flaky',
          retry: { maxAttempts: 4, initialDelayMs: 1000, multiplier: 2, ...noJitter },
          run: (_: undefined, sctx) => {
            attempts.push([sctx.attempt, sctx.idempotencyKey]);
            if (sctx.attempt < 3) throw new TransientError('TL_TEST_DOWN', 'erp is down');
            return 'ok';
          },
        });
        const flow = defineFlow({ id: 'retry-demo', idempotencyKey: () => 'one', run: async (_: undefined, f) => f.step(flaky, undefined) });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        const t0 = h.clock.now().getTime();
        await engine.drain();
        let run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Waiting');
        assert.equal(run?.wakeAt?.getTime(), t0 + 1000);
        let [step] = await engine.listSteps(tenantA, runId);
        assert.equal(step?.status, 'Retrying');
        assert.equal(step?.attempts, 1);
        assert.match(step?.error ?? '', /TL_TEST_DOWN: erp is down/);
        assert.equal(await engine.drain(), 0, 'the retry is not due yet');
        h.clock.advance(1000);
        await engine.drain();
        run = await engine.getRun(tenantA, runId);
        assert.equal(run?.wakeAt?.getTime(), t0 + 1000 + 2000, 'second backoff doubles');
        h.clock.advance(2000);
        await engine.drain();
        run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed');
        assert.equal(run?.output, 'ok');
        [step] = await engine.listSteps(tenantA, runId);
        assert.equal(step?.attempts, 3);
        assert.deepEqual(attempts, [
          [1, `${runId}:flaky#1`],
          [2, `${runId}:flaky#1`],
          [3, `${runId}:flaky#1`],
        ]);
      } finally {
        await h.close();
      }
    });

    test('a permanent failure compensates the completed steps in reverse order and ends Failed', async () => {
      const h = harness();
      try {
        const undone: Array<[string, unknown, string]> = [];
        const reserve = defineStep({
          id: 'reserve',
          run: (sku: string) => ({ reservationId: `res-${sku}` }),
          compensate: (out, sctx) => void undone.push(['reserve', out, sctx.idempotencyKey]),
        });
        const note = defineStep({ id: 'note', run: () => 'noted' });
        const commit = defineStep({
          id: 'commit',
          run: () => ({ erpOrder: 'E-1' }),
          compensate: (out, sctx) => void undone.push(['commit', out, sctx.idempotencyKey]),
        });
        let invoiceCalls = 0;
        const invoice = defineStep({
          id: 'invoice',
          run: () => {
            invoiceCalls++;
            throw new PermanentError('TL_TEST_REJECTED', 'invoice rejected');
          },
          compensate: () => void undone.push(['invoice', null, '']),
        });
        const flow = defineFlow({
          id: 'compensate-demo',
          idempotencyKey: (sku: string) => sku,
          run: async (sku: string, f) => {
            await f.step(reserve, sku);
            await f.step(note, undefined);
            await f.step(commit, undefined);
            await f.step(invoice, undefined);
            return 'unreachable';
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, 'SKU-1');
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Failed');
        assert.match(run?.error ?? '', /TL_TEST_REJECTED: invoice rejected/);
        assert.equal(run?.failure, run?.error);
        assert.equal(run?.phase, 'Compensating');
        assert.equal(invoiceCalls, 1, 'a permanent error is not retried');
        assert.deepEqual(undone, [
          ['commit', { erpOrder: 'E-1' }, `${runId}:commit#1:compensate`],
          ['reserve', { reservationId: 'res-SKU-1' }, `${runId}:reserve#1:compensate`],
        ]);
        const steps = await engine.listSteps(tenantA, runId);
        assert.deepEqual(
          steps.map((s) => [s.stepKey, s.status, s.compensated]),
          [
            ['reserve#1', 'Completed', true],
            ['note#1', 'Completed', false],
            ['commit#1', 'Completed', true],
            ['invoice#1', 'Failed', false],
          ],
        );
      } finally {
        await h.close();
      }
    });

    test('exhausted retries fail the step and compensate', async () => {
      const h = harness();
      try {
        const undone: string[] = [];
        const first = defineStep({ id: 'first', run: () => 1, compensate: () => void undone.push('first') });
        let calls = 0;
        const down = defineStep({
          id: 'down',
          retry: { maxAttempts: 3, initialDelayMs: 0 },
          run: () => {
            calls++;
            throw new Error('socket hang up');
          },
        });
        let caught: unknown;
        const flow = defineFlow({
          id: 'exhausted-demo',
          idempotencyKey: () => 'x',
          run: async (_: undefined, f) => {
            await f.step(first, undefined);
            try {
              await f.step(down, undefined);
            } catch (err) {
              caught = err;
              throw err;
            }
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Failed');
        assert.equal(calls, 3);
        assert.deepEqual(undone, ['first']);
        assert.match(run?.error ?? '', /step down#1 failed after 3 attempt\(s\) \(exhausted\): Error: socket hang up/);
        assert.equal((caught as { code?: string }).code, 'TL_FLOW_STEP_FAILED');
      } finally {
        await h.close();
      }
    });

    test('a compensation that keeps failing leaves the run NeedsAttention, listed with its error; resume finishes it after a fix', async () => {
      const h = harness();
      try {
        const undone: string[] = [];
        let fixed = false;
        let releaseAttempts = 0;
        const book = defineStep({ id: 'book', run: () => ({ bookingId: 'B1' }), compensate: () => void undone.push('book') });
        const allocate = defineStep({
          id: 'allocate',
          compensateRetry: { maxAttempts: 2, initialDelayMs: 0 },
          run: () => ({ allocationId: 'A1' }),
          compensate: (out) => {
            releaseAttempts++;
            if (!fixed) throw new TransientError('TL_TEST_WMS_DOWN', `cannot release ${out.allocationId}`);
            undone.push('allocate');
          },
        });
        const ship = defineStep({
          id: 'ship',
          run: () => {
            throw new PermanentError('TL_TEST_NO_CARRIER', 'no carrier');
          },
        });
        const flow = defineFlow({
          id: 'attention-demo',
          idempotencyKey: () => 'x',
          run: async (_: undefined, f) => {
            await f.step(book, undefined);
            await f.step(allocate, undefined);
            await f.step(ship, undefined);
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        await engine.drain();
        const [listed, ...rest] = await engine.listRuns(tenantA, { status: 'NeedsAttention', flowId: flow.id });
        assert.equal(rest.length, 0);
        assert.equal(listed?.id, runId);
        assert.match(listed?.error ?? '', /compensation of allocate#1 failed after 2 attempt\(s\): TL_TEST_WMS_DOWN: cannot release A1/);
        assert.match(listed?.error ?? '', /TL_TEST_NO_CARRIER/);
        assert.deepEqual(undone, [], 'compensation stops at the failed undo; earlier steps stay as they are');
        assert.equal(releaseAttempts, 2);
        const steps = await engine.listSteps(tenantA, runId);
        assert.equal(steps.find((s) => s.stepKey === 'allocate#1')?.compensationError, 'TL_TEST_WMS_DOWN: cannot release A1');
        assert.deepEqual(await engine.listRuns(tenantB, { status: 'NeedsAttention' }), [], 'other tenants do not see it');
        assert.equal(await engine.drain(), 0, 'a run needing attention is not retried by itself');

        fixed = true;
        assert.equal(await engine.resume(tenantA, runId), true);
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Failed');
        assert.match(run?.error ?? '', /TL_TEST_NO_CARRIER/);
        assert.deepEqual(undone, ['allocate', 'book']);
        assert.equal(await engine.resume(tenantA, runId), false);
      } finally {
        await h.close();
      }
    });

    test('compensation waiting on a retry timer resumes in a new engine, which replays the flow to find the undo', async () => {
      const h = harness();
      try {
        const undone: unknown[] = [];
        let calls = 0;
        const book = defineStep({
          id: 'book',
          compensateRetry: { maxAttempts: 3, initialDelayMs: 5000, ...noJitter },
          run: (id: string) => ({ bookingId: id }),
          compensate: (out) => {
            if (++calls === 1) throw new TransientError('TL_TEST_BUSY', 'busy');
            undone.push(out);
          },
        });
        const boom = defineStep({ id: 'boom', run: () => Promise.reject(new PermanentError('TL_TEST_BOOM', 'boom')) });
        const flow = defineFlow({
          id: 'comp-resume-demo',
          idempotencyKey: (id: string) => id,
          run: async (id: string, f) => {
            await f.step(book, id);
            await f.step(boom, undefined);
          },
        });
        const runId = await h.engine({ flows: [flow] }).start(tenantA, flow, 'B7');
        await h.engine({ flows: [flow] }).drain();
        let run = await h.store.getRun(tenantA, runId);
        assert.equal(run?.status, 'Waiting');
        assert.equal(run?.phase, 'Compensating');
        const fresh = h.engine({ flows: [flow] });
        h.clock.advance(5000);
        await fresh.drain();
        run = await fresh.getRun(tenantA, runId);
        assert.equal(run?.status, 'Failed');
        assert.deepEqual(undone, [{ bookingId: 'B7' }]);
      } finally {
        await h.close();
      }
    });

    test('start is idempotent per tenant and flow: same key → same run, even when started concurrently', async () => {
      const h = harness();
      try {
        let executions = 0;
        const work = defineStep({ id: 'work', run: () => ++executions });
        const flow = defineFlow({
          id: 'idem-demo',
          idempotencyKey: (o: { orderId: string; attempt: number }) => o.orderId,
          run: async (o: { orderId: string; attempt: number }, f) => {
            await f.step(work, undefined);
            return o.attempt;
          },
        });
        const engine = h.engine({ flows: [flow] });
        const ids = await Promise.all([1, 2, 3, 4, 5].map((attempt) => engine.start(tenantA, flow, { orderId: 'so_1', attempt })));
        assert.equal(new Set(ids).size, 1);
        const again = await engine.start(tenantA, flow, { orderId: 'so_1', attempt: 9 });
        assert.equal(again, ids[0]);
        const other = await engine.start(tenantB, flow, { orderId: 'so_1', attempt: 1 });
        assert.notEqual(other, ids[0], 'another tenant gets its own run');
        assert.equal((await engine.listRuns(tenantA, { flowId: flow.id })).length, 1);
        assert.equal(await engine.getRun(tenantB, ids[0]!), undefined, 'a tenant cannot read another tenant’s run');
        await engine.drain();
        assert.equal(executions, 2, 'one execution per tenant');
        assert.equal(await engine.start(tenantA, flow, { orderId: 'so_1', attempt: 10 }), ids[0], 'still the same run once finished');
        assert.equal(await engine.drain(), 0);
      } finally {
        await h.close();
      }
    });

    test('runs sharing a concurrency key execute one at a time, in start order', async () => {
      const h = harness();
      try {
        const trace: string[] = [];
        const enter = defineStep({ id: 'enter', run: (tag: string) => void trace.push(`enter ${tag}`) });
        const exit = defineStep({ id: 'exit', run: (tag: string) => void trace.push(`exit ${tag}`) });
        const flow = defineFlow({
          id: 'serial-demo',
          idempotencyKey: (i: { tag: string; key: string }) => i.tag,
          concurrencyKey: (i) => i.key,
          run: async (i: { tag: string; key: string }, f) => {
            await f.step(enter, i.tag);
            await f.sleep('work', 1000);
            await f.step(exit, i.tag);
          },
        });
        const engine = h.engine({ flows: [flow] });
        const ids: string[] = [];
        for (const [tag, key] of [['r1', 'so_9'], ['r2', 'so_9'], ['r3', 'so_9'], ['x1', 'so_other']] as const) {
          ids.push(await engine.start(tenantA, flow, { tag, key }));
        }
        await engine.drain();
        assert.deepEqual(trace.sort(), ['enter r1', 'enter x1']);
        assert.deepEqual((await engine.getRun(tenantA, ids[1]!))?.status, 'Pending', 'r2 waits for r1 to finish');
        for (let i = 0; i < 4; i++) {
          h.clock.advance(1000);
          await engine.drain();
        }
        const statuses = await Promise.all(ids.map(async (id) => (await engine.getRun(tenantA, id))?.status));
        assert.deepEqual(statuses, ['Completed', 'Completed', 'Completed', 'Completed']);
        assert.deepEqual(
          trace.filter((t) => t.endsWith('r1') || t.endsWith('r2') || t.endsWith('r3')),
          ['enter r1', 'exit r1', 'enter r2', 'exit r2', 'enter r3', 'exit r3'],
        );
      } finally {
        await h.close();
      }
    });

    test('sleepUntil wakes at its time on a fake clock', async () => {
      const h = harness();
      try {
        let woke: string | undefined;
        const stamp = defineStep({ id: 'stamp', run: (_: undefined, sctx) => (woke = sctx.clock.now().toISOString()) });
        const flow = defineFlow({
          id: 'until-demo',
          idempotencyKey: (i: { at: string }) => i.at,
          run: async (i: { at: string }, f) => {
            await f.sleepUntil('deadline', new Date(i.at));
            return f.step(stamp, undefined);
          },
        });
        const engine = h.engine({ flows: [flow] });
        const at = new Date(h.clock.now().getTime() + 3_600_000);
        const runId = await engine.start(tenantA, flow, { at: at.toISOString() });
        await engine.drain();
        let run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Waiting');
        assert.equal(run?.wakeAt?.toISOString(), at.toISOString());
        h.clock.advance(1_800_000);
        assert.equal(await engine.drain(), 0);
        h.clock.advance(1_799_999);
        assert.equal(await engine.drain(), 0, 'one millisecond early is still early');
        h.clock.advance(1);
        assert.equal(await engine.drain(), 1);
        run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed');
        assert.equal(woke, at.toISOString());
      } finally {
        await h.close();
      }
    });

    describe('waitForEvent', () => {
      const waiter = defineFlow({
        id: 'wait-demo',
        idempotencyKey: (po: string) => po,
        run: async (po: string, f) => {
          const ack = await f.waitForEvent<{ lines: number }>('supplier-ack', { key: `po.ack:${po}`, timeoutMs: 3_600_000 });
          return ack.timedOut ? 'timed out' : `acked ${ack.event.lines}`;
        },
      });

      test('is satisfied by a signal; the run does not stay in memory while it waits', async () => {
        const h = harness();
        try {
          const engine = h.engine({ flows: [waiter] });
          const runId = await engine.start(tenantA, waiter, 'PO-1');
          await engine.drain();
          let run = await engine.getRun(tenantA, runId);
          assert.equal(run?.status, 'Waiting');
          assert.equal(run?.waitKey, 'po.ack:PO-1');
          assert.equal(run?.leaseOwner, undefined, 'no worker holds a waiting run');
          assert.deepEqual(await engine.signal(tenantB, 'po.ack:PO-1', { lines: 99 }), { accepted: true, woken: 0 }, 'other tenant');
          assert.equal(await engine.drain(), 0);
          assert.deepEqual(await engine.signal(tenantA, 'po.ack:PO-1', { lines: 3 }), { accepted: true, woken: 1 });
          await h.engine({ flows: [waiter] }).drain();
          run = await engine.getRun(tenantA, runId);
          assert.equal(run?.status, 'Completed');
          assert.equal(run?.output, 'acked 3');
        } finally {
          await h.close();
        }
      });

      test('is satisfied by a signal sent before the wait was registered', async () => {
        const h = harness();
        try {
          const engine = h.engine({ flows: [waiter] });
          assert.deepEqual(await engine.signal(tenantA, 'po.ack:PO-2', { lines: 7 }, { dedupeId: 'evt-1' }), { accepted: true, woken: 0 });
          assert.deepEqual(await engine.signal(tenantA, 'po.ack:PO-2', { lines: 8 }, { dedupeId: 'evt-1' }), { accepted: false, woken: 0 }, 'redelivery ignored');
          const runId = await engine.start(tenantA, waiter, 'PO-2');
          await engine.drain();
          const run = await engine.getRun(tenantA, runId);
          assert.equal(run?.status, 'Completed');
          assert.equal(run?.output, 'acked 7');
          // the signal was consumed: a second run on the same key waits for a new one
          const sleeper = defineFlow({
            id: 'wait-twice',
            idempotencyKey: () => 'w2',
            run: async (_: undefined, f) => {
              await f.sleep('first', 10);
              return f.waitForEvent('again', { key: 'po.ack:PO-2', timeoutMs: 1000 });
            },
          });
          const e2 = h.engine({ flows: [sleeper] });
          const r2 = await e2.start(tenantA, sleeper, undefined);
          await e2.drain();
          await e2.signal(tenantA, 'po.ack:PO-2', { lines: 1 }); // arrives while the run sleeps, before its wait
          h.clock.advance(10);
          await e2.drain();
          assert.deepEqual((await e2.getRun(tenantA, r2))?.output, { event: { lines: 1 } });
        } finally {
          await h.close();
        }
      });

      test('times out when no signal comes', async () => {
        const h = harness();
        try {
          const engine = h.engine({ flows: [waiter] });
          const runId = await engine.start(tenantA, waiter, 'PO-3');
          await engine.drain();
          h.clock.advance(3_600_000);
          await engine.drain();
          const run = await engine.getRun(tenantA, runId);
          assert.equal(run?.status, 'Completed');
          assert.equal(run?.output, 'timed out');
          assert.deepEqual((await engine.signal(tenantA, 'po.ack:PO-3', { lines: 1 })).woken, 0, 'a late signal wakes nothing');
        } finally {
          await h.close();
        }
      });
    });

    test('two workers polling one database never run the same run at once, and every step runs once', async () => {
      const h = harness();
      try {
        const inside = new Set<string>();
        const executions = new Map<string, number>();
        const violations: string[] = [];
        const makeStep = (id: string) =>
          defineStep({
            id,
            run: async (_: undefined, sctx) => {
              if (inside.has(sctx.runId)) violations.push(`${sctx.stepKey} of ${sctx.runId} overlapped another step of its run`);
              inside.add(sctx.runId);
              executions.set(sctx.idempotencyKey, (executions.get(sctx.idempotencyKey) ?? 0) + 1);
              await new Promise((r) => setTimeout(r, 2));
              inside.delete(sctx.runId);
            },
          });
        const s1 = makeStep('s1');
        const s2 = makeStep('s2');
        const s3 = makeStep('s3');
        const flow = defineFlow({
          id: 'busy-demo',
          idempotencyKey: (n: number) => String(n),
          run: async (_: number, f) => {
            await f.step(s1, undefined);
            await f.step(s2, undefined);
            await f.step(s3, undefined);
          },
        });
        const { systemClock } = await import('@tradelane/core');
        const w1 = h.engine({ flows: [flow], workerId: 'w1', clock: systemClock, pollIntervalMs: 5, maxConcurrentRuns: 3 });
        const w2 = h.engine({ flows: [flow], workerId: 'w2', clock: systemClock, pollIntervalMs: 5, maxConcurrentRuns: 3 });
        await Promise.all([w1.startWorker(), w2.startWorker()]);
        const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => w1.start(tenantA, flow, i)));
        await eventually(
          async () => (await w1.listRuns(tenantA, { status: 'Completed', flowId: flow.id })).length === ids.length,
          20_000,
          'all runs to complete',
        );
        await Promise.all([w1.stop(), w2.stop()]);
        assert.deepEqual(violations, []);
        assert.equal(executions.size, 36);
        assert.ok([...executions.values()].every((n) => n === 1), 'every step executed exactly once');
        const completions = h.logs.filter((l) => l.message === 'run completed');
        assert.equal(completions.length, 12, 'each run completed once');
      } finally {
        await h.close();
      }
    });

    test('a worker whose lease expired is fenced off: its late checkpoint is refused and the new holder finishes', async () => {
      const h = harness();
      try {
        const hold = gate();
        const started = gate();
        let calls = 0;
        const slow = defineStep({
          id: 'slow',
          run: async (_: undefined, sctx) => {
            calls++;
            if (sctx.attempt === 1) {
              started.open();
              await hold.promise;
              return 'from the stale worker';
            }
            return 'from the new worker';
          },
        });
        const flow = defineFlow({ id: 'fence-demo', idempotencyKey: () => 'f', run: async (_: undefined, f) => f.step(slow, undefined) });
        const stale = h.engine({ flows: [flow], workerId: 'stale', leaseMs: 60_000 });
        const fresh = h.engine({ flows: [flow], workerId: 'fresh', leaseMs: 60_000 });
        const runId = await stale.start(tenantA, flow, undefined);
        const staleDrain = stale.drain();
        await started.promise;
        assert.equal(await fresh.drain(), 0, 'a live lease is respected');
        h.clock.advance(60_001);
        assert.equal(await fresh.drain(), 1);
        let run = await fresh.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed');
        assert.equal(run?.output, 'from the new worker');
        hold.open();
        await staleDrain;
        run = await fresh.getRun(tenantA, runId);
        assert.equal(run?.output, 'from the new worker', 'the stale worker could not overwrite the result');
        assert.equal(calls, 2);
        assert.ok(h.logs.some((l) => l.message.startsWith('lease lost') && l.runId === runId));
      } finally {
        await h.close();
      }
    });

    test('cancel stops a waiting run, compensates it and ends Cancelled', async () => {
      const h = harness();
      try {
        const undone: unknown[] = [];
        const hold = defineStep({ id: 'hold', run: () => ({ holdId: 'H1' }), compensate: (o) => void undone.push(o) });
        const flow = defineFlow({
          id: 'cancel-demo',
          idempotencyKey: () => 'c',
          run: async (_: undefined, f) => {
            await f.step(hold, undefined);
            await f.waitForEvent('approval', { key: 'approve:c' });
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        await engine.drain();
        assert.equal((await engine.getRun(tenantA, runId))?.status, 'Waiting');
        assert.equal(await engine.cancel(tenantB, runId), false, 'another tenant cannot cancel it');
        assert.equal(await engine.cancel(tenantA, runId), true);
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Cancelled');
        assert.equal(run?.phase, 'Cancelling');
        assert.deepEqual(undone, [{ holdId: 'H1' }]);
        assert.equal(await engine.cancel(tenantA, runId), false, 'a finished run cannot be cancelled');
      } finally {
        await h.close();
      }
    });

    test('cancel requested while a step runs lets that step finish, starts no further step, and compensates', async () => {
      const h = harness();
      try {
        const hold = gate();
        const started = gate();
        const trace: string[] = [];
        const first = defineStep({
          id: 'first',
          run: async () => {
            started.open();
            await hold.promise;
            trace.push('first');
            return { id: 'F1' };
          },
          compensate: (o) => void trace.push(`undo ${o.id}`),
        });
        const second = defineStep({ id: 'second', run: () => void trace.push('second') });
        const flow = defineFlow({
          id: 'cancel-running-demo',
          idempotencyKey: () => 'c',
          run: async (_: undefined, f) => {
            await f.step(first, undefined);
            await f.step(second, undefined);
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        const draining = engine.drain();
        await started.promise;
        assert.equal(await engine.cancel(tenantA, runId), true);
        hold.open();
        await draining;
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Cancelled');
        assert.deepEqual(trace, ['first', 'undo F1']);
      } finally {
        await h.close();
      }
    });

    test('a transactional step commits its database effects with its checkpoint, or not at all', async () => {
      const h = harness();
      try {
        await h.db.exec('CREATE TABLE test_ledger (id text PRIMARY KEY, amount integer NOT NULL)');
        const post = defineStep<{ id: string; amount: number }, string, Sql>({
          id: 'post-ledger',
          transactional: true,
          retry: { maxAttempts: 3, initialDelayMs: 0 },
          run: async (entry, sctx) => {
            await sctx.tx!.query('INSERT INTO test_ledger (id, amount) VALUES ($1, $2)', [entry.id, entry.amount]);
            if (sctx.attempt === 1) throw new TransientError('TL_TEST_LATE', 'failed after the insert');
            return entry.id;
          },
        });
        const flow = defineFlow({
          id: 'tx-demo',
          idempotencyKey: (e: { id: string; amount: number }) => e.id,
          run: async (e: { id: string; amount: number }, f) => f.step(post, e),
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, { id: 'L1', amount: 42 });
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed');
        const { rows } = await h.db.query<{ n: string }>('SELECT count(*) AS n FROM test_ledger');
        assert.equal(Number(rows[0]!.n), 1, 'the failed attempt rolled back its insert');
        assert.equal((await engine.listSteps(tenantA, runId))[0]?.attempts, 2);
      } finally {
        await h.close();
      }
    });

    test('parallel steps get distinct keys and replay without running again', async () => {
      const h = harness();
      try {
        let calls = 0;
        const quote = defineStep({ id: 'quote', run: (carrier: string) => (calls++, `${carrier}:${carrier.length}`) });
        const flow = defineFlow({
          id: 'parallel-demo',
          idempotencyKey: () => 'p',
          run: async (_: undefined, f) => {
            const quotes = await Promise.all(['ups', 'fedex', 'dhl'].map((c) => f.step(quote, c)));
            await f.sleep('settle', 100);
            return quotes;
          },
        });
        const engine = h.engine({ flows: [flow] });
        const runId = await engine.start(tenantA, flow, undefined);
        await engine.drain();
        h.clock.advance(100);
        await engine.drain();
        const run = await engine.getRun(tenantA, runId);
        assert.deepEqual(run?.output, ['ups:3', 'fedex:5', 'dhl:3']);
        assert.equal(calls, 3);
        const keys = (await engine.listSteps(tenantA, runId)).map((s) => `${s.stepKey}=${JSON.stringify(s.input)}`);
        assert.deepEqual(keys, ['quote#1="ups"', 'quote#2="fedex"', 'quote#3="dhl"', 'sleep:settle#1={"until":"2026-03-02T08:00:00.100Z"}']);
      } finally {
        await h.close();
      }
    });

    test('the worker loop picks up new runs by itself and stop() waits for the run in hand', async () => {
      const h = harness();
      try {
        const { systemClock } = await import('@tradelane/core');
        const started = gate();
        const step = defineStep({
          id: 'slowish',
          run: async () => {
            started.open();
            await new Promise((r) => setTimeout(r, 100));
            return 'done';
          },
        });
        const flow = defineFlow({ id: 'loop-demo', idempotencyKey: () => 'l', run: async (_: undefined, f) => f.step(step, undefined) });
        const engine = h.engine({ flows: [flow], clock: systemClock, pollIntervalMs: 10_000 });
        await engine.startWorker();
        const runId = await engine.start(tenantA, flow, undefined);
        await started.promise;
        await engine.stop();
        const run = await engine.getRun(tenantA, runId);
        assert.equal(run?.status, 'Completed', 'graceful stop let the run finish');
        assert.equal(run?.leaseOwner, undefined);
      } finally {
        await h.close();
      }
    });

    test('refuses unregistered flows and bad idempotency keys', async () => {
      const h = harness();
      try {
        const known = defineFlow({ id: 'known', idempotencyKey: () => '', run: async () => 1 });
        const unknown = defineFlow({ id: 'unknown', idempotencyKey: () => 'x', run: async () => 1 });
        const engine = h.engine({ flows: [known] });
        await assert.rejects(engine.start(tenantA, unknown, undefined), (e: unknown) => e instanceof InputError && e.code === 'TL_FLOW_UNKNOWN');
        await assert.rejects(engine.start(tenantA, known, undefined), (e: unknown) => e instanceof InputError && e.code === 'TL_FLOW_BAD_IDEMPOTENCY_KEY');
        assert.throws(() => defineStep({ id: 'has#hash', run: () => 1 }), RangeError);
        const strict = defineFlow({
          id: 'strict',
          input: { parse: (v: unknown) => (typeof v === 'string' ? v : (() => { throw Object.assign(new Error('expected a string'), { issues: [{ path: [] }] }); })()) },
          idempotencyKey: (v: string) => v,
          run: async () => 1,
        });
        const e2 = h.engine({ flows: [strict] });
        await assert.rejects(e2.start(tenantA, strict, 42 as unknown as string), (e: unknown) => e instanceof InputError && e.code === 'TL_FLOW_BAD_INPUT' && Array.isArray(e.details?.issues));
      } finally {
        await h.close();
      }
    });
  });
}
