import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, type ReturnAuthorization } from '@tradelane/canonical';
import type { ErpChange } from '@tradelane/connector-kit';
import { PermanentError } from '@tradelane/core';
import { encodeFeedCursor } from './index.js';
import { sampleOrder } from './sample-order.fixture.js';
import { payInvoice } from './tryton-receivables.fixture.js';
import { trytonSuite, type TrytonErp } from './tryton.test-support.js';

type Change<K extends ErpChange['kind']> = Extract<ErpChange, { kind: K }>;

trytonSuite({ title: 'Tryton receivables, stock changes, returns and partial shipments against a real trytond', name: 'tryton-receivables-test', config: { postInvoices: true } }, ({ rpc, ctx, instance, searchRead, readFeed }) => {
  /** A committed, fully shipped order of `lines` (its invoice posted); resolves the sale row and the order. */
  async function shippedOrder(erp: TrytonErp, lines: Array<{ sku: string; quantity: string }>) {
    const order = sampleOrder('acme', lines);
    const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
    await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, { reference: `shp_${order.id.slice(3)}`, carrierCode: 'UPS', trackingNumber: '1Z1', shippedAt: new Date().toISOString(), lines: lines.map((l, i) => ({ lineNumber: i + 1, quantity: l.quantity })) });
    const [sale] = await searchRead('sale.sale', [['reference', '=', order.id]], ['number', 'invoices', 'warehouse']);
    return { order, record, sale: sale! };
  }

  describe('payments on the change feed', () => {
    test('a partial and a final payment entered in Tryton each arrive once as payment.received, also across a restart', async () => {
      const erp = await instance();
      try {
        const start = await readFeed(erp, null, 200);
        const { order, sale } = await shippedOrder(erp, [{ sku: 'TL-1001', quantity: '2' }]);
        const invoiceId = (sale.invoices as number[])[0]!;
        const [invoice] = await searchRead('account.invoice', [['id', '=', invoiceId]], ['number', 'state', 'total_amount']);
        assert.equal(invoice!.state, 'posted');
        assert.equal(invoice!.total_amount.decimal, '25.00');
        const partial = await payInvoice(rpc(), ctx, invoiceId, { amount: '10.00', description: 'check 1001' });
        assert.deepEqual(partial, { state: 'posted', amountToPay: '15.00' });
        const first = await readFeed(erp, start.cursor, 3);
        const paid1 = first.changes.filter((c): c is Change<'payment.received'> => c.kind === 'payment.received');
        assert.equal(paid1.length, 1, JSON.stringify(first.changes.map((c) => c.kind)));
        const p1 = paid1[0]!.payment;
        assert.equal(p1.direction, 'incoming');
        assert.equal(p1.status, 'Completed');
        assert.deepEqual(p1.amount, { amount: '10.00', currency: 'USD' });
        assert.equal(p1.allocations[0]!.invoiceNumber, invoice!.number);
        assert.deepEqual(p1.allocations[0]!.amount, { amount: '10.00', currency: 'USD' });
        const issued = first.changes.filter((c): c is Change<'invoice.issued'> => c.kind === 'invoice.issued' && c.invoice.invoiceNumber === invoice!.number);
        assert.ok(issued.length >= 1);
        assert.equal(issued.at(-1)!.orderReference, order.id);
        assert.equal(p1.partyId, issued.at(-1)!.invoice.partyId, 'the payment is from the invoice customer');
        assert.equal(p1.allocations[0]!.invoiceId, issued.at(-1)!.invoice.id);

        const rest = await payInvoice(rpc(), ctx, invoiceId, { description: 'wire 77' });
        assert.equal(rest.state, 'paid');
        // a restarted reader resumes from the stored cursor: only the second payment is new
        const restarted = await instance();
        try {
          const second = await readFeed(restarted, first.cursor, 2);
          const paid2 = second.changes.filter((c): c is Change<'payment.received'> => c.kind === 'payment.received');
          assert.deepEqual(paid2.map((c) => c.payment.amount.amount), ['15.00'], 'the final payment once; the first one is not repeated by the reconciliation that followed');
          assert.notEqual(paid2[0]!.changeId, paid1[0]!.changeId);
          assert.notEqual(paid2[0]!.payment.id, p1.id);
          const paidInvoice = second.changes.filter((c): c is Change<'invoice.issued'> => c.kind === 'invoice.issued' && c.invoice.invoiceNumber === invoice!.number).at(-1);
          assert.equal(paidInvoice?.invoice.status, 'Paid');
          assert.equal(paidInvoice?.invoice.amountDue.amount, '0.00');
          // the whole feed again from where this test began: every payment exactly once, with stable change ids
          const all = await readFeed(restarted, start.cursor, 1);
          const mine = all.changes.filter((c): c is Change<'payment.received'> => c.kind === 'payment.received' && c.payment.allocations[0]!.invoiceNumber === invoice!.number);
          assert.deepEqual(mine.map((c) => c.changeId), [paid1[0]!.changeId, paid2[0]!.changeId]);
          assert.equal(new Set(all.changes.map((c) => c.changeId)).size, all.changes.length, 'no change twice');
        } finally {
          await restarted.close();
        }
      } finally {
        await erp.close();
      }
    });
  });

  describe('stock changes on the change feed', () => {
    test('a shipment done in Tryton reports the absolute stock of its products per warehouse', async () => {
      const erp = await instance();
      try {
        const start = await readFeed(erp, null, 200);
        await shippedOrder(erp, [{ sku: 'TL-1002', quantity: '7' }]);
        const { changes, cursor } = await readFeed(erp, start.cursor, 50);
        const stock = changes.filter((c): c is Change<'inventory.changed'> => c.kind === 'inventory.changed');
        assert.ok(stock.length >= 1, JSON.stringify(changes.map((c) => c.kind)));
        const last = stock.at(-1)!.positions.find((p) => p.sku === 'TL-1002');
        assert.ok(last, 'TL-1002 is among the changed positions');
        assert.equal(last.locationId, 'WH');
        const now = (await erp.erpMasterData.listInventory(ctx, { limit: 100 })).items.find((p) => p.sku === 'TL-1002' && p.locationId === 'WH')!;
        assert.equal(last.onHand, now.onHand, 'the absolute quantity on hand, as listInventory reports it');
        assert.equal(last.available, now.available);
        assert.ok(stock.every((c) => c.positions.every((p) => p.sku !== 'TL-1001' || c.changeId.startsWith('stock.move/'))));
        const idle = await erp.erpChangeFeed.fetchChanges(ctx, { cursor, limit: 50 });
        assert.deepEqual(idle.items, [], 'nothing more until stock moves again');
      } finally {
        await erp.close();
      }
    });
  });

  describe('returns', () => {
    function rmaOf(orderId: string, customerId: string, lines: Array<{ sku: string; quantity: string; orderLine: number }>): ReturnAuthorization {
      const now = new Date().toISOString();
      const id = newId('rma');
      return {
        schemaVersion: 1,
        id,
        tenantId: ctx.tenantId,
        rmaNumber: id,
        customerId: customerId as ReturnAuthorization['customerId'],
        status: 'Requested',
        requestedAt: now,
        returnToLocationId: 'WH',
        currency: 'USD',
        lines: lines.map((l, i) => ({ lineNumber: i + 1, salesOrderId: orderId as `so_${string}`, salesOrderLineNumber: l.orderLine, sku: l.sku, quantity: l.quantity, unit: 'EA', reasonCode: 'damaged_in_transit' })),
        externalIds: {},
        createdAt: now,
        updatedAt: now,
      };
    }

    test('a return is authorised once as a return sale, received (partly, then the rest), and credited on the feed with its reference', async () => {
      const erp = await instance();
      try {
        const { order } = await shippedOrder(erp, [{ sku: 'TL-1001', quantity: '5' }, { sku: 'TL-1002', quantity: '10' }]);
        const customer = (await erp.erpMasterData.listCustomers(ctx, { limit: 50 })).items.find((p) => p.kind === 'customer' && p.code === 'C1001')!;
        const start = await readFeed(erp, null, 200);
        const rma = rmaOf(order.id, customer.id, [{ sku: 'TL-1001', quantity: '3', orderLine: 1 }, { sku: 'TL-1002', quantity: '4', orderLine: 2 }]);
        const asked = await erp.erpReturns.requestReturn(ctx, rma, rma.id);
        assert.equal(asked.duplicate, false);
        assert.equal(asked.record.status, 'Authorized');
        assert.equal(asked.record.reference, rma.id);
        const again = await erp.erpReturns.requestReturn(ctx, rma, rma.id);
        assert.deepEqual(again, { record: asked.record, duplicate: true });
        const sales = await searchRead('sale.sale', [['reference', '=', rma.id]], ['number', 'state', 'shipment_returns', 'invoice_method']);
        assert.equal(sales.length, 1, 'one return sale');
        assert.equal(sales[0]!.number, asked.record.erpReturnNumber);
        assert.equal(sales[0]!.state, 'processing');
        assert.equal((sales[0]!.shipment_returns as number[]).length, 1, 'Tryton expects the goods on a customer return shipment');
        const lines = await searchRead('sale.line', [['sale', '=', sales[0]!.id]], ['quantity', 'unit_price']);
        assert.deepEqual(lines.map((l) => [l.quantity, Number(l.unit_price.decimal)]), [[-3, 12.5], [-4, 4.2]], 'negative quantities at the prices sold');

        // part of line 2 comes back first: received, no more than that credited
        const partly = await erp.erpReturns.receiveReturn(ctx, asked.record.erpReturnNumber, [{ lineNumber: 1, quantity: '3' }, { lineNumber: 2, quantity: '1' }]);
        assert.equal(partly.status, 'Credited', 'the credit note for what came back is posted (postInvoices)');
        const firstFeed = await readFeed(erp, start.cursor, 100);
        const memos = firstFeed.changes.filter((c): c is Change<'credit_memo.issued'> => c.kind === 'credit_memo.issued');
        assert.equal(memos.length, 1, JSON.stringify(firstFeed.changes.map((c) => c.kind)));
        const memo = memos[0]!;
        assert.equal(memo.returnReference, rma.id);
        assert.equal(memo.invoice.kind, 'credit_memo');
        assert.equal(memo.invoice.invoiceNumber, partly.creditMemoNumber);
        assert.deepEqual(memo.invoice.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.lineAmount.amount]), [['TL-1001', '3', '12.50', '37.50'], ['TL-1002', '1', '4.20', '4.20']]);
        assert.equal(memo.invoice.totals.total.amount, '41.70');
        assert.equal(memo.invoice.partyId, customer.id);
        assert.ok(!firstFeed.changes.some((c) => c.kind === 'invoice.issued' && c.invoice.invoiceNumber === memo.invoice.invoiceNumber), 'a credit note is not an invoice');
        assert.ok(firstFeed.changes.some((c) => c.kind === 'inventory.changed' && c.positions.some((p) => p.sku === 'TL-1001')), 'the goods back in stock are a stock change');

        // the rest of line 2 (totals per line: 4 in all); the same call again receives nothing twice
        const rest = await erp.erpReturns.receiveReturn(ctx, asked.record.erpReturnNumber, [{ lineNumber: 1, quantity: '3' }, { lineNumber: 2, quantity: '4' }]);
        assert.equal(rest.status, 'Credited');
        const again2 = await erp.erpReturns.receiveReturn(ctx, asked.record.erpReturnNumber, [{ lineNumber: 1, quantity: '3' }, { lineNumber: 2, quantity: '4' }]);
        assert.deepEqual(again2, rest);
        const moves = await searchRead('stock.move', [['origin', 'in', lines.map((l) => `sale.line,${l.id}`)], ['state', '=', 'done'], ['from_location.type', '=', 'customer']], ['quantity']);
        assert.equal(moves.reduce((t, m) => t + Number(m.quantity), 0), 7, 'seven units received in all');
        const secondFeed = await readFeed(erp, firstFeed.cursor, 100);
        const memos2 = secondFeed.changes.filter((c): c is Change<'credit_memo.issued'> => c.kind === 'credit_memo.issued');
        assert.deepEqual(memos2.map((c) => [c.returnReference, c.invoice.totals.total.amount]), [[rma.id, '12.60']], 'a second credit note for the other three');
        await assert.rejects(erp.erpReturns.receiveReturn(ctx, asked.record.erpReturnNumber, [{ lineNumber: 2, quantity: '5' }]), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_OVER_RETURN');
      } finally {
        await erp.close();
      }
    });
  });

  describe('partial shipments', () => {
    test('shipping less than ordered leaves the rest open on a new shipment; the same shipment again changes nothing; the rest ships later', async () => {
      const erp = await instance();
      try {
        const order = sampleOrder('acme', [{ sku: 'TL-1001', quantity: '6' }, { sku: 'TL-1002', quantity: '5' }]);
        const { record } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
        const first = { reference: `shp_${order.id.slice(3)}A`, carrierCode: 'UPS', trackingNumber: '1Z2', shippedAt: new Date().toISOString(), lines: [{ lineNumber: 1, quantity: '4' }] };
        const shipped = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, first);
        assert.deepEqual(shipped.lines.map((l) => [l.quantity, l.quantityShipped]), [['6', '4'], ['5', '0']]);
        assert.equal(shipped.status, 'PartiallyShipped');
        const [sale] = await searchRead('sale.sale', [['reference', '=', order.id]], ['shipments', 'shipment_state', 'invoices']);
        const shipments = await searchRead('stock.shipment.out', [['id', 'in', sale!.shipments]], ['state', 'reference']);
        assert.deepEqual(shipments.map((s) => [s.state, s.reference]).sort(), [['done', first.reference], ['waiting', null]].sort(), 'the rest waits on a new shipment');
        const again = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, first);
        assert.deepEqual(again.lines.map((l) => l.quantityShipped), ['4', '0'], 'the same shipment reference changes nothing');
        await assert.rejects(
          erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, { ...first, reference: `${first.reference}X`, lines: [{ lineNumber: 1, quantity: '3' }] }),
          (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_OVER_SHIPMENT',
        );
        const second = { ...first, reference: `shp_${order.id.slice(3)}B`, lines: [{ lineNumber: 1, quantity: '2' }, { lineNumber: 2, quantity: '5' }] };
        const all = await erp.erpSalesOrders.confirmShipment(ctx, record.erpOrderNumber, second);
        assert.deepEqual(all.lines.map((l) => l.quantityShipped), ['6', '5']);
        assert.ok(['Shipped', 'Invoiced', 'Closed'].includes(all.status), all.status);
        const invoiced = await searchRead('account.invoice.line', [['origin', 'in', (await searchRead('sale.line', [['sale.reference', '=', order.id]], ['id'])).map((l) => `sale.line,${l.id}`)]], ['quantity', 'invoice.state']);
        assert.equal(invoiced.reduce((t, l) => t + Number(l.quantity), 0), 11, 'billed once for what was ordered');
      } finally {
        await erp.close();
      }
    });
  });

  test('a cursor stored before payments and stock were on the feed still resumes', async () => {
    const erp = await instance();
    try {
      const { cursor } = await readFeed(erp, null, 500);
      const v3 = `v3.${Buffer.from('sale.sale:0:0;account.invoice:0:0;purchase.purchase:0:0;stock.shipment.in:0:0;account.invoice.in:0:0').toString('base64url')}`;
      const fromOld = await readFeed(erp, v3, 500);
      const fromNothing = await readFeed(erp, null, 500);
      assert.deepEqual(fromOld.changes.map((c) => c.changeId), fromNothing.changes.map((c) => c.changeId));
      assert.equal(fromOld.cursor, cursor);
      assert.ok(encodeFeedCursor({}).startsWith('v4.'));
    } finally {
      await erp.close();
    }
  });
});
