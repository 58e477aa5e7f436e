import {
  ConflictError,
  InputError,
  type Clock,
  type IdempotencyBegin,
  type IdempotencyRequest,
  type IdempotencyStore,
  type StoredResponse,
  type TenantContext,
} from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

/** How long a started key may stay in flight before another request may take it over. */
export const DEFAULT_IDEMPOTENCY_LOCK_MS = 60_000;
/** How long a key and its stored response are kept. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The idempotency-key store of the API, tenant-scoped; implements the core port. */
export type IdempotencyRepo = IdempotencyStore;

interface KeyRow {
  request_hash: string;
  status: 'in_flight' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
  locked_until: Date | null;
  expires_at: Date;
}

function checkRequest(request: { scope: string; key: string; requestHash?: string }): void {
  const fields: [string, unknown][] = [
    ['scope', request.scope],
    ['key', request.key],
  ];
  if ('requestHash' in request) fields.push(['requestHash', request.requestHash]);
  for (const [field, value] of fields) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
      throw new InputError('TL_STORE_BAD_IDEMPOTENCY_KEY', `${field} must be 1-255 characters`, { field });
    }
  }
}

/** Binds the idempotency repository to a database or an open transaction. */
export function createIdempotencyRepo(sql: Sql, clock: Clock): IdempotencyRepo {
  return {
    async begin(ctx: TenantContext, request: IdempotencyRequest, options = {}): Promise<IdempotencyBegin> {
      checkRequest(request);
      const lockMs = options.lockMs ?? DEFAULT_IDEMPOTENCY_LOCK_MS;
      const ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
      const pk = [ctx.tenantId, request.scope, request.key];
      // A few rounds at most: each round either decides or lost a race that changed the row.
      for (let round = 0; round < 5; round += 1) {
        const now = clock.now();
        const lockedUntil = new Date(now.getTime() + lockMs);
        const expiresAt = new Date(now.getTime() + ttlMs);
        const inserted = await sql.query(
          `INSERT INTO tl_idempotency_keys (tenant_id, scope, key, request_hash, status, created_at, locked_until, expires_at)
           VALUES ($1, $2, $3, $4, 'in_flight', $5, $6, $7)
           ON CONFLICT (tenant_id, scope, key) DO NOTHING RETURNING 1 AS started`,
          [...pk, request.requestHash, now, lockedUntil, expiresAt],
        );
        if (inserted.rows.length === 1) return 'started';

        const { rows } = await sql.query<KeyRow>(
          `SELECT request_hash, status, response_status, response_headers, response_body, locked_until, expires_at
             FROM tl_idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND key = $3`,
          pk,
        );
        const row = rows[0];
        if (!row) continue; // expired and deleted meanwhile: try to insert again
        const expired = row.expires_at.getTime() <= now.getTime();
        const abandoned = row.status === 'in_flight' && row.request_hash === request.requestHash && (row.locked_until?.getTime() ?? 0) <= now.getTime();
        if (!expired && row.request_hash !== request.requestHash) return 'mismatch';
        if (!expired && row.status === 'completed') {
          return { replay: { status: Number(row.response_status), headers: row.response_headers ?? {}, body: row.response_body ?? null } };
        }
        if (!expired && !abandoned) return 'in_flight';
        // Take the key over, unless a concurrent request did first (the WHERE is re-checked on the latest row).
        const taken = await sql.query(
          `UPDATE tl_idempotency_keys
              SET request_hash = $4, status = 'in_flight', response_status = NULL, response_headers = NULL, response_body = NULL,
                  created_at = $5, locked_until = $6, expires_at = $7
            WHERE tenant_id = $1 AND scope = $2 AND key = $3
              AND (expires_at <= $5 OR (status = 'in_flight' AND request_hash = $4 AND locked_until <= $5))
            RETURNING 1 AS started`,
          [...pk, request.requestHash, now, lockedUntil, expiresAt],
        );
        if (taken.rows.length === 1) return 'started';
      }
      return 'in_flight';
    },

    async complete(ctx, request, response: StoredResponse) {
      checkRequest(request);
      const { rows } = await sql.query(
        `UPDATE tl_idempotency_keys
            SET status = 'completed', response_status = $4, response_headers = $5::jsonb, response_body = $6::jsonb, locked_until = NULL
          WHERE tenant_id = $1 AND scope = $2 AND key = $3 AND status = 'in_flight'
          RETURNING 1 AS done`,
        [ctx.tenantId, request.scope, request.key, response.status, jsonParam(response.headers), jsonParam(response.body)],
      );
      if (rows.length !== 1) {
        throw new ConflictError('TL_STORE_IDEMPOTENCY_NOT_STARTED', `idempotency key ${request.key} is not in flight`, {
          scope: request.scope,
          key: request.key,
        });
      }
    },

    async release(ctx, request) {
      checkRequest(request);
      await sql.query(`DELETE FROM tl_idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND key = $3 AND status = 'in_flight'`, [
        ctx.tenantId,
        request.scope,
        request.key,
      ]);
    },

    async expire(ctx, now) {
      const { rowCount } = await sql.query('DELETE FROM tl_idempotency_keys WHERE tenant_id = $1 AND expires_at <= $2', [ctx.tenantId, now]);
      return rowCount;
    },
  };
}
