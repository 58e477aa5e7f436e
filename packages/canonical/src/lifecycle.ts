/**
 * Declared lifecycles: the only way a long-lived document changes state.
 *
 * A lifecycle is data (a table of allowed transitions, each either `true` or a guard) plus a few pure queries.
 * Nothing here throws on a refused transition; callers turn refusals into their own errors (core: ConflictError).
 */

/** A guard: `true` allows the transition, a string refuses it and says why. */
export type TransitionGuard<C> = (context: C) => true | string;

/** Allowed transitions: `{ [from]: { [to]: true | guard } }`; anything absent is illegal. */
export type TransitionTable<S extends string, C> = {
  readonly [F in S]?: { readonly [T in S]?: TransitionGuard<C> | true };
};

/** Input of {@link defineLifecycle}. */
export interface LifecycleDefinition<S extends string, C> {
  /** Name used in refusal reasons, e.g. 'sales order'. */
  readonly name: string;
  /** Every state, PascalCase. */
  readonly states: readonly S[];
  /** State a new document starts in. */
  readonly initial: S;
  /** Allowed transitions and their guards. */
  readonly transitions: TransitionTable<S, C>;
}

/** Stable codes of a refused transition. */
export type LifecycleRefusalCode = 'TL_LIFECYCLE_ILLEGAL_TRANSITION' | 'TL_LIFECYCLE_GUARD_REFUSED';

/** Result of {@link Lifecycle.check}; `reason` says why without repeating the lifecycle name or the two states. */
export type TransitionCheck = { ok: true } | { ok: false; code: LifecycleRefusalCode; reason: string };

/** A declared lifecycle with pure queries over it. */
export interface Lifecycle<S extends string, C> {
  /** Name used in refusal reasons. */
  readonly name: string;
  /** Every state. */
  readonly states: readonly S[];
  /** State a new document starts in. */
  readonly initial: S;
  /** The transition table as declared. */
  readonly transitions: TransitionTable<S, C>;
  /** True when `value` is one of the states. */
  isState(value: unknown): value is S;
  /** True when `from → to` is declared and its guard (if any) accepts `context`. */
  can(from: S, to: S, context?: C): boolean;
  /** Checks `from → to`; refusals carry a stable code and a human reason. Never throws. */
  check(from: S, to: S, context?: C): TransitionCheck;
  /** States reachable from `state` in one declared transition (guards not evaluated). */
  allowedFrom(state: S): readonly S[];
  /** True when no transition leaves `state`. */
  isTerminal(state: S): boolean;
  /** Every declared `[from, to]` pair. */
  edges(): readonly (readonly [S, S])[];
  /** The lifecycle as a Mermaid state diagram (for docs). */
  toMermaid(): string;
}

/**
 * Declares a lifecycle; throws at definition time if the table mentions unknown states.
 * @example
 * const doorLifecycle = defineLifecycle<'Open' | 'Closed', { locked: boolean }>({
 *   name: 'door', states: ['Open', 'Closed'], initial: 'Closed',
 *   transitions: { Closed: { Open: (door) => (door.locked ? 'door is locked' : true) }, Open: { Closed: true } },
 * });
 */
export function defineLifecycle<S extends string, C = undefined>(definition: LifecycleDefinition<S, C>): Lifecycle<S, C> {
  const { name, states, initial, transitions } = definition;
  const known = new Set<string>(states);
  if (known.size !== states.length) {
    throw new Error(`lifecycle ${name}: states are repeated`);
  }
  if (!known.has(initial)) {
    throw new Error(`lifecycle ${name}: initial state ${initial} is not a state`);
  }
  const table = new Map<string, Map<string, TransitionGuard<C> | true>>();
  for (const [from, targets] of Object.entries(transitions) as [string, Record<string, TransitionGuard<C> | true>][]) {
    if (!known.has(from)) {
      throw new Error(`lifecycle ${name}: transition from unknown state ${from}`);
    }
    const row = new Map<string, TransitionGuard<C> | true>();
    for (const [to, rule] of Object.entries(targets)) {
      if (!known.has(to)) {
        throw new Error(`lifecycle ${name}: transition ${from} → ${to} goes to an unknown state`);
      }
      if (to === from) {
        throw new Error(`lifecycle ${name}: self-transition ${from} → ${to} is not allowed`);
      }
      if (rule !== true && typeof rule !== 'function') {
        throw new Error(`lifecycle ${name}: transition ${from} → ${to} must be true or a guard`);
      }
      row.set(to, rule);
    }
    table.set(from, row);
  }

  const allowedFrom = (state: S): readonly S[] => [...(table.get(state)?.keys() ?? [])] as S[];

  const isState = (value: unknown): value is S => typeof value === 'string' && known.has(value);

  const check = (from: S, to: S, context?: C): TransitionCheck => {
    if (!isState(from) || !isState(to)) {
      const bad = isState(from) ? to : from;
      return { ok: false, code: 'TL_LIFECYCLE_ILLEGAL_TRANSITION', reason: `${String(bad)} is not a ${name} state` };
    }
    const rule = table.get(from)?.get(to);
    if (rule === undefined) {
      const allowed = allowedFrom(from);
      return {
        ok: false,
        code: 'TL_LIFECYCLE_ILLEGAL_TRANSITION',
        reason: allowed.length === 0 ? `${from} is final` : `not an allowed transition (from ${from}: ${allowed.join(', ')})`,
      };
    }
    if (rule === true) {
      return { ok: true };
    }
    if (context === undefined) {
      return { ok: false, code: 'TL_LIFECYCLE_GUARD_REFUSED', reason: 'the guard needs a context to decide' };
    }
    let verdict: true | string;
    try {
      verdict = rule(context);
    } catch (error) {
      verdict = `guard failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return verdict === true
      ? { ok: true }
      : { ok: false, code: 'TL_LIFECYCLE_GUARD_REFUSED', reason: verdict };
  };

  const edges = (): readonly (readonly [S, S])[] =>
    [...table.entries()].flatMap(([from, row]) => [...row.keys()].map((to) => [from as S, to as S] as const));

  return Object.freeze({
    name,
    states: Object.freeze([...states]),
    initial,
    transitions,
    isState,
    can: (from: S, to: S, context?: C) => check(from, to, context).ok,
    check,
    allowedFrom,
    isTerminal: (state: S) => allowedFrom(state).length === 0,
    edges,
    toMermaid: () =>
      [
        'stateDiagram-v2',
        `  [*] --> ${initial}`,
        ...edges().map(([from, to]) => `  ${from} --> ${to}${table.get(from)?.get(to) === true ? '' : ' : guarded'}`),
        ...states.filter((s) => allowedFrom(s).length === 0).map((s) => `  ${s} --> [*]`),
      ].join('\n'),
  });
}
