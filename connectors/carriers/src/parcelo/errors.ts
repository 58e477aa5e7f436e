import { InputError, PermanentError } from '@tradelane/core';

/** System name of Parcelo in error codes (`TL_PARCELO_…`) and logs. */
export const PARCELO_SYSTEM = 'parcelo';

/** A Parcelo status code with no entry in the mapping table: permanent until the table learns it. */
export function unknownParceloStatus(code: string, trackingNumber: string, scanId: number): PermanentError {
  return new PermanentError('TL_PARCELO_UNKNOWN_STATUS', `Parcelo status code "${code}" has no mapping (tracking number ${trackingNumber}, scan ${scanId})`, {
    system: PARCELO_SYSTEM,
    carrierStatusCode: code,
    trackingNumber,
    scanId,
  });
}

/** A Parcelo local time or UTC offset that does not name a real instant. */
export function badParceloTime(localTime: string, utcOffset: string, trackingNumber: string): PermanentError {
  return new PermanentError('TL_PARCELO_BAD_TIME', `Parcelo time "${localTime}" with offset "${utcOffset}" is not a valid instant (tracking number ${trackingNumber})`, {
    system: PARCELO_SYSTEM,
    localTime,
    utcOffset,
    trackingNumber,
  });
}

/** A Parcelo answer that does not have the documented shape. */
export function badParceloAnswer(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): PermanentError {
  const list = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return new PermanentError('TL_PARCELO_BAD_ANSWER', `Parcelo ${what} answer has an unexpected shape: ${list.join('; ')}`, { system: PARCELO_SYSTEM, issues: list });
}

/** A cursor that this connector did not hand out. */
export function badParceloCursor(cursor: string): InputError {
  return new InputError('TL_PARCELO_CURSOR_INVALID', `Parcelo cursor must be a scan id (whole number), got ${JSON.stringify(cursor)}`, { system: PARCELO_SYSTEM, cursor });
}
