import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TenantContext } from '@tradelane/core';
import { confirmPurchase, lookupTryton, type TestTryton, type TrytonRpc } from '@tradelane/connector-erp-tryton/testing';
import { hubCall, type TestHub } from './hub.test-support.js';
import { startTrytonHub, type TrytonHub, type TrytonRow as Row } from './tryton.test-support.js';

const found = lookupTryton();

if (!found.available) {
  it('procure-to-pay end to end against Tryton', { skip: found.skip }, () => {});
} else {
  describe('procure-to-pay end to end against Tryton (a purchase confirmed in Tryton, the supplier simulator answering through the hub)', () => {
    let t: TrytonHub;
    let tryton: TestTryton;
    let hub: TestHub;
    let rpc: TrytonRpc;
    let ctx: TenantContext;
    const searchRead: TrytonHub['searchRead'] = (...args) => t.searchRead(...args);
    const waitFor: TrytonHub['waitFor'] = (...args) => t.waitFor(...args);

    before(async () => {
      t = await startTrytonHub('tryton-p2p-e2e', {
        TRADELANE_SIM_SUPPLIER_POLL_MS: '200',
        TRADELANE_SIM_WMS_INBOUND_MS: '300',
        TRADELANE_P2P_SWEEP_INTERVAL_MS: '500',
      });
      ({ tryton, hub, rpc, ctx } = t);
    });
    after(async () => {
      await t?.close();
    });

    it('procure-to-pay runs on Tryton purchasing: its suppliers have supplier API keys', async () => {
      assert.ok(hub.server.procureToPay, 'procure-to-pay is composed with Tryton as the ERP');
      const demo = await hub.server.demo!;
      assert.deepEqual(demo.suppliers.map((s) => s.accountNumber), ['5101', '5102', '5105']);
      assert.ok(demo.staff, 'operations have a staff key');
      assert.ok(!demo.customers.some((c) => c.accountNumber.startsWith('51')), 'suppliers are not customers');
    });

    it('a purchase confirmed in Tryton reaches the simulated supplier; its acknowledgment, ship notice, receipt and invoice land back in Tryton', async () => {
      const demo = await hub.server.demo!;
      const supplier = demo.suppliers.find((s) => s.accountNumber === '5101')!;
      // a buyer enters and confirms the purchase in Tryton
      const [party] = await searchRead('party.party', [['code', '=', '5101']], ['id']);
      const [warehouse] = await searchRead('stock.location', [['type', '=', 'warehouse']], ['id']);
      const [product] = await searchRead('product.product', [['code', '=', 'TL-1001']], ['default_uom']);
      const stockOf = async () => (await rpc.call<Row[]>(ctx, 'model.product.product.search_read', [[['id', '=', product!.id]], 0, 1, null, ['quantity']], { locations: [warehouse!.id] }))[0]!.quantity as number;
      const before = await stockOf();
      const { poNumber, id: purchaseId, lineIds: [lineId] } = await confirmPurchase(rpc, ctx, '5101', [{ sku: 'TL-1001', quantity: 10, unitPrice: '7.00', description: 'Hex bolt M8 x 40' }]);
      const tryonState = async () => ({
        line: await rpc.call<Row[]>(ctx, 'model.purchase.line.read', [[lineId], ['note', 'quantity', 'moves']]),
        shipments: await searchRead('stock.shipment.in', [['supplier', '=', party!.id]], ['reference', 'state']),
        invoices: await searchRead('account.invoice', [['type', '=', 'in'], ['party', '=', party!.id]], ['reference', 'state', 'description']),
      });

      // the hub publishes it to the supplier (the supplier API shows it)
      const published = await waitFor('the purchase order on the supplier API', async () => {
        const r = await hubCall(hub, supplier.apiKey, 'GET', '/v1/supplier/purchase-orders?limit=50');
        return r.body.items?.find((po: { poNumber: string }) => po.poNumber === poNumber);
      }, 60_000, tryonState);
      assert.equal(published.lines[0].sku, 'TL-1001');
      assert.equal(published.lines[0].quantity, '10');
      assert.equal(published.lines[0].unitPrice.amount, '7.00');

      // the simulated supplier acknowledges: Tryton's purchase line holds the answer
      const acknowledged = await waitFor('the acknowledgment on the Tryton purchase line', async () => {
        const [line] = await rpc.call<Row[]>(ctx, 'model.purchase.line.read', [[lineId], ['note', 'quantity']]);
        return /^Supplier acknowledgment: accepted/m.test(line?.note ?? '') ? line : undefined;
      }, 90_000, tryonState);
      assert.equal(acknowledged.quantity, 10);

      // it ships: the ship notice is a supplier shipment in Tryton; the warehouse receives it: the shipment is done
      const shipment = await waitFor('the ship notice received into Tryton stock', async () => {
        const rows = await searchRead('stock.shipment.in', [['supplier', '=', party!.id], ['reference', '=', `ASN-${poNumber}-1`]], ['state', 'incoming_moves']);
        return rows[0]?.state === 'done' ? rows : undefined;
      }, 120_000, tryonState);
      assert.equal(shipment.length, 1, 'one supplier shipment for the ship notice');
      const moves = await rpc.call<Row[]>(ctx, 'model.stock.move.read', [shipment[0]!.incoming_moves, ['origin', 'quantity', 'state']]);
      assert.deepEqual(moves.map((m) => [m.origin, m.quantity, m.state]), [[`purchase.line,${lineId}`, 10, 'done']]);
      assert.equal((await stockOf()) - before, 10, 'stock went up by the ten received');

      // it invoices: the supplier invoice is recorded once against the purchase line and, matched, posted
      const invoices = await waitFor('the supplier invoice approved (posted) in Tryton', async () => {
        const rows = await searchRead('account.invoice', [['type', '=', 'in'], ['reference', '=', `INV-${poNumber}`]], ['state', 'party', 'total_amount', 'lines', 'description']);
        return rows[0]?.state === 'posted' ? rows : undefined;
      }, 120_000, tryonState);
      assert.equal(invoices.length, 1, 'one supplier invoice');
      const invoice = invoices[0]!;
      assert.deepEqual([invoice.party, invoice.total_amount.decimal], [party!.id, '70.00']);
      assert.match(invoice.description, /^inv_/, 'the hub invoice id');
      const invoiceLines = await rpc.call<Row[]>(ctx, 'model.account.invoice.line.read', [invoice.lines, ['origin', 'quantity', 'unit_price']]);
      assert.deepEqual(invoiceLines.map((l) => [l.origin, l.quantity, l.unit_price.decimal]), [[`purchase.line,${lineId}`, 10, '7.00']]);
      // nothing twice in Tryton: no other supplier invoice or shipment for this purchase
      assert.equal((await searchRead('account.invoice.line', [['origin', '=', `purchase.line,${lineId}`], ['invoice.state', '!=', 'cancelled']], ['id'])).length, 1);
      const [after] = await rpc.call<Row[]>(ctx, 'model.purchase.purchase.read', [[purchaseId], ['state', 'shipment_state', 'invoice_state']]);
      assert.deepEqual([after!.shipment_state, after!.invoice_state], ['received', 'waiting'], 'received and invoiced, waiting for payment');

      // the hub agrees: received and its invoice approved
      const view = await waitFor('the purchase order received in the hub', async () => {
        const r = await hubCall(hub, supplier.apiKey, 'GET', `/v1/supplier/purchase-orders/${published.id}`);
        return r.body.lines?.[0]?.quantityReceived === '10' ? r.body : undefined;
      }, 60_000);
      assert.equal(view.poNumber, poNumber);
      assert.deepEqual(hub.logs.filter((l) => l.includes('"msg":"event dead-lettered"')), []);
    });
  });
}
