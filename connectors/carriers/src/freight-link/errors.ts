import { InputError, PermanentError } from '@tradelane/core';

/** System name of FreightLink in error codes (`TL_FREIGHTLINK_…`) and logs. */
export const FREIGHTLINK_SYSTEM = 'freightlink';

/** A FreightLink status with no entry in the mapping table: permanent until the table learns it. */
export function unknownFreightLinkStatus(status: string, proNumber: string, eventId: number): PermanentError {
  return new PermanentError('TL_FREIGHTLINK_UNKNOWN_STATUS', `FreightLink status "${status}" has no mapping (PRO ${proNumber}, event ${eventId})`, {
    system: FREIGHTLINK_SYSTEM,
    carrierStatusCode: status,
    trackingNumber: proNumber,
    eventId,
  });
}

/** A FreightLink answer that does not have the documented shape. */
export function badFreightLinkAnswer(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): PermanentError {
  const list = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return new PermanentError('TL_FREIGHTLINK_BAD_ANSWER', `FreightLink ${what} answer has an unexpected shape: ${list.join('; ')}`, { system: FREIGHTLINK_SYSTEM, issues: list });
}

/** A cursor that this connector did not hand out. */
export function badFreightLinkCursor(cursor: string): InputError {
  return new InputError('TL_FREIGHTLINK_CURSOR_INVALID', `FreightLink cursor must be an event id (whole number), got ${JSON.stringify(cursor)}`, {
    system: FREIGHTLINK_SYSTEM,
    cursor,
  });
}
