import { PermanentError } from '@tradelane/core';
import { ERP_TRYTON_SYSTEM } from '../errors.js';

/** Position in the change feed: the last change returned, as (`write_date` in microseconds since the epoch, record id). */
export interface ChangePosition {
  us: bigint;
  id: number;
}

/** The position before every change. */
export const FEED_START: ChangePosition = { us: 0n, id: 0 };

/** Encodes a feed position as an opaque, URL-safe cursor string (`v1.` + base64url of `sale.sale:<us>:<id>`). */
export function encodeChangeCursor(position: ChangePosition): string {
  return `v1.${Buffer.from(`sale.sale:${position.us.toString()}:${position.id}`).toString('base64url')}`;
}

/** Decodes a cursor from {@link encodeChangeCursor}; absent → start; malformed → permanent error. */
export function decodeChangeCursor(cursor: string | null | undefined): ChangePosition {
  if (!cursor) return FEED_START;
  const match = /^v1\.([A-Za-z0-9_-]+)$/.exec(cursor);
  const text = match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : '';
  const parts = /^sale\.sale:(\d{1,20}):(\d{1,12})$/.exec(text);
  if (!parts) throw new PermanentError('TL_ERP_TRYTON_BAD_CURSOR', `${ERP_TRYTON_SYSTEM}: not a change cursor of this connector: ${JSON.stringify(cursor).slice(0, 80)}`, { system: ERP_TRYTON_SYSTEM });
  return { us: BigInt(parts[1]!), id: Number(parts[2]) };
}

/** Strict order of feed positions: by time, then by id (records written in one transaction share a time). */
export function comparePositions(a: ChangePosition, b: ChangePosition): number {
  if (a.us !== b.us) return a.us < b.us ? -1 : 1;
  return a.id - b.id;
}

/** The streams the change feed reads, in tie-break order (on one timestamp, earlier streams come first). */
export const FEED_STREAMS = ['sale', 'invoice', 'purchase', 'receipt', 'supplierInvoice', 'payment', 'stock'] as const;

/** One stream of the change feed. */
export type FeedStream = (typeof FEED_STREAMS)[number];

/** The name of each stream inside the cursor text (the Tryton model it polls; supplier invoices are `account.invoice` of type `in`). */
const STREAM_KEYS: Record<FeedStream, string> = {
  sale: 'sale.sale',
  invoice: 'account.invoice',
  purchase: 'purchase.purchase',
  receipt: 'stock.shipment.in',
  supplierInvoice: 'account.invoice.in',
  payment: 'account.invoice-account.move.line',
  stock: 'stock.move',
};

/** How many streams each cursor version holds (older versions hold a prefix of {@link FEED_STREAMS}). */
const VERSION_STREAMS: Record<string, number> = { '2': 2, '3': 5, '4': FEED_STREAMS.length };

/**
 * Positions of every stream the change feed reads: sales (`sale.sale`), customer invoices and credit notes
 * (`account.invoice` type `out`), purchases (`purchase.purchase`), supplier shipments received (`stock.shipment.in`),
 * supplier invoices (`account.invoice` type `in`), customer invoice payment lines (`account.invoice-account.move.line`)
 * and stock moves (`stock.move`).
 */
export type FeedPositions = Record<FeedStream, ChangePosition>;

/** Every stream at its start. */
export const FEED_POSITIONS_START: FeedPositions = { sale: FEED_START, invoice: FEED_START, purchase: FEED_START, receipt: FEED_START, supplierInvoice: FEED_START, payment: FEED_START, stock: FEED_START };

const badCursor = (cursor: string) =>
  new PermanentError('TL_ERP_TRYTON_BAD_CURSOR', `${ERP_TRYTON_SYSTEM}: not a change cursor of this connector: ${JSON.stringify(cursor).slice(0, 80)}`, { system: ERP_TRYTON_SYSTEM });

/**
 * Encodes the positions of every stream (`v4.` + base64url of `sale.sale:<us>:<id>;account.invoice:<us>:<id>;…`);
 * a stream not given is at its start.
 * @example encodeFeedCursor({ sale: { us: 1n, id: 2 } })
 */
export function encodeFeedCursor(positions: Partial<FeedPositions>): string {
  const text = FEED_STREAMS.map((stream) => {
    const p = positions[stream] ?? FEED_START;
    return `${STREAM_KEYS[stream]}:${p.us.toString()}:${p.id}`;
  }).join(';');
  return `v4.${Buffer.from(text).toString('base64url')}`;
}

/**
 * Decodes a cursor from {@link encodeFeedCursor}. Older cursors stay readable: a `v1.` cursor (sales only) resumes
 * sales, a `v2.` cursor (sales and customer invoices) resumes both, a `v3.` cursor the five streams before payments and
 * stock, and the streams they did not have start from the beginning; absent → every stream from the start; malformed
 * → permanent error.
 */
export function decodeFeedCursor(cursor: string | null | undefined): FeedPositions {
  if (!cursor || cursor.startsWith('v1.')) return { ...FEED_POSITIONS_START, sale: decodeChangeCursor(cursor) };
  const match = /^v([234])\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match) throw badCursor(cursor);
  const text = Buffer.from(match[2]!, 'base64url').toString('utf8');
  const streams = FEED_STREAMS.slice(0, VERSION_STREAMS[match[1]!]);
  const parts = text.split(';');
  if (parts.length !== streams.length) throw badCursor(cursor);
  const out: FeedPositions = { ...FEED_POSITIONS_START };
  streams.forEach((stream, i) => {
    const m = /^([a-z.-]+):(\d{1,20}):(\d{1,12})$/.exec(parts[i]!);
    if (!m || m[1] !== STREAM_KEYS[stream]) throw badCursor(cursor);
    out[stream] = { us: BigInt(m[2]!), id: Number(m[3]) };
  });
  return out;
}
