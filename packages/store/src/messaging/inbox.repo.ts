import type { Clock, Inbox, TenantContext } from '@tradelane/core';
import type { Sql } from '../driver/database.js';

/** The consumer inbox bound to an open transaction: record an event as processed together with its effects. */
export interface InboxRepo extends Inbox {
  /** True when `consumer` has processed `eventId` (within the context's tenant). */
  has(ctx: TenantContext, consumer: string, eventId: string): Promise<boolean>;
}

/** Binds the inbox to an open transaction (or the database, for reads). */
export function createInboxRepo(sql: Sql, clock: Clock): InboxRepo {
  return {
    async record(ctx, consumer, eventId) {
      const { rows } = await sql.query(
        `INSERT INTO tl_inbox (consumer, event_id, tenant_id, processed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (consumer, event_id) DO NOTHING RETURNING 1 AS fresh`,
        [consumer, eventId, ctx.tenantId, clock.now()],
      );
      return rows.length === 1;
    },
    async has(ctx, consumer, eventId) {
      const { rows } = await sql.query('SELECT 1 FROM tl_inbox WHERE tenant_id = $1 AND consumer = $2 AND event_id = $3', [
        ctx.tenantId,
        consumer,
        eventId,
      ]);
      return rows.length === 1;
    },
  };
}
