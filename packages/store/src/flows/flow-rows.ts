import type { Actor, FlowRunPhase, FlowRunRecord, FlowRunStatus, FlowStepKind, FlowStepRecord, FlowStepStatus } from '@tradelane/core';

/** Columns of a run, JSON as text so SQL NULL and JSON null stay apart on both drivers. */
export function runColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return [
    `${a}id`,
    `${a}seq`,
    `${a}tenant_id`,
    `${a}flow_id`,
    `${a}flow_version`,
    `${a}idempotency_key`,
    `${a}concurrency_key`,
    `${a}status`,
    `${a}phase`,
    `${a}input::text AS input`,
    `${a}output::text AS output`,
    `${a}error`,
    `${a}failure`,
    `${a}wake_at`,
    `${a}wait_key`,
    `${a}cancel_requested`,
    `${a}partner_id`,
    `${a}correlation_id`,
    `${a}started_by::text AS started_by`,
    `${a}lease_owner`,
    `${a}lease_until`,
    `${a}created_at`,
    `${a}updated_at`,
    `${a}finished_at`,
  ].join(', ');
}

/** Columns of a step row, JSON as text. */
export const stepColumns = [
  'run_id',
  'tenant_id',
  'step_key',
  'step_id',
  'kind',
  'seq',
  'status',
  'input::text AS input',
  'output::text AS output',
  'error',
  'attempts',
  'next_attempt_at',
  'wake_at',
  'wait_key',
  'compensated',
  'compensation_attempts',
  'compensation_error',
  'compensation_next_at',
  'started_at',
  'updated_at',
  'finished_at',
].join(', ');

/** A run row as selected with {@link runColumns}. */
export interface RunRow {
  id: string;
  seq: string | number;
  tenant_id: string;
  flow_id: string;
  flow_version: number;
  idempotency_key: string;
  concurrency_key: string | null;
  status: string;
  phase: string;
  input: string | null;
  output: string | null;
  error: string | null;
  failure: string | null;
  wake_at: Date | null;
  wait_key: string | null;
  cancel_requested: boolean;
  partner_id: string | null;
  correlation_id: string;
  started_by: string;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** A step row as selected with {@link stepColumns}. */
export interface StepRow {
  run_id: string;
  tenant_id: string;
  step_key: string;
  step_id: string;
  kind: string;
  seq: number;
  status: string;
  input: string | null;
  output: string | null;
  error: string | null;
  attempts: number;
  next_attempt_at: Date | null;
  wake_at: Date | null;
  wait_key: string | null;
  compensated: boolean;
  compensation_attempts: number;
  compensation_error: string | null;
  compensation_next_at: Date | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** JSON text to a value; SQL NULL is `undefined`. */
export function fromJsonText(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

/** A value to JSON text for a `$n::jsonb` parameter; `undefined` is SQL NULL. */
export function toJsonText(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : text;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
const optDate = (v: Date | string | null): Date | undefined => (v === null ? undefined : date(v));

/** Maps a run row to the port's record. */
export function toRunRecord(r: RunRow): FlowRunRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    flowId: r.flow_id,
    flowVersion: Number(r.flow_version),
    idempotencyKey: r.idempotency_key,
    concurrencyKey: opt(r.concurrency_key),
    status: r.status as FlowRunStatus,
    phase: r.phase as FlowRunPhase,
    input: fromJsonText(r.input),
    output: fromJsonText(r.output),
    error: opt(r.error),
    failure: opt(r.failure),
    wakeAt: optDate(r.wake_at),
    waitKey: opt(r.wait_key),
    cancelRequested: r.cancel_requested,
    partnerId: opt(r.partner_id),
    correlationId: r.correlation_id,
    startedBy: JSON.parse(r.started_by) as Actor,
    leaseOwner: opt(r.lease_owner),
    leaseUntil: optDate(r.lease_until),
    seq: Number(r.seq),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    finishedAt: optDate(r.finished_at),
  };
}

/** Maps a step row to the port's record. */
export function toStepRecord(r: StepRow): FlowStepRecord {
  return {
    runId: r.run_id,
    tenantId: r.tenant_id,
    stepKey: r.step_key,
    stepId: r.step_id,
    kind: r.kind as FlowStepKind,
    seq: Number(r.seq),
    status: r.status as FlowStepStatus,
    input: fromJsonText(r.input),
    output: fromJsonText(r.output),
    error: opt(r.error),
    attempts: Number(r.attempts),
    nextAttemptAt: optDate(r.next_attempt_at),
    wakeAt: optDate(r.wake_at),
    waitKey: opt(r.wait_key),
    compensated: r.compensated,
    compensationAttempts: Number(r.compensation_attempts),
    compensationError: opt(r.compensation_error),
    compensationNextAt: optDate(r.compensation_next_at),
    startedAt: date(r.started_at),
    updatedAt: date(r.updated_at),
    finishedAt: optDate(r.finished_at),
  };
}
