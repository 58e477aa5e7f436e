import type { DeliveryRecord, DeliveryStatus, DeliveryStore, DeliveryTarget, PendingSummary } from '@tradelane/core';
import type { EventEnvelope } from '@tradelane/canonical';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

interface DeliveryRow {
  consumer: string;
  event_id: string;
  tenant_id: string;
  aggregate_type: string;
  aggregate_id: string;
  seq: string;
  event_type: string;
  envelope: EventEnvelope;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  first_failed_at: Date | null;
}

const COLUMNS =
  'consumer, event_id, tenant_id, aggregate_type, aggregate_id, seq, event_type, envelope, status, attempts, next_attempt_at, last_error, first_failed_at';

function toRecord(row: DeliveryRow): DeliveryRecord {
  return {
    consumer: row.consumer,
    tenantId: row.tenant_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    seq: String(row.seq),
    envelope: row.envelope,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    firstFailedAt: row.first_failed_at,
  };
}

/** SQL that upserts a delivery row in a given state; shared with the dead-letter store. */
export const UPSERT_DELIVERY = `
  INSERT INTO tl_deliveries (consumer, event_id, tenant_id, aggregate_type, aggregate_id, seq, event_type, envelope,
                             status, attempts, next_attempt_at, last_error, first_failed_at, claimed_until, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6::bigint, $7, $8::jsonb, $9, $10, $11, $12, $13, NULL, $14)
  ON CONFLICT (consumer, event_id) DO UPDATE
     SET status = EXCLUDED.status, attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at,
         last_error = EXCLUDED.last_error, first_failed_at = COALESCE(tl_deliveries.first_failed_at, EXCLUDED.first_failed_at),
         claimed_until = NULL, updated_at = EXCLUDED.updated_at`;

/** Parameters of {@link UPSERT_DELIVERY}. */
export function upsertDeliveryParams(
  target: DeliveryTarget,
  state: { status: DeliveryStatus; attempts: number; nextAttemptAt: Date; lastError: string | null; firstFailedAt: Date | null; now: Date },
): unknown[] {
  return [
    target.consumer,
    target.envelope.id,
    target.tenantId,
    target.aggregateType,
    target.aggregateId,
    target.seq,
    target.envelope.type,
    jsonParam(target.envelope),
    state.status,
    state.attempts,
    state.nextAttemptAt,
    state.lastError,
    state.firstFailedAt,
    state.now,
  ];
}

/** Per-consumer retry state on the database (system port, across tenants). */
export function createDeliveryStore(sql: Sql): DeliveryStore {
  return {
    async lookup(event) {
      const { rows } = await sql.query<DeliveryRow & { own: boolean }>(
        `SELECT ${COLUMNS}, (event_id = $1) AS own FROM tl_deliveries
          WHERE event_id = $1
             OR (status = 'pending' AND tenant_id = $2 AND aggregate_type = $3 AND aggregate_id = $4 AND seq < $5::bigint)`,
        [event.eventId, event.tenantId, event.aggregateType, event.aggregateId, event.seq],
      );
      const existing = new Map<string, DeliveryRecord>();
      const blocked = new Set<string>();
      for (const row of rows) {
        if (row.own) existing.set(row.consumer, toRecord(row));
        else blocked.add(row.consumer);
      }
      return { existing, blocked };
    },

    async schedule(target, state) {
      // Never resurrect a delivery that is done or dead.
      await sql.query(
        `${UPSERT_DELIVERY} WHERE tl_deliveries.status = 'pending'`,
        upsertDeliveryParams(target, {
          status: 'pending',
          attempts: state.attempts,
          nextAttemptAt: state.nextAttemptAt,
          lastError: state.lastError,
          firstFailedAt: state.lastError === null ? null : state.now,
          now: state.now,
        }),
      );
    },

    async markDone(consumer, eventId, now) {
      await sql.query(
        `UPDATE tl_deliveries SET status = 'done', claimed_until = NULL, updated_at = $3
          WHERE consumer = $1 AND event_id = $2 AND status <> 'done'`,
        [consumer, eventId, now],
      );
    },

    async claimDue({ limit, leaseMs, now }) {
      const { rows } = await sql.query<DeliveryRow>(
        `WITH picked AS MATERIALIZED (
           SELECT d.consumer, d.event_id FROM tl_deliveries d
            WHERE d.status = 'pending'
              AND d.next_attempt_at <= $1
              AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
              AND NOT EXISTS (
                SELECT 1 FROM tl_deliveries e
                 WHERE e.status = 'pending'
                   AND e.tenant_id = d.tenant_id
                   AND e.aggregate_type = d.aggregate_type
                   AND e.aggregate_id = d.aggregate_id
                   AND e.consumer = d.consumer
                   AND e.seq < d.seq)
            ORDER BY d.next_attempt_at, d.seq
            LIMIT $3
            FOR UPDATE SKIP LOCKED)
         UPDATE tl_deliveries t SET claimed_until = $2
           FROM picked WHERE t.consumer = picked.consumer AND t.event_id = picked.event_id
         RETURNING ${COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')}`,
        [now, new Date(now.getTime() + leaseMs), limit],
      );
      return rows.map(toRecord).sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    },

    async pending(): Promise<PendingSummary> {
      const { rows } = await sql.query<{ count: number; next_at: Date | null }>(
        `SELECT count(*)::int AS count,
                min(CASE WHEN NOT EXISTS (
                      SELECT 1 FROM tl_deliveries e
                       WHERE e.status = 'pending' AND e.tenant_id = d.tenant_id AND e.aggregate_type = d.aggregate_type
                         AND e.aggregate_id = d.aggregate_id AND e.consumer = d.consumer AND e.seq < d.seq)
                    THEN GREATEST(d.next_attempt_at, COALESCE(d.claimed_until, d.next_attempt_at)) END) AS next_at
           FROM tl_deliveries d WHERE d.status = 'pending'`,
      );
      const row = rows[0]!;
      return { count: Number(row.count), nextAt: row.next_at ?? undefined };
    },
  };
}
