import {
  InputError,
  type Clock,
  type OutboxReader,
  type OutboxRecord,
  type PendingSummary,
  type TenantContext,
} from '@tradelane/core';
import type { EventEnvelope } from '@tradelane/canonical';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

/** One event to append to the outbox. */
export interface OutboxEvent {
  readonly envelope: EventEnvelope;
  /** The kind of document the event changes. @default the event type before its last dot (`sales_order`) */
  readonly aggregateType?: string | undefined;
  /** The document the event changes; events of one aggregate are delivered in order. @default envelope.subject */
  readonly aggregateId?: string | undefined;
  /** Not published before this time. @default now */
  readonly availableAt?: Date | undefined;
}

/** Where an appended event landed. */
export interface OutboxAppended {
  readonly id: string;
  /** Sequence number, a decimal bigint string. */
  readonly seq: string;
}

/** Appends events to the outbox inside the caller's transaction, next to the state change they describe. */
export interface OutboxWriter {
  /** Appends the events in order; each envelope's tenant must be the context's tenant. */
  append(ctx: TenantContext, events: OutboxEvent | readonly OutboxEvent[]): Promise<OutboxAppended[]>;
}

interface OutboxRow {
  seq: string;
  id: string;
  tenant_id: string;
  aggregate_type: string;
  aggregate_id: string;
  event_type: string;
  envelope: EventEnvelope;
  created_at: Date;
  available_at: Date;
  attempts: number;
  last_error: string | null;
  no_deliveries?: boolean;
}

const READ_COLUMNS = 'seq, id, tenant_id, aggregate_type, aggregate_id, event_type, envelope, created_at, available_at, attempts, last_error';

function toRecord(row: OutboxRow): OutboxRecord {
  return {
    seq: String(row.seq),
    id: row.id,
    tenantId: row.tenant_id,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    eventType: row.event_type,
    envelope: row.envelope,
    createdAt: row.created_at,
    availableAt: row.available_at,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    ...(row.no_deliveries === true ? { noDeliveries: true } : {}),
  };
}

function aggregateOf(event: OutboxEvent): { aggregateType: string; aggregateId: string } {
  const { envelope } = event;
  const dot = envelope.type.lastIndexOf('.');
  const aggregateType = event.aggregateType ?? (dot > 0 ? envelope.type.slice(0, dot) : undefined);
  const aggregateId = event.aggregateId ?? envelope.subject;
  if (!aggregateType || !aggregateId) {
    throw new InputError('TL_STORE_NO_AGGREGATE', `event ${envelope.id} (${envelope.type}) names no aggregate: set aggregateId or the envelope subject`, {
      eventId: envelope.id,
      eventType: envelope.type,
    });
  }
  return { aggregateType, aggregateId };
}

/**
 * Binds the outbox writer to an open transaction. `onAppend` is told that events were written (the store uses it
 * to wake the relay once the transaction commits).
 */
export function createOutboxWriter(sql: Sql, clock: Clock, onAppend: () => void = () => {}): OutboxWriter {
  return {
    async append(ctx, events) {
      const list: readonly OutboxEvent[] = Array.isArray(events) ? events : [events as OutboxEvent];
      const out: OutboxAppended[] = [];
      const now = clock.now();
      for (const event of list) {
        const { envelope } = event;
        if (envelope.tenantid !== ctx.tenantId) {
          throw new InputError('TL_STORE_TENANT_MISMATCH', `event ${envelope.id} belongs to another tenant than the context`, {
            eventId: envelope.id,
          });
        }
        if (typeof envelope.id !== 'string' || envelope.id.length === 0) {
          throw new InputError('TL_STORE_BAD_EVENT', 'event id must be a non-empty string');
        }
        const { aggregateType, aggregateId } = aggregateOf(event);
        const { rows } = await sql.query<{ seq: string }>(
          `INSERT INTO tl_outbox (id, tenant_id, aggregate_type, aggregate_id, event_type, envelope, created_at, available_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
           RETURNING seq`,
          [envelope.id, ctx.tenantId, aggregateType, aggregateId, envelope.type, jsonParam(envelope), now, event.availableAt ?? now],
        );
        out.push({ id: envelope.id, seq: String(rows[0]!.seq) });
      }
      if (out.length > 0) onAppend();
      return out;
    },
  };
}

/**
 * The relay's outbox port on the database. Claims lock rows with `FOR UPDATE SKIP LOCKED` and lease them with
 * `claimed_until`, so concurrent relays never hold the same row; a relay that dies leaves a lease that expires. A
 * claimed row says whether its event has no delivery records (and no earlier retry of its aggregate is pending), so the
 * in-process dispatcher does not look that up once per event.
 */
export function createOutboxReader(sql: Sql): OutboxReader {
  return {
    async claim({ limit, leaseMs, now, followers = 0, followersPerAggregate = followers }) {
      // Heads: the earliest unpublished row of each aggregate, available and not leased. Followers: the rows after a
      // claimed head in its aggregate, while each is available and not leased (a run stops at the first that is not).
      const { rows } = await sql.query<OutboxRow>(
        `WITH picked AS MATERIALIZED (
           SELECT o.seq, o.tenant_id, o.aggregate_type, o.aggregate_id FROM tl_outbox o
            WHERE o.published_at IS NULL
              AND o.available_at <= $1
              AND (o.claimed_until IS NULL OR o.claimed_until <= $1)
              AND NOT EXISTS (
                SELECT 1 FROM tl_outbox e
                 WHERE e.published_at IS NULL
                   AND e.tenant_id = o.tenant_id
                   AND e.aggregate_type = o.aggregate_type
                   AND e.aggregate_id = o.aggregate_id
                   AND e.seq < o.seq)
            ORDER BY o.seq
            LIMIT $3
            FOR UPDATE SKIP LOCKED),
         chain AS MATERIALIZED (
           SELECT f.seq FROM picked h CROSS JOIN LATERAL (
             SELECT run.seq FROM (
               SELECT n.seq, bool_and(n.available_at <= $1 AND (n.claimed_until IS NULL OR n.claimed_until <= $1)) OVER (ORDER BY n.seq) AS ok
                 FROM (SELECT x.seq, x.available_at, x.claimed_until FROM tl_outbox x
                        WHERE x.published_at IS NULL AND x.tenant_id = h.tenant_id AND x.aggregate_type = h.aggregate_type
                          AND x.aggregate_id = h.aggregate_id AND x.seq > h.seq
                        ORDER BY x.seq LIMIT $5) n
             ) run WHERE run.ok
           ) f
           ORDER BY f.seq
           LIMIT $4)
         UPDATE tl_outbox t SET claimed_until = $2
           FROM (SELECT seq FROM picked UNION ALL SELECT seq FROM chain) c WHERE t.seq = c.seq
         RETURNING ${READ_COLUMNS.split(', ').map((c) => `t.${c}`).join(', ')},
           NOT EXISTS (SELECT 1 FROM tl_deliveries d WHERE d.event_id = t.id)
             AND NOT EXISTS (
               SELECT 1 FROM tl_deliveries d
                WHERE d.status = 'pending' AND d.tenant_id = t.tenant_id AND d.aggregate_type = t.aggregate_type
                  AND d.aggregate_id = t.aggregate_id AND d.seq < t.seq) AS no_deliveries`,
        [now, new Date(now.getTime() + leaseMs), limit, Math.max(0, Math.floor(followers)), Math.max(0, Math.floor(Math.min(followers, followersPerAggregate)))],
      );
      return rows.map(toRecord).sort((a, b) => compareSeq(a.seq, b.seq));
    },

    async release(ids) {
      if (ids.length === 0) return;
      await sql.query('UPDATE tl_outbox SET claimed_until = NULL WHERE id = ANY($1::text[]) AND published_at IS NULL', [[...ids]]);
    },

    async markPublished(ids, now) {
      const list = typeof ids === 'string' ? [ids] : [...ids];
      if (list.length === 0) return;
      await sql.query('UPDATE tl_outbox SET published_at = $2, claimed_until = NULL WHERE id = ANY($1::text[]) AND published_at IS NULL', [list, now]);
    },

    async reschedule(id, availableAt, error) {
      await sql.query(
        `UPDATE tl_outbox SET available_at = $2, attempts = attempts + 1, last_error = $3, claimed_until = NULL
          WHERE id = $1 AND published_at IS NULL`,
        [id, availableAt, error],
      );
    },

    async pending(): Promise<PendingSummary> {
      const { rows } = await sql.query<{ count: number; next_at: Date | null }>(
        `SELECT count(*)::int AS count,
                min(CASE WHEN NOT EXISTS (
                      SELECT 1 FROM tl_outbox e
                       WHERE e.published_at IS NULL AND e.tenant_id = o.tenant_id AND e.aggregate_type = o.aggregate_type
                         AND e.aggregate_id = o.aggregate_id AND e.seq < o.seq)
                    THEN GREATEST(o.available_at, COALESCE(o.claimed_until, o.available_at)) END) AS next_at
           FROM tl_outbox o WHERE o.published_at IS NULL`,
      );
      const row = rows[0]!;
      return { count: Number(row.count), nextAt: row.next_at ?? undefined };
    },
  };
}

/** Orders two decimal bigint strings. */
export function compareSeq(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
