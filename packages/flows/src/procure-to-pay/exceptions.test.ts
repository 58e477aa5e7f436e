import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, InputError, type OrderView, type SupplierPurchaseOrderView, type TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import { catalogConformance, procureToPayHarness, type ProcureToPayHarness } from './procure-to-pay.fixture.js';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

for (const target of databaseTargets()) {
  describe(`procure-to-pay exceptions and impact on customer orders, on ${target.name}`, () => {
    let h: ProcureToPayHarness;
    let supplier: TenantContext;
    before(async () => {
      h = await procureToPayHarness(await target.open());
      supplier = await h.supplier(5101);
    });
    after(async () => {
      await h.close();
      await h.db.close();
    });

    async function published(poNumber: string): Promise<SupplierPurchaseOrderView> {
      await h.settle();
      const po = await h.p2p.queries.getPurchaseOrder(supplier, poNumber);
      assert.ok(po, `purchase order ${poNumber} published`);
      return po;
    }

    it('holds an acknowledgment outside tolerance for a buyer, who accepts the change: the ERP takes the supplier values', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1008', UORG: 100 }, { LITM: 'FAS-1009', UORG: 50 }]);
      const po = await published(poNumber);
      const requested = po.lines[0]!.requestedDate;
      const ack = await h.p2p.commands.acknowledge(supplier, po.id, {
        acknowledgmentNumber: 'ACK-OOT-1',
        lines: [
          { lineNumber: 1, action: 'change', quantity: '80', unitPrice: '1.9800', promisedDate: addDays(requested, 1) },
          { lineNumber: 2, action: 'accept' },
        ],
      });
      assert.equal(ack.outcome, 'Exception');
      assert.deepEqual(ack.lines[0], {
        lineNumber: 1,
        outcome: 'out_of_tolerance',
        reasons: ['quantity -20.00% exceeds -5%', 'price +10.00% exceeds 2%', 'date +1 days within +2 days'],
      });
      assert.deepEqual(ack.lines[1], { lineNumber: 2, outcome: 'as_ordered', reasons: [] });
      assert.ok(ack.exceptionId);
      let view = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([view.status, view.awaitingAcknowledgment], ['InException', false]);
      await h.settle();
      let erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.deepEqual(erpPo.lines.map((l) => [l.quantityOrdered, l.unitPrice, l.acknowledgment]), [['100', '1.8000', undefined], ['50', '1.8840', undefined]], 'nothing reached the ERP yet');

      const buyer = h.staff('buyer-ann');
      const listed = await h.p2p.exceptions.list(buyer, { type: 'acknowledgment_out_of_tolerance', ownerRole: 'buyer', status: 'Open' });
      const exception = listed.items.find((e) => e.id === ack.exceptionId)!;
      assert.ok(exception);
      assert.deepEqual(exception.actions, ['accept_change', 'reject_change', 'counter']);
      assert.equal(exception.sla.state, 'ok');
      const evidence = exception.evidence as { lines: Array<{ lineNumber: number; ordered: Record<string, unknown>; acknowledged: Record<string, unknown>; reasons: string[] }> };
      assert.deepEqual(evidence.lines[0]!.ordered, { quantity: '100', unit: 'BX', unitPrice: '1.8000', requestedDate: requested });
      assert.deepEqual(evidence.lines[0]!.acknowledged, { action: 'change', quantity: '80', unitPrice: '1.9800', promisedDate: addDays(requested, 1) });
      assert.equal((await h.p2p.exceptions.list(buyer, { slaState: 'ok', type: 'acknowledgment_out_of_tolerance' })).items.some((e) => e.id === exception.id), true);
      assert.equal((await h.p2p.exceptions.list(buyer, { slaState: 'breached', type: 'acknowledgment_out_of_tolerance' })).items.some((e) => e.id === exception.id), false);

      await h.p2p.exceptions.claim(buyer, exception.id);
      await assert.rejects(h.p2p.exceptions.claim(h.staff('buyer-bob'), exception.id), (e: any) => e instanceof ConflictError && e.code === 'TL_P2P_EXCEPTION_CLAIMED');
      await assert.rejects(h.p2p.exceptions.resolve(buyer, exception.id, { action: 'approve_variance' }), (e: any) => e instanceof InputError && e.code === 'TL_P2P_UNKNOWN_ACTION');
      const resolved = await h.p2p.exceptions.resolve(buyer, exception.id, { action: 'accept_change', note: 'short supply market-wide' });
      assert.equal(resolved.status, 'Resolved');
      assert.deepEqual(resolved.resolution, { action: 'accept_change', by: 'buyer-ann', note: 'short supply market-wide' });
      assert.deepEqual(resolved.history.map((e) => [e.action, e.actor]), [['opened', 'supplier-5101'], ['claimed', 'buyer-ann'], ['accept_change', 'buyer-ann']]);
      await assert.rejects(h.p2p.exceptions.resolve(buyer, exception.id, { action: 'accept_change' }), (e: any) => e instanceof ConflictError && e.code === 'TL_P2P_EXCEPTION_RESOLVED');

      await h.settle();
      erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.deepEqual(erpPo.lines.map((l) => [l.quantityOrdered, l.unitPrice, l.promisedDate, l.acknowledgment]), [
        ['80', '1.9800', addDays(requested, 1), 'changed'],
        ['50', '1.8840', requested, 'accepted'],
      ]);
      view = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([view.status, view.lines[0]!.quantityAcknowledged, view.lines[0]!.unitPrice.amount], ['Acknowledged', '80', '1.9800']);
    });

    it('lets a buyer reject a change (order stands, supplier told) or counter it (new revision awaiting acknowledgment)', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1010', UORG: 60 }]);
      const po = await published(poNumber);
      const first = await h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'change', quantity: '30' }] });
      const buyer = h.staff('buyer-cy');
      await h.p2p.exceptions.resolve(buyer, first.exceptionId!, { action: 'reject_change', note: 'we need all 60' });
      let view = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([view.status, view.awaitingAcknowledgment, view.revision, view.lines[0]!.quantity], ['New', true, 0, '60']);
      const rejected = (await h.events('purchase_order.change_rejected')).filter((e) => e.data.purchaseOrder.poNumber === poNumber);
      assert.equal(rejected.length, 1);
      assert.equal(rejected[0]!.data.note, 'we need all 60');

      const second = await h.p2p.commands.acknowledge(supplier, po.id, { acknowledgmentNumber: 'ACK-2', lines: [{ lineNumber: 1, action: 'change', quantity: '40' }] });
      assert.equal(second.outcome, 'Exception');
      await assert.rejects(h.p2p.exceptions.resolve(buyer, second.exceptionId!, { action: 'counter' }), (e: any) => e instanceof InputError && e.code === 'TL_P2P_COUNTER_REQUIRED');
      await h.p2p.exceptions.resolve(buyer, second.exceptionId!, { action: 'counter', counter: [{ lineNumber: 1, quantity: '55' }] });
      view = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([view.status, view.awaitingAcknowledgment, view.revision, view.lines[0]!.quantity], ['Changed', true, 1, '55']);
      const republished = (await h.events('purchase_order.published')).filter((e) => e.data.purchaseOrder.poNumber === poNumber);
      assert.deepEqual(republished.map((e) => [e.data.purchaseOrder.revision, e.data.purchaseOrder.status, e.data.purchaseOrder.lines[0].quantity]), [[0, 'Published', '60'], [1, 'Changed', '55']]);
      // An answer to the old revision is stale; the answer to the counter is inside tolerance and reaches the ERP.
      await assert.rejects(h.p2p.commands.acknowledge(supplier, po.id, { revision: 0, lines: [{ lineNumber: 1, action: 'accept' }] }), (e: any) => e.code === 'TL_P2P_STALE_REVISION');
      const third = await h.p2p.commands.acknowledge(supplier, po.id, { revision: 1, lines: [{ lineNumber: 1, action: 'change', quantity: '55' }] });
      assert.equal(third.outcome, 'Applied');
      await h.settle();
      const erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.deepEqual(erpPo.lines.map((l) => [l.quantityOrdered, l.acknowledgment]), [['55', 'changed']]);
    });

    it('disputes an invoice with a price variance for finance, and waits with an invoice that is ahead of the goods', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1011', UORG: 10 }, { LITM: 'FAS-1012', UORG: 20 }]);
      const po = await published(poNumber);
      await h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept' }, { lineNumber: 2, action: 'accept' }] });
      const date = po.lines[0]!.requestedDate;
      const asn = await h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-VAR-1', shipDate: date, expectedDeliveryDate: date, lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1011', quantity: '10', unit: 'BX' }, { poNumber, lineNumber: 2, sku: 'FAS-1012', quantity: '20', unit: 'BX' }] });
      await h.settle();
      // Invoiced before the goods arrive: it waits.
      const early = await h.p2p.commands.submitInvoice(supplier, {
        invoiceNumber: 'INV-EARLY-1',
        invoiceDate: date,
        poNumber,
        currency: 'USD',
        lines: [{ lineNumber: 2, sku: 'FAS-1012', quantity: '20', unit: 'BX', unitPrice: '2.7900' }],
      });
      assert.deepEqual([early.status, early.match?.result], ['Received', 'waiting_for_receipt']);
      await h.p2p.receiveAsn(h.system, asn.id);
      await h.settle();
      const matched = (await h.p2p.queries.getInvoice(supplier, early.id))!;
      assert.deepEqual([matched.status, matched.match?.result, matched.match?.lines[0]?.receivedQuantity], ['Approved', 'matched', '20']);
      assert.equal(h.sim.engine.purchasing.listVouchers({ VINV: 'INV-EARLY-1' })[0]?.MTCH, 'A');

      const invoice = await h.p2p.commands.submitInvoice(supplier, {
        invoiceNumber: 'INV-VAR-1',
        invoiceDate: date,
        poNumber,
        currency: 'USD',
        lines: [{ lineNumber: 1, sku: 'FAS-1011', quantity: '10', unit: 'BX', unitPrice: '15.2038' }],
      });
      assert.equal(invoice.status, 'Disputed');
      assert.equal(invoice.match?.result, 'variance');
      assert.deepEqual(invoice.match?.lines[0]?.variances, ['price +4.00% exceeds 2%']);
      const finance = h.staff('ap-clerk');
      const [dispute] = (await h.p2p.exceptions.list(finance, { type: 'invoice_dispute', ownerRole: 'finance' })).items.filter((e) => e.id === invoice.exceptionId);
      assert.ok(dispute);
      assert.deepEqual(dispute.subject, { kind: 'supplier_invoice', id: invoice.id, number: 'INV-VAR-1' });
      assert.deepEqual(dispute.actions, ['approve_variance', 'reject_invoice']);
      assert.equal((dispute.evidence as { match: Array<{ poUnitPrice: string; invoicedUnitPrice: string }> }).match[0]!.invoicedUnitPrice, '15.2038');
      await h.settle();
      const [voucher] = h.sim.engine.purchasing.listVouchers({ VINV: 'INV-VAR-1' });
      assert.equal(voucher?.MTCH, 'D', 'on hold as disputed in the ERP');
      assert.match(String(voucher?.HRSN), /price \+4\.00% exceeds 2%/);
      assert.equal((await h.p2p.queries.scorecard(supplier, {})).invoiceFirstPassMatchRate, 0.5);

      await h.p2p.exceptions.resolve(finance, dispute.id, { action: 'approve_variance', note: 'surcharge agreed by phone' });
      await h.settle();
      assert.equal(h.sim.engine.purchasing.listVouchers({ VINV: 'INV-VAR-1' })[0]?.MTCH, 'A');
      assert.equal((await h.p2p.queries.getInvoice(supplier, invoice.id))?.status, 'Approved');
    });

    it('re-promises a backordered customer order when the ship notice moves its supply later, and tells the customer', async () => {
      const customer = await h.customer('4242');
      const placed = await h.o2c.commands.submitOrder(customer, { customerPoNumber: 'PO-WAITS-FOR-SUPPLY', lines: [{ sku: 'FAS-1007', quantity: '5', unit: 'EA' }] });
      let order: OrderView | null = null;
      for (let round = 0; round < 40; round += 1) {
        await h.settle();
        order = await h.o2cStore.queries.getOrder(customer, placed.id);
        if (order?.lines[0]?.status === 'Backordered') break;
        h.clock.advance(31_000);
      }
      assert.equal(order?.lines[0]?.status, 'Backordered');
      const erpPromise = order!.lines[0]!.promisedDate ?? null;
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1007', UORG: 10 }]);
      const po = await published(poNumber);
      const requested = po.lines[0]!.requestedDate;
      // The new order's supply is what the backorder waits for: promised at its requested date.
      order = (await h.o2cStore.queries.getOrder(customer, placed.id))!;
      assert.equal(order.lines[0]!.promisedDate, requested);
      const placedEntry = order.timeline.filter((e) => e.status === 'Promised' || e.status === 'Repromised');
      assert.deepEqual(placedEntry.map((e) => [e.status, e.source, e.detail]), [
        [erpPromise ? 'Repromised' : 'Promised', 'erp', `line 1: promised ${requested}${erpPromise ? ` (was ${erpPromise})` : ''}: purchase order ${poNumber} placed with the supplier`],
      ]);
      await h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept', promisedDate: addDays(requested, 1) }] });
      await h.settle();
      order = (await h.o2cStore.queries.getOrder(customer, placed.id))!;
      assert.equal(order.lines[0]!.promisedDate, addDays(requested, 1));
      const promised = order.timeline.filter((e) => e.status === 'Promised' || e.status === 'Repromised');
      assert.deepEqual(promised.map((e) => [e.status, e.source, e.lineNumber]).slice(1), [['Repromised', 'hub', 1]]);

      const late = addDays(requested, 9);
      await h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-LATE-1', shipDate: addDays(requested, 6), expectedDeliveryDate: late, lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1007', quantity: '10', unit: 'BX' }] });
      await h.settle();
      order = (await h.o2cStore.queries.getOrder(customer, placed.id))!;
      assert.equal(order.lines[0]!.promisedDate, late);
      const repromised = order.timeline.filter((e) => e.status === 'Repromised' || e.status === 'Promised');
      assert.equal(repromised.length, 3, 'placed, acknowledged, shipped late');
      assert.equal(repromised[2]!.source, 'hub');
      assert.equal(repromised[2]!.detail, `line 1: promised ${late} (was ${addDays(requested, 1)}): ship notice ASN-LATE-1 expects delivery ${late}`);
      const events = (await h.events('sales_order.repromised')).filter((e) => e.data.orderId === placed.id);
      assert.deepEqual(events.map((e) => [e.data.previousPromisedDate, e.data.promisedDate, e.data.customerId]), [
        [erpPromise, requested, customer.partnerId],
        [requested, addDays(requested, 1), customer.partnerId],
        [addDays(requested, 1), late, customer.partnerId],
      ]);
      const cs = h.staff('cs-dana');
      const missed = (await h.p2p.exceptions.list(cs, { type: 'promise_missed', ownerRole: 'customer_service' })).items.filter((e) => e.subject.id === placed.id);
      assert.equal(missed.length, 1);
      assert.deepEqual([missed[0]!.evidence.previousPromisedDate, missed[0]!.evidence.promisedDate], [addDays(requested, 1), late]);
      const card = await h.p2p.queries.scorecard(supplier, {});
      assert.ok(card.onTimeAsnRate !== null && card.onTimeAsnRate < 1, 'the late ship notice counts against the supplier');
      const atp = await h.p2p.atp(h.system, 'FAS-1007');
      const m10 = atp.locations.find((l) => l.warehouseId === 'M10')!;
      assert.deepEqual(m10.inbound.filter((i) => i.poNumber === poNumber).map((i) => [i.quantity, i.date, i.confidence]), [['10', late, 'shipped']]);
    });

    it('writes every event of a cataloged type with the payload of the catalog, over the clean and the exception cycles', async () => {
      // A clean cycle beside the exception cycles above, with a reminder for an order left unanswered.
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1003', UORG: 10 }]);
      const po = await published(poNumber);
      await h.p2p.commands.acknowledge(supplier, po.id, { acknowledgmentNumber: 'ACK-CAT-1', lines: [{ lineNumber: 1, action: 'accept' }] });
      const date = addDays(po.lines[0]!.requestedDate, 0);
      const asn = await h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-CAT-1', shipDate: date, expectedDeliveryDate: date, lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1003', quantity: '10', unit: 'BX' }] });
      await h.settle();
      await h.p2p.receiveAsn(h.system, asn.id);
      await h.settle();
      const unit = po.lines[0]!.unitPrice.amount;
      await h.p2p.commands.submitInvoice(supplier, { invoiceNumber: 'INV-CAT-1', invoiceDate: date, poNumber, currency: po.currency, lines: [{ lineNumber: 1, sku: 'FAS-1003', quantity: '10', unit: 'BX', unitPrice: unit }] });
      await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1002', UORG: 5 }]);
      await h.settle();
      h.clock.advance(25 * 3_600_000);
      await h.p2p.sweeps.runOnce();
      await h.settle();

      const { seen, checked, failures, partners } = await catalogConformance(h);
      assert.deepEqual(failures, [], 'every cataloged event parses with the catalog');
      assert.ok(checked > 0);
      for (const type of ['purchase_order.published', 'purchase_order.acknowledged', 'purchase_order.ack_reminded', 'purchase_order.change_rejected', 'asn.received', 'sales_order.repromised']) {
        assert.ok(seen.has(type), `${type} was written`);
        assert.ok((partners.get(type) ?? []).every((p) => typeof p === 'string' && p.length > 0), `${type} names its partner`);
      }
      const acknowledged = (await h.events('purchase_order.acknowledged')).map((e) => e.data);
      assert.ok(acknowledged.some((d) => d.withinTolerance === false), 'a buyer-accepted change is outside tolerance');
      assert.ok(acknowledged.some((d) => d.withinTolerance === true && d.acknowledgment.ackNumber === 'ACK-CAT-1' && d.acknowledgment.ackType === 'accepted'));
      // Internal events stay out of the catalog.
      for (const type of ['procure_to_pay.erp_requested', 'procure_to_pay_exception.opened', 'supplier_invoice.approved']) assert.ok(seen.has(type) && !partners.has(type), `${type} is internal`);
    });
  });
}
