import { PermanentError } from '@tradelane/core';

/**
 * The value as it comes back from a checkpoint (a JSON round trip), so flow code sees the same value on the first
 * run and on every replay. `undefined` stays `undefined`; a value JSON cannot hold is a permanent error.
 */
export function toCheckpoint<T>(value: T, what = 'value'): T {
  if (value === undefined) return value;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new PermanentError('TL_FLOW_NOT_JSON', `${what} cannot be checkpointed as JSON: ${(err as Error).message}`);
  }
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}
