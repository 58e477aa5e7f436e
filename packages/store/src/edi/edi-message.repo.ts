import { findUnstorableJson, newUlid } from '@tradelane/canonical';
import {
  InputError,
  NotFoundError,
  ediMessageOutcomes,
  type Clock,
  type EdiContentKey,
  type EdiControlNumbers,
  type EdiMessageDocument,
  type EdiMessageError,
  type EdiMessageFilter,
  type EdiMessageFormat,
  type EdiMessageOutcome,
  type EdiMessagePage,
  type EdiMessageRecord,
  type EdiMessageRepository,
  type EdiMessageSummary,
  type NewEdiMessage,
  type TenantContext,
} from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/pagination.js';

/** The inbound EDI message store, tenant-scoped; implements the core port. */
export type EdiMessageRepo = EdiMessageRepository;

/** Largest payload the store keeps (bytes); partners' files above this are refused before they are recorded. */
export const MAX_EDI_PAYLOAD_BYTES = 256 * 1024 * 1024;

interface SummaryRow {
  tenant_id: string;
  id: string;
  seq: string;
  partner_id: string;
  channel: string;
  file_name: string;
  format: EdiMessageFormat;
  content_sha256: string;
  size_bytes: number;
  mapping_version: string;
  outcome: EdiMessageOutcome;
  errors: EdiMessageError[];
  control_numbers: EdiControlNumbers;
  acknowledgment: string | null;
  received_at: Date;
  recorded_at: Date;
  replay_of: string | null;
  duplicate_of: string | null;
  document_count: number;
}

interface FullRow extends SummaryRow {
  payload: Uint8Array;
  documents: EdiMessageDocument[];
}

const SUMMARY_COLUMNS = `tenant_id, id, seq, partner_id, channel, file_name, format, content_sha256, size_bytes, mapping_version,
  outcome, errors, control_numbers, acknowledgment, received_at, recorded_at, replay_of, duplicate_of,
  jsonb_array_length(documents) AS document_count`;
const FULL_COLUMNS = `${SUMMARY_COLUMNS}, payload, documents`;

const FORMATS: readonly EdiMessageFormat[] = ['x12', 'csv', 'unknown'];

function toSummary(row: SummaryRow): EdiMessageSummary {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    partnerId: row.partner_id,
    channel: row.channel,
    fileName: row.file_name,
    format: row.format,
    contentSha256: row.content_sha256,
    size: Number(row.size_bytes),
    mappingVersion: row.mapping_version,
    outcome: row.outcome,
    errors: row.errors,
    controlNumbers: row.control_numbers,
    acknowledgment: row.acknowledgment ?? undefined,
    receivedAt: row.received_at,
    recordedAt: row.recorded_at,
    replayOf: row.replay_of ?? undefined,
    duplicateOf: row.duplicate_of ?? undefined,
    documentCount: Number(row.document_count),
  };
}

function toRecord(row: FullRow): EdiMessageRecord {
  const { size: _size, documentCount: _count, ...summary } = toSummary(row);
  return { ...summary, payload: row.payload instanceof Uint8Array ? row.payload : new Uint8Array(row.payload), documents: row.documents };
}

function requireText(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || value.includes('\u0000')) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', `${field} must be 1-${max} characters without NUL`, { field });
  }
}

function checkMessage(message: NewEdiMessage): void {
  requireText('partnerId', message.partnerId, 80);
  requireText('channel', message.channel, 40);
  requireText('fileName', message.fileName, 1024);
  requireText('mappingVersion', message.mappingVersion, 200);
  if (!FORMATS.includes(message.format)) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', `format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(message.format)}`, { field: 'format' });
  }
  if (!ediMessageOutcomes.includes(message.outcome)) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', `outcome must be one of ${ediMessageOutcomes.join(', ')}, got ${JSON.stringify(message.outcome)}`, {
      field: 'outcome',
    });
  }
  if (!/^[0-9a-f]{64}$/.test(message.contentSha256)) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', 'contentSha256 must be 64 lower-case hex digits', { field: 'contentSha256' });
  }
  if (!(message.payload instanceof Uint8Array)) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', 'payload must be bytes (Uint8Array or Buffer)', { field: 'payload' });
  }
  if (message.payload.byteLength > MAX_EDI_PAYLOAD_BYTES) {
    throw new InputError('TL_STORE_EDI_PAYLOAD_TOO_LARGE', `payload has ${message.payload.byteLength} bytes, more than ${MAX_EDI_PAYLOAD_BYTES}`, {
      field: 'payload',
      size: message.payload.byteLength,
    });
  }
  if (message.outcome === 'duplicate' && !message.duplicateOf) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', 'a duplicate needs duplicateOf, the id of the first arrival', { field: 'duplicateOf' });
  }
  if (!(message.receivedAt instanceof Date) || Number.isNaN(message.receivedAt.getTime())) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', 'receivedAt must be a valid Date', { field: 'receivedAt' });
  }
  for (const [field, value] of [
    ['documents', message.documents],
    ['errors', message.errors],
    ['controlNumbers', message.controlNumbers],
  ] as const) {
    const bad = findUnstorableJson(value);
    if (bad) {
      throw new InputError('TL_STORE_BAD_EDI_MESSAGE', `${field}.${bad.path.join('.')}: ${bad.message}`, { field, path: bad.path });
    }
  }
  if (message.acknowledgment !== undefined && message.acknowledgment.includes('\u0000')) {
    throw new InputError('TL_STORE_BAD_EDI_MESSAGE', 'acknowledgment must not contain NUL', { field: 'acknowledgment' });
  }
}

/** Binds the inbound EDI message repository to a database or an open transaction. */
export function createEdiMessageRepo(sql: Sql, clock: Clock): EdiMessageRepo {
  const exists = async (ctx: TenantContext, id: string): Promise<boolean> => {
    const { rows } = await sql.query('SELECT 1 AS found FROM tl_edi_messages WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, id]);
    return rows.length === 1;
  };

  return {
    async record(ctx, message) {
      checkMessage(message);
      for (const [field, ref] of [
        ['replayOf', message.replayOf],
        ['duplicateOf', message.duplicateOf],
      ] as const) {
        if (ref !== undefined && !(await exists(ctx, ref))) {
          throw new NotFoundError('TL_STORE_EDI_MESSAGE_NOT_FOUND', `${field} names EDI message ${ref}, which this tenant does not have`, { field, id: ref });
        }
      }
      const now = clock.now();
      const id = `edi_${newUlid(now.getTime())}`;
      const controlNumbers: EdiControlNumbers = {
        interchanges: [...message.controlNumbers.interchanges],
        groups: [...message.controlNumbers.groups],
        sets: [...message.controlNumbers.sets],
      };
      const { rows } = await sql.query<FullRow>(
        `INSERT INTO tl_edi_messages (tenant_id, id, partner_id, channel, file_name, format, content_sha256, payload, size_bytes,
           mapping_version, outcome, documents, errors, control_numbers, acknowledgment, received_at, recorded_at, replay_of, duplicate_of)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15, $16, $17, $18, $19)
         RETURNING ${FULL_COLUMNS}`,
        [
          ctx.tenantId,
          id,
          message.partnerId,
          message.channel,
          message.fileName,
          message.format,
          message.contentSha256,
          message.payload,
          message.payload.byteLength,
          message.mappingVersion,
          message.outcome,
          jsonParam(message.documents),
          jsonParam(message.errors),
          jsonParam(controlNumbers),
          message.acknowledgment ?? null,
          message.receivedAt,
          now,
          message.replayOf ?? null,
          message.duplicateOf ?? null,
        ],
      );
      return toRecord(rows[0] as FullRow);
    },

    async get(ctx, id) {
      const { rows } = await sql.query<FullRow>(`SELECT ${FULL_COLUMNS} FROM tl_edi_messages WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, id]);
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async findByContent(ctx, key: EdiContentKey) {
      const { rows } = await sql.query<FullRow>(
        `SELECT ${FULL_COLUMNS} FROM tl_edi_messages
          WHERE tenant_id = $1 AND partner_id = $2 AND content_sha256 = $3 AND file_name = $4 AND outcome <> 'duplicate'
          ORDER BY seq LIMIT 1`,
        [ctx.tenantId, key.partnerId, key.contentSha256, key.fileName],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    },

    async list(ctx, filter: EdiMessageFilter = {}, page = {}): Promise<EdiMessagePage> {
      const limit = pageLimit(page.limit);
      const params: unknown[] = [ctx.tenantId];
      const where = ['tenant_id = $1'];
      const add = (clause: (n: number) => string, value: unknown) => {
        params.push(value);
        where.push(clause(params.length));
      };
      if (filter.partnerId !== undefined) add((n) => `partner_id = $${n}`, filter.partnerId);
      if (filter.outcome !== undefined) add((n) => `outcome = $${n}`, filter.outcome);
      if (filter.channel !== undefined) add((n) => `channel = $${n}`, filter.channel);
      if (filter.fileName !== undefined) add((n) => `file_name = $${n}`, filter.fileName);
      if (filter.since !== undefined) add((n) => `received_at >= $${n}`, filter.since);
      if (filter.replayOf !== undefined) add((n) => `replay_of = $${n}`, filter.replayOf);
      if (filter.interchangeControlNumber !== undefined) {
        add((n) => `control_numbers -> 'interchanges' @> $${n}::jsonb`, jsonParam([filter.interchangeControlNumber]));
      }
      if (page.cursor !== undefined) {
        const after = decodeCursor(page.cursor);
        if (!/^\d{1,19}$/.test(after)) throw new InputError('TL_STORE_BAD_CURSOR', 'cursor is not one this list returned', { cursor: page.cursor });
        add((n) => `seq < $${n}::bigint`, after);
      }
      params.push(limit + 1);
      const { rows } = await sql.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM tl_edi_messages WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items: items.map(toSummary), nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : undefined };
    },
  };
}
