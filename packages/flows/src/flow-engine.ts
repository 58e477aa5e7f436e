import { newId } from '@tradelane/canonical';
import {
  describeError,
  FlowLeaseLostError,
  flowRef,
  InputError,
  systemClock,
  systemContext,
  type ClaimedFlowRun,
  type Clock,
  type FlowRunQuery,
  type FlowRunRecord,
  type FlowSignalResult,
  type FlowStepRecord,
  type FlowStore,
  type TenantContext,
} from '@tradelane/core';
import type { FlowDefinition } from './flow-definition.js';
import { FlowExecution, type FlowLogger } from './flow-execution.js';
import { toCheckpoint } from './json-checkpoint.js';

/** Options of {@link createFlowEngine}. */
export interface FlowEngineOptions<Tx = unknown> {
  /** Where runs, checkpoints and signals live. */
  store: FlowStore<Tx>;
  /** Every flow (and version) this engine may start and run. */
  flows: readonly FlowDefinition<any, any>[];
  /** Time of every checkpoint, timer and lease. @default systemClock */
  clock?: Clock | undefined;
  /** How often an idle worker looks for due runs (real time). @default 1000 */
  pollIntervalMs?: number | undefined;
  /** Unique among live workers; stable across restarts of one process so it can take its runs back at once. @default random */
  workerId?: string | undefined;
  /** How long a claimed run stays leased without a heartbeat or checkpoint. @default 30000 */
  leaseMs?: number | undefined;
  /** Runs one worker executes at the same time. @default 4 */
  maxConcurrentRuns?: number | undefined;
  /** On `startWorker`, make runs still leased by this `workerId` (a previous life of this process) due at once. @default true */
  recoverOnStartup?: boolean | undefined;
  /** Where log lines go. @default none */
  logger?: FlowLogger | undefined;
  /** Random source of retry jitter. @default Math.random */
  random?: (() => number) | undefined;
}

/** Options of {@link FlowEngine.signal}. */
export interface SignalOptions {
  /** Deduplicates redelivered signals, e.g. the event id. */
  dedupeId?: string | undefined;
}

/** The durable flow engine: start runs, signal them, look at them, and work them off. */
export interface FlowEngine {
  readonly workerId: string;
  /** Starts a run, or returns the existing run with the same flow and idempotency key; resolves the run id. */
  start<I>(ctx: TenantContext, flow: FlowDefinition<I, any>, input: I): Promise<string>;
  /** Delivers `payload` to the run waiting (or next to wait) for `key` in the context's tenant. */
  signal(ctx: TenantContext, key: string, payload?: unknown, options?: SignalOptions): Promise<FlowSignalResult>;
  getRun(ctx: TenantContext, runId: string): Promise<FlowRunRecord | undefined>;
  listRuns(ctx: TenantContext, query?: FlowRunQuery): Promise<FlowRunRecord[]>;
  /** The checkpointed calls of a run, in call order. */
  listSteps(ctx: TenantContext, runId: string): Promise<FlowStepRecord[]>;
  /** Asks an unfinished run to stop and compensate (ends `Cancelled`); false when it already finished. */
  cancel(ctx: TenantContext, runId: string): Promise<boolean>;
  /** Retries the compensation of a `NeedsAttention` run (after a fix); false when the run is not in that state. */
  resume(ctx: TenantContext, runId: string): Promise<boolean>;
  /** Starts the worker loop (after recovering this worker's own leases when `recoverOnStartup`). */
  startWorker(): Promise<void>;
  /** Stops claiming, lets the runs in hand reach their next checkpointed stop, and resolves. */
  stop(): Promise<void>;
  /** Works off every due run now, until none is due; resolves how many executions ran. For tests and one-shot jobs. */
  drain(options?: { maxExecutions?: number }): Promise<number>;
  /** Makes runs leased by this worker id due at once; resolves how many. */
  recover(): Promise<number>;
}

/**
 * Builds the engine.
 * @example
 * const engine = createFlowEngine({ store: createFlowStore(db), flows: [orderToCash], workerId: 'worker-1' });
 * await engine.startWorker();
 * const runId = await engine.start(ctx, orderToCash, { orderId: 'so_01J…' });
 */
export function createFlowEngine<Tx = unknown>(options: FlowEngineOptions<Tx>): FlowEngine {
  const store = options.store;
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1000);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 30_000);
  const maxConcurrentRuns = Math.trunc(positive('maxConcurrentRuns', options.maxConcurrentRuns ?? 4));
  const workerId = options.workerId ?? `worker-${globalThis.crypto.randomUUID()}`;
  const logger = options.logger;
  const random = options.random ?? Math.random;
  const flows = new Map<string, FlowDefinition<any, any>>();
  for (const flow of options.flows) {
    const ref = flowRef(flow.id, flow.version);
    if (flows.has(ref)) throw new RangeError(`flow ${ref} is registered twice`);
    flows.set(ref, flow);
  }
  const flowRefs = [...flows.keys()];

  const active = new Set<Promise<void>>();
  const hints = new Set<ReturnType<typeof setTimeout>>();
  let loop: Promise<void> | undefined;
  let stopping = false;
  let nudged = false;
  let wake: (() => void) | undefined;

  const log: FlowLogger = (entry) => {
    try {
      logger?.(entry);
    } catch {
      // a failing logger must not stop the worker
    }
  };

  function nudge(): void {
    nudged = true;
    const w = wake;
    wake = undefined;
    w?.();
  }

  /** Wakes the loop when a run suspended until shortly before the next poll. */
  function hint(wakeAt: Date | undefined): void {
    if (!wakeAt || !loop || stopping) return;
    const delay = wakeAt.getTime() - clock.now().getTime();
    if (delay >= pollIntervalMs) return;
    const timer = setTimeout(() => {
      hints.delete(timer);
      nudge();
    }, Math.max(0, delay) + 1);
    timer.unref?.();
    hints.add(timer);
  }

  async function execute(claimed: ClaimedFlowRun): Promise<void> {
    const { run, lease } = claimed;
    const flow = flows.get(flowRef(run.flowId, run.flowVersion));
    if (!flow) return; // the claim only returns registered flows
    const ctx = systemContext(run.tenantId, run.correlationId, `flow:${run.flowId}`);
    const steps = await store.listSteps(ctx, run.id);
    const execution = new FlowExecution({ store, clock, leaseMs, random, logger }, flow, run, lease, steps);
    const heartbeat = setInterval(() => {
      store.renewLease(lease, new Date(clock.now().getTime() + leaseMs), clock.now()).then(
        (status) => {
          if (status.cancelRequested) execution.noteCancel();
        },
        (err) => {
          if (err instanceof FlowLeaseLostError) execution.noteLost();
          else log({ level: 'warn', message: 'lease renewal failed', runId: run.id, tenantId: run.tenantId, fields: { error: describeError(err) } });
        },
      );
    }, Math.max(20, Math.floor(leaseMs / 3)));
    heartbeat.unref?.();
    try {
      const result = await execution.execute();
      hint(result.wakeAt);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Claims as many due runs as there is room for and starts executing them. */
  async function fill(): Promise<number> {
    nudged = false;
    const free = maxConcurrentRuns - active.size;
    if (free <= 0 || flowRefs.length === 0) return 0;
    const now = clock.now();
    const claimed = await store.claimRuns({ workerId, flowRefs, now, leaseUntil: new Date(now.getTime() + leaseMs), limit: free });
    for (const c of claimed) {
      const p: Promise<void> = execute(c)
        .catch((err) => log({ level: 'error', message: 'execution failed', runId: c.run.id, tenantId: c.run.tenantId, fields: { error: describeError(err) } }))
        .finally(() => {
          active.delete(p);
          nudge();
        });
      active.add(p);
    }
    return claimed.length;
  }

  async function runLoop(): Promise<void> {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await fill();
      } catch (err) {
        log({ level: 'error', message: 'claiming runs failed', fields: { error: describeError(err) } });
      }
      if (stopping) break;
      if (claimed > 0 && active.size < maxConcurrentRuns) continue;
      if (nudged) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          if (wake === done) wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, pollIntervalMs);
        wake = done;
      });
    }
  }

  async function recover(): Promise<number> {
    const n = await store.releaseWorkerLeases(workerId, clock.now());
    if (n > 0) log({ level: 'info', message: `recovered ${n} run(s) leased by this worker before a restart` });
    return n;
  }

  return {
    workerId,

    async start(ctx, flow, rawInput) {
      const registered = flows.get(flowRef(flow.id, flow.version));
      if (!registered) throw new InputError('TL_FLOW_UNKNOWN', `flow ${flowRef(flow.id, flow.version)} is not registered with this engine`);
      let input = rawInput;
      if (registered.input) {
        try {
          input = registered.input.parse(rawInput);
        } catch (err) {
          const issues = (err as { issues?: unknown }).issues;
          throw new InputError('TL_FLOW_BAD_INPUT', `input of flow ${registered.id} is invalid: ${describeError(err)}`, issues ? { issues } : undefined);
        }
      }
      const idempotencyKey = registered.idempotencyKey(input);
      if (typeof idempotencyKey !== 'string' || idempotencyKey === '') {
        throw new InputError('TL_FLOW_BAD_IDEMPOTENCY_KEY', `flow ${registered.id}: idempotencyKey() must return a non-empty string`);
      }
      const { run, created } = await store.createRun(ctx, {
        id: newId('flow'),
        flowId: registered.id,
        flowVersion: registered.version,
        idempotencyKey,
        concurrencyKey: registered.concurrencyKey(input),
        input: toCheckpoint(input, `input of flow ${registered.id}`),
        now: clock.now(),
      });
      if (created) {
        log({ level: 'info', message: 'run started', runId: run.id, tenantId: run.tenantId, flowId: run.flowId, correlationId: run.correlationId });
        nudge();
      }
      return run.id;
    },

    async signal(ctx, key, payload, signalOptions) {
      if (typeof key !== 'string' || key === '') throw new InputError('TL_FLOW_BAD_SIGNAL_KEY', 'a signal key must be a non-empty string');
      const result = await store.addSignal(ctx, { key, payload: toCheckpoint(payload, 'signal payload'), dedupeId: signalOptions?.dedupeId, now: clock.now() });
      if (result.accepted) nudge();
      return result;
    },

    getRun: (ctx, runId) => store.getRun(ctx, runId),
    listRuns: (ctx, query) => store.listRuns(ctx, query),
    listSteps: (ctx, runId) => store.listSteps(ctx, runId),

    async cancel(ctx, runId) {
      const run = await store.requestCancel(ctx, runId, clock.now());
      if (run) nudge();
      return run !== undefined;
    },

    async resume(ctx, runId) {
      const run = await store.requeue(ctx, runId, clock.now());
      if (run) nudge();
      return run !== undefined;
    },

    async startWorker() {
      if (loop) return;
      stopping = false;
      if (options.recoverOnStartup ?? true) await recover();
      loop = runLoop();
    },

    async stop() {
      stopping = true;
      nudge();
      for (const t of hints) clearTimeout(t);
      hints.clear();
      if (loop) await loop;
      loop = undefined;
      while (active.size) await Promise.allSettled([...active]);
    },

    async drain(drainOptions) {
      const max = drainOptions?.maxExecutions ?? 10_000;
      let total = 0;
      while (total < max) {
        const n = await fill();
        total += n;
        if (n === 0 && active.size === 0) break;
        if (active.size > 0 && (n === 0 || active.size >= maxConcurrentRuns)) await Promise.race(active);
      }
      return total;
    },

    recover,
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
