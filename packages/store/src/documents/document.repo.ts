import { ConflictError, InputError, NotFoundError, type Clock, type TenantContext } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';

/** A canonical document as stored: tenant-scoped, typed, versioned. */
export interface StoredDocument<B = unknown> {
  readonly tenantId: string;
  readonly docType: string;
  readonly id: string;
  /** Starts at 1, grows by one with every update. */
  readonly version: number;
  /** Lifecycle state, e.g. `Accepted`. */
  readonly status: string;
  readonly body: B;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Input of {@link DocumentRepo.insert}. */
export interface NewDocument<B = unknown> {
  readonly docType: string;
  readonly id: string;
  readonly status: string;
  readonly body: B;
}

/** Input of {@link DocumentRepo.update}: the version the caller read, and the new state. */
export interface DocumentChange<B = unknown> {
  readonly docType: string;
  readonly id: string;
  /** The version the change is based on; another version in the store is a conflict. */
  readonly expectedVersion: number;
  /** New lifecycle state; unchanged when absent. */
  readonly status?: string | undefined;
  readonly body: B;
}

/** One page of documents, with the cursor of the next page when there is one. */
export interface DocumentPage<B = unknown> {
  readonly items: StoredDocument<B>[];
  readonly nextCursor: string | undefined;
}

/** Query of {@link DocumentRepo.list}. */
export interface DocumentQuery {
  /** Only documents in this state (or any of these states). */
  readonly status?: string | readonly string[] | undefined;
  /** @default 50 */
  readonly limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** Tenant-scoped store of canonical documents with optimistic concurrency. */
export interface DocumentRepo {
  /** The document, or undefined when this tenant has none with that type and id. */
  get<B = unknown>(ctx: TenantContext, docType: string, id: string): Promise<StoredDocument<B> | undefined>;
  /** The document, or a {@link NotFoundError} `TL_STORE_NOT_FOUND`. */
  getOrThrow<B = unknown>(ctx: TenantContext, docType: string, id: string): Promise<StoredDocument<B>>;
  /** Documents of one type in id order (ULIDs: creation order), one page at a time. */
  list<B = unknown>(ctx: TenantContext, docType: string, query?: DocumentQuery): Promise<DocumentPage<B>>;
  /** Inserts version 1; an existing id is a {@link ConflictError} `TL_STORE_DUPLICATE`. */
  insert<B = unknown>(ctx: TenantContext, doc: NewDocument<B>): Promise<StoredDocument<B>>;
  /**
   * Writes a new version when the stored one is `expectedVersion`; otherwise a {@link ConflictError}
   * `TL_STORE_VERSION_CONFLICT` (or {@link NotFoundError} when the tenant has no such document).
   */
  update<B = unknown>(ctx: TenantContext, change: DocumentChange<B>): Promise<StoredDocument<B>>;
}

interface DocumentRow {
  tenant_id: string;
  doc_type: string;
  id: string;
  version: number;
  status: string;
  body: unknown;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'tenant_id, doc_type, id, version, status, body, created_at, updated_at';

function toDocument<B>(row: DocumentRow): StoredDocument<B> {
  return {
    tenantId: row.tenant_id,
    docType: row.doc_type,
    id: row.id,
    version: Number(row.version),
    status: row.status,
    body: row.body as B,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function requireText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InputError('TL_STORE_BAD_DOCUMENT', `${field} must be a non-empty string`, { field });
  }
}

/** Binds the document repository to a database or an open transaction. */
export function createDocumentRepo(sql: Sql, clock: Clock): DocumentRepo {
  const get = async <B>(ctx: TenantContext, docType: string, id: string): Promise<StoredDocument<B> | undefined> => {
    const { rows } = await sql.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM tl_documents WHERE tenant_id = $1 AND doc_type = $2 AND id = $3`,
      [ctx.tenantId, docType, id],
    );
    return rows[0] ? toDocument<B>(rows[0]) : undefined;
  };

  return {
    get,

    async getOrThrow<B>(ctx: TenantContext, docType: string, id: string) {
      const doc = await get<B>(ctx, docType, id);
      if (!doc) throw new NotFoundError('TL_STORE_NOT_FOUND', `${docType} ${id} not found`, { docType, id });
      return doc;
    },

    async list<B>(ctx: TenantContext, docType: string, query: DocumentQuery = {}) {
      const limit = pageLimit(query.limit);
      const params: unknown[] = [ctx.tenantId, docType];
      let where = 'tenant_id = $1 AND doc_type = $2';
      if (query.status !== undefined) {
        const states = typeof query.status === 'string' ? [query.status] : [...query.status];
        params.push(states);
        where += ` AND status = ANY($${params.length}::text[])`;
      }
      if (query.cursor !== undefined) {
        params.push(decodeCursor(query.cursor));
        where += ` AND id > $${params.length}`;
      }
      params.push(limit + 1);
      const { rows } = await sql.query<DocumentRow>(
        `SELECT ${COLUMNS} FROM tl_documents WHERE ${where} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, limit).map((r) => toDocument<B>(r));
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : undefined };
    },

    async insert<B>(ctx: TenantContext, doc: NewDocument<B>) {
      requireText('docType', doc.docType);
      requireText('id', doc.id);
      requireText('status', doc.status);
      const now = clock.now();
      const { rows } = await sql.query<DocumentRow>(
        `INSERT INTO tl_documents (tenant_id, doc_type, id, version, status, body, created_at, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5::jsonb, $6, $6)
         ON CONFLICT (tenant_id, doc_type, id) DO NOTHING
         RETURNING ${COLUMNS}`,
        [ctx.tenantId, doc.docType, doc.id, doc.status, jsonParam(doc.body), now],
      );
      if (!rows[0]) {
        throw new ConflictError('TL_STORE_DUPLICATE', `${doc.docType} ${doc.id} exists already`, { docType: doc.docType, id: doc.id });
      }
      return toDocument<B>(rows[0]);
    },

    async update<B>(ctx: TenantContext, change: DocumentChange<B>) {
      if (!Number.isInteger(change.expectedVersion) || change.expectedVersion < 1) {
        throw new InputError('TL_STORE_BAD_VERSION', 'expectedVersion must be an integer ≥ 1', { expectedVersion: change.expectedVersion });
      }
      if (change.status !== undefined) requireText('status', change.status);
      const { rows } = await sql.query<DocumentRow>(
        `UPDATE tl_documents
            SET version = version + 1, status = COALESCE($5, status), body = $6::jsonb, updated_at = $7
          WHERE tenant_id = $1 AND doc_type = $2 AND id = $3 AND version = $4
          RETURNING ${COLUMNS}`,
        [ctx.tenantId, change.docType, change.id, change.expectedVersion, change.status ?? null, jsonParam(change.body), clock.now()],
      );
      if (rows[0]) return toDocument<B>(rows[0]);
      const current = await get(ctx, change.docType, change.id);
      if (!current) {
        throw new NotFoundError('TL_STORE_NOT_FOUND', `${change.docType} ${change.id} not found`, { docType: change.docType, id: change.id });
      }
      throw new ConflictError(
        'TL_STORE_VERSION_CONFLICT',
        `${change.docType} ${change.id} is at version ${current.version}, not ${change.expectedVersion}`,
        { docType: change.docType, id: change.id, expectedVersion: change.expectedVersion, actualVersion: current.version },
      );
    },
  };
}
