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
