import type { ErpMasterData, Page, PageRequest } from '@tradelane/connector-kit';
import { systemClock, type Clock, type OrderToCashTransactionRunner, type TenantContext } from '@tradelane/core';

/** How many records one catalog sync upserted. */
export interface CatalogSyncResult {
  parties: number;
  items: number;
  prices: number;
  inventory: number;
}

async function eachPage<T>(fetch: (page: PageRequest) => Promise<Page<T>>, apply: (items: T[]) => Promise<void>, pageSize: number): Promise<number> {
  let cursor: string | null = null;
  let count = 0;
  for (;;) {
    const page: Page<T> = await fetch({ cursor, limit: pageSize });
    if (page.items.length > 0) await apply(page.items);
    count += page.items.length;
    if (page.nextCursor === null || page.items.length === 0) return count;
    cursor = page.nextCursor;
  }
}

/**
 * Pulls the ERP's master data (customers and ship-tos, items, prices, stock) into the catalog read models; idempotent
 * upserts, one transaction per page. Run at start and periodically.
 * @example await syncCatalog(ctx, { erpMasterData: erp.erpMasterData, transactions: o2c.transactions });
 */
export async function syncCatalog(
  ctx: TenantContext,
  deps: { erpMasterData: ErpMasterData; transactions: OrderToCashTransactionRunner; clock?: Clock | undefined; pageSize?: number | undefined },
): Promise<CatalogSyncResult> {
  const clock = deps.clock ?? systemClock;
  const size = deps.pageSize ?? 200;
  const md = deps.erpMasterData;
  const tx = deps.transactions;
  const parties = await eachPage((p) => md.listCustomers(ctx, p), (items) => tx.transaction((t) => t.orderToCash.catalog.upsertParties(ctx, items, clock.now())), size);
  const items = await eachPage((p) => md.listItems(ctx, p), (rows) => tx.transaction((t) => t.orderToCash.catalog.upsertItems(ctx, rows, clock.now())), size);
  const prices = await eachPage((p) => md.listPrices(ctx, p), (rows) => tx.transaction((t) => t.orderToCash.catalog.upsertPrices(ctx, rows, clock.now())), size);
  const inventory = await eachPage((p) => md.listInventory(ctx, p), (rows) => tx.transaction((t) => t.orderToCash.catalog.upsertInventory(ctx, rows)), size);
  return { parties, items, prices, inventory };
}
