/** One page of a listing or a change feed. `nextCursor` null means the end (for now). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Paging request: resume after `cursor` (opaque, from the previous page), at most `limit` items. */
export interface PageRequest {
  cursor?: string | null;
  limit?: number;
}

/**
 * Result of a create that is idempotent on a reference the hub chose: `duplicate` is true when the external system
 * already had a record with that reference (a retry after a lost answer), and the existing record is returned.
 */
export interface IdempotentResult<T> {
  record: T;
  duplicate: boolean;
}
