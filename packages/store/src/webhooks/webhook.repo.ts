import { newUlid } from '@tradelane/canonical';
import {
  InputError,
  NotFoundError,
  type Clock,
  type DueWebhookDelivery,
  type TenantContext,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
  type WebhookOutbox,
  type WebhookStore,
  type WebhookSubscription,
} from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';

/** Webhook subscriptions, deliveries and attempts; implements the core port. */
export type WebhookRepo = WebhookStore;

interface SubscriptionRow {
  tenant_id: string;
  id: string;
  partner_id: string;
  url: string;
  event_types: string[];
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface SecretRow {
  id: string;
  subscription_id: string;
  secret: string;
  created_at: Date;
  expires_at: Date | null;
}

interface DeliveryRow {
  tenant_id: string;
  id: string;
  seq: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  duration_ms: number;
  error_code: string | null;
  error: string | null;
  next_attempt_at: Date | null;
}

const SUB_COLUMNS = 'tenant_id, id, partner_id, url, event_types, status, disabled_reason, disabled_at, consecutive_failures, failing_since, created_at, updated_at';
const DELIVERY_COLUMNS =
  'tenant_id, id, seq, subscription_id, event_id, event_type, body, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at';

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at ?? undefined) : undefined,
    lastStatusCode: row.last_status_code ?? undefined,
    lastError: row.last_error ?? undefined,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at ?? undefined,
  };
}

function toAttempt(row: AttemptRow): WebhookAttempt {
  return {
    deliveryId: row.delivery_id,
    attempt: Number(row.attempt),
    at: row.at,
    statusCode: row.status_code ?? undefined,
    durationMs: Number(row.duration_ms),
    errorCode: row.error_code ?? undefined,
    error: row.error ?? undefined,
    nextAttemptAt: row.next_attempt_at ?? undefined,
  };
}

const SECRET = /^whsec_[A-Za-z0-9+/]{16,}={0,2}$/;

function checkSecret(secret: string): void {
  if (typeof secret !== 'string' || !SECRET.test(secret)) {
    throw new InputError('TL_WEBHOOK_BAD_SECRET', 'a signing secret must be "whsec_" followed by base64 of at least 12 bytes', { field: 'secret' });
  }
}

function checkText(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) {
    throw new InputError('TL_WEBHOOK_BAD_SUBSCRIPTION', `${field} must be 1-${max} characters without NUL`, { field });
  }
}

function checkEventTypes(eventTypes: readonly string[]): void {
  if (!Array.isArray(eventTypes) || eventTypes.length === 0 || eventTypes.length > 100) {
    throw new InputError('TL_WEBHOOK_BAD_SUBSCRIPTION', 'eventTypes must list 1-100 filters', { field: 'eventTypes' });
  }
  for (const t of eventTypes) checkText('eventTypes', t, 128);
}

/**
 * The webhook store on `sql` (the database, or an open transaction for the transaction-bound `WebhookOutbox` side).
 * Tenant-scoped methods add the tenant predicate themselves; `claimDue`, `recordAttempt` and `pending` are the
 * delivery worker's cross-tenant side. URLs and event filters are checked by the caller (the webhook service).
 * @example const webhooks = createWebhookRepo(db, clock); await webhooks.createSubscription(ctx, { partnerId, url, eventTypes: ['purchase_order.*'], secret });
 */
export function createWebhookRepo(sql: Sql, clock: Clock): WebhookRepo {
  async function secretsOf(tenantId: string, ids: readonly string[]): Promise<Map<string, SecretRow[]>> {
    const out = new Map<string, SecretRow[]>();
    if (ids.length === 0) return out;
    const { rows } = await sql.query<SecretRow>(
      'SELECT id, subscription_id, secret, created_at, expires_at FROM tl_webhook_secrets WHERE tenant_id = $1 AND subscription_id = ANY($2::text[]) ORDER BY created_at, id',
      [tenantId, ids],
    );
    for (const r of rows) out.set(r.subscription_id, [...(out.get(r.subscription_id) ?? []), r]);
    return out;
  }

  function toSubscription(row: SubscriptionRow, secrets: readonly SecretRow[]): WebhookSubscription {
    const now = clock.now().getTime();
    return {
      id: row.id,
      tenantId: row.tenant_id,
      partnerId: row.partner_id,
      url: row.url,
      eventTypes: row.event_types,
      status: row.status,
      disabledReason: row.disabled_reason ?? undefined,
      disabledAt: row.disabled_at ?? undefined,
      consecutiveFailures: Number(row.consecutive_failures),
      failingSince: row.failing_since ?? undefined,
      secrets: secrets
        .filter((s) => s.expires_at === null || s.expires_at.getTime() > now)
        .map((s) => ({ id: s.id, hint: `${s.secret.slice(0, 10)}…`, createdAt: s.created_at, expiresAt: s.expires_at ?? undefined })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async function load(tenantId: string, where: string, params: unknown[]): Promise<WebhookSubscription[]> {
    const { rows } = await sql.query<SubscriptionRow>(`SELECT ${SUB_COLUMNS} FROM tl_webhook_subscriptions WHERE tenant_id = $1 ${where} ORDER BY created_at, id`, [
      tenantId,
      ...params,
    ]);
    const secrets = await secretsOf(
      tenantId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toSubscription(r, secrets.get(r.id) ?? []));
  }

  async function mustGet(ctx: TenantContext, id: string): Promise<WebhookSubscription> {
    const [found] = await load(ctx.tenantId, 'AND id = $2', [id]);
    if (!found) throw new NotFoundError('TL_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} does not exist`, { subscriptionId: id });
    return found;
  }

  async function getDelivery(ctx: TenantContext, id: string): Promise<WebhookDelivery | undefined> {
    const { rows } = await sql.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM tl_webhook_deliveries WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, id]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  const outbox: WebhookOutbox = {
    enabledSubscriptions: (ctx, partnerId) => load(ctx.tenantId, "AND partner_id = $2 AND status = 'enabled'", [partnerId]),
    async enqueue(ctx, d) {
      const { rowCount } = await sql.query(
        `INSERT INTO tl_webhook_deliveries (tenant_id, id, subscription_id, event_id, event_type, body, status, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (tenant_id, subscription_id, event_id) DO NOTHING`,
        [ctx.tenantId, `whd_${newUlid()}`, d.subscriptionId, d.eventId, d.eventType, d.body, d.dueAt, clock.now()],
      );
      return rowCount > 0;
    },
  };

  return {
    ...outbox,
    async createSubscription(ctx, input) {
      checkText('partnerId', input.partnerId, 100);
      checkText('url', input.url, 2048);
      checkEventTypes(input.eventTypes);
      checkSecret(input.secret);
      const id = `whs_${newUlid()}`;
      const now = clock.now();
      await sql.query(
        `INSERT INTO tl_webhook_subscriptions (tenant_id, id, partner_id, url, event_types, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'enabled', $6, $6)`,
        [ctx.tenantId, id, input.partnerId, input.url, jsonParam(input.eventTypes), now],
      );
      await sql.query('INSERT INTO tl_webhook_secrets (tenant_id, id, subscription_id, secret, created_at) VALUES ($1, $2, $3, $4, $5)', [
        ctx.tenantId,
        `whk_${newUlid()}`,
        id,
        input.secret,
        now,
      ]);
      return mustGet(ctx, id);
    },
    getSubscription: async (ctx, id) => (await load(ctx.tenantId, 'AND id = $2', [id]))[0],
    listSubscriptions: (ctx, filter = {}) => (filter.partnerId === undefined ? load(ctx.tenantId, '', []) : load(ctx.tenantId, 'AND partner_id = $2', [filter.partnerId])),
    async rotateSecret(ctx, id, input) {
      checkSecret(input.secret);
      await mustGet(ctx, id);
      const now = clock.now();
      const overlapUntil = input.overlapUntil.getTime() < now.getTime() ? now : input.overlapUntil;
      await sql.query(
        `UPDATE tl_webhook_secrets SET expires_at = $3
         WHERE tenant_id = $1 AND subscription_id = $2 AND (expires_at IS NULL OR expires_at > $3)`,
        [ctx.tenantId, id, overlapUntil],
      );
      await sql.query('INSERT INTO tl_webhook_secrets (tenant_id, id, subscription_id, secret, created_at) VALUES ($1, $2, $3, $4, $5)', [
        ctx.tenantId,
        `whk_${newUlid()}`,
        id,
        input.secret,
        now,
      ]);
      await sql.query('UPDATE tl_webhook_subscriptions SET updated_at = $3 WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, id, now]);
      return mustGet(ctx, id);
    },
    async setStatus(ctx, id, change) {
      await mustGet(ctx, id);
      const now = clock.now();
      if (change.status === 'enabled') {
        await sql.query(
          `UPDATE tl_webhook_subscriptions SET status = 'enabled', disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0,
             failing_since = NULL, updated_at = $3 WHERE tenant_id = $1 AND id = $2`,
          [ctx.tenantId, id, now],
        );
      } else {
        checkText('reason', change.reason, 500);
        await sql.query(
          `UPDATE tl_webhook_subscriptions SET status = 'disabled', disabled_reason = $3, disabled_at = $4, updated_at = $4
           WHERE tenant_id = $1 AND id = $2`,
          [ctx.tenantId, id, change.reason, now],
        );
      }
      return mustGet(ctx, id);
    },
    async update(ctx, id, change) {
      await mustGet(ctx, id);
      if (change.url !== undefined) checkText('url', change.url, 2048);
      if (change.eventTypes !== undefined) checkEventTypes(change.eventTypes);
      await sql.query(
        `UPDATE tl_webhook_subscriptions SET url = COALESCE($3, url), event_types = COALESCE($4::jsonb, event_types), updated_at = $5
         WHERE tenant_id = $1 AND id = $2`,
        [ctx.tenantId, id, change.url ?? null, change.eventTypes === undefined ? null : jsonParam(change.eventTypes), clock.now()],
      );
      return mustGet(ctx, id);
    },
    async listDeliveries(ctx, filter): Promise<WebhookDeliveryPage> {
      const limit = pageLimit(filter.limit);
      const params: unknown[] = [ctx.tenantId];
      const where = ['tenant_id = $1'];
      if (filter.subscriptionId !== undefined) {
        params.push(filter.subscriptionId);
        where.push(`subscription_id = $${params.length}`);
      }
      if (filter.status !== undefined) {
        params.push(filter.status);
        where.push(`status = $${params.length}`);
      }
      if (filter.cursor !== undefined) {
        params.push(decodeCursor(filter.cursor));
        where.push(`seq < $${params.length}::bigint`);
      }
      params.push(limit + 1);
      const { rows } = await sql.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM tl_webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`, params);
      const page = rows.slice(0, limit);
      return { deliveries: page.map(toDelivery), nextCursor: rows.length > limit ? encodeCursor(String(page.at(-1)!.seq)) : undefined };
    },
    getDelivery,
    async listAttempts(ctx, deliveryId) {
      const { rows } = await sql.query<AttemptRow>(
        `SELECT delivery_id, attempt, at, status_code, duration_ms, error_code, error, next_attempt_at FROM tl_webhook_attempts
         WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt`,
        [ctx.tenantId, deliveryId],
      );
      return rows.map(toAttempt);
    },
    async retryDelivery(ctx, id, dueAt) {
      const { rows } = await sql.query<DeliveryRow>(
        `UPDATE tl_webhook_deliveries SET status = 'pending', next_attempt_at = $3, leased_until = NULL
         WHERE tenant_id = $1 AND id = $2 AND status = 'failed' RETURNING ${DELIVERY_COLUMNS}`,
        [ctx.tenantId, id, dueAt],
      );
      if (rows[0]) return toDelivery(rows[0]);
      const found = await getDelivery(ctx, id);
      if (!found) throw new NotFoundError('TL_WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${id} does not exist`, { deliveryId: id });
      throw new InputError('TL_WEBHOOK_DELIVERY_NOT_FAILED', `webhook delivery ${id} is ${found.status}; only a failed delivery can be retried`, { deliveryId: id });
    },
    async claimDue({ now, limit, leaseMs }): Promise<DueWebhookDelivery[]> {
      const { rows } = await sql.query<DeliveryRow & { url: string }>(
        `WITH due AS (
           SELECT d.tenant_id, d.id FROM tl_webhook_deliveries d
           JOIN tl_webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id AND s.status = 'enabled'
           WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.leased_until IS NULL OR d.leased_until <= $1)
           ORDER BY d.next_attempt_at, d.seq LIMIT $2 FOR UPDATE OF d SKIP LOCKED)
         UPDATE tl_webhook_deliveries d SET leased_until = $3 FROM due, tl_webhook_subscriptions s
         WHERE d.tenant_id = due.tenant_id AND d.id = due.id AND s.tenant_id = d.tenant_id AND s.id = d.subscription_id
         RETURNING ${DELIVERY_COLUMNS.split(', ')
           .map((c) => `d.${c}`)
           .join(', ')}, s.url`,
        [now, limit, new Date(now.getTime() + leaseMs)],
      );
      const out: DueWebhookDelivery[] = [];
      for (const row of rows.sort((a, b) => (a.next_attempt_at?.getTime() ?? 0) - (b.next_attempt_at?.getTime() ?? 0) || Number(a.seq) - Number(b.seq))) {
        const { rows: secrets } = await sql.query<{ secret: string }>(
          `SELECT secret FROM tl_webhook_secrets WHERE tenant_id = $1 AND subscription_id = $2 AND (expires_at IS NULL OR expires_at > $3)
           ORDER BY created_at DESC, id DESC`,
          [row.tenant_id, row.subscription_id, now],
        );
        out.push({ delivery: toDelivery(row), url: row.url, secrets: secrets.map((s) => s.secret) });
      }
      return out;
    },
    async recordAttempt(result) {
      const a = result.attempt;
      await sql.query(
        `INSERT INTO tl_webhook_attempts (tenant_id, delivery_id, attempt, at, status_code, duration_ms, error_code, error, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        [result.tenantId, result.deliveryId, a.attempt, a.at, a.statusCode ?? null, Math.round(a.durationMs), a.errorCode ?? null, a.error?.slice(0, 2000) ?? null, a.nextAttemptAt ?? null],
      );
      await sql.query(
        `UPDATE tl_webhook_deliveries SET status = $3, attempts = GREATEST(attempts, $4), next_attempt_at = $5, leased_until = NULL,
           last_status_code = $6, last_error = $7, delivered_at = CASE WHEN $3 = 'delivered' THEN $8::timestamptz ELSE delivered_at END
         WHERE tenant_id = $1 AND id = $2`,
        [
          result.tenantId,
          result.deliveryId,
          result.status,
          a.attempt,
          result.status === 'pending' ? (a.nextAttemptAt ?? a.at) : null,
          a.statusCode ?? null,
          a.error?.slice(0, 2000) ?? null,
          a.at,
        ],
      );
      const succeeded = result.status === 'delivered';
      await sql.query(
        `UPDATE tl_webhook_subscriptions SET
           consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures + 1 END,
           failing_since = CASE WHEN $3 THEN NULL ELSE COALESCE(failing_since, $4::timestamptz) END,
           status = CASE WHEN $5::text IS NULL THEN status ELSE 'disabled' END,
           disabled_reason = COALESCE($5::text, disabled_reason),
           disabled_at = CASE WHEN $5::text IS NULL THEN disabled_at ELSE $4::timestamptz END,
           updated_at = $4
         WHERE tenant_id = $1 AND id = $2`,
        [result.tenantId, result.subscriptionId, succeeded, a.at, result.disableSubscription ?? null],
      );
      return mustGet(
        { tenantId: result.tenantId, actor: { kind: 'system', id: 'webhooks' }, scopes: ['*'], correlationId: result.deliveryId },
        result.subscriptionId,
      );
    },
    async pending() {
      const { rows } = await sql.query<{ count: string; next_at: Date | null }>(
        `SELECT count(*) AS count, min(d.next_attempt_at) AS next_at FROM tl_webhook_deliveries d
         JOIN tl_webhook_subscriptions s ON s.tenant_id = d.tenant_id AND s.id = d.subscription_id AND s.status = 'enabled'
         WHERE d.status = 'pending'`,
      );
      return { count: Number(rows[0]?.count ?? 0), nextAt: rows[0]?.next_at ?? undefined };
    },
  };
}
