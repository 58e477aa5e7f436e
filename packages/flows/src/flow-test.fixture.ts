/** Test helpers for flow suites: a manual clock, tenant contexts, and an engine on a real database. */
import { systemContext, type Clock, type TenantContext } from '@tradelane/core';
import { manualClock as testkitManualClock, type ManualClock } from '@tradelane/testkit';
import { createFlowStore, type Database, type Sql } from '@tradelane/store';
import type { DatabaseTarget } from '@tradelane/testkit';
import { createFlowEngine, type FlowEngine, type FlowEngineOptions } from './flow-engine.js';
import type { FlowLogEntry } from './flow-execution.js';

/** A manual clock for flow suites: `sleep` advances it and resolves on the next turn. */
export function manualClock(start = new Date('2026-03-02T08:00:00.000Z')): ManualClock {
  return testkitManualClock(start, { yieldOnSleep: true });
}
export type { ManualClock };

/** Tenant contexts used across the suites. */
export const tenantA: TenantContext = systemContext('t_alpha', 'corr-alpha', 'test');
/** A second tenant, to prove isolation. */
export const tenantB: TenantContext = systemContext('t_beta', 'corr-beta', 'test');

/** A flow store over a shared database, with its own manual clock and log, and a factory of engines. */
export interface FlowHarness {
  db: Database;
  store: ReturnType<typeof createFlowStore>;
  clock: ManualClock;
  logs: FlowLogEntry[];
  engine(options: Omit<FlowEngineOptions<Sql>, 'store' | 'clock'> & { clock?: Clock }): FlowEngine;
  /** Stops every engine made here (the database stays open). */
  close(): Promise<void>;
}

/**
 * Wires a flow store on `db` (opened once per suite with `target.open()`) with a fresh manual clock. Suites sharing a
 * database stay apart by using their own flow ids: an engine claims only the flows it was given.
 */
export function flowHarness(db: Database): FlowHarness {
  const store = createFlowStore(db);
  const clock = manualClock();
  const logs: FlowLogEntry[] = [];
  const engines: FlowEngine[] = [];
  return {
    db,
    store,
    clock,
    logs,
    engine(options) {
      const engine = createFlowEngine({
        pollIntervalMs: 20,
        logger: (e) => logs.push(e),
        ...options,
        clock: options.clock ?? clock,
        store,
      });
      engines.push(engine);
      return engine;
    },
    async close() {
      await Promise.all(engines.map((e) => e.stop()));
    },
  };
}

/** Opens `target` once for a suite; `get()` returns it inside tests, `close()` in `after`. */
export function suiteDatabase(target: DatabaseTarget): { open(): Promise<void>; get(): Database; close(): Promise<void> } {
  let db: Database | undefined;
  return {
    async open() {
      db = await target.open();
    },
    get() {
      if (!db) throw new Error('the suite database is not open');
      return db;
    },
    async close() {
      await db?.close();
      db = undefined;
    },
  };
}

/** Resolves once `check` returns true, polling every few milliseconds; rejects after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A promise with its resolve function, to hold a step in the middle of its work. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
