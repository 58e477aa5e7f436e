import type { TenantContext } from '@tradelane/core';
import type { TrytonRpc } from './transport/tryton-rpc.transport.js';

/** One line of a purchase a buyer enters: the item's code, quantity in its default unit, unit price (decimal string). */
export interface PurchaseLineInput {
  sku: string;
  quantity: number;
  unitPrice: string;
  description?: string | undefined;
}

/**
 * Enters, quotes and confirms a purchase in Tryton as a buyer would, from the supplier party's code, into the first
 * warehouse, in the company currency; resolves its number, id and line ids (in line order).
 * @example const { poNumber } = await confirmPurchase(rpc, ctx, '5101', [{ sku: 'TL-1001', quantity: 10, unitPrice: '7.00' }]);
 */
export async function confirmPurchase(rpc: TrytonRpc, ctx: TenantContext, supplierCode: string, lines: readonly PurchaseLineInput[]): Promise<{ poNumber: string; id: number; lineIds: number[] }> {
  type Row = Record<string, any> & { id: number };
  const searchRead = (model: string, domain: unknown[], fields: string[]) => rpc.call<Row[]>(ctx, `model.${model}.search_read`, [domain, 0, null, [['id', 'ASC']], fields]);
  const [party] = await searchRead('party.party', [['code', '=', supplierCode]], ['addresses']);
  const [warehouse] = await searchRead('stock.location', [['type', '=', 'warehouse']], ['id']);
  const [company] = await searchRead('company.company', [], ['currency']);
  const products = await searchRead('product.product', [['code', 'in', lines.map((l) => l.sku)]], ['code', 'default_uom']);
  if (!party || !warehouse || !company) throw new Error(`Tryton has no supplier ${supplierCode}, warehouse or company`);
  const [id] = await rpc.call<number[]>(ctx, 'model.purchase.purchase.create', [
    [
      {
        party: party.id,
        invoice_address: party.addresses[0],
        warehouse: warehouse.id,
        company: company.id,
        currency: company.currency,
        lines: [
          [
            'create',
            lines.map((l, i) => {
              const product = products.find((p) => p.code === l.sku);
              if (!product) throw new Error(`Tryton has no product ${l.sku}`);
              return { type: 'line', sequence: i + 1, product: product.id, quantity: l.quantity, unit: product.default_uom, unit_price: { __class__: 'Decimal', decimal: l.unitPrice }, description: l.description ?? l.sku };
            }),
          ],
        ],
      },
    ],
  ]);
  await rpc.call(ctx, 'model.purchase.purchase.quote', [[id]]);
  await rpc.call(ctx, 'model.purchase.purchase.confirm', [[id]]);
  const [row] = await rpc.call<Row[]>(ctx, 'model.purchase.purchase.read', [[id], ['number', 'lines']]);
  if (!row?.number) throw new Error(`purchase ${id} has no number after confirm`);
  return { poNumber: row.number, id: id!, lineIds: row.lines as number[] };
}
