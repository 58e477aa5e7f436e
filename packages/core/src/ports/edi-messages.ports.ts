/**
 * Ports of inbound EDI message tracking, implemented by @tradelane/store: every file a partner sends (X12 or CSV,
 * over SFTP, AS2, the API or the CLI) is kept with its raw bytes, what parsing and mapping made of it and the outcome,
 * so that operations can see what came in and replay a rejected file once its mapping is fixed. Parsing and replay
 * themselves live in the connector; the store only keeps the records.
 */
import type { TenantContext } from '../context.js';

/** What became of an inbound file: mapped (possibly with row or set errors), refused, or already received. */
export type EdiMessageOutcome = 'accepted' | 'rejected' | 'duplicate';

/** Every outcome, in a fixed order. */
export const ediMessageOutcomes: readonly EdiMessageOutcome[] = ['accepted', 'rejected', 'duplicate'];

/** Wire format of an inbound file. */
export type EdiMessageFormat = 'x12' | 'csv' | 'unknown';

/** One problem found in a file: where (row and column for CSV; segment, element, set for X12) and what. */
export interface EdiMessageError {
  /** Stable code, e.g. `TL_EDI_CSV_BAD_DATE`, `TL_EDI_AK5_5`, `TL_EDI_MAPPING_FAILED`. */
  readonly code: string;
  readonly message: string;
  /** CSV: 1-based line number in the file where the record starts. */
  readonly row?: number | undefined;
  /** CSV: column name (or `#n` for a file without a header row). */
  readonly column?: string | undefined;
  /** CSV: the canonical field the column maps to. */
  readonly field?: string | undefined;
  /** X12: segment id, e.g. `PO1`. */
  readonly segment?: string | undefined;
  /** X12: element reference, e.g. `PO102`. */
  readonly element?: string | undefined;
  /** X12: ST02 of the set the error is about. */
  readonly setControlNumber?: string | undefined;
}

/** One canonical document produced from a file. */
export interface EdiMessageDocument {
  /** Canonical document name, e.g. `advance-ship-notice`, `purchase-order-acknowledgment`, `inventory-position`. */
  readonly type: string;
  /** Where it came from: `ST02` of the set for X12, `rows 2-7` for CSV. */
  readonly source: string;
  /** The canonical document (validated with its zod schema). */
  readonly document: unknown;
}

/** Control numbers found in an X12 file (empty lists for CSV). */
export interface EdiControlNumbers {
  /** ISA13 of each interchange. */
  readonly interchanges: readonly string[];
  /** GS06 of each functional group. */
  readonly groups: readonly string[];
  /** ST02 of each transaction set. */
  readonly sets: readonly string[];
}

/** What to record about one inbound file. */
export interface NewEdiMessage {
  /** The partner profile id the file was read with, e.g. `acme-supply`. */
  readonly partnerId: string;
  /** How the file arrived, e.g. `sftp`, `as2`, `api`, `cli`. */
  readonly channel: string;
  readonly fileName: string;
  readonly format: EdiMessageFormat;
  /** Hex SHA-256 of `payload`. */
  readonly contentSha256: string;
  /** The raw bytes, exactly as received. */
  readonly payload: Uint8Array;
  /** Version of the mapping the file was read with (partner profile or CSV mapping version). */
  readonly mappingVersion: string;
  readonly outcome: EdiMessageOutcome;
  readonly documents: readonly EdiMessageDocument[];
  readonly errors: readonly EdiMessageError[];
  readonly controlNumbers: EdiControlNumbers;
  /** The TA1/997/999 owed to the partner (X12 text), when any. */
  readonly acknowledgment?: string | undefined;
  /** When the channel received the file. */
  readonly receivedAt: Date;
  /** The message this one re-runs (a replay). */
  readonly replayOf?: string | undefined;
  /** The earlier message with the same file name and content (outcome `duplicate`). */
  readonly duplicateOf?: string | undefined;
}

/** A recorded inbound file. */
export interface EdiMessageRecord extends NewEdiMessage {
  /** `edi_<ULID>`. */
  readonly id: string;
  readonly tenantId: string;
  /** When the record was written. */
  readonly recordedAt: Date;
  readonly acknowledgment: string | undefined;
  readonly replayOf: string | undefined;
  readonly duplicateOf: string | undefined;
}

/** A recorded inbound file without its payload and documents, for lists. */
export type EdiMessageSummary = Omit<EdiMessageRecord, 'payload' | 'documents'> & {
  /** Payload size in bytes. */
  readonly size: number;
  /** How many canonical documents the file produced. */
  readonly documentCount: number;
};

/** Which messages to list. */
export interface EdiMessageFilter {
  readonly partnerId?: string | undefined;
  readonly outcome?: EdiMessageOutcome | undefined;
  readonly channel?: string | undefined;
  readonly fileName?: string | undefined;
  /** Only messages received at or after this time. */
  readonly since?: Date | undefined;
  /** Only replays of this message. */
  readonly replayOf?: string | undefined;
  /** Only messages carrying this interchange control number (ISA13, as received). */
  readonly interchangeControlNumber?: string | undefined;
}

/** One page of messages, newest first, with the cursor of the next page when there is one. */
export interface EdiMessagePage {
  readonly items: EdiMessageSummary[];
  readonly nextCursor: string | undefined;
}

/** Identifies the content of a file from one partner. */
export interface EdiContentKey {
  readonly partnerId: string;
  readonly fileName: string;
  readonly contentSha256: string;
}

/** Inbound EDI messages of one tenant; every call is scoped to `ctx.tenantId`. */
export interface EdiMessageRepository {
  /** Records one inbound file and returns the stored record (with its new id). */
  record(ctx: TenantContext, message: NewEdiMessage): Promise<EdiMessageRecord>;
  /** One message with its payload and documents. */
  get(ctx: TenantContext, id: string): Promise<EdiMessageRecord | undefined>;
  /**
   * The first message (not itself a duplicate) with this partner, file name and content; a second arrival of the
   * same file is then recorded as a `duplicate` of it.
   */
  findByContent(ctx: TenantContext, key: EdiContentKey): Promise<EdiMessageRecord | undefined>;
  /** Messages, newest first. */
  list(ctx: TenantContext, filter?: EdiMessageFilter, page?: { limit?: number | undefined; cursor?: string | undefined }): Promise<EdiMessagePage>;
}
