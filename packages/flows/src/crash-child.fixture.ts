/**
 * A worker process for the crash test: opens the database named on the command line, starts (or finds) a six-step
 * flow whose effects go to an "external" table deduplicated by the step's idempotency key, works it off, and prints
 * one line per event on stdout. `--hang s3` makes step s3 stop forever right after applying its effect, before its
 * checkpoint, so the parent can kill the process at that exact point.
 *
 *   node --import tsx crash-child.fixture.ts --data-dir DIR | --url URL --schema NAME  [--worker ID] [--lease-ms N] [--hang STEP]
 */
import { parseArgs } from 'node:util';
import { systemContext } from '@tradelane/core';
import { createFlowStore, migrate, openPglite, openPostgres, type Database } from '@tradelane/store';
import { defineFlow, defineStep } from './flow-definition.js';
import { createFlowEngine } from './flow-engine.js';

const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    url: { type: 'string' },
    schema: { type: 'string' },
    worker: { type: 'string', default: 'crash-worker' },
    'lease-ms': { type: 'string', default: '30000' },
    hang: { type: 'string' },
  },
});

// The steps of the crash flow, in order.
const crashSteps = ['s1', 's2', 's3', 's4', 's5', 's6'] as const;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function open(): Promise<Database> {
  if (args.url) return openPostgres(args.url, { schema: args.schema ?? 'public', poolSize: 4 });
  if (args['data-dir']) return openPglite(args['data-dir']);
  throw new Error('give --data-dir or --url');
}

async function main(): Promise<void> {
  const db = await open();
  await migrate(db);
  await db.exec(`
    CREATE TABLE IF NOT EXISTS crash_effects (idempotency_key text PRIMARY KEY, step text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS crash_executions (step text PRIMARY KEY, n integer NOT NULL);
  `);

  const steps = crashSteps.map((id) =>
    defineStep({
      id,
      retry: { maxAttempts: 3, initialDelayMs: 10 },
      run: async (_: undefined, sctx) => {
        say(`START ${id} attempt=${sctx.attempt}`);
        await db.query(`INSERT INTO crash_executions (step, n) VALUES ($1, 1) ON CONFLICT (step) DO UPDATE SET n = crash_executions.n + 1`, [id]);
        // The external system: applies an effect once per idempotency key, like an ERP deduplicating on its external reference.
        const applied = await db.query(`INSERT INTO crash_effects (idempotency_key, step) VALUES ($1, $2) ON CONFLICT (idempotency_key) DO NOTHING`, [
          sctx.idempotencyKey,
          id,
        ]);
        say(`APPLIED ${id} new=${applied.rowCount === 1}`);
        if (args.hang === id) {
          setInterval(() => {}, 1000); // keep the process alive while it "hangs" between effect and checkpoint
          await new Promise(() => {});
        }
        return { step: id, key: sctx.idempotencyKey };
      },
    }),
  );
  const flow = defineFlow({
    id: 'crash-proof',
    idempotencyKey: (order: { orderId: string }) => order.orderId,
    run: async (order: { orderId: string }, f) => {
      const done: string[] = [];
      for (const step of steps) done.push((await f.step(step, undefined)).step);
      return { orderId: order.orderId, done };
    },
  });

  const ctx = systemContext('t_crash', 'corr-crash', 'crash-test');
  const engine = createFlowEngine({
    store: createFlowStore(db),
    flows: [flow],
    workerId: args.worker,
    leaseMs: Number(args['lease-ms']),
    pollIntervalMs: 50,
  });
  const runId = await engine.start(ctx, flow, { orderId: 'so_CRASH1' });
  say(`RUN ${runId}`);
  await engine.startWorker();
  for (;;) {
    const run = await engine.getRun(ctx, runId);
    if (run && ['Completed', 'Failed', 'NeedsAttention', 'Cancelled'].includes(run.status)) {
      say(`RESULT ${JSON.stringify({ status: run.status, output: run.output, error: run.error ?? null })}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  await engine.stop();
  await db.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
