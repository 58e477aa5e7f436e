import { findUnstorableJson } from '@tradelane/canonical';
import {
  AUDIT_GENESIS_HASH,
  InputError,
  auditEntryHash,
  auditOutcomes,
  redactAuditDetail,
  redactSecretsInText,
  checkAuditEntry,
  checkAuditHead,
  type AuditEntry,
  type AuditEntryFields,
  type AuditLog,
  type AuditPage,
  type AuditQuery,
  type AuditVerification,
  type Clock,
  type NewAuditEntry,
  type TenantContext,
} from '@tradelane/core';
import type { Database, Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

/** The audit log of every tenant, bound to the database or to one open transaction; implements the core port. */
export type AuditLogRepo = AuditLog;

interface AuditRow {
  tenant_id: string;
  seq: string | number;
  actor_kind: string;
  actor_id: string;
  action: string;
  resource_kind: string;
  resource_id: string;
  outcome: string;
  correlation_id: string;
  detail: Record<string, unknown> | null;
  at: Date;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'tenant_id, seq, actor_kind, actor_id, action, resource_kind, resource_id, outcome, correlation_id, detail, at, prev_hash, hash';

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    tenantId: row.tenant_id,
    actor: { kind: row.actor_kind as AuditEntry['actor']['kind'], id: row.actor_id },
    action: row.action,
    resource: { kind: row.resource_kind, id: row.resource_id },
    outcome: row.outcome as AuditEntry['outcome'],
    correlationId: row.correlation_id,
    detail: row.detail ?? null,
    at: row.at instanceof Date ? row.at : new Date(row.at),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const ACTION = /^[a-z][a-z0-9_]*(?:[.:][a-z0-9_]+)*$/;

function checkEntry(entry: NewAuditEntry): void {
  if (typeof entry.action !== 'string' || entry.action.length > 100 || !ACTION.test(entry.action)) {
    throw new InputError('TL_AUDIT_BAD_ENTRY', 'action must be a dotted lower-case verb such as "sales_order.create" (at most 100 characters)', { field: 'action' });
  }
  for (const field of ['kind', 'id'] as const) {
    const value = entry.resource?.[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > 200 || value.includes('\u0000')) {
      throw new InputError('TL_AUDIT_BAD_ENTRY', `resource.${field} must be 1-200 characters without NUL`, { field: `resource.${field}` });
    }
  }
  if (!auditOutcomes.includes(entry.outcome)) {
    throw new InputError('TL_AUDIT_BAD_ENTRY', `outcome must be one of ${auditOutcomes.join(', ')}`, { field: 'outcome' });
  }
  if (entry.detail !== undefined && (entry.detail === null || typeof entry.detail !== 'object' || Array.isArray(entry.detail))) {
    throw new InputError('TL_AUDIT_BAD_ENTRY', 'detail must be a JSON object', { field: 'detail' });
  }
}

function isDatabase(sql: Sql): sql is Database {
  return typeof (sql as Partial<Database>).transaction === 'function';
}

/**
 * The audit log on `sql`. Bound to the database, each append is its own transaction; bound to an open transaction
 * (`tx.sql`), the entry commits or rolls back with the caller's work. Appends lock the tenant's chain head row, so
 * concurrent appends of one tenant form one chain (and wait for each other until their transactions end).
 * @example await createAuditLogRepo(tx.sql, clock).append(ctx, { action: 'api_key.rotate', resource: { kind: 'api_key', id }, outcome: 'success' })
 */
export function createAuditLogRepo(sql: Sql, clock: Clock): AuditLogRepo {
  async function appendIn(tx: Sql, ctx: TenantContext, entry: NewAuditEntry): Promise<AuditEntry> {
    const now = clock.now();
    await tx.query('INSERT INTO tl_audit_heads (tenant_id, last_seq, last_hash, updated_at) VALUES ($1, 0, $2, $3) ON CONFLICT (tenant_id) DO NOTHING', [
      ctx.tenantId,
      AUDIT_GENESIS_HASH,
      now,
    ]);
    const { rows } = await tx.query<{ last_seq: string | number; last_hash: string }>('SELECT last_seq, last_hash FROM tl_audit_heads WHERE tenant_id = $1 FOR UPDATE', [
      ctx.tenantId,
    ]);
    const head = rows[0]!;
    const detail = entry.detail === undefined ? null : (redactAuditDetail({ ...entry.detail }) as Record<string, unknown>);
    if (detail && findUnstorableJson(detail) !== undefined) {
      throw new InputError('TL_AUDIT_BAD_ENTRY', 'detail must be storable JSON (no NUL characters, no non-finite numbers)', { field: 'detail' });
    }
    const fields: AuditEntryFields = {
      seq: Number(head.last_seq) + 1,
      tenantId: ctx.tenantId,
      actor: { kind: ctx.actor.kind, id: redactSecretsInText(ctx.actor.id) },
      action: entry.action,
      resource: { kind: entry.resource.kind, id: redactSecretsInText(entry.resource.id) },
      outcome: entry.outcome,
      correlationId: ctx.correlationId,
      // jsonb normalises the value; hash what will be read back
      detail: detail === null ? null : (JSON.parse(JSON.stringify(detail)) as Record<string, unknown>),
      at: now,
      prevHash: head.last_hash,
    };
    const hash = auditEntryHash(fields);
    await tx.query(
      `INSERT INTO tl_audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        fields.tenantId,
        fields.seq,
        fields.actor.kind,
        fields.actor.id,
        fields.action,
        fields.resource.kind,
        fields.resource.id,
        fields.outcome,
        fields.correlationId,
        fields.detail === null ? null : jsonParam(fields.detail),
        fields.at,
        fields.prevHash,
        hash,
      ],
    );
    await tx.query('UPDATE tl_audit_heads SET last_seq = $2, last_hash = $3, updated_at = $4 WHERE tenant_id = $1', [ctx.tenantId, fields.seq, hash, now]);
    return { ...fields, hash };
  }

  return {
    async append(ctx, entry) {
      checkEntry(entry);
      return isDatabase(sql) ? sql.transaction((tx) => appendIn(tx, ctx, entry)) : appendIn(sql, ctx, entry);
    },
    async list(ctx, query: AuditQuery = {}): Promise<AuditPage> {
      const limit = query.limit === undefined ? 100 : Math.max(1, Math.min(1000, Math.trunc(query.limit)));
      const params: unknown[] = [ctx.tenantId, query.afterSeq ?? 0];
      const where = ['tenant_id = $1', 'seq > $2'];
      for (const [column, value] of [
        ['action', query.action],
        ['resource_kind', query.resourceKind],
        ['resource_id', query.resourceId],
      ] as const) {
        if (value !== undefined) {
          params.push(value);
          where.push(`${column} = $${params.length}`);
        }
      }
      params.push(limit + 1);
      const { rows } = await sql.query<AuditRow>(`SELECT ${COLUMNS} FROM tl_audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`, params);
      const entries = rows.slice(0, limit).map(toEntry);
      return { entries, nextAfterSeq: rows.length > limit ? entries.at(-1)!.seq : undefined };
    },
  };
}

/**
 * Verifies the audit chain of one tenant, or of every tenant, reading the entries in sequence order and comparing
 * each chain's end with its head row, in keyset pages (memory does not grow with the chain). Detects altered,
 * deleted, inserted and reordered rows.
 * @returns `{ ok, checked, firstBroken? }`; `firstBroken` names the tenant, the sequence number and why
 * @example const result = await verifyAuditChain(db, 'acme'); if (!result.ok) console.log(result.firstBroken);
 */
export async function verifyAuditChain(sql: Sql, tenantId?: string, options: { batchSize?: number } = {}): Promise<AuditVerification> {
  const batch = options.batchSize ?? 5000;
  const heads = await sql.query<{ tenant_id: string; last_seq: string | number; last_hash: string }>(
    `SELECT tenant_id, last_seq, last_hash FROM tl_audit_heads ${tenantId === undefined ? '' : 'WHERE tenant_id = $1'} ORDER BY tenant_id`,
    tenantId === undefined ? [] : [tenantId],
  );
  const orphans = await sql.query<{ tenant_id: string }>(
    `SELECT DISTINCT l.tenant_id FROM tl_audit_log l LEFT JOIN tl_audit_heads h ON h.tenant_id = l.tenant_id
     WHERE h.tenant_id IS NULL ${tenantId === undefined ? '' : 'AND l.tenant_id = $1'}`,
    tenantId === undefined ? [] : [tenantId],
  );
  const tenants = [
    ...heads.rows.map((h) => ({ tenantId: h.tenant_id, head: { lastSeq: Number(h.last_seq), lastHash: h.last_hash } })),
    ...orphans.rows.map((o) => ({ tenantId: o.tenant_id, head: { lastSeq: 0, lastHash: AUDIT_GENESIS_HASH } })),
  ];
  let checked = 0;
  for (const { tenantId: tenant, head } of tenants) {
    // Stream the chain in keyset pages, carrying only the last entry across pages.
    let last = { seq: 0, hash: AUDIT_GENESIS_HASH };
    let afterSeq = 0;
    for (;;) {
      const { rows } = await sql.query<AuditRow>(`SELECT ${COLUMNS} FROM tl_audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [tenant, afterSeq, batch]);
      for (const row of rows) {
        const entry = toEntry(row);
        let broken = checkAuditEntry(entry, { seq: last.seq + 1, prevHash: last.hash });
        if (broken?.reason === 'prev_hash_mismatch' && entry.prevHash !== AUDIT_GENESIS_HASH) {
          const other = await sql.query('SELECT 1 FROM tl_audit_log WHERE tenant_id = $1 AND hash = $2 AND seq <> $3 LIMIT 1', [tenant, entry.prevHash, entry.seq]);
          if (other.rows.length > 0) broken = { ...broken, reason: 'reordered' };
        }
        if (broken) return { ok: false, checked, firstBroken: { tenantId: tenant, ...broken } };
        checked += 1;
        last = { seq: entry.seq, hash: entry.hash };
      }
      if (rows.length < batch) break;
      afterSeq = last.seq;
    }
    const broken = checkAuditHead(last, head);
    if (broken) return { ok: false, checked, firstBroken: { tenantId: tenant, ...broken } };
  }
  return { ok: true, checked };
}
