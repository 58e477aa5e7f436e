import { newUlid, type EventEnvelope } from '@tradelane/canonical';
import type { DeadLetter, DeadLetterStatus, DeadLetterStore, ErrorKind } from '@tradelane/core';
import type { Database } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';
import { UPSERT_DELIVERY, upsertDeliveryParams } from './delivery.repo.js';

interface DeadLetterRow {
  id: string;
  tenant_id: string;
  consumer: string;
  event_id: string;
  event_type: string;
  envelope: EventEnvelope;
  error: string;
  error_kind: ErrorKind;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  status: DeadLetterStatus;
  replayed_at: Date | null;
  discarded_at: Date | null;
  replay_count: number;
}

const COLUMNS =
  'id, tenant_id, consumer, event_id, event_type, envelope, error, error_kind, attempts, first_failed_at, last_failed_at, status, replayed_at, discarded_at, replay_count';

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    consumer: row.consumer,
    eventId: row.event_id,
    eventType: row.event_type,
    envelope: row.envelope,
    error: row.error,
    errorKind: row.error_kind,
    attempts: Number(row.attempts),
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    status: row.status,
    replayedAt: row.replayed_at,
    discardedAt: row.discarded_at,
    replayCount: Number(row.replay_count),
  };
}

/** Dead letters on the database (system port, across tenants; filter by tenant for a tenant's view). Ids are `dl_<ULID>`. */
export function createDeadLetterStore(db: Database): DeadLetterStore {
  return {
    async add(input) {
      const { target } = input;
      return db.transaction(async (tx) => {
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO tl_dead_letters (id, tenant_id, consumer, event_id, event_type, envelope, error, error_kind, attempts,
                                        first_failed_at, last_failed_at)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
           ON CONFLICT (consumer, event_id) WHERE status = 'open' DO NOTHING
           RETURNING id`,
          [
            `dl_${newUlid(input.now.getTime())}`,
            target.tenantId,
            target.consumer,
            target.envelope.id,
            target.envelope.type,
            jsonParam(target.envelope),
            input.error,
            input.errorKind,
            input.attempts,
            input.firstFailedAt,
            input.now,
          ],
        );
        let id = inserted.rows[0]?.id;
        if (id === undefined) {
          const open = await tx.query<{ id: string }>(`SELECT id FROM tl_dead_letters WHERE consumer = $1 AND event_id = $2 AND status = 'open'`, [
            target.consumer,
            target.envelope.id,
          ]);
          id = open.rows[0]!.id;
        }
        await tx.query(
          UPSERT_DELIVERY,
          upsertDeliveryParams(target, {
            status: 'dead',
            attempts: input.attempts,
            nextAttemptAt: input.now,
            lastError: input.error,
            firstFailedAt: input.firstFailedAt,
            now: input.now,
          }),
        );
        return id;
      });
    },

    async get(id) {
      const { rows } = await db.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM tl_dead_letters WHERE id = $1`, [id]);
      return rows[0] ? toDeadLetter(rows[0]) : undefined;
    },

    async list(filter, page = {}) {
      const limit = pageLimit(page.limit);
      const params: unknown[] = [];
      const where: string[] = [];
      const add = (clause: string, value: unknown) => {
        params.push(value);
        where.push(clause.replace('?', `$${params.length}`));
      };
      const status = filter.status ?? 'open';
      if (status !== 'any') add('status = ?', status);
      if (filter.tenantId !== undefined) add('tenant_id = ?', filter.tenantId);
      if (filter.consumer !== undefined) add('consumer = ?', filter.consumer);
      if (filter.eventType !== undefined) add('event_type = ?', filter.eventType);
      if (filter.since !== undefined) add('last_failed_at >= ?', filter.since);
      if (page.cursor !== undefined) add('id > ?', decodeCursor(page.cursor));
      params.push(limit + 1);
      const { rows } = await db.query<DeadLetterRow>(
        `SELECT ${COLUMNS} FROM tl_dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, limit).map(toDeadLetter);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : undefined };
    },

    async markReplayed(id, now) {
      const { rows } = await db.query(
        `UPDATE tl_dead_letters SET status = 'replayed', replayed_at = $2, replay_count = replay_count + 1
          WHERE id = $1 AND status = 'open' RETURNING id`,
        [id, now],
      );
      return rows.length === 1;
    },

    async recordReplayFailure(id, failure) {
      await db.query(
        `UPDATE tl_dead_letters
            SET error = $2, error_kind = $3, last_failed_at = $4, attempts = attempts + 1, replay_count = replay_count + 1
          WHERE id = $1 AND status = 'open'`,
        [id, failure.error, failure.errorKind, failure.now],
      );
    },

    async discard(id, now) {
      const { rows } = await db.query(
        `UPDATE tl_dead_letters SET status = 'discarded', discarded_at = $2 WHERE id = $1 AND status = 'open' RETURNING id`,
        [id, now],
      );
      return rows.length === 1;
    },
  };
}
