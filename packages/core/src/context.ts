/** Who acts: a partner's API client, a console user, or the system itself. */
export interface Actor {
  /** `client`, `user` or `system`. */
  kind: 'client' | 'user' | 'system';
  /** Stable id of the client, user or system component. */
  id: string;
}

/**
 * The first argument of every repository, port and command: which tenant (distributor), which partner (customer or
 * supplier, if any), who acts with which scopes, and the correlation id that ties logs, events and calls together.
 */
export interface TenantContext {
  readonly tenantId: string;
  /** The customer or supplier the caller speaks for; absent for the distributor's own users and the system. */
  readonly partnerId?: string | undefined;
  readonly actor: Actor;
  readonly scopes: readonly string[];
  readonly correlationId: string;
  /** W3C traceparent of the current span, when known. */
  readonly traceparent?: string | undefined;
}

/**
 * Builds the context the system uses when it acts on its own (relay, flows, timers).
 * @example systemContext('t_acme', 'corr-123')
 */
export function systemContext(tenantId: string, correlationId: string, component = 'system'): TenantContext {
  return { tenantId, actor: { kind: 'system', id: component }, scopes: ['*'], correlationId };
}

/** True when the context carries the scope, or the wildcard. */
export function hasScope(ctx: TenantContext, scope: string): boolean {
  return ctx.scopes.includes('*') || ctx.scopes.includes(scope);
}
