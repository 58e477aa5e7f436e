import type { DocumentParty } from '@tradelane/canonical';
import type { TenantContext } from '@tradelane/core';
import { simUnknownKeyError } from './errors.js';
import { itemIdOf, partyIdOf } from './mappers/derived-id.js';
import type { ErpSimTransport } from './transport/erp-sim-http.transport.js';
import type { SimAddressRow, SimItemRow, SimPaymentTerms, SimRowsPage } from './wire/sim-wire.types.js';

/**
 * Maps hub ids back to ERP keys. Hub ids of customers, ship-tos, suppliers and items are derived from ERP keys (a one-way
 * hash), so the resolver reads the address book and item master once, derives every id for the tenant, and looks
 * ids up in that table; a miss reloads once (the record may be new) before it is an unknown-key error.
 */
export class KeyResolver {
  private addressRows: SimAddressRow[] | undefined;
  private itemRows: SimItemRow[] | undefined;
  private termsTable: Map<string, SimPaymentTerms> | undefined;
  private readonly partyIds = new Map<string, Map<string, SimAddressRow>>();
  private readonly itemIds = new Map<string, Map<string, SimItemRow>>();

  constructor(
    private readonly transport: ErpSimTransport,
    private readonly pageSize: number,
  ) {}

  /** Payment terms by code (read once). */
  async terms(ctx: TenantContext): Promise<ReadonlyMap<string, SimPaymentTerms>> {
    if (!this.termsTable) {
      const res = await this.transport.request<{ ROWS: SimPaymentTerms[] }>(ctx, 'GET', '/payment-terms');
      this.termsTable = new Map(res.body.ROWS.map((t) => [t.PTC, t]));
    }
    return this.termsTable;
  }

  /** The address number of a customer given as a hub party id (`pty_…`) or as the address number itself. */
  async customerAn8(ctx: TenantContext, ref: string): Promise<number> {
    if (/^\d{1,9}$/.test(ref)) return Number(ref);
    const row = await this.party(ctx, ref);
    if (!row || row.AT1 !== 'C') throw simUnknownKeyError('customer', ref);
    return row.AN8;
  }

  /** The address number of a supplier given as a hub party id (`pty_…`) or as the address number itself. */
  async supplierAn8(ctx: TenantContext, ref: string): Promise<number> {
    if (/^\d{1,9}$/.test(ref)) return Number(ref);
    const row = await this.party(ctx, ref);
    if (!row || row.AT1 !== 'V') throw simUnknownKeyError('supplier', ref);
    return row.AN8;
  }

  /**
   * The address number of an order's ship-to: by party id, else by a numeric code, else undefined (the ERP then
   * uses the customer's first ship-to). A ship-to of another customer is refused by the ERP itself.
   */
  async shipToAn8(ctx: TenantContext, shipTo: DocumentParty): Promise<number | undefined> {
    if (shipTo.partyId) {
      const row = await this.party(ctx, shipTo.partyId);
      if (!row) throw simUnknownKeyError('ship-to', shipTo.partyId);
      return row.AN8;
    }
    return shipTo.code && /^\d{1,9}$/.test(shipTo.code) ? Number(shipTo.code) : undefined;
  }

  /** The second item number (`LITM`) of a hub item id. */
  async itemLitm(ctx: TenantContext, itemId: string): Promise<string> {
    const lookup = async (reload: boolean) => {
      if (reload || !this.itemRows) {
        this.itemRows = await this.readAll<SimItemRow>(ctx, '/items');
        this.itemIds.clear();
      }
      let table = this.itemIds.get(ctx.tenantId);
      if (!table) {
        table = new Map(this.itemRows.map((r) => [itemIdOf(ctx.tenantId, r.LITM), r]));
        this.itemIds.set(ctx.tenantId, table);
      }
      return table.get(itemId);
    };
    const row = (await lookup(false)) ?? (await lookup(true));
    if (!row) throw simUnknownKeyError('item', itemId);
    return row.LITM;
  }

  private async party(ctx: TenantContext, partyId: string): Promise<SimAddressRow | undefined> {
    const lookup = async (reload: boolean) => {
      if (reload || !this.addressRows) {
        this.addressRows = await this.readAll<SimAddressRow>(ctx, '/address-book');
        this.partyIds.clear();
      }
      let table = this.partyIds.get(ctx.tenantId);
      if (!table) {
        table = new Map(this.addressRows.map((r) => [partyIdOf(ctx.tenantId, r.AN8), r]));
        this.partyIds.set(ctx.tenantId, table);
      }
      return table.get(partyId);
    };
    return (await lookup(false)) ?? (await lookup(true));
  }

  private async readAll<T>(ctx: TenantContext, path: string): Promise<T[]> {
    const rows: T[] = [];
    let start: number | null = 0;
    while (start !== null) {
      const res: { body: SimRowsPage<T> } = await this.transport.request<SimRowsPage<T>>(ctx, 'GET', path, { query: { start, max: Math.max(this.pageSize, 200) } });
      rows.push(...res.body.ROWS);
      start = res.body.NEXT;
    }
    return rows;
  }
}
