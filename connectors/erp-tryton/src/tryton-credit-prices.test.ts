import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleOrder } from './sample-order.fixture.js';
import { trytonSuite } from './tryton.test-support.js';

trytonSuite({ title: 'Tryton credit limits and contract prices against a real trytond', name: 'tryton-credit-prices-test', config: { defaultCreditLimit: '2500' } }, ({ rpc, ctx, instance, searchRead }) => {
  const setLimit = async (code: string, amount: string | null) => {
    const [party] = await searchRead('party.party', [['code', '=', code]], ['id']);
    await rpc().call(ctx, 'model.party.party.write', [[party!.id], { credit_limit_amount: amount === null ? null : { __class__: 'Decimal', decimal: amount } }]);
  };

  describe('credit limits (account_credit_limit, sale_credit_limit)', () => {
    test('the credit limit and exposure come from the party; over the limit an order is held, and committed once credit is freed', async () => {
      const erp = await instance();
      try {
        const fresh = await erp.erpMasterData.getCustomerCredit(ctx, 'C1001');
        assert.deepEqual(fresh, { customerRef: 'C1001', onHold: false, creditLimit: '50000.00', exposure: '0.00', currency: 'USD' });
        const none = await erp.erpMasterData.getCustomerCredit(ctx, 'C1002');
        assert.deepEqual([none.creditLimit, none.onHold], ['2500.00', false], 'no limit in Tryton: the configured default, never on hold');
        const customers = (await erp.erpMasterData.listCustomers(ctx, { limit: 50 })).items.filter((p) => p.kind === 'customer');
        assert.deepEqual(customers.map((c) => [c.code, c.kind === 'customer' && c.credit?.limit.amount]).sort(), [['C1001', '50000.00'], ['C1002', '2500.00']], 'each customer with its own limit');

        // a confirmed sale is exposure until it is invoiced
        const first = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '2' }]);
        const committed = await erp.erpSalesOrders.commitOrder(ctx, first, first.id);
        assert.notEqual(committed.record.status, 'OnHold');
        const exposed = await erp.erpMasterData.getCustomerCredit(ctx, 'C1001');
        assert.equal(exposed.exposure, '25.00');
        assert.equal(exposed.onHold, false);

        // the limit is lowered under what is owed: on hold, and a new order stays a quotation with the reason
        await setLimit('C1001', '20');
        const held = await erp.erpMasterData.getCustomerCredit(ctx, 'C1001');
        assert.equal(held.onHold, true);
        assert.equal(held.creditLimit, '20.00');
        assert.match(held.holdReason ?? '', /credit limit 20\.00 USD reached/);
        const second = sampleOrder('acme', [{ sku: 'TL-1002', quantity: '10' }]);
        const refused = await erp.erpSalesOrders.commitOrder(ctx, second, second.id);
        assert.equal(refused.duplicate, false);
        assert.equal(refused.record.status, 'OnHold');
        assert.match(refused.record.holdReason ?? '', /credit limit 20\.00 USD exceeded/);
        const [sale] = await searchRead('sale.sale', [['reference', '=', second.id]], ['state']);
        assert.equal(sale!.state, 'quotation', 'Tryton refused to confirm it');

        // credit freed: committing again confirms the same sale
        await setLimit('C1001', '50000');
        const again = await erp.erpSalesOrders.commitOrder(ctx, second, second.id);
        assert.equal(again.duplicate, true);
        assert.equal(again.record.erpOrderNumber, refused.record.erpOrderNumber);
        assert.equal(again.record.status, 'Released');
        assert.equal((await erp.erpMasterData.getCustomerCredit(ctx, 'C1001')).exposure, '67.00');
      } finally {
        await erp.close();
      }
    });
  });

  describe('contract prices (product_price_list, sale_price_list)', () => {
    test('a customer price list is a contract price per product with its quantity breaks; orders of that customer are priced from it', async () => {
      const erp = await instance();
      try {
        const customers = (await erp.erpMasterData.listCustomers(ctx, { limit: 50 })).items;
        const brightline = customers.find((c) => c.kind === 'customer' && c.code === 'C1002')!;
        const first = await erp.erpMasterData.listPrices(ctx, { limit: 1 });
        const rest = await erp.erpMasterData.listPrices(ctx, { cursor: first.nextCursor, limit: 10 });
        const prices = [...first.items, ...rest.items];
        assert.deepEqual(prices.filter((p) => p.kind === 'list').map((p) => [p.sku, p.tiers[0]!.unitPrice.amount]), [['TL-1001', '12.50'], ['TL-1002', '4.20'], ['TL-2001', '9.80'], ['TL-3001', '3.75']]);
        const contract = prices.filter((p) => p.kind === 'contract');
        assert.deepEqual(
          contract.map((p) => [p.sku, p.kind === 'contract' && p.customerId, p.kind === 'contract' && p.contractNumber, p.unit, p.tiers.map((t) => [t.minQuantity, t.unitPrice.amount])]),
          [
            ['TL-1001', brightline.id, 'Brightline contract 2026', 'EA', [['0', '11.00'], ['100', '10.50']]],
            ['TL-1002', brightline.id, 'Brightline contract 2026', 'EA', [['0', '3.90']]],
          ],
        );
        assert.equal(new Set(contract.map((p) => p.id)).size, 2);

        const order = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '120' }, { sku: 'TL-1002', quantity: '5' }, { sku: 'TL-2001', quantity: '1', unit: 'KG' }], 'C1002');
        const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
        assert.deepEqual(record.lines.map((l) => [l.sku, l.unitPrice]), [['TL-1001', '10.50'], ['TL-1002', '3.90'], ['TL-2001', '9.80']]);
        assert.equal(record.total, '1289.30');
        const small = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '3' }], 'C1002');
        assert.equal((await erp.erpSalesOrders.commitOrder(ctx, small, small.id)).record.lines[0]!.unitPrice, '11.00');
        const [sale] = await searchRead('sale.sale', [['reference', '=', order.id]], ['price_list']);
        assert.ok(sale!.price_list, 'the sale carries the price list');
      } finally {
        await erp.close();
      }
    });
  });
});
