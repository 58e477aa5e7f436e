import { retryPolicy, type Clock, type RetryPolicy, type TenantContext } from '@tradelane/core';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** The log hook steps and flows write to; lines carry the tenant, run, flow and step. */
export interface StepLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** What a step's `run` and `compensate` receive besides their input. */
export interface StepContext<Tx = unknown> {
  /** The tenant the run belongs to, acting as the system (`flow:<flowId>`), with the starter's partner and correlation id. */
  readonly ctx: TenantContext;
  readonly runId: string;
  readonly flowId: string;
  /** Deterministic key of this call within the run, e.g. `reserve-stock#1`. */
  readonly stepKey: string;
  /**
   * Stable across attempts and restarts (`<runId>:<stepKey>`, plus `:compensate` for the undo): pass it to external
   * systems (an ERP's external reference, an Idempotency-Key header) so a rerun after a crash is deduplicated there.
   */
  readonly idempotencyKey: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly clock: Clock;
  readonly log: StepLogger;
  /** The checkpoint transaction, for steps declared `transactional` (its effects commit with the checkpoint). */
  readonly tx: Tx | undefined;
}

/** What {@link defineStep} takes. */
export interface StepSpec<I, O, Tx = unknown> {
  /** Stable id; part of every checkpoint key, so never rename a step that runs in production. */
  id: string;
  /** Retry policy of `run` (merged with the core defaults). */
  retry?: Partial<RetryPolicy>;
  /** Retry policy of `compensate`. @default the step's retry policy */
  compensateRetry?: Partial<RetryPolicy>;
  /**
   * Run `run` (and `compensate`) inside the checkpoint's database transaction, handed over as `sctx.tx`, so its
   * database effects commit together with the checkpoint. Needs a store that supports it. @default false
   */
  transactional?: boolean;
  /** The action. Must be safe to run again with the same `sctx.idempotencyKey` (it may have been interrupted). */
  run(input: I, sctx: StepContext<Tx>): Promise<O> | O;
  /** The undo, given only what `run` returned (the ids it needs). Must be idempotent too. */
  compensate?(output: O, sctx: StepContext<Tx>): Promise<void> | void;
}

/** A step as the engine uses it: {@link StepSpec} with its policies resolved. */
export interface StepDefinition<I = unknown, O = unknown, Tx = unknown> {
  readonly kind: 'step';
  readonly id: string;
  readonly retry: RetryPolicy;
  readonly compensateRetry: RetryPolicy;
  readonly transactional: boolean;
  run(input: I, sctx: StepContext<Tx>): Promise<O> | O;
  readonly compensate: ((output: O, sctx: StepContext<Tx>) => Promise<void> | void) | undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,119}$/;

/** Throws unless `name` can be part of a checkpoint key (letters, digits, `_ . : -`; no `#`). */
export function assertStepName(what: string, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new RangeError(`${what} must be 1–120 characters of letters, digits, '_', '.', ':' or '-' and start with a letter or digit, got ${JSON.stringify(name)}`);
  }
}

/**
 * Declares a step: the action and its undo side by side.
 * @example
 * const reserveStock = defineStep({
 *   id: 'reserve-stock',
 *   retry: { maxAttempts: 5 },
 *   run: async (order: { orderId: string }, sctx) => erp.reserve(order.orderId, { reference: sctx.idempotencyKey }),
 *   compensate: async (reservation, sctx) => erp.release(reservation.reservationId, { reference: sctx.idempotencyKey }),
 * });
 */
export function defineStep<I, O, Tx = unknown>(spec: StepSpec<I, O, Tx>): StepDefinition<I, O, Tx> {
  assertStepName('step id', spec.id);
  const retry = retryPolicy(spec.retry);
  const compensate = spec.compensate;
  return Object.freeze({
    kind: 'step' as const,
    id: spec.id,
    retry,
    compensateRetry: spec.compensateRetry ? retryPolicy(spec.compensateRetry) : retry,
    transactional: spec.transactional ?? false,
    run: spec.run.bind(spec),
    compensate: compensate ? compensate.bind(spec) : undefined,
  });
}

/** What `waitForEvent` resolves to: the signal's payload, or a timeout. */
export type WaitResult<P> = { event: P; timedOut?: undefined } | { timedOut: true; event?: undefined };

/** Options of an inline step (`f.run`). */
export interface InlineStepOptions<O, Tx = unknown> {
  retry?: Partial<RetryPolicy>;
  compensateRetry?: Partial<RetryPolicy>;
  transactional?: boolean;
  compensate?(output: O, sctx: StepContext<Tx>): Promise<void> | void;
}

/**
 * What a flow's `run` receives: the only way for flow code to act. Everything it returns is checkpointed; flow code
 * between calls must be deterministic (no clock reads, random ids or I/O outside steps).
 */
export interface FlowContext {
  readonly runId: string;
  readonly flowId: string;
  readonly ctx: TenantContext;
  /** Runs a step once: after a restart a finished step returns its checkpointed result instead of running again. */
  step<I, O>(step: StepDefinition<I, O, any>, input: I): Promise<O>;
  /** Runs an inline step (a function with an id); same guarantees as {@link FlowContext.step}. */
  run<O>(id: string, fn: (sctx: StepContext<any>) => Promise<O> | O, options?: InlineStepOptions<O, any>): Promise<O>;
  /** A durable sleep of `ms` from the first time this call is reached; survives restarts. */
  sleep(name: string, ms: number): Promise<void>;
  /** A durable sleep until `until`; survives restarts. */
  sleepUntil(name: string, until: Date): Promise<void>;
  /**
   * Waits for a signal sent with `key` (one sent before the wait counts too); resolves `{ timedOut: true }` after
   * `timeoutMs`, or never times out when it is omitted. The run is not held in memory while it waits.
   */
  waitForEvent<P = unknown>(name: string, options: { key: string; timeoutMs?: number | undefined }): Promise<WaitResult<P>>;
  /** Logs from flow code; silent while the run replays checkpointed calls. */
  readonly log: StepLogger;
}

/** What {@link defineFlow} takes. */
export interface FlowSpec<I, O> {
  /** Stable id; with the idempotency key it identifies a run. */
  id: string;
  /** Bump when the flow's calls change incompatibly; runs finish on the version they started with. @default 1 */
  version?: number;
  /** Validates the input at start (e.g. a zod schema). */
  input?: { parse(value: unknown): I };
  /** Same key (per tenant and flow) → same run: a second start returns the first run's id. */
  idempotencyKey(input: I): string;
  /** Runs of a tenant sharing this key execute one at a time, in start order (across flows). */
  concurrencyKey?(input: I): string | undefined;
  /** Plain async code between checkpointed calls of `f`. */
  run(input: I, f: FlowContext): Promise<O>;
}

/** A flow as the engine uses it. */
export interface FlowDefinition<I = unknown, O = unknown> {
  readonly kind: 'flow';
  readonly id: string;
  readonly version: number;
  readonly input: { parse(value: unknown): I } | undefined;
  idempotencyKey(input: I): string;
  concurrencyKey(input: I): string | undefined;
  run(input: I, f: FlowContext): Promise<O>;
}

/**
 * Declares a durable flow.
 * @example
 * const orderToCash = defineFlow({
 *   id: 'order-to-cash',
 *   idempotencyKey: (o: { orderId: string }) => o.orderId,
 *   concurrencyKey: (o) => `order:${o.orderId}`,
 *   run: async (o, f) => {
 *     const reservation = await f.step(reserveStock, o);
 *     const ack = await f.waitForEvent('erp-ack', { key: `erp.ack:${o.orderId}`, timeoutMs: 86_400_000 });
 *     return { reservation, acknowledged: !ack.timedOut };
 *   },
 * });
 */
export function defineFlow<I, O>(spec: FlowSpec<I, O>): FlowDefinition<I, O> {
  assertStepName('flow id', spec.id);
  const version = spec.version ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new RangeError(`flow version must be an integer ≥ 1, got ${version}`);
  const concurrencyKey = spec.concurrencyKey;
  return Object.freeze({
    kind: 'flow' as const,
    id: spec.id,
    version,
    input: spec.input,
    idempotencyKey: spec.idempotencyKey.bind(spec),
    concurrencyKey: (input: I) => (concurrencyKey ? concurrencyKey.call(spec, input) || undefined : undefined),
    run: spec.run.bind(spec),
  });
}
