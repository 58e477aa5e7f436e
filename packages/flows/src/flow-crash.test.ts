/**
 * The crash proof: a worker process is killed with SIGKILL between a step's external effect and its checkpoint; a new
 * process on the same database recovers the run and completes it. Finished steps never run again; the interrupted step
 * runs twice and its effect, deduplicated by the idempotency key, applies once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { systemContext } from '@tradelane/core';
import { createFlowStore, openPglite, openPostgres, quoteIdent, type Database } from '@tradelane/store';
import { lookupService } from '@tradelane/testkit';

const childScript = fileURLToPath(new URL('./crash-child.fixture.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A running child with its stdout lines. */
interface Child {
  process: ChildProcess;
  lines: string[];
  /** Resolves the first line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function spawnChild(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const l of listeners) l(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => stderr,
    waitFor(pattern, timeoutMs) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(listener)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          reject(new Error(`child exited (${code ?? signal}) before ${pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        });
      });
    },
  };
}

interface CrashTarget {
  name: string;
  /** Command-line arguments naming the database, for every child. */
  args: string[];
  /** Arguments of the first and second worker (same worker id recovers at once; another waits out the lease). */
  first: string[];
  second: string[];
  /** Opens the database in the test process, only once no child runs. */
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function pgliteTarget(): CrashTarget {
  const dir = mkdtempSync(join(tmpdir(), 'tl-crash-'));
  return {
    name: 'pglite',
    args: ['--data-dir', dir],
    first: ['--worker', 'crash-worker'],
    second: ['--worker', 'crash-worker'],
    open: () => openPglite(dir),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresTarget(url: string): CrashTarget {
  const schema = `tl_crash_${randomBytes(5).toString('hex')}`;
  return {
    name: 'postgres',
    args: ['--url', url, '--schema', schema],
    first: ['--worker', 'crash-a', '--lease-ms', '1500'],
    second: ['--worker', 'crash-b', '--lease-ms', '1500'],
    open: () => openPostgres(url, { schema }),
    async cleanup() {
      const db = await openPostgres(url);
      try {
        await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
}

const targets: Array<{ name: string; make: () => CrashTarget }> = [{ name: 'pglite', make: pgliteTarget }];
const pg = lookupService('TRADELANE_TEST_DATABASE_URL', 'Postgres');
if (pg.available) targets.push({ name: 'postgres', make: () => postgresTarget(pg.value) });

describe('crash proof', () => {
  for (const { name, make } of targets) {
    test(`a SIGKILLed worker's run is recovered by a new process and every effect applies exactly once (${name})`, { timeout: 60_000 }, async () => {
      const target = make();
      const started = Date.now();
      try {
        // 1. First worker: runs s1, s2, applies s3's effect, then is killed before s3's checkpoint.
        const first = spawnChild([...target.args, ...target.first, '--hang', 's3']);
        const runLine = await first.waitFor(/^RUN /, 20_000);
        const runId = runLine.slice(4);
        await first.waitFor(/^APPLIED s3 new=true$/, 20_000);
        first.process.kill('SIGKILL');
        const killed = await first.exited;
        assert.equal(killed.signal, 'SIGKILL');
        assert.ok(!first.lines.some((l) => l.startsWith('START s4')), 's4 had not started when the worker died');

        // 2. Second worker on the same database: recovers the run and completes it.
        const second = spawnChild([...target.args, ...target.second]);
        assert.equal(await second.waitFor(/^RUN /, 20_000), runLine, 'starting again finds the same run (idempotent start)');
        const resultLine = await second.waitFor(/^RESULT /, 20_000);
        const exit = await second.exited;
        assert.equal(exit.code, 0, second.stderr());
        const result = JSON.parse(resultLine.slice(7)) as { status: string; output: unknown };
        assert.equal(result.status, 'Completed');
        assert.deepEqual(result.output, { orderId: 'so_CRASH1', done: ['s1', 's2', 's3', 's4', 's5', 's6'] });
        const secondStarts = second.lines.filter((l) => l.startsWith('START '));
        assert.deepEqual(secondStarts, ['START s3 attempt=2', 'START s4 attempt=1', 'START s5 attempt=1', 'START s6 attempt=1']);
        assert.ok(second.lines.includes('APPLIED s3 new=false'), 'the rerun of s3 was deduplicated by its idempotency key');

        // 3. Check the database itself (no child is running any more).
        const db = await target.open();
        try {
          const effects = await db.query<{ idempotency_key: string; step: string }>('SELECT idempotency_key, step FROM crash_effects ORDER BY step');
          assert.deepEqual(
            effects.rows.map((r) => [r.step, r.idempotency_key]),
            ['s1', 's2', 's3', 's4', 's5', 's6'].map((s) => [s, `${runId}:${s}#1`]),
            'each step’s effect applied exactly once',
          );
          const executions = await db.query<{ step: string; n: number }>('SELECT step, n FROM crash_executions ORDER BY step');
          assert.deepEqual(
            executions.rows.map((r) => [r.step, Number(r.n)]),
            [['s1', 1], ['s2', 1], ['s3', 2], ['s4', 1], ['s5', 1], ['s6', 1]],
            'steps finished before the kill never ran again; the interrupted one ran twice',
          );
          const ctx = systemContext('t_crash', 'corr-check', 'crash-test');
          const store = createFlowStore(db);
          const run = await store.getRun(ctx, runId);
          assert.equal(run?.status, 'Completed');
          assert.equal(run?.leaseOwner, undefined);
          const steps = await store.listSteps(ctx, runId);
          assert.deepEqual(
            steps.map((s) => [s.stepKey, s.status, s.attempts]),
            [['s1#1', 'Completed', 1], ['s2#1', 'Completed', 1], ['s3#1', 'Completed', 2], ['s4#1', 'Completed', 1], ['s5#1', 'Completed', 1], ['s6#1', 'Completed', 1]],
          );
        } finally {
          await db.close();
        }
        console.log(`# crash proof on ${target.name} took ${Date.now() - started} ms`);
      } finally {
        await target.cleanup();
      }
    });
  }
});
