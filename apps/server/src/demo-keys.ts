import type { TenantContext } from '@tradelane/core';
import type { ApiKeyRepo, DocumentRepo } from '@tradelane/store';

/** Document type under which the demo tenant keeps its customers' keys (the demo tenant only). */
export const DEMO_KEY_DOC_TYPE = 'demo_api_key';

/** Every customer scope: the demo keys may do whatever a customer may. */
export const CUSTOMER_SCOPES = ['catalog:read', 'orders:read', 'orders:write', 'invoices:read', 'returns:write', 'webhooks:manage'] as const;

/** Every supplier scope: the demo supplier keys may do whatever a supplier may. */
export const SUPPLIER_DEMO_SCOPES = [
  'purchase-orders:read',
  'acknowledgments:write',
  'asns:write',
  'supplier-invoices:write',
  'supplier-invoices:read',
  'availability:write',
  'scorecard:read',
  'webhooks:manage',
] as const;

/** The scope of the demo operations key (buyers, finance and customer service work exceptions). */
export const OPS_DEMO_SCOPES = ['ops:exceptions'] as const;

/** A demo customer and the API key that speaks for it. */
export interface DemoCustomer {
  /** The ERP account number, e.g. `4242` (a supplier's address number, or `ops` for the staff key). */
  accountNumber: string;
  name: string;
  /** The partner the key speaks for; empty for the staff key. */
  partnerId: string;
  /** True when the ERP has the account on credit hold (its orders go `OnHold`). */
  onHold: boolean;
  apiKey: string;
}

/** Who a demo key is for: a partner with its scopes (customer scopes by default), or staff (`staffName`, no partner). */
export type DemoKeyHolder = Omit<DemoCustomer, 'apiKey'> & { scopes?: readonly string[] | undefined; staffName?: string | undefined };

interface StoredDemoKey {
  partnerId: string;
  keyId: string;
  apiKey: string;
}

/**
 * Makes sure each customer has a working API key and returns them. The store keeps only key hashes, so the demo
 * tenant also keeps each key it generated as a `demo_api_key` document (id = account number): a restart on the same
 * database finds and prints the same keys instead of minting new ones. A stored key that no longer resolves to its
 * customer (revoked, or the account was re-keyed) is replaced.
 * @example const customers = await ensureDemoKeys(ctx, [{ accountNumber: '4242', name: 'Northwind', partnerId, onHold: false }], { documents, apiKeys });
 */
export async function ensureDemoKeys(
  ctx: TenantContext,
  customers: ReadonlyArray<DemoKeyHolder>,
  deps: { documents: DocumentRepo; apiKeys: ApiKeyRepo },
): Promise<DemoCustomer[]> {
  const out: DemoCustomer[] = [];
  for (const { scopes = CUSTOMER_SCOPES, staffName, ...customer } of customers) {
    const stored = await deps.documents.get<StoredDemoKey>(ctx, DEMO_KEY_DOC_TYPE, customer.accountNumber);
    if (stored && stored.body.partnerId === customer.partnerId) {
      const resolved = await deps.apiKeys.resolve(stored.body.apiKey, ctx.correlationId);
      if (resolved?.tenantId === ctx.tenantId && (resolved.partnerId ?? '') === customer.partnerId) {
        out.push({ ...customer, apiKey: stored.body.apiKey });
        continue;
      }
    }
    const created = staffName ? await deps.apiKeys.createStaffApiKey(ctx, { staffName, scopes }) : await deps.apiKeys.createApiKey(ctx, { partnerId: customer.partnerId, scopes });
    const body: StoredDemoKey = { partnerId: customer.partnerId, keyId: created.id, apiKey: created.apiKey };
    if (stored) {
      if (stored.body.keyId) await deps.apiKeys.revokeApiKey(ctx, stored.body.keyId);
      await deps.documents.update(ctx, { docType: DEMO_KEY_DOC_TYPE, id: customer.accountNumber, expectedVersion: stored.version, status: 'active', body });
    } else {
      await deps.documents.insert(ctx, { docType: DEMO_KEY_DOC_TYPE, id: customer.accountNumber, status: 'active', body });
    }
    out.push({ ...customer, apiKey: created.apiKey });
  }
  return out;
}
