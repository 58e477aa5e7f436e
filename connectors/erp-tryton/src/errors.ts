import { httpError, networkError } from '@tradelane/connector-kit';
import { PermanentError, TransientError } from '@tradelane/core';

/** The connector's id, also the system name in error codes (`TL_ERP_TRYTON_…`) and the key in `externalIds`. */
export const ERP_TRYTON_SYSTEM = 'erp-tryton';

/** Tryton exceptions that are the caller's or the data's fault: retrying the same call cannot succeed. */
const PERMANENT_EXCEPTIONS = new Set(['UserError', 'UserWarning', 'AccessError', 'AccessButtonError', 'ImportDataError', 'RequiredValidationError', 'DomainValidationError', 'SelectionValidationError', 'SizeValidationError', 'DigitsValidationError', 'ForbiddenCharValidationError', 'RecursionValidationError', 'ValidationError', 'LoginException']);
/** Tryton exceptions that pass with time (lock contention, a concurrent write). */
const TRANSIENT_EXCEPTIONS = new Set(['ConcurrencyException', 'RateLimitException', 'TimeoutException']);

/**
 * Classifies a JSON-RPC `error` answer of trytond: `UserError`, `AccessError` and validation errors are permanent
 * (the request or the data must change); concurrency and rate limits are transient; anything else (a server-side
 * exception) is transient until the retry limit.
 */
export function trytonRpcError(method: string, error: unknown): TransientError | PermanentError {
  const [name, args] = Array.isArray(error) ? (error as [unknown, unknown]) : [String(error), undefined];
  const kind = typeof name === 'string' ? name : 'Error';
  const message = Array.isArray(args) ? args.filter((a) => typeof a === 'string' && a.length > 0).join(' — ') : typeof args === 'string' ? args : JSON.stringify(args ?? name);
  const text = `${ERP_TRYTON_SYSTEM} ${method}: ${kind}: ${message.slice(0, 500)}`;
  const code = `TL_ERP_TRYTON_${kind.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  if (PERMANENT_EXCEPTIONS.has(kind) || kind.endsWith('ValidationError')) return new PermanentError(code, text, { system: ERP_TRYTON_SYSTEM, method, exception: kind });
  const retryAfterMs = kind === 'RateLimitException' ? 1000 : undefined;
  return new TransientError(TRANSIENT_EXCEPTIONS.has(kind) ? code : 'TL_ERP_TRYTON_SERVER_ERROR', text, {
    details: { system: ERP_TRYTON_SYSTEM, method, exception: kind },
    ...(retryAfterMs ? { retryAfterMs } : {}),
  });
}

/** An HTTP status other than 200 from trytond: 5xx/429 transient, other 4xx permanent. */
export function trytonHttpError(status: number, body: string, retryAfter?: string | null): TransientError | PermanentError {
  return httpError(ERP_TRYTON_SYSTEM, status, body, retryAfter);
}

/** Refused, reset or timed-out connection: transient. */
export function trytonNetworkError(err: unknown): TransientError {
  return networkError(ERP_TRYTON_SYSTEM, err);
}

/** The login was refused (wrong user or password): permanent until the configuration is fixed. */
export function trytonLoginError(user: string): PermanentError {
  return new PermanentError('TL_ERP_TRYTON_LOGIN_REFUSED', `${ERP_TRYTON_SYSTEM}: login refused for user ${JSON.stringify(user)}`, { system: ERP_TRYTON_SYSTEM, user });
}

/** A 200 answer that is not JSON-RPC (a proxy page, a cut body): transient. */
export function trytonBadResponse(detail: string): TransientError {
  return new TransientError('TL_ERP_TRYTON_BAD_RESPONSE', `${ERP_TRYTON_SYSTEM} answered something that is not JSON-RPC: ${detail}`, { details: { system: ERP_TRYTON_SYSTEM } });
}

/** A Tryton record that does not map to a valid canonical document: permanent (fix the data or the mapping). */
export function trytonMappingError(what: string, issues: Array<{ path: string; message: string }>): PermanentError {
  return new PermanentError('TL_ERP_TRYTON_MAPPING_INVALID', `${ERP_TRYTON_SYSTEM} ${what} does not map to a valid document: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
    system: ERP_TRYTON_SYSTEM,
    what,
    issues,
  });
}

/** A hub key Tryton has no record for (unknown customer code, product code): permanent. */
export function trytonUnknownKeyError(kind: string, ref: string): PermanentError {
  return new PermanentError(`TL_ERP_TRYTON_UNKNOWN_${kind.toUpperCase().replace(/[^A-Z]/g, '_')}`, `${ERP_TRYTON_SYSTEM} has no ${kind} for ${ref}`, { system: ERP_TRYTON_SYSTEM, kind, ref });
}

/** A request Tryton's document state does not allow (e.g. changing a confirmed sale): permanent. */
export function trytonStateError(code: string, message: string, details: Record<string, unknown> = {}): PermanentError {
  return new PermanentError(`TL_ERP_TRYTON_${code}`, `${ERP_TRYTON_SYSTEM}: ${message}`, { system: ERP_TRYTON_SYSTEM, ...details });
}
