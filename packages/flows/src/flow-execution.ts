import {
  decideRetry,
  describeError,
  FlowLeaseLostError,
  PermanentError,
  type Clock,
  type FlowLease,
  type FlowRunRecord,
  type FlowRunState,
  type FlowRunStatus,
  type FlowStepKind,
  type FlowStepRecord,
  type FlowStore,
  type RetryPolicy,
  type TenantContext,
} from '@tradelane/core';
import {
  defineStep,
  type FlowContext,
  type FlowDefinition,
  type InlineStepOptions,
  type LogFields,
  type StepContext,
  type StepDefinition,
  type StepLogger,
  type WaitResult,
  assertStepName,
} from './flow-definition.js';
import { FlowStepFailedError } from './flow-errors.js';
import { toCheckpoint } from './json-checkpoint.js';

/** One line the engine logs. */
export interface FlowLogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  tenantId?: string | undefined;
  runId?: string | undefined;
  flowId?: string | undefined;
  stepKey?: string | undefined;
  correlationId?: string | undefined;
  fields?: LogFields | undefined;
}

/** Where the engine's and the steps' log lines go. */
export type FlowLogger = (entry: FlowLogEntry) => void;

/** Everything one execution needs from the engine. */
export interface FlowExecutionDeps<Tx> {
  store: FlowStore<Tx>;
  clock: Clock;
  leaseMs: number;
  random: () => number;
  logger: FlowLogger | undefined;
}

/** How one execution of a claimed run ended. */
export interface FlowExecutionResult {
  /** The run's status after the execution, or `undefined` when the lease was lost or the store failed. */
  status: FlowRunStatus | undefined;
  wakeAt: Date | undefined;
}

type Suspension = { wakeAt?: Date | undefined; waitKey?: string | undefined };
type CallResult = { ok: true; value: unknown } | { ok: false; error: unknown } | { suspend: Suspension };
type Outcome =
  | { kind: 'completed'; output: unknown }
  | { kind: 'failed'; error: unknown }
  | { kind: 'suspended' }
  | { kind: 'frontier' }
  | { kind: 'cancel' }
  | { kind: 'lost' };

/** Wraps an error thrown by step code inside a checkpoint transaction, to tell it from a store failure. */
class StepCodeError extends Error {
  constructor(readonly original: unknown) {
    super('step code failed');
  }
}

/** A promise that never settles; a fresh one per call, so a parked flow can be garbage-collected. */
const never = <T>(): Promise<T> => new Promise<T>(() => {});

/**
 * One execution of a claimed run: replays the flow code against its checkpoints, runs what is due, and ends by
 * completing, suspending, failing into compensation, or compensating — always leaving the run's state written.
 */
export class FlowExecution<Tx> {
  private readonly records: Map<string, FlowStepRecord>;
  private readonly defs = new Map<string, StepDefinition<any, any, any>>();
  private readonly state: FlowRunState;
  private readonly ctx: TenantContext;
  private mode: 'forward' | 'collect' = 'forward';
  private counters = new Map<string, number>();
  private seq = 0;
  private visited = new Set<string>();
  private inflight = 0;
  private halted = false;
  private settled = false;
  private parked: Suspension[] = [];
  private frontier = false;
  private cancelPending = false;
  private cancelSeen: boolean;
  private lost = false;
  private storeFailure: unknown = undefined;
  private settle: (o: Outcome) => void = () => {};
  private idleWaiters: Array<() => void> = [];
  private checkScheduled = false;

  constructor(
    private readonly deps: FlowExecutionDeps<Tx>,
    private readonly flow: FlowDefinition<any, any>,
    private readonly run: FlowRunRecord,
    private readonly lease: FlowLease,
    steps: readonly FlowStepRecord[],
  ) {
    this.records = new Map(steps.map((s) => [s.stepKey, s]));
    this.state = {
      status: 'Running',
      phase: run.phase,
      output: undefined,
      error: run.error,
      failure: run.failure,
      wakeAt: undefined,
      waitKey: undefined,
    };
    this.cancelSeen = run.cancelRequested;
    this.ctx = {
      tenantId: run.tenantId,
      partnerId: run.partnerId,
      actor: { kind: 'system', id: `flow:${run.flowId}` },
      scopes: ['*'],
      correlationId: run.correlationId,
    };
  }

  /** The heartbeat saw the lease go: stop writing. */
  noteLost(): void {
    this.lost = true;
    this.changed();
  }

  /** Someone asked to cancel the run: stop before the next call and compensate. */
  noteCancel(): void {
    this.cancelSeen = true;
  }

  /** Runs the execution to its end; never throws. */
  async execute(): Promise<FlowExecutionResult> {
    try {
      if (this.state.phase === 'Forward' && this.cancelSeen) {
        await this.replay('collect');
        return await this.startCompensation('Cancelling', 'cancelled on request');
      }
      if (this.state.phase !== 'Forward') {
        await this.replay('collect');
        return await this.compensateAll();
      }
      const outcome = await this.replay('forward');
      return await this.conclude(outcome);
    } catch (err) {
      if (err instanceof FlowLeaseLostError || this.lost) {
        this.log('warn', 'lease lost; another worker continues the run');
        return { status: undefined, wakeAt: undefined };
      }
      return this.abandon(err);
    }
  }

  private async conclude(outcome: Outcome): Promise<FlowExecutionResult> {
    if (this.lost) throw new FlowLeaseLostError(this.run.id);
    if (this.storeFailure !== undefined) throw this.storeFailure;
    switch (outcome.kind) {
      case 'completed': {
        let output: unknown;
        try {
          output = toCheckpoint(outcome.output, 'flow output');
        } catch (err) {
          return this.startCompensation('Compensating', describeError(err));
        }
        await this.setRun({ status: 'Completed', output, error: undefined, wakeAt: undefined, waitKey: undefined });
        this.log('info', 'run completed');
        return { status: 'Completed', wakeAt: undefined };
      }
      case 'failed':
        this.log('warn', 'run failed; compensating', { error: describeError(outcome.error) });
        return this.startCompensation('Compensating', describeError(outcome.error));
      case 'cancel':
        return this.startCompensation('Cancelling', 'cancelled on request');
      case 'suspended':
      case 'frontier': {
        const wakeAts = this.parked.map((p) => p.wakeAt).filter((d): d is Date => d !== undefined);
        const wakeAt = wakeAts.length ? new Date(Math.min(...wakeAts.map((d) => d.getTime()))) : undefined;
        const waitKey = this.parked.find((p) => p.waitKey !== undefined)?.waitKey;
        await this.setRun({ status: 'Waiting', wakeAt, waitKey });
        return { status: 'Waiting', wakeAt };
      }
      case 'lost':
        throw new FlowLeaseLostError(this.run.id);
    }
  }

  /** The store failed (not a lease loss): leave the run to be picked up again shortly, if the store lets us. */
  private async abandon(err: unknown): Promise<FlowExecutionResult> {
    this.log('error', 'execution abandoned after a store failure', { error: describeError(err) });
    const wakeAt = new Date(this.deps.clock.now().getTime() + Math.min(this.deps.leaseMs, 5_000));
    try {
      await this.setRun({ status: 'Waiting', wakeAt, waitKey: undefined });
    } catch {
      // the lease expires and the run is recovered then
    }
    return { status: undefined, wakeAt };
  }

  // ---- replay ----------------------------------------------------------------------------------------------------

  private replay(mode: 'forward' | 'collect'): Promise<Outcome> {
    this.mode = mode;
    this.counters = new Map();
    this.seq = 0;
    this.visited = new Set();
    this.halted = false;
    this.settled = false;
    this.parked = [];
    this.frontier = false;
    this.cancelPending = false;
    const f = this.flowContext();
    const outcome = new Promise<Outcome>((resolve) => {
      this.settle = (o) => {
        if (this.settled) return;
        this.settled = true;
        this.halted = true;
        resolve(o);
      };
    });
    Promise.resolve()
      .then(() => this.flow.run(this.run.input, f))
      .then(
        (output) => this.settle({ kind: 'completed', output }),
        (error) => this.settle({ kind: 'failed', error }),
      );
    return outcome.then(async (o) => {
      await this.idle();
      return o;
    });
  }

  private idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Called whenever a call finishes or parks: decides whether the flow is blocked for good in this execution. */
  private changed(): void {
    if (this.inflight === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
    if (this.settled) return;
    if (this.lost || this.storeFailure !== undefined) {
      this.settle({ kind: 'lost' });
      return;
    }
    if (this.inflight > 0 || this.checkScheduled) return;
    if (!this.parked.length && !this.frontier && !this.cancelPending) return;
    // Let every microtask run first: if the flow code moves on (e.g. a race with another call), it is not blocked.
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.settled || this.inflight > 0) return;
      if (this.cancelPending) this.settle({ kind: 'cancel' });
      else if (this.frontier) this.settle({ kind: 'frontier' });
      else this.settle({ kind: 'suspended' });
    });
  }

  private nextKey(kind: FlowStepKind, name: string): { key: string; seq: number } {
    const base = kind === 'Step' ? name : `${kind.toLowerCase()}:${name}`;
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    const key = `${base}#${n}`;
    this.visited.add(key);
    return { key, seq: ++this.seq };
  }

  private get replaying(): boolean {
    for (const key of this.records.keys()) if (!this.visited.has(key)) return true;
    return false;
  }

  /** Runs `work` as a live call, unless the execution is halted, collecting, or cancelling. */
  private live<T>(work: () => Promise<CallResult>): Promise<T> {
    if (this.halted) return never();
    if (this.mode === 'collect') {
      this.frontier = true;
      this.changed();
      return never();
    }
    if (this.cancelSeen) {
      this.cancelPending = true;
      this.changed();
      return never();
    }
    this.inflight++;
    return new Promise<T>((resolve, reject) => {
      work().then(
        (r) => {
          this.inflight--;
          if ('suspend' in r) this.parked.push(r.suspend);
          else if (r.ok) resolve(r.value as T);
          else reject(r.error);
          this.changed();
        },
        (err) => {
          this.inflight--;
          if (err instanceof FlowLeaseLostError) this.lost = true;
          else this.storeFailure = err;
          this.changed();
        },
      );
    });
  }

  private flowContext(): FlowContext {
    const log = this.logger(undefined, () => this.replaying);
    return {
      runId: this.run.id,
      flowId: this.run.flowId,
      ctx: this.ctx,
      log,
      step: <I, O>(def: StepDefinition<I, O, any>, input: I) => this.callStep(def, input) as Promise<O>,
      run: <O>(id: string, fn: (sctx: StepContext<any>) => Promise<O> | O, options: InlineStepOptions<O, any> = {}) =>
        this.callStep(defineStep<undefined, O, any>({ id, ...options, run: (_input, sctx) => fn(sctx) }), undefined) as Promise<O>,
      sleep: (name: string, ms: number) => {
        if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError(`sleep ${name}: ms must be a finite number ≥ 0`));
        return this.callSleep(name, (now) => new Date(now.getTime() + ms));
      },
      sleepUntil: (name: string, until: Date) => {
        if (!(until instanceof Date) || Number.isNaN(until.getTime())) return Promise.reject(new RangeError(`sleepUntil ${name}: not a valid Date`));
        return this.callSleep(name, () => until);
      },
      waitForEvent: <P>(name: string, options: { key: string; timeoutMs?: number | undefined }) =>
        this.callWait(name, options) as Promise<WaitResult<P>>,
    };
  }

  // ---- steps -----------------------------------------------------------------------------------------------------

  private callStep(def: StepDefinition<any, any, any>, input: unknown): Promise<unknown> {
    if (!def || def.kind !== 'step') return Promise.reject(new TypeError('f.step expects a step made with defineStep()'));
    const { key, seq } = this.nextKey('Step', def.id);
    this.defs.set(key, def);
    const rec = this.records.get(key);
    if (rec?.status === 'Completed') return Promise.resolve(rec.output);
    if (rec?.status === 'Failed') return Promise.reject(new FlowStepFailedError(rec, 'permanent'));
    let checkpointed: unknown;
    try {
      checkpointed = toCheckpoint(input, `input of step ${key}`);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.live(() => this.runStep(def, key, seq, input, checkpointed, rec));
  }

  private async runStep(
    def: StepDefinition<any, any, any>,
    key: string,
    seq: number,
    input: unknown,
    checkpointedInput: unknown,
    rec: FlowStepRecord | undefined,
  ): Promise<CallResult> {
    const { clock, store } = this.deps;
    const now = clock.now();
    if (rec?.status === 'Retrying' && rec.nextAttemptAt && rec.nextAttemptAt > now) return { suspend: { wakeAt: rec.nextAttemptAt } };
    const base: FlowStepRecord = rec ?? this.newRecord('Step', key, def.id, seq, now, checkpointedInput);
    if (rec?.status === 'Running' && rec.attempts >= def.retry.maxAttempts) {
      const error = new PermanentError('TL_FLOW_STEP_INTERRUPTED', `step ${key} was interrupted ${rec.attempts} time(s)`);
      return this.stepFailed(def.retry, { ...base, updatedAt: now }, error);
    }
    const running: FlowStepRecord = { ...base, status: 'Running', attempts: base.attempts + 1, nextAttemptAt: undefined, updatedAt: now };
    await this.save(running);
    const sctx = this.stepContext(key, `${this.run.id}:${key}`, running.attempts);
    let written: FlowStepRecord | undefined;
    const completed = (output: unknown): FlowStepRecord => {
      const at = clock.now();
      written = { ...running, status: 'Completed', output, error: undefined, updatedAt: at, finishedAt: at };
      return written;
    };
    let output: unknown;
    if (def.transactional) {
      if (!store.runInCheckpoint) {
        const error = new PermanentError('TL_FLOW_NO_TRANSACTIONS', `step ${key} is transactional but the flow store has no transactions`);
        return this.stepFailed(def.retry, running, error);
      }
      try {
        output = await store.runInCheckpoint(
          this.lease,
          async (tx) => {
            try {
              return toCheckpoint(await def.run(input, { ...sctx, tx }), `output of step ${key}`);
            } catch (err) {
              throw new StepCodeError(err);
            }
          },
          completed,
          this.leaseUntil(),
        );
      } catch (err) {
        if (err instanceof StepCodeError) return this.stepFailed(def.retry, running, err.original);
        throw err;
      }
      if (written) this.records.set(key, written);
    } else {
      try {
        output = toCheckpoint(await def.run(input, sctx), `output of step ${key}`);
      } catch (err) {
        return this.stepFailed(def.retry, running, err);
      }
      await this.save(completed(output));
    }
    return { ok: true, value: output };
  }

  private async stepFailed(policy: RetryPolicy, running: FlowStepRecord, err: unknown): Promise<CallResult> {
    const now = this.deps.clock.now();
    const decision = decideRetry(policy, running.attempts, err, this.deps.random);
    const error = describeError(err);
    if (decision.retry) {
      const nextAttemptAt = new Date(now.getTime() + decision.delayMs);
      await this.save({ ...running, status: 'Retrying', error, nextAttemptAt, updatedAt: now });
      this.log('warn', `step ${running.stepKey} attempt ${running.attempts} failed; retrying in ${decision.delayMs} ms`, { error }, running.stepKey);
      return { suspend: { wakeAt: nextAttemptAt } };
    }
    const failed: FlowStepRecord = { ...running, status: 'Failed', error, nextAttemptAt: undefined, updatedAt: now, finishedAt: now };
    await this.save(failed);
    this.log('warn', `step ${running.stepKey} failed (${decision.reason})`, { error }, running.stepKey);
    return { ok: false, error: new FlowStepFailedError(failed, decision.reason, err) };
  }

  // ---- timers and waits ------------------------------------------------------------------------------------------

  private callSleep(name: string, wakeAtFrom: (now: Date) => Date): Promise<void> {
    try {
      assertStepName('sleep name', name);
    } catch (err) {
      return Promise.reject(err);
    }
    const { key, seq } = this.nextKey('Sleep', name);
    const rec = this.records.get(key);
    if (rec?.status === 'Completed') return Promise.resolve();
    return this.live(async () => {
      const now = this.deps.clock.now();
      const wakeAt = rec?.wakeAt ?? wakeAtFrom(now);
      const base = rec ?? { ...this.newRecord('Sleep', key, name, seq, now, { until: wakeAt.toISOString() }), status: 'Waiting' as const, wakeAt };
      if (wakeAt.getTime() <= now.getTime()) {
        await this.save({ ...base, status: 'Completed', updatedAt: now, finishedAt: now });
        return { ok: true, value: undefined };
      }
      if (!rec) await this.save(base);
      return { suspend: { wakeAt } };
    });
  }

  private callWait(name: string, options: { key: string; timeoutMs?: number | undefined }): Promise<unknown> {
    try {
      assertStepName('wait name', name);
      if (typeof options?.key !== 'string' || options.key === '') throw new RangeError(`waitForEvent ${name}: key must be a non-empty string`);
      if (options.timeoutMs !== undefined && (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0)) {
        throw new RangeError(`waitForEvent ${name}: timeoutMs must be a finite number ≥ 0`);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    const { key, seq } = this.nextKey('Wait', name);
    const rec = this.records.get(key);
    if (rec?.status === 'Completed') return Promise.resolve(rec.output);
    return this.live(async () => {
      const now = this.deps.clock.now();
      const signalKey = rec?.waitKey ?? options.key;
      const deadline = rec ? rec.wakeAt : options.timeoutMs !== undefined ? new Date(now.getTime() + options.timeoutMs) : undefined;
      const base: FlowStepRecord = rec ?? {
        ...this.newRecord('Wait', key, name, seq, now, { key: signalKey, timeoutMs: options.timeoutMs ?? null }),
        status: 'Waiting',
        wakeAt: deadline,
        waitKey: signalKey,
      };
      let received: FlowStepRecord | undefined;
      const got = await this.deps.store.consumeSignal(
        this.lease,
        signalKey,
        (payload) => {
          const at = this.deps.clock.now();
          received = { ...base, status: 'Completed', output: toCheckpoint({ event: payload }), updatedAt: at, finishedAt: at };
          return received;
        },
        this.leaseUntil(),
      );
      if (got && received) {
        this.records.set(key, received);
        return { ok: true, value: received.output };
      }
      if (deadline && deadline.getTime() <= now.getTime()) {
        const output = { timedOut: true };
        await this.save({ ...base, status: 'Completed', output, updatedAt: now, finishedAt: now });
        return { ok: true, value: output };
      }
      if (!rec) await this.save(base);
      return { suspend: { wakeAt: deadline, waitKey: signalKey } };
    });
  }

  // ---- compensation ----------------------------------------------------------------------------------------------

  private async startCompensation(phase: 'Compensating' | 'Cancelling', failure: string): Promise<FlowExecutionResult> {
    await this.setRun({ status: 'Running', phase, failure, error: failure, wakeAt: undefined, waitKey: undefined });
    return this.compensateAll();
  }

  private async compensateAll(): Promise<FlowExecutionResult> {
    const done = [...this.records.values()]
      .filter((r) => r.kind === 'Step' && r.status === 'Completed' && !r.compensated)
      .sort((a, b) => b.seq - a.seq);
    for (const rec of done) {
      const def = this.defs.get(rec.stepKey);
      if (!def) return this.needsAttention(`cannot compensate ${rec.stepKey}: the flow code no longer reaches this step`);
      if (!def.compensate) continue;
      const result = await this.compensateStep(def, rec);
      if (result) return result;
    }
    const status = this.state.phase === 'Cancelling' ? 'Cancelled' : 'Failed';
    await this.setRun({ status, error: this.state.failure, wakeAt: undefined, waitKey: undefined });
    this.log('info', `run ${status === 'Cancelled' ? 'cancelled' : 'failed'}; compensations done`);
    return { status, wakeAt: undefined };
  }

  /** Compensates one step; returns a result when the run must stop here (timer or attention), else `undefined`. */
  private async compensateStep(def: StepDefinition<any, any, any>, rec: FlowStepRecord): Promise<FlowExecutionResult | undefined> {
    const { clock, store } = this.deps;
    const compensate = def.compensate!;
    const now = clock.now();
    if (rec.compensationNextAt && rec.compensationNextAt > now) {
      await this.setRun({ status: 'Waiting', wakeAt: rec.compensationNextAt, waitKey: undefined });
      return { status: 'Waiting', wakeAt: rec.compensationNextAt };
    }
    const policy = def.compensateRetry;
    if (rec.compensationAttempts >= policy.maxAttempts) {
      return this.needsAttention(`compensation of ${rec.stepKey} was interrupted ${rec.compensationAttempts} time(s)`);
    }
    const trying: FlowStepRecord = { ...rec, compensationAttempts: rec.compensationAttempts + 1, compensationNextAt: undefined, updatedAt: now };
    await this.save(trying);
    const sctx = this.stepContext(rec.stepKey, `${this.run.id}:${rec.stepKey}:compensate`, trying.compensationAttempts);
    const compensated = (): FlowStepRecord => ({ ...trying, compensated: true, compensationError: undefined, updatedAt: clock.now() });
    let failure: { error: unknown } | undefined;
    if (def.transactional && store.runInCheckpoint) {
      try {
        await store.runInCheckpoint(
          this.lease,
          async (tx) => {
            try {
              await compensate(rec.output, { ...sctx, tx });
            } catch (err) {
              throw new StepCodeError(err);
            }
          },
          compensated,
          this.leaseUntil(),
        );
        this.records.set(rec.stepKey, compensated());
      } catch (err) {
        if (!(err instanceof StepCodeError)) throw err;
        failure = { error: err.original };
      }
    } else {
      try {
        await compensate(rec.output, sctx);
      } catch (err) {
        failure = { error: err };
      }
      if (!failure) await this.save(compensated());
    }
    if (!failure) return undefined;

    const at = clock.now();
    const error = describeError(failure.error);
    const decision = decideRetry(policy, trying.compensationAttempts, failure.error, this.deps.random);
    if (decision.retry) {
      const next = new Date(at.getTime() + decision.delayMs);
      await this.save({ ...trying, compensationError: error, compensationNextAt: next, updatedAt: at });
      await this.setRun({ status: 'Waiting', wakeAt: next, waitKey: undefined });
      this.log('warn', `compensation of ${rec.stepKey} failed; retrying in ${decision.delayMs} ms`, { error }, rec.stepKey);
      return { status: 'Waiting', wakeAt: next };
    }
    await this.save({ ...trying, compensationError: error, updatedAt: at });
    return this.needsAttention(`compensation of ${rec.stepKey} failed after ${trying.compensationAttempts} attempt(s): ${error}`);
  }

  private async needsAttention(problem: string): Promise<FlowExecutionResult> {
    const error = this.state.failure ? `${problem}; the run had failed with: ${this.state.failure}` : problem;
    await this.setRun({ status: 'NeedsAttention', error, wakeAt: undefined, waitKey: undefined });
    this.log('error', 'run needs attention', { error });
    return { status: 'NeedsAttention', wakeAt: undefined };
  }

  // ---- plumbing --------------------------------------------------------------------------------------------------

  private newRecord(kind: FlowStepKind, key: string, stepId: string, seq: number, now: Date, input: unknown): FlowStepRecord {
    return {
      runId: this.run.id,
      tenantId: this.run.tenantId,
      stepKey: key,
      stepId,
      kind,
      seq,
      status: 'Running',
      input,
      output: undefined,
      error: undefined,
      attempts: 0,
      nextAttemptAt: undefined,
      wakeAt: undefined,
      waitKey: undefined,
      compensated: false,
      compensationAttempts: 0,
      compensationError: undefined,
      compensationNextAt: undefined,
      startedAt: now,
      updatedAt: now,
      finishedAt: undefined,
    };
  }

  private stepContext(stepKey: string, idempotencyKey: string, attempt: number): StepContext<any> {
    return {
      ctx: this.ctx,
      runId: this.run.id,
      flowId: this.run.flowId,
      stepKey,
      idempotencyKey,
      attempt,
      clock: this.deps.clock,
      log: this.logger(stepKey),
      tx: undefined,
    };
  }

  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.leaseMs);
  }

  private async save(rec: FlowStepRecord): Promise<void> {
    const status = await this.deps.store.saveStep(this.lease, rec, this.leaseUntil());
    if (status.cancelRequested) this.cancelSeen = true;
    this.records.set(rec.stepKey, rec);
  }

  private async setRun(patch: Partial<FlowRunState>): Promise<void> {
    const next = { ...this.state, ...patch };
    await this.deps.store.setRun(this.lease, next, this.deps.clock.now());
    Object.assign(this.state, next);
  }

  private logger(stepKey: string | undefined, quiet?: () => boolean): StepLogger {
    const write = (level: 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
      if (quiet?.()) return;
      this.log(level, message, fields, stepKey);
    };
    return { info: write('info'), warn: write('warn'), error: write('error') };
  }

  private log(level: FlowLogEntry['level'], message: string, fields?: LogFields, stepKey?: string): void {
    const logger = this.deps.logger;
    if (!logger) return;
    try {
      logger({
        level,
        message,
        tenantId: this.run.tenantId,
        runId: this.run.id,
        flowId: this.run.flowId,
        stepKey,
        correlationId: this.run.correlationId,
        fields,
      });
    } catch {
      // a failing logger must not fail the run
    }
  }
}
