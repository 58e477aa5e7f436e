/** Ports of the flow layer: what the flow engine needs from storage, implemented by @tradelane/store. */
import type { Actor, TenantContext } from '../context.js';
import { ConflictError } from '../errors.js';

/** Every status a flow run can be in, PascalCase like every lifecycle state. */
export const flowRunStatuses = ['Pending', 'Running', 'Waiting', 'Completed', 'Failed', 'NeedsAttention', 'Cancelled'] as const;

/**
 * Status of a flow run: `Pending` (ready, not claimed), `Running` (leased by a worker), `Waiting` (suspended on a
 * timer, an event or a retry backoff), `Completed`, `Failed` (compensated), `NeedsAttention` (a compensation failed),
 * `Cancelled` (compensated after a cancel request).
 */
export type FlowRunStatus = (typeof flowRunStatuses)[number];

/** Statuses a run never leaves by itself. */
export const finishedFlowRunStatuses: readonly FlowRunStatus[] = ['Completed', 'Failed', 'Cancelled'];

/** Which way a run is going: forward through its steps, or back through their compensations. */
export type FlowRunPhase = 'Forward' | 'Compensating' | 'Cancelling';

/** What a checkpointed call of a flow was: a step, a durable sleep or a wait for an event. */
export type FlowStepKind = 'Step' | 'Sleep' | 'Wait';

/** Status of one checkpointed call. */
export type FlowStepStatus = 'Running' | 'Retrying' | 'Waiting' | 'Completed' | 'Failed';

/** A flow id and version as one string, `id@version`, used to say which flows a worker can run. */
export function flowRef(flowId: string, version: number): string {
  return `${flowId}@${version}`;
}

/** What the engine asks the store to create when a flow is started. */
export interface NewFlowRun {
  /** Prefixed ULID, `flow_…`. */
  id: string;
  flowId: string;
  flowVersion: number;
  /** Unique per tenant and flow id: a second start with the same key returns the first run. */
  idempotencyKey: string;
  /** Runs of one tenant sharing this key execute one at a time, in start order. */
  concurrencyKey: string | undefined;
  /** The flow input, JSON. */
  input: unknown;
  now: Date;
}

/** One flow run as stored. */
export interface FlowRunRecord {
  id: string;
  tenantId: string;
  flowId: string;
  flowVersion: number;
  idempotencyKey: string;
  concurrencyKey: string | undefined;
  status: FlowRunStatus;
  phase: FlowRunPhase;
  input: unknown;
  /** What the flow returned, once `Completed`. */
  output: unknown;
  /** The current problem: the failure for `Failed`, the compensation error for `NeedsAttention`. */
  error: string | undefined;
  /** The original failure that started compensation, if any. */
  failure: string | undefined;
  /** When a `Waiting` or `Pending` run is due. */
  wakeAt: Date | undefined;
  /** Signal key a `Waiting` run waits for. */
  waitKey: string | undefined;
  cancelRequested: boolean;
  partnerId: string | undefined;
  correlationId: string;
  /** Who started the run. */
  startedBy: Actor;
  leaseOwner: string | undefined;
  leaseUntil: Date | undefined;
  /** Start order (monotonic); runs sharing a concurrency key execute in this order. */
  seq: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | undefined;
}

/** One checkpointed call (step, sleep or wait) of a run. */
export interface FlowStepRecord {
  runId: string;
  tenantId: string;
  /** Deterministic key: step id plus call sequence, e.g. `reserve-stock#1`, `sleep:grace#1`. */
  stepKey: string;
  /** Step id, or sleep/wait name. */
  stepId: string;
  kind: FlowStepKind;
  /** Call order within the run; compensation goes in reverse. */
  seq: number;
  status: FlowStepStatus;
  input: unknown;
  output: unknown;
  error: string | undefined;
  /** Attempts started so far (an attempt interrupted by a crash counts). */
  attempts: number;
  /** When a `Retrying` step runs again. */
  nextAttemptAt: Date | undefined;
  /** When a sleep ends, or when a wait times out. */
  wakeAt: Date | undefined;
  /** Signal key of a wait. */
  waitKey: string | undefined;
  compensated: boolean;
  compensationAttempts: number;
  compensationError: string | undefined;
  compensationNextAt: Date | undefined;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | undefined;
}

/** The right to write a run's checkpoints, held by one worker until `leaseUntil`; `token` fences stale holders. */
export interface FlowLease {
  runId: string;
  tenantId: string;
  workerId: string;
  token: string;
}

/** A run a worker just claimed, with its lease. */
export interface ClaimedFlowRun {
  run: FlowRunRecord;
  lease: FlowLease;
}

/** What a worker asks for when it claims due runs (a system operation across tenants). */
export interface FlowClaimRequest {
  workerId: string;
  /** Flows this worker can run, as {@link flowRef} strings. */
  flowRefs: readonly string[];
  now: Date;
  leaseUntil: Date;
  limit: number;
}

/** The state a lease holder writes back to a run (all fields, not a patch). A status other than `Running` ends the lease. */
export interface FlowRunState {
  status: FlowRunStatus;
  phase: FlowRunPhase;
  output: unknown;
  error: string | undefined;
  failure: string | undefined;
  wakeAt: Date | undefined;
  waitKey: string | undefined;
}

/** Filter for listing runs of one tenant. */
export interface FlowRunQuery {
  status?: FlowRunStatus | readonly FlowRunStatus[] | undefined;
  flowId?: string | undefined;
  /** @default 100 */
  limit?: number | undefined;
}

/** A signal sent to whatever run waits (or will wait) for `key`. */
export interface FlowSignalInput {
  key: string;
  payload: unknown;
  /** Deduplicates redelivered signals (e.g. the event id); a second signal with the same id is ignored. */
  dedupeId?: string | undefined;
  now: Date;
}

/** What became of a signal. */
export interface FlowSignalResult {
  /** False when a signal with the same dedupe id was already recorded. */
  accepted: boolean;
  /** How many waiting runs were woken. */
  woken: number;
}

/** What a lease holder learns on each fenced write. */
export interface FlowLeaseStatus {
  cancelRequested: boolean;
}

/** The lease of a run is gone (expired and claimed by another worker): the holder must stop writing. */
export class FlowLeaseLostError extends ConflictError {
  constructor(runId: string) {
    super('TL_FLOW_LEASE_LOST', `the lease on flow run ${runId} was lost`, { runId });
  }
}

/**
 * Durable state of flow runs. Tenant operations take the context first and add the tenant predicate; the claim and
 * lease recovery are system operations across tenants; every write by a lease holder is fenced by the lease token and
 * throws {@link FlowLeaseLostError} when the lease is gone. `Tx` is the transaction handle steps may share.
 */
export interface FlowStore<Tx = unknown> {
  /** Creates a run, or returns the existing one with the same tenant, flow id and idempotency key. */
  createRun(ctx: TenantContext, run: NewFlowRun): Promise<{ run: FlowRunRecord; created: boolean }>;
  /** One run of the context's tenant. */
  getRun(ctx: TenantContext, runId: string): Promise<FlowRunRecord | undefined>;
  /** Runs of the context's tenant, newest first. */
  listRuns(ctx: TenantContext, query?: FlowRunQuery): Promise<FlowRunRecord[]>;
  /** The checkpointed calls of one run, in call order. */
  listSteps(ctx: TenantContext, runId: string): Promise<FlowStepRecord[]>;
  /** Records a signal and wakes the runs of the tenant waiting for its key; an unconsumed signal waits for a later wait. */
  addSignal(ctx: TenantContext, signal: FlowSignalInput): Promise<FlowSignalResult>;
  /** Asks a run that has not finished to stop and compensate; a suspended run becomes due now. */
  requestCancel(ctx: TenantContext, runId: string, now: Date): Promise<FlowRunRecord | undefined>;
  /** Puts a `NeedsAttention` run back in the queue, clearing its failed compensation's attempts. */
  requeue(ctx: TenantContext, runId: string, now: Date): Promise<FlowRunRecord | undefined>;

  /** Claims due runs (ready, woken, or with an expired lease), honouring concurrency keys; each gets a fresh lease. */
  claimRuns(request: FlowClaimRequest): Promise<ClaimedFlowRun[]>;
  /** Makes the runs leased by `workerId` due again (that worker restarted, so nobody runs them); returns how many. */
  releaseWorkerLeases(workerId: string, now: Date): Promise<number>;

  /** Extends the lease. */
  renewLease(lease: FlowLease, leaseUntil: Date, now: Date): Promise<FlowLeaseStatus>;
  /** Writes one checkpointed call (insert or replace) and extends the lease. */
  saveStep(lease: FlowLease, step: FlowStepRecord, leaseUntil: Date): Promise<FlowLeaseStatus>;
  /**
   * Consumes the oldest unconsumed signal for `key` in the run's tenant and writes `toStep(payload)` in the same
   * transaction; `undefined` when no signal is there.
   */
  consumeSignal(lease: FlowLease, key: string, toStep: (payload: unknown) => FlowStepRecord, leaseUntil: Date): Promise<{ payload: unknown } | undefined>;
  /** Writes the run's state; a status other than `Running` releases the lease. */
  setRun(lease: FlowLease, state: FlowRunState, now: Date): Promise<void>;
  /**
   * Optional: runs `fn` in one transaction that also writes the checkpoint `done(result)`, so a step's own database
   * effects commit with its checkpoint or not at all.
   */
  runInCheckpoint?<T>(lease: FlowLease, fn: (tx: Tx) => Promise<T>, done: (result: T) => FlowStepRecord, leaseUntil: Date): Promise<T>;
}
