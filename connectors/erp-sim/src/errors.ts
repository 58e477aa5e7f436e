import { httpError, networkError } from '@tradelane/connector-kit';
import { PermanentError, TransientError } from '@tradelane/core';
import type { SimErrorBody } from './wire/sim-wire.types.js';

/** The connector's id, also the system name in error codes (`TL_ERP_SIM_…`) and the key in `externalIds`. */
export const ERP_SIM_SYSTEM = 'erp-sim';

/** The simulator's error text, `CODE FIELD: message`, from an error body (or the raw text when it is not one). */
export function simErrorMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as Partial<SimErrorBody>;
    if (body?.ERROR?.MSG) return `${body.ERROR.CODE ?? 'ERR'}${body.ERROR.FIELD ? ` ${body.ERROR.FIELD}` : ''}: ${body.ERROR.MSG}`;
  } catch {
    // not JSON: use the text as it is
  }
  return bodyText;
}

/**
 * Classifies an HTTP answer of the simulator: 408/425/429/5xx (including 503 maintenance, with Retry-After) are
 * transient, other 4xx (validation, state conflicts) are permanent and carry the simulator's own message.
 */
export function simHttpError(status: number, bodyText: string, retryAfter?: string | null): TransientError | PermanentError {
  return httpError(ERP_SIM_SYSTEM, status, simErrorMessage(bodyText), retryAfter);
}

/** A refused, reset or timed-out connection: transient. */
export function simNetworkError(err: unknown): TransientError {
  return networkError(ERP_SIM_SYSTEM, err);
}

/** A 2xx answer that is not the JSON we expect (a proxy page, a cut body): transient, the call is safe to repeat. */
export function simBadResponse(detail: string): TransientError {
  return new TransientError('TL_ERP_SIM_BAD_RESPONSE', `erp-sim answered something that is not its JSON: ${detail}`, { details: { system: ERP_SIM_SYSTEM } });
}

/** A record of the simulator that does not map to a valid canonical document: permanent (fix the mapping, replay). */
export function simMappingError(what: string, issues: Array<{ path: string; message: string }>): PermanentError {
  return new PermanentError('TL_ERP_SIM_MAPPING_INVALID', `erp-sim ${what} does not map to a valid document: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
    system: ERP_SIM_SYSTEM,
    what,
    issues,
  });
}

/** An ERP document number given by the hub (order, purchase order, return, voucher): digits only, else permanent. */
export function erpNumberOf(value: string, what = 'order'): number {
  if (!/^\d{1,9}$/.test(value)) throw new PermanentError('TL_ERP_SIM_BAD_NUMBER', `erp-sim ${what} numbers are digits, got ${JSON.stringify(value)}`, { system: ERP_SIM_SYSTEM, what, value });
  return Number(value);
}

/** A document the simulator cannot take as it is (e.g. a receivable where a payable is expected): permanent. */
export function simUnsupportedError(code: string, message: string, details: Record<string, unknown> = {}): PermanentError {
  return new PermanentError(`TL_ERP_SIM_${code}`, `erp-sim: ${message}`, { system: ERP_SIM_SYSTEM, ...details });
}

/** A hub id or reference the simulator has no record for (unknown customer, item, ship-to): permanent. */
export function simUnknownKeyError(kind: string, ref: string): PermanentError {
  return new PermanentError(`TL_ERP_SIM_UNKNOWN_${kind.toUpperCase().replace(/[^A-Z]/g, '_')}`, `erp-sim has no ${kind} for ${ref}`, {
    system: ERP_SIM_SYSTEM,
    kind,
    ref,
  });
}
