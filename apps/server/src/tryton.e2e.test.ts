import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderView, TenantContext } from '@tradelane/core';
import { lookupTryton, type TestTryton, type TrytonRpc } from '@tradelane/connector-erp-tryton/testing';
import { customerCall, type TestHub } from './hub.test-support.js';
import { startTrytonHub, type TrytonHub, type TrytonRow as Row } from './tryton.test-support.js';

const found = lookupTryton();

if (!found.available) {
  it('order-to-cash end to end against Tryton', { skip: found.skip }, () => {});
} else {
  describe('order-to-cash end to end against Tryton (the hub with Tryton as its ERP, WMS and carrier simulators)', () => {
    let t: TrytonHub;
    let tryton: TestTryton;
    let hub: TestHub;
    let rpc: TrytonRpc;
    let ctx: TenantContext;
    const searchRead: TrytonHub['searchRead'] = (...args) => t.searchRead(...args);
    const waitFor: TrytonHub['waitFor'] = (...args) => t.waitFor(...args);

    before(async () => {
      t = await startTrytonHub('tryton-e2e', {
        TRADELANE_TRYTON_POST_INVOICES: 'true',
        TRADELANE_SIM_WMS_ADVANCE_MS: '200',
      });
      ({ tryton, hub, rpc, ctx } = t);
    });
    after(async () => {
      await t?.close();
    });

    it('runs no ERP simulator; procure-to-pay runs on Tryton purchasing (tryton-p2p.e2e.test.ts follows a purchase through it)', () => {
      assert.equal(hub.server.simulators.erp, undefined);
      assert.deepEqual(hub.server.simulators.configured.map((c) => [c.name, c.url]), [['ERP', tryton.url]]);
      assert.deepEqual(hub.server.simulators.started.map((s) => s.name).sort(), ['FreightLink', 'Parcelo', 'WMS']);
      assert.ok(hub.server.procureToPay);
    });

    it('an order placed in the customer API is committed once in Tryton, shipped and invoiced there, and the timeline shows it', async () => {
      const customer = hub.customers.get('C1001');
      assert.ok(customer, `the seeded Tryton customer C1001 has an API key; keys for: ${[...hub.customers.keys()].join(', ')}`);
      assert.equal(customer.name, 'Acme Hardware');
      const po = `PO-TRY-${Date.now().toString(36)}`;
      const placed = await customerCall<OrderView>(hub, customer.apiKey, 'POST', '/orders', { customerPoNumber: po, lines: [{ sku: 'TL-1001', quantity: '3', unit: 'EA' }] }, { 'idempotency-key': po });
      assert.equal(placed.status, 202, JSON.stringify(placed.body));
      const orderId = placed.body.id;
      const view = async () => {
        const res = await customerCall<OrderView>(hub, customer.apiKey, 'GET', `/orders/${orderId}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };

      // committed: exactly one sale in Tryton carries the hub's order id, and the timeline names its number
      const committed = await waitFor('the order committed in Tryton', async () => ((await view()).orderNumber ? view() : undefined), 60_000, view);
      const sales = await searchRead('sale.sale', [['reference', '=', orderId]], ['number', 'reference', 'state', 'party.code', 'description', 'total_amount']);
      assert.equal(sales.length, 1, 'exactly one sale with reference = the hub order id');
      const sale = sales[0]!;
      assert.equal(committed.orderNumber, sale.number);
      assert.equal(sale['party.']?.code, 'C1001');
      assert.equal(sale.description, `PO ${po}`);
      assert.equal(sale.total_amount?.decimal, '37.50', '3 × TL-1001 at its Tryton list price 12.50');
      const statuses = committed.timeline.map((e) => e.status);
      assert.ok(statuses.includes('Committed') && statuses.includes('Acknowledged'), statuses.join(' → '));
      assert.match(committed.timeline.find((e) => e.status === 'Committed')!.detail ?? '', new RegExp(`order ${sale.number}\\b`));
      const lines = await searchRead('sale.line', [['sale', '=', sale.id]], ['product.code', 'quantity', 'unit_price']);
      assert.deepEqual(lines.map((l) => [l['product.']?.code, l.quantity, l.unit_price?.decimal]), [['TL-1001', 3, '12.5']]);

      // the WMS simulator ships it; ship confirm finishes the customer shipment in Tryton
      const shipped = await waitFor('the order shipped and ship-confirmed in Tryton', async () => {
        const v = await view();
        return v.shipments.length > 0 && v.timeline.some((e) => e.status === 'ShipConfirmed') ? v : undefined;
      }, 90_000, view);
      const shipmentId = shipped.shipments[0]!.shipmentId;
      const [saleNow] = await searchRead('sale.sale', [['id', '=', sale.id]], ['state', 'shipment_state', 'shipments', 'invoices']);
      assert.equal(saleNow!.shipment_state, 'sent');
      const outs = await rpc.call<Row[]>(ctx, 'model.stock.shipment.out.read', [saleNow!.shipments, ['state', 'reference']]);
      assert.deepEqual(outs.map((s) => [s.state, s.reference]), [['done', shipmentId]], 'one customer shipment, done, carrying the hub shipment id');
      const moves = await searchRead('stock.move', [['shipment', '=', `stock.shipment.out,${outs[0]!.id}`], ['to_location.type', '=', 'customer']], ['quantity', 'state', 'product.code']);
      assert.deepEqual(moves.map((m) => [m['product.']?.code, m.quantity, m.state]), [['TL-1001', 3, 'done']]);

      // invoiced: the posted Tryton invoice reaches the timeline and the customer's invoices
      const invoiced = await waitFor('Invoiced on the timeline', async () => {
        const v = await view();
        return v.timeline.some((e) => e.status === 'Invoiced') ? v : undefined;
      }, 60_000, view);
      const invoices = await rpc.call<Row[]>(ctx, 'model.account.invoice.read', [saleNow!.invoices, ['number', 'state', 'type', 'total_amount']]);
      assert.equal(invoices.length, 1);
      const invoice = invoices[0]!;
      assert.deepEqual([invoice.type, invoice.state, invoice.total_amount?.decimal], ['out', 'posted', '37.50']);
      const entry = invoiced.timeline.find((e) => e.status === 'Invoiced')!;
      assert.match(entry.detail ?? '', new RegExp(`invoice ${invoice.number} issued: 37\\.50 USD`));
      assert.equal(invoiced.status, 'Invoiced');
      const listed = await customerCall<{ items: Array<{ invoiceNumber: string; orderId?: string; total: { amount: string } }> }>(hub, customer.apiKey, 'GET', '/invoices?limit=50');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const mine = listed.body.items.find((i) => i.invoiceNumber === invoice.number);
      assert.ok(mine, `invoice ${invoice.number} is listed for the customer`);
      assert.equal(mine.orderId, orderId);
      assert.equal(mine.total.amount, '37.50');

      // still exactly one sale, and nothing dead-lettered on the way
      assert.equal((await searchRead('sale.sale', [['reference', '=', orderId]], ['id'])).length, 1);
      assert.deepEqual(hub.logs.filter((l) => l.includes('"msg":"event dead-lettered"')), []);
    });
  });
}
