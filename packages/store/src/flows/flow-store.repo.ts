import {
  FlowLeaseLostError,
  type ClaimedFlowRun,
  type FlowClaimRequest,
  type FlowLease,
  type FlowLeaseStatus,
  type FlowRunQuery,
  type FlowRunRecord,
  type FlowRunState,
  type FlowSignalInput,
  type FlowSignalResult,
  type FlowStepRecord,
  type FlowStore,
  type NewFlowRun,
  type TenantContext,
} from '@tradelane/core';
import type { Database, Sql } from '../driver/database.js';
import { runColumns, stepColumns, toJsonText, toRunRecord, toStepRecord, type RunRow, type StepRow } from './flow-rows.js';

const UNFINISHED = `('Pending', 'Running', 'Waiting')`;
/** Statuses that keep later runs with the same concurrency key waiting (a run needing attention holds its key). */
const HOLDS_KEY = `('Pending', 'Running', 'Waiting', 'NeedsAttention')`;
const FINISHED = new Set(['Completed', 'Failed', 'Cancelled']);
const CONCURRENCY_LOCK_SPACE = 7_477_203;

/** Options of {@link createFlowStore}. */
export interface FlowStoreOptions<Tx> {
  /** Turns the checkpoint transaction into the handle transactional steps receive (e.g. repositories bound to it). */
  bindTransaction: (sql: Sql) => Tx;
}

/**
 * The flow engine's store on Postgres or PGlite. Steps marked transactional receive the checkpoint transaction as
 * {@link Sql}, or as whatever `bindTransaction` makes of it.
 * @example const engine = createFlowEngine({ store: createFlowStore(db), flows: [orderToCash] })
 */
export function createFlowStore(db: Database): FlowStore<Sql>;
/** The flow engine's store, handing transactional steps `bindTransaction(sql)`. */
export function createFlowStore<Tx>(db: Database, options: FlowStoreOptions<Tx>): FlowStore<Tx>;
export function createFlowStore<Tx>(db: Database, options?: FlowStoreOptions<Tx>): FlowStore<Tx | Sql> {
  const bindTransaction = options?.bindTransaction ?? ((sql: Sql) => sql);
  const skipLocked = db.kind === 'postgres' ? 'FOR UPDATE OF r SKIP LOCKED' : '';
  const skipLockedSignal = db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';

  async function fence(sql: Sql, lease: FlowLease, leaseUntil: Date): Promise<FlowLeaseStatus> {
    const { rows } = await sql.query<{ cancel_requested: boolean }>(
      `UPDATE tl_flow_runs SET lease_until = $4
        WHERE id = $1 AND tenant_id = $2 AND lease_token = $3 AND status = 'Running'
        RETURNING cancel_requested`,
      [lease.runId, lease.tenantId, lease.token, leaseUntil],
    );
    if (rows.length === 0) throw new FlowLeaseLostError(lease.runId);
    return { cancelRequested: rows[0]!.cancel_requested };
  }

  async function upsertStep(sql: Sql, s: FlowStepRecord): Promise<void> {
    await sql.query(
      `INSERT INTO tl_flow_steps (run_id, tenant_id, step_key, step_id, kind, seq, status, input, output, error, attempts,
         next_attempt_at, wake_at, wait_key, compensated, compensation_attempts, compensation_error, compensation_next_at,
         started_at, updated_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       ON CONFLICT (run_id, step_key) DO UPDATE SET
         status = EXCLUDED.status, input = EXCLUDED.input, output = EXCLUDED.output, error = EXCLUDED.error,
         attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at, wake_at = EXCLUDED.wake_at,
         wait_key = EXCLUDED.wait_key, compensated = EXCLUDED.compensated,
         compensation_attempts = EXCLUDED.compensation_attempts, compensation_error = EXCLUDED.compensation_error,
         compensation_next_at = EXCLUDED.compensation_next_at, updated_at = EXCLUDED.updated_at,
         finished_at = EXCLUDED.finished_at`,
      [
        s.runId,
        s.tenantId,
        s.stepKey,
        s.stepId,
        s.kind,
        s.seq,
        s.status,
        toJsonText(s.input),
        toJsonText(s.output),
        s.error ?? null,
        s.attempts,
        s.nextAttemptAt ?? null,
        s.wakeAt ?? null,
        s.waitKey ?? null,
        s.compensated,
        s.compensationAttempts,
        s.compensationError ?? null,
        s.compensationNextAt ?? null,
        s.startedAt,
        s.updatedAt,
        s.finishedAt ?? null,
      ],
    );
  }

  function checkStep(lease: FlowLease, s: FlowStepRecord): void {
    if (s.runId !== lease.runId || s.tenantId !== lease.tenantId) {
      throw new RangeError(`step ${s.stepKey} belongs to run ${s.runId}, not to the leased run ${lease.runId}`);
    }
  }

  async function selectRun(sql: Sql, tenantId: string, runId: string): Promise<FlowRunRecord | undefined> {
    const { rows } = await sql.query<RunRow>(`SELECT ${runColumns()} FROM tl_flow_runs WHERE tenant_id = $1 AND id = $2`, [tenantId, runId]);
    return rows[0] ? toRunRecord(rows[0]) : undefined;
  }

  return {
    async createRun(ctx: TenantContext, run: NewFlowRun) {
      return db.transaction(async (tx) => {
        if (run.concurrencyKey !== undefined && db.kind === 'postgres') {
          // Runs sharing a key get their start order (seq) in commit order, so no later run can overtake an earlier one.
          await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CONCURRENCY_LOCK_SPACE, `${ctx.tenantId}\n${run.concurrencyKey}`]);
        }
        const { rows } = await tx.query<RunRow>(
          `INSERT INTO tl_flow_runs (id, tenant_id, flow_id, flow_version, idempotency_key, concurrency_key, status, phase,
             input, wake_at, partner_id, correlation_id, started_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'Pending', 'Forward', $7::jsonb, $8, $9, $10, $11::jsonb, $8, $8)
           ON CONFLICT (tenant_id, flow_id, idempotency_key) DO NOTHING
           RETURNING ${runColumns()}`,
          [
            run.id,
            ctx.tenantId,
            run.flowId,
            run.flowVersion,
            run.idempotencyKey,
            run.concurrencyKey ?? null,
            toJsonText(run.input),
            run.now,
            ctx.partnerId ?? null,
            ctx.correlationId,
            JSON.stringify(ctx.actor),
          ],
        );
        if (rows[0]) return { run: toRunRecord(rows[0]), created: true };
        const existing = await tx.query<RunRow>(
          `SELECT ${runColumns()} FROM tl_flow_runs WHERE tenant_id = $1 AND flow_id = $2 AND idempotency_key = $3`,
          [ctx.tenantId, run.flowId, run.idempotencyKey],
        );
        return { run: toRunRecord(existing.rows[0]!), created: false };
      });
    },

    getRun: (ctx, runId) => selectRun(db, ctx.tenantId, runId),

    async listRuns(ctx: TenantContext, query: FlowRunQuery = {}) {
      const params: unknown[] = [ctx.tenantId];
      const where = ['tenant_id = $1'];
      if (query.status !== undefined) {
        const statuses = typeof query.status === 'string' ? [query.status] : [...query.status];
        if (statuses.length === 0) return [];
        where.push(`status IN (${statuses.map((s) => `$${params.push(s)}`).join(', ')})`);
      }
      if (query.flowId !== undefined) where.push(`flow_id = $${params.push(query.flowId)}`);
      const limit = Math.max(1, Math.min(1000, Math.trunc(query.limit ?? 100)));
      const { rows } = await db.query<RunRow>(
        `SELECT ${runColumns()} FROM tl_flow_runs WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ${limit}`,
        params,
      );
      return rows.map(toRunRecord);
    },

    async listSteps(ctx, runId) {
      const { rows } = await db.query<StepRow>(
        `SELECT ${stepColumns} FROM tl_flow_steps WHERE tenant_id = $1 AND run_id = $2 ORDER BY seq, step_key`,
        [ctx.tenantId, runId],
      );
      return rows.map(toStepRecord);
    },

    async addSignal(ctx: TenantContext, signal: FlowSignalInput): Promise<FlowSignalResult> {
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO tl_flow_signals (tenant_id, key, payload, dedupe_id, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)
           ON CONFLICT (tenant_id, dedupe_id) WHERE dedupe_id IS NOT NULL DO NOTHING
           RETURNING id`,
          [ctx.tenantId, signal.key, toJsonText(signal.payload), signal.dedupeId ?? null, signal.now],
        );
        if (inserted.rows.length === 0) return { accepted: false, woken: 0 };
        const woken = await tx.query(
          `UPDATE tl_flow_runs SET status = 'Pending', wake_at = $3, updated_at = $3
            WHERE tenant_id = $1 AND status = 'Waiting' AND wait_key = $2`,
          [ctx.tenantId, signal.key, signal.now],
        );
        return { accepted: true, woken: woken.rowCount };
      });
    },

    async requestCancel(ctx, runId, now) {
      const { rows } = await db.query<RunRow>(
        `UPDATE tl_flow_runs SET cancel_requested = true, updated_at = $3,
           wake_at = CASE WHEN status = 'Running' THEN wake_at ELSE $3 END,
           status = CASE WHEN status = 'Running' THEN status ELSE 'Pending' END
          WHERE tenant_id = $1 AND id = $2 AND status IN ${UNFINISHED}
          RETURNING ${runColumns()}`,
        [ctx.tenantId, runId, now],
      );
      return rows[0] ? toRunRecord(rows[0]) : undefined;
    },

    async requeue(ctx, runId, now) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<RunRow>(
          `UPDATE tl_flow_runs SET status = 'Pending', wake_at = $3, updated_at = $3
            WHERE tenant_id = $1 AND id = $2 AND status = 'NeedsAttention'
            RETURNING ${runColumns()}`,
          [ctx.tenantId, runId, now],
        );
        if (!rows[0]) return undefined;
        await tx.query(
          `UPDATE tl_flow_steps SET compensation_attempts = 0, compensation_error = NULL, compensation_next_at = NULL, updated_at = $3
            WHERE tenant_id = $1 AND run_id = $2 AND compensated = false AND compensation_attempts > 0`,
          [ctx.tenantId, runId, now],
        );
        return toRunRecord(rows[0]);
      });
    },

    async claimRuns(request: FlowClaimRequest): Promise<ClaimedFlowRun[]> {
      if (request.flowRefs.length === 0 || request.limit < 1) return [];
      // A system operation: the worker scans every tenant's runs; each claimed run is then acted on for its own tenant.
      const { rows } = await db.query<RunRow & { lease_token: string }>(
        `WITH due AS (
           SELECT r.id FROM tl_flow_runs r
            WHERE (r.flow_id || '@' || r.flow_version) IN (SELECT jsonb_array_elements_text($1::jsonb))
              AND (
                (r.status IN ('Pending', 'Waiting') AND r.wake_at <= $2)
                OR (r.status = 'Waiting' AND r.wait_key IS NOT NULL AND EXISTS (
                      SELECT 1 FROM tl_flow_signals s
                       WHERE s.tenant_id = r.tenant_id AND s.key = r.wait_key AND s.consumed_by IS NULL))
                OR (r.status = 'Running' AND r.lease_until < $2)
              )
              AND (r.concurrency_key IS NULL OR NOT EXISTS (
                      SELECT 1 FROM tl_flow_runs p
                       WHERE p.tenant_id = r.tenant_id AND p.concurrency_key = r.concurrency_key
                         AND p.seq < r.seq AND p.status IN ${HOLDS_KEY}))
            ORDER BY r.seq
            LIMIT $3
            ${skipLocked}
         )
         UPDATE tl_flow_runs r
            SET status = 'Running', lease_owner = $4, lease_token = gen_random_uuid()::text, lease_until = $5,
                wake_at = NULL, wait_key = NULL, updated_at = $2
           FROM due
          WHERE r.id = due.id
          RETURNING ${runColumns('r')}, r.lease_token`,
        [JSON.stringify(request.flowRefs), request.now, request.limit, request.workerId, request.leaseUntil],
      );
      return rows
        .map((row) => ({
          run: toRunRecord(row),
          lease: { runId: row.id, tenantId: row.tenant_id, workerId: request.workerId, token: row.lease_token },
        }))
        .sort((a, b) => a.run.seq - b.run.seq);
    },

    async releaseWorkerLeases(workerId, now) {
      const res = await db.query(
        `UPDATE tl_flow_runs SET status = 'Pending', wake_at = $2, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = $2
          WHERE status = 'Running' AND lease_owner = $1`,
        [workerId, now],
      );
      return res.rowCount;
    },

    renewLease: (lease, leaseUntil) => fence(db, lease, leaseUntil),

    async saveStep(lease, step, leaseUntil) {
      checkStep(lease, step);
      return db.transaction(async (tx) => {
        const status = await fence(tx, lease, leaseUntil);
        await upsertStep(tx, step);
        return status;
      });
    },

    async consumeSignal(lease, key, toStep, leaseUntil) {
      return db.transaction(async (tx) => {
        await fence(tx, lease, leaseUntil);
        const { rows } = await tx.query<{ id: string; payload: string | null }>(
          `SELECT id, payload::text AS payload FROM tl_flow_signals
            WHERE tenant_id = $1 AND key = $2 AND consumed_by IS NULL
            ORDER BY id LIMIT 1 ${skipLockedSignal}`,
          [lease.tenantId, key],
        );
        const signal = rows[0];
        if (!signal) return undefined;
        const payload = signal.payload === null ? undefined : JSON.parse(signal.payload);
        const step = toStep(payload);
        checkStep(lease, step);
        await tx.query(`UPDATE tl_flow_signals SET consumed_by = $3, consumed_at = $4 WHERE tenant_id = $1 AND id = $2`, [
          lease.tenantId,
          signal.id,
          `${lease.runId}:${step.stepKey}`,
          step.updatedAt,
        ]);
        await upsertStep(tx, step);
        return { payload };
      });
    },

    async setRun(lease: FlowLease, state: FlowRunState, now: Date) {
      const keepLease = state.status === 'Running';
      const res = await db.query(
        `UPDATE tl_flow_runs SET status = $4, phase = $5, output = $6::jsonb, error = $7, failure = $8, wake_at = $9,
           wait_key = $10, updated_at = $11, finished_at = $12,
           lease_owner = CASE WHEN $13::boolean THEN lease_owner ELSE NULL END,
           lease_token = CASE WHEN $13::boolean THEN lease_token ELSE NULL END,
           lease_until = CASE WHEN $13::boolean THEN lease_until ELSE NULL END
          WHERE id = $1 AND tenant_id = $2 AND lease_token = $3 AND status = 'Running'`,
        [
          lease.runId,
          lease.tenantId,
          lease.token,
          state.status,
          state.phase,
          toJsonText(state.output),
          state.error ?? null,
          state.failure ?? null,
          state.wakeAt ?? null,
          state.waitKey ?? null,
          now,
          FINISHED.has(state.status) ? now : null,
          keepLease,
        ],
      );
      if (res.rowCount === 0) throw new FlowLeaseLostError(lease.runId);
    },

    async runInCheckpoint<T>(lease: FlowLease, fn: (tx: Tx | Sql) => Promise<T>, done: (result: T) => FlowStepRecord, leaseUntil: Date) {
      return db.transaction(async (tx) => {
        await fence(tx, lease, leaseUntil);
        const result = await fn(bindTransaction(tx));
        const step = done(result);
        checkStep(lease, step);
        await upsertStep(tx, step);
        return result;
      });
    },
  };
}
