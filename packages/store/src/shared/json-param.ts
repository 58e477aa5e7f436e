/**
 * Turns a value into a `jsonb` query parameter. Always a JSON string, because drivers would send JavaScript arrays
 * as Postgres arrays.
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}
