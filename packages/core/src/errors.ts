/**
 * The one error model of Tradelane. Domain errors carry an HTTP status and a stable `TL_<AREA>_<WHAT>` code;
 * execution errors say whether a retry can help.
 */

/** Extra, machine-readable facts about an error (which field, which segment, which rule). */
export type ErrorDetails = Record<string, unknown>;

/** Base of every error that Tradelane raises on purpose. */
export abstract class TradelaneError extends Error {
  /** Stable code, `TL_<AREA>_<WHAT>`. */
  readonly code: string;
  /** Optional structured details, safe to show to the caller. */
  readonly details: ErrorDetails | undefined;
  /** HTTP status this error maps to. */
  abstract readonly status: number;
  constructor(code: string, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The request or document is malformed or breaks a rule (400). */
export class InputError extends TradelaneError {
  readonly status = 400;
}
/** Credentials are missing or invalid (401). */
export class AuthenticationError extends TradelaneError {
  readonly status = 401;
}
/** The caller is known but may not do this (403). */
export class NotAllowedError extends TradelaneError {
  readonly status = 403;
}
/** The thing does not exist, or the caller may not know it exists (404). */
export class NotFoundError extends TradelaneError {
  readonly status = 404;
}
/** The request conflicts with current state, including an illegal lifecycle transition (409). */
export class ConflictError extends TradelaneError {
  readonly status = 409;
}
/** The body is well-formed but cannot be processed, e.g. an idempotency key reused with another body (422). */
export class UnprocessableError extends TradelaneError {
  readonly status = 422;
}
/** Too many requests for this client (429). */
export class RateLimitedError extends TradelaneError {
  readonly status = 429;
  /** Milliseconds until the client may retry. */
  readonly retryAfterMs: number;
  constructor(code: string, message: string, retryAfterMs: number, details?: ErrorDetails) {
    super(code, message, details);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A failure that may go away by itself: retry under the policy (503 if it reaches HTTP). */
export class TransientError extends TradelaneError {
  readonly status = 503;
  /** Milliseconds the remote side asked us to wait, if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(code: string, message: string, options?: { retryAfterMs?: number; details?: ErrorDetails; cause?: unknown }) {
    super(code, message, options?.details, { cause: options?.cause });
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** A failure a retry cannot fix: dead-letter it, fix, replay (500 if it reaches HTTP, message not leaked). */
export class PermanentError extends TradelaneError {
  readonly status = 500;
}

/** How the retry machinery should treat a thrown value. */
export type ErrorKind = 'transient' | 'permanent';

/**
 * Classifies any thrown value: domain errors and {@link PermanentError} are permanent, {@link TransientError} and
 * unknown values are transient (until the retry limit).
 */
export function classifyError(err: unknown): ErrorKind {
  if (err instanceof TransientError) return 'transient';
  if (err instanceof TradelaneError) return 'permanent';
  return 'transient';
}

/** A one-line description of any thrown value, for logs and dead letters. */
export function describeError(err: unknown): string {
  if (err instanceof TradelaneError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
