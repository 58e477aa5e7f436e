/**
 * Roles of the distributor's own console users (staff API keys and staff OAuth clients) and the scopes each grants.
 * A role is a named bundle of scopes; routes check scopes only.
 */
import { hasScope, type TenantContext } from './context.js';
import type { ExceptionOwnerRole } from './ports/procure-to-pay.ports.js';

/** A console user's role. */
export type StaffRole = 'buyer' | 'customer_service' | 'finance' | 'integration_admin';

/** Every staff role. */
export const STAFF_ROLES: readonly StaffRole[] = ['buyer', 'customer_service', 'finance', 'integration_admin'];

/** The scope that opens the exceptions owned by one role (`ops:exceptions` opens all of them). */
export function exceptionRoleScope(role: ExceptionOwnerRole): string {
  return `ops:exceptions:${role}`;
}

/**
 * Scopes each role grants: buyers work buyer exceptions (acknowledgment changes, late shipments, receipts), finance
 * works invoice disputes, customer service works missed promises, integration admins manage any partner's webhook
 * subscriptions.
 */
export const STAFF_ROLE_SCOPES: Readonly<Record<StaffRole, readonly string[]>> = {
  buyer: [exceptionRoleScope('buyer')],
  finance: [exceptionRoleScope('finance')],
  customer_service: [exceptionRoleScope('customer_service')],
  integration_admin: ['webhooks:manage'],
};

/** True when the value names a staff role. */
export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/**
 * The role's scopes plus any extra ones, without duplicates.
 * @example staffScopes('buyer') // ['ops:exceptions:buyer']
 */
export function staffScopes(role: StaffRole | undefined, extra: readonly string[] = []): string[] {
  return [...new Set([...(role ? STAFF_ROLE_SCOPES[role] : []), ...extra])];
}

/**
 * Owner roles of the exceptions the caller may see and work: `'all'` with `ops:exceptions` (or `*`), else those
 * opened by `ops:exceptions:<role>` scopes (possibly none).
 */
export function exceptionRolesOf(ctx: TenantContext): 'all' | readonly ExceptionOwnerRole[] {
  if (hasScope(ctx, 'ops:exceptions')) return 'all';
  const roles: ExceptionOwnerRole[] = ['buyer', 'finance', 'customer_service'];
  return roles.filter((r) => ctx.scopes.includes(exceptionRoleScope(r)));
}
