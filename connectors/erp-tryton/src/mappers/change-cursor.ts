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

/** Positions of every stream the change feed reads: sales (`sale.sale`) and customer invoices (`account.invoice`). */
export interface FeedPositions {
  sale: ChangePosition;
  invoice: ChangePosition;
}

/**
 * Encodes the positions of both streams (`v2.` + base64url of `sale.sale:<us>:<id>;account.invoice:<us>:<id>`).
 * @example encodeFeedCursor({ sale: { us: 1n, id: 2 }, invoice: FEED_START })
 */
export function encodeFeedCursor(positions: FeedPositions): string {
  const text = `sale.sale:${positions.sale.us.toString()}:${positions.sale.id};account.invoice:${positions.invoice.us.toString()}:${positions.invoice.id}`;
  return `v2.${Buffer.from(text).toString('base64url')}`;
}

/**
 * Decodes a cursor from {@link encodeFeedCursor}; a `v1.` cursor (sales only) resumes sales where it stood and reads
 * invoices from the start; absent → both from the start; malformed → permanent error.
 */
export function decodeFeedCursor(cursor: string | null | undefined): FeedPositions {
  if (!cursor || cursor.startsWith('v1.')) return { sale: decodeChangeCursor(cursor), invoice: FEED_START };
  const match = /^v2\.([A-Za-z0-9_-]+)$/.exec(cursor);
  const text = match ? Buffer.from(match[1]!, 'base64url').toString('utf8') : '';
  const parts = /^sale\.sale:(\d{1,20}):(\d{1,12});account\.invoice:(\d{1,20}):(\d{1,12})$/.exec(text);
  if (!parts) throw new PermanentError('TL_ERP_TRYTON_BAD_CURSOR', `${ERP_TRYTON_SYSTEM}: not a change cursor of this connector: ${JSON.stringify(cursor).slice(0, 80)}`, { system: ERP_TRYTON_SYSTEM });
  return { sale: { us: BigInt(parts[1]!), id: Number(parts[2]) }, invoice: { us: BigInt(parts[3]!), id: Number(parts[4]) } };
}
