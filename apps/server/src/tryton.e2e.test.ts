import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InvoiceView, OrderView, ReturnView, TenantContext } from '@tradelane/core';
import { lookupTryton, payInvoice, type TestTryton, type TrytonRpc } from '@tradelane/connector-erp-tryton/testing';
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
    /** The order the first test ships and invoices; the later tests pay it and return part of it. */
    let sold: { apiKey: string; orderId: string; saleId: number; warehouse: number; invoiceId: number; invoiceNumber: string; invoiceViewId: string; partlyPaid?: boolean } | undefined;

    const orderView = async (apiKey: string, orderId: string) => {
      const res = await customerCall<OrderView>(hub, apiKey, 'GET', `/orders/${orderId}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const invoiceView = async (apiKey: string, id: string) => {
      const res = await customerCall<InvoiceView>(hub, apiKey, 'GET', `/invoices/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const invoiceList = async (apiKey: string) => {
      const res = await customerCall<{ items: InvoiceView[] }>(hub, apiKey, 'GET', '/invoices?limit=50');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items;
    };
    const returnView = async (apiKey: string, id: string) => {
      const res = await customerCall<ReturnView>(hub, apiKey, 'GET', `/returns/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    /** `text` as a literal part of a regular expression. */
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    /** The payment entries of the order's timeline, as `[status, detail]`. */
    const paymentEntries = (view: OrderView) => view.timeline.filter((e) => e.status === 'Paid' || e.status === 'PartiallyPaid').map((e) => [e.status, e.detail]);

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
      const listed = await customerCall<{ items: InvoiceView[] }>(hub, customer.apiKey, 'GET', '/invoices?limit=50');
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const mine = listed.body.items.find((i) => i.invoiceNumber === invoice.number);
      assert.ok(mine, `invoice ${invoice.number} is listed for the customer`);
      assert.equal(mine.orderId, orderId);
      assert.equal(mine.total.amount, '37.50');
      const [saleRow] = await searchRead('sale.sale', [['id', '=', sale.id]], ['warehouse']);
      sold = { apiKey: customer.apiKey, orderId, saleId: sale.id, warehouse: Number(saleRow!.warehouse), invoiceId: invoice.id, invoiceNumber: String(invoice.number), invoiceViewId: mine.id };

      // still exactly one sale, and nothing dead-lettered on the way
      assert.equal((await searchRead('sale.sale', [['reference', '=', orderId]], ['id'])).length, 1);
      assert.deepEqual(hub.logs.filter((l) => l.includes('"msg":"event dead-lettered"')), []);
    });

    it('an invoice paid in part in Tryton with its Pay button reads PartiallyPaid for the customer, the payment once, the rest open', async () => {
      assert.ok(sold, 'the order of the first test was shipped and invoiced');
      const { apiKey, orderId, invoiceId, invoiceNumber, invoiceViewId } = sold;
      const show = async () => ({ invoice: await invoiceView(apiKey, invoiceViewId), payments: paymentEntries(await orderView(apiKey, orderId)) });

      assert.deepEqual(await payInvoice(rpc, ctx, invoiceId, { amount: '12.50', description: 'check 4711' }), { state: 'posted', amountToPay: '25.00' }, 'Tryton keeps the rest open');
      sold.partlyPaid = true;
      await waitFor('the partial payment on the customer\'s invoice and the timeline', async () => {
        const [invoice, order] = [await invoiceView(apiKey, invoiceViewId), await orderView(apiKey, orderId)];
        return invoice.status === 'PartiallyPaid' && paymentEntries(order).length > 0 ? true : undefined;
      }, 60_000, show);
      const order = await orderView(apiKey, orderId);
      assert.equal(order.status, 'Invoiced', 'an order with an open balance is not Paid');
      assert.equal(paymentEntries(order).length, 1, JSON.stringify(paymentEntries(order)));
      assert.equal(paymentEntries(order)[0]![0], 'PartiallyPaid');
      assert.match(paymentEntries(order)[0]![1]!, new RegExp(`^payment .+ of 12\\.50 USD on invoice ${escaped(invoiceNumber)}$`));
      const partly = await invoiceView(apiKey, invoiceViewId);
      assert.deepEqual(partly.openAmount, { amount: '25.00', currency: 'USD' }, 'what is left to pay: 37.50 less the 12.50 paid, taken off once');
      const balance = await customerCall<{ balance: string; currency: string }>(hub, apiKey, 'GET', '/balance');
      assert.equal(balance.status, 200, JSON.stringify(balance.body));
      assert.deepEqual([Number(balance.body.balance), balance.body.currency], [25, 'USD'], 'the customer\'s open balance');
    });

    it('the rest paid in Tryton reads Paid for the customer (invoice and order), each payment once on the timeline', async () => {
      assert.ok(sold?.partlyPaid, 'the previous test paid part of the invoice');
      const { apiKey, orderId, saleId, invoiceId, invoiceNumber, invoiceViewId } = sold;
      const show = async () => ({ invoice: await invoiceView(apiKey, invoiceViewId), payments: paymentEntries(await orderView(apiKey, orderId)) });

      assert.equal((await payInvoice(rpc, ctx, invoiceId, { description: 'wire 0815' })).state, 'paid');
      await waitFor('the final payment on the customer\'s invoice and the timeline', async () => {
        const [invoice, order] = [await invoiceView(apiKey, invoiceViewId), await orderView(apiKey, orderId)];
        return invoice.status === 'Paid' && paymentEntries(order).some(([status]) => status === 'Paid') ? true : undefined;
      }, 60_000, show);
      const paid = await invoiceView(apiKey, invoiceViewId);
      assert.deepEqual(paid.openAmount, { amount: '0.00', currency: 'USD' });
      assert.equal((await invoiceList(apiKey)).find((i) => i.invoiceNumber === invoiceNumber)?.status, 'Paid', 'the invoice list agrees');
      // paid and shipped, Tryton finishes the sale (done): the order reads Paid, then Closed
      const order = await waitFor('the order Closed', async () => {
        const v = await orderView(apiKey, orderId);
        return v.status === 'Closed' ? v : undefined;
      }, 60_000, () => orderView(apiKey, orderId));
      assert.equal((await searchRead('sale.sale', [['id', '=', saleId]], ['state']))[0]?.state, 'done');
      assert.deepEqual(paymentEntries(order).map(([status]) => status), ['PartiallyPaid', 'Paid'], 'one timeline entry per payment');
      assert.match(paymentEntries(order)[1]![1]!, new RegExp(`^payment .+ of 25\\.00 USD on invoice ${escaped(invoiceNumber)}$`));
      const [inTryton] = await searchRead('account.invoice', [['id', '=', invoiceId]], ['state', 'payment_lines']);
      assert.equal(inTryton!.state, 'paid');
      assert.equal((inTryton!.payment_lines as number[]).length, 2, 'two payment lines in Tryton');
      // the last test checks again, after later feed polls, that no payment was applied twice
    });

    it('a return requested in the customer API becomes one return sale in Tryton; received through the hub, Tryton\'s credit note credits it for the customer', async () => {
      assert.ok(sold, 'the order of the first test was shipped');
      const { apiKey, orderId, warehouse } = sold;
      const key = `rma-${orderId}`;
      const body = { orderId, reason: 'two arrived damaged', lines: [{ lineNumber: 1, quantity: '2', reasonCode: 'DAMAGED' }] };
      const requested = await customerCall<ReturnView>(hub, apiKey, 'POST', '/returns', body, { 'idempotency-key': key });
      assert.equal(requested.status, 201, JSON.stringify(requested.body));
      const returnId = requested.body.id;
      assert.equal(requested.body.status, 'Requested');
      assert.equal(requested.headers.get('location'), `/v1/customer/returns/${returnId}`);
      const replayed = await customerCall<ReturnView>(hub, apiKey, 'POST', '/returns', body, { 'idempotency-key': key });
      assert.equal(replayed.status, 201, JSON.stringify(replayed.body));
      assert.equal(replayed.body.id, returnId, 'the same request again is the same return');
      const show = () => returnView(apiKey, returnId);

      // authorized: exactly one return sale in Tryton carries the return id
      const authorized = await waitFor('the return Authorized', async () => {
        const r = await returnView(apiKey, returnId);
        return r.status === 'Authorized' ? r : undefined;
      }, 60_000, show);
      const returnSales = await searchRead('sale.sale', [['reference', '=', returnId]], ['number', 'state', 'warehouse', 'party.code', 'invoice_method', 'shipment_returns', 'invoices']);
      assert.equal(returnSales.length, 1, 'exactly one return sale with reference = the hub return id');
      const returnSale = returnSales[0]!;
      assert.equal(authorized.rmaNumber, returnSale.number);
      assert.equal(returnSale['party.']?.code, 'C1001');
      assert.deepEqual([returnSale.state, returnSale.invoice_method], ['processing', 'shipment']);
      assert.equal(Number(returnSale.warehouse), warehouse, 'the hub\'s return location M10 is no Tryton warehouse: the goods go back to the warehouse the order shipped from');
      const returnLines = await searchRead('sale.line', [['sale', '=', returnSale.id]], ['product.code', 'quantity', 'unit_price']);
      assert.deepEqual(returnLines.map((l) => [l['product.']?.code, l.quantity, l.unit_price?.decimal]), [['TL-1001', -2, '12.5']], 'negative quantity at the price sold');
      const [expected] = await rpc.call<Row[]>(ctx, 'model.stock.shipment.out.return.read', [returnSale.shipment_returns, ['state']]);
      assert.equal(expected?.state, 'draft', 'Tryton expects the goods on a customer return shipment');
      assert.deepEqual(returnSale.invoices, [], 'no credit note before anything came back');
      assert.deepEqual((await orderView(apiKey, orderId)).timeline.filter((e) => e.detail.includes(returnId)).map((e) => e.status), ['ReturnRequested', 'ReturnAuthorized']);

      // the goods arrive: the hub records the receipt in Tryton, which credits what came back
      const o2c = hub.server.orderToCash;
      assert.ok(o2c, 'order-to-cash runs');
      const received = await o2c.receiveReturn(ctx, returnId);
      assert.equal(received.status, 'Received');
      const [returnShipment] = await rpc.call<Row[]>(ctx, 'model.stock.shipment.out.return.read', [returnSale.shipment_returns, ['state']]);
      assert.equal(returnShipment?.state, 'done');
      const back = await searchRead('stock.move', [['origin', '=', `sale.line,${returnLines[0]!.id}`], ['from_location.type', '=', 'customer']], ['quantity', 'state']);
      assert.deepEqual(back.map((m) => [m.quantity, m.state]), [[2, 'done']], 'two units back in stock');
      const [returnSaleNow] = await searchRead('sale.sale', [['id', '=', returnSale.id]], ['invoices']);
      const creditNotes = await rpc.call<Row[]>(ctx, 'model.account.invoice.read', [returnSaleNow!.invoices, ['number', 'state', 'type', 'total_amount']]);
      assert.equal(creditNotes.length, 1, 'one credit note');
      const creditNote = creditNotes[0]!;
      assert.deepEqual([creditNote.type, creditNote.state, creditNote.total_amount?.decimal], ['out', 'posted', '-25.00'], 'posted right away (TRADELANE_TRYTON_POST_INVOICES)');

      // credited: the credit note comes back on the feed
      const credited = await waitFor('the return Credited', async () => {
        const r = await returnView(apiKey, returnId);
        return r.status === 'Credited' ? r : undefined;
      }, 60_000, show);
      assert.deepEqual(credited.timeline.map((e) => e.status), ['ReturnRequested', 'ReturnAuthorized', 'ReturnReceived', 'Credited']);
      assert.match(credited.timeline.at(-1)!.detail, new RegExp(`credit memo ${creditNote.number} for 25\\.00 USD`));
      const memo = (await invoiceList(apiKey)).find((i) => i.invoiceNumber === creditNote.number);
      assert.ok(memo, `credit note ${creditNote.number} is among the customer's invoices`);
      assert.equal(memo.kind, 'credit_memo');
      assert.equal(memo.id, credited.creditMemoId);
      assert.equal(memo.orderId, orderId);
      assert.equal(memo.total.amount, '25.00');
      assert.deepEqual(memo.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.amount.amount]), [['TL-1001', '2', '12.50', '25.00']]);
      const order = await orderView(apiKey, orderId);
      assert.deepEqual(order.timeline.filter((e) => e.detail.includes(returnId)).map((e) => [e.source, e.status]), [['customer', 'ReturnRequested'], ['erp', 'ReturnAuthorized'], ['wms', 'ReturnReceived'], ['erp', 'Credited']]);

      // a second receipt of the same return is refused; Tryton keeps one return sale and one credit note
      await assert.rejects(o2c.receiveReturn(ctx, returnId), (e: unknown) => (e as { code?: string }).code === 'TL_O2C_RETURN_NOT_AUTHORIZED');
      const returnSalesAfter = await searchRead('sale.sale', [['reference', '=', returnId]], ['invoices']);
      assert.equal(returnSalesAfter.length, 1);
      assert.equal((returnSalesAfter[0]!.invoices as number[]).length, 1);
    });

    it('after later feed polls every payment and the credit note are still applied once, and nothing was dead-lettered', async () => {
      assert.ok(sold, 'the order of the first test was paid and returned');
      const { apiKey, orderId, invoiceViewId, invoiceNumber } = sold;
      // the credit note reached the hub after the payments, so the feed has been polled past them since
      const order = await orderView(apiKey, orderId);
      assert.deepEqual(paymentEntries(order).map(([status]) => status), ['PartiallyPaid', 'Paid']);
      assert.equal(order.timeline.filter((e) => e.status === 'Credited').length, 1);
      assert.equal(order.timeline.filter((e) => e.status === 'Invoiced').length, 1, 'the invoice, changed by its payments in Tryton, is on the timeline once');
      const paid = await invoiceView(apiKey, invoiceViewId);
      assert.deepEqual([paid.status, paid.openAmount.amount], ['Paid', '0.00']);
      const listed = await invoiceList(apiKey);
      assert.equal(listed.filter((i) => i.invoiceNumber === invoiceNumber).length, 1);
      assert.equal(listed.filter((i) => i.kind === 'credit_memo' && i.orderId === orderId).length, 1);
      assert.deepEqual(hub.logs.filter((l) => l.includes('"msg":"event dead-lettered"')), []);
    });
  });
}
