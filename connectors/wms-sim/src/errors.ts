import { InputError, PermanentError } from '@tradelane/core';

/** System name of the WMS simulator in error codes (`TL_WMS_SIM_…`) and logs. */
export const WMS_SIM_SYSTEM = 'wms-sim';

/** A release the WMS cannot take as it is (fractional quantity, unit it does not stock in): needs a fix, not a retry. */
export function wmsReleaseNotMappable(rule: string, message: string, details: Record<string, unknown>): PermanentError {
  return new PermanentError(`TL_WMS_SIM_${rule}`, message, { system: WMS_SIM_SYSTEM, ...details });
}

/** An inbound notice the WMS cannot take as it is (unit, fraction, a PO line twice): needs a fix, not a retry. */
export function wmsInboundNotMappable(rule: string, message: string, details: Record<string, unknown>): PermanentError {
  return new PermanentError(`TL_WMS_SIM_${rule}`, message, { system: WMS_SIM_SYSTEM, ...details });
}

/** A WMS event type with no mapping to a hub warehouse event: permanent until the mapper learns it. */
export function unknownWmsEvent(eventType: string, seq: number): PermanentError {
  return new PermanentError('TL_WMS_SIM_UNKNOWN_EVENT', `WMS event type "${eventType}" has no mapping (event ${seq})`, { system: WMS_SIM_SYSTEM, eventType, seq });
}

/** A WMS unit of measure with no hub unit. */
export function unknownWmsUom(uom: string, seq: number): PermanentError {
  return new PermanentError('TL_WMS_SIM_UNKNOWN_UOM', `WMS unit "${uom}" has no hub unit of measure (event ${seq})`, { system: WMS_SIM_SYSTEM, uom, seq });
}

/** A WMS answer that does not have the documented shape. */
export function badWmsAnswer(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): PermanentError {
  const list = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return new PermanentError('TL_WMS_SIM_BAD_ANSWER', `WMS ${what} answer has an unexpected shape: ${list.join('; ')}`, { system: WMS_SIM_SYSTEM, issues: list });
}

/** A cursor that this connector did not hand out. */
export function badWmsCursor(cursor: string): InputError {
  return new InputError('TL_WMS_SIM_CURSOR_INVALID', `WMS cursor must be an event sequence number, got ${JSON.stringify(cursor)}`, { system: WMS_SIM_SYSTEM, cursor });
}
