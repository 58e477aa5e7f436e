import { InputError } from '@tradelane/core';

/** Default page size of every list. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page size any list returns. */
export const MAX_PAGE_LIMIT = 500;

/** Clamps a requested page size to [1, {@link MAX_PAGE_LIMIT}], defaulting to {@link DEFAULT_PAGE_LIMIT}. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new InputError('TL_STORE_BAD_LIMIT', 'limit must be a positive integer', { limit });
  return Math.min(limit, MAX_PAGE_LIMIT);
}

/** Encodes the position after the last item of a page as an opaque cursor. */
export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeCursor}; a cursor that was not is an {@link InputError}. */
export function decodeCursor(cursor: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && typeof (value as { after?: unknown }).after === 'string') {
      return (value as { after: string }).after;
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError('TL_STORE_BAD_CURSOR', 'cursor is not one this list returned', { cursor });
}
