import { ConflictError } from './errors.js';

/** The shape of a lifecycle's `check` result (declared in @tradelane/canonical). */
export type TransitionCheck = { ok: true } | { ok: false; code: string; reason: string };

/** Anything with a lifecycle-style `check`, e.g. `salesOrderLifecycle` from @tradelane/canonical. */
export interface CheckableLifecycle<S extends string, C> {
  readonly name: string;
  check(from: S, to: S, context?: C): TransitionCheck;
}

/**
 * Moves a document from one state to another through its declared lifecycle, or throws a {@link ConflictError}
 * (`TL_LIFECYCLE_ILLEGAL_TRANSITION` or `TL_LIFECYCLE_GUARD_REFUSED`) naming both states and the reason.
 * @example const next = applyTransition(salesOrderLifecycle, order.status, 'Cancelled', order)
 */
export function applyTransition<S extends string, C>(lifecycle: CheckableLifecycle<S, C>, from: S, to: S, context?: C): S {
  const result = lifecycle.check(from, to, context);
  if (!result.ok) {
    throw new ConflictError(result.code, `${lifecycle.name}: cannot go from ${from} to ${to}: ${result.reason}`, {
      lifecycle: lifecycle.name,
      from,
      to,
    });
  }
  return to;
}
