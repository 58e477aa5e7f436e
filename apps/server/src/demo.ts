import type { Logger } from 'pino';
import type { ErpMasterData, ErpPurchasing } from '@tradelane/connector-kit';
import { describeError, systemContext, type TenantContext } from '@tradelane/core';
import type { CatalogSyncResult } from '@tradelane/flows';
import type { ApiKeyRepo, DocumentRepo } from '@tradelane/store';
import { ensureDemoKeys, OPS_DEMO_SCOPES, SUPPLIER_DEMO_SCOPES, type DemoCustomer, type DemoKeyHolder } from './demo-keys.js';

/** The demo tenant once its catalog is synced and its customers have keys. */
export interface DemoTenant {
  tenantId: string;
  catalog: CatalogSyncResult;
  /** Customers with their API keys, by account number; empty when demo keys are off. */
  customers: DemoCustomer[];
  /** Suppliers with their API keys, by address number; empty when demo keys are off or the ERP has no purchasing. */
  suppliers: DemoCustomer[];
  /** The operations staff key (exceptions), when demo keys are on and procure-to-pay runs. */
  staff?: DemoCustomer | undefined;
}

/** What {@link startDemoSetup} needs. */
export interface DemoSetupDeps {
  tenantId: string;
  /** Create (once) and return an API key per customer. */
  keys: boolean;
  syncCatalog(ctx: TenantContext): Promise<CatalogSyncResult>;
  erpMasterData: Pick<ErpMasterData, 'listCustomers'>;
  /** With it, every supplier gets a supplier API key and operations get a staff key. */
  erpPurchasing?: Pick<ErpPurchasing, 'listSuppliers'> | undefined;
  documents: DocumentRepo;
  apiKeys: ApiKeyRepo;
  logger: Logger;
  /** Wait between attempts while the ERP is unreachable, doubling up to `maxMs`. @default { initialMs: 1000, maxMs: 30000 } */
  retry?: { initialMs: number; maxMs: number } | undefined;
}

/** The demo set-up running in the background. */
export interface DemoSetup {
  /** Resolves when the demo tenant is ready; rejects only when stopped before that. */
  readonly ready: Promise<DemoTenant>;
  /** Stops retrying (an attempt in flight is given up to 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

async function customersOf(ctx: TenantContext, erp: Pick<ErpMasterData, 'listCustomers'>): Promise<Array<Omit<DemoCustomer, 'apiKey'>>> {
  const out: Array<Omit<DemoCustomer, 'apiKey'>> = [];
  let cursor: string | null = null;
  do {
    const page = await erp.listCustomers(ctx, { cursor, limit: 200 });
    for (const party of page.items) {
      if (party.kind === 'customer') out.push({ accountNumber: party.code, name: party.name, partnerId: party.id, onHold: party.credit.onHold });
    }
    cursor = page.items.length > 0 ? page.nextCursor : null;
  } while (cursor !== null);
  return out.sort((a, b) => a.accountNumber.localeCompare(b.accountNumber));
}

async function suppliersOf(ctx: TenantContext, erp: Pick<ErpPurchasing, 'listSuppliers'>): Promise<DemoKeyHolder[]> {
  const out: DemoKeyHolder[] = [];
  let cursor: string | null = null;
  do {
    const page = await erp.listSuppliers(ctx, { cursor, limit: 200 });
    for (const party of page.items) out.push({ accountNumber: party.code, name: party.name, partnerId: party.id, onHold: false, scopes: SUPPLIER_DEMO_SCOPES });
    cursor = page.items.length > 0 ? page.nextCursor : null;
  } while (cursor !== null);
  return out.sort((a, b) => a.accountNumber.localeCompare(b.accountNumber));
}

/** The demo staff key's holder: operations (buyers, finance, customer service working exceptions). */
const OPS_HOLDER: DemoKeyHolder = { accountNumber: 'ops', name: 'Operations (buyers, finance, customer service)', partnerId: '', onHold: false, staffName: 'ops.demo', scopes: OPS_DEMO_SCOPES };

/**
 * Prepares the demo tenant in the background without holding up the start: syncs the catalog from the ERP, then
 * makes sure every ERP customer and supplier has an API key, and operations a staff key. While the ERP is unreachable it retries with backoff and says so in
 * the log.
 * @example const demo = startDemoSetup({ tenantId: 'demo', keys: true, syncCatalog: o2c.syncCatalog, erpMasterData: erp.erpMasterData, documents, apiKeys, logger }); const { customers } = await demo.ready;
 */
export function startDemoSetup(deps: DemoSetupDeps): DemoSetup {
  const log = deps.logger.child({ component: 'demo', tenantId: deps.tenantId });
  const retry = deps.retry ?? { initialMs: 1000, maxMs: 30_000 };
  const ctx = systemContext(deps.tenantId, 'demo-setup', 'demo');
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const ready = (async (): Promise<DemoTenant> => {
    let delay = retry.initialMs;
    while (!stopped) {
      try {
        const catalog = await deps.syncCatalog(ctx);
        const customers = deps.keys ? await ensureDemoKeys(ctx, await customersOf(ctx, deps.erpMasterData), deps) : [];
        const suppliers = deps.keys && deps.erpPurchasing ? await ensureDemoKeys(ctx, await suppliersOf(ctx, deps.erpPurchasing), deps) : [];
        const [staff] = deps.keys && deps.erpPurchasing ? await ensureDemoKeys(ctx, [OPS_HOLDER], deps) : [];
        if (stopped) break;
        log.info({ catalog, customers: customers.length, suppliers: suppliers.length }, 'demo tenant ready');
        return { tenantId: deps.tenantId, catalog, customers, suppliers, staff };
      } catch (err) {
        if (stopped) break;
        log.warn({ err: describeError(err), retryInMs: delay }, 'demo tenant not ready yet (is the ERP reachable?); retrying');
        await pause(delay);
        delay = Math.min(delay * 2, retry.maxMs);
      }
    }
    throw new Error(`demo set-up of tenant ${deps.tenantId} was stopped before it was ready`);
  })();
  ready.catch(() => {});

  return {
    ready,
    async stop() {
      stopped = true;
      wake?.();
      await Promise.race([ready.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    },
  };
}
