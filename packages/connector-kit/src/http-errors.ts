import { PermanentError, TransientError } from '@tradelane/core';

/**
 * Classifies an HTTP answer from an external system: 408, 425, 429 and 5xx are transient (retry, honouring
 * Retry-After), other 4xx are permanent (our request is wrong; retrying cannot help).
 * @example throw httpError('erp-sim', res.status, await res.text(), res.headers.get('retry-after'))
 */
export function httpError(system: string, status: number, body: string, retryAfter?: string | null): TransientError | PermanentError {
  const snippet = body.length > 300 ? `${body.slice(0, 300)}…` : body;
  const code = `TL_${system.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HTTP_${status}`;
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    return new TransientError(code, `${system} answered ${status}: ${snippet}`, {
      details: { system, status },
      ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  return new PermanentError(code, `${system} refused the request (${status}): ${snippet}`, { system, status });
}

/** Network failures (refused, reset, timed out, DNS) are transient. */
export function networkError(system: string, err: unknown): TransientError {
  const cause = err as { name?: string; message?: string; cause?: { code?: string } };
  const what = cause.name === 'TimeoutError' || cause.name === 'AbortError' ? 'timed out' : (cause.cause?.code ?? cause.message ?? String(err));
  return new TransientError(`TL_${system.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_UNREACHABLE`, `${system} unreachable: ${what}`, {
    details: { system },
    cause: err,
  });
}
