import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConflictError, InputError, NotFoundError, type SupplierPurchaseOrderView, type TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import { procureToPayHarness, type ProcureToPayHarness } from './procure-to-pay.fixture.js';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

for (const target of databaseTargets()) {
  describe(`procure-to-pay with the ERP simulator, on ${target.name}`, () => {
    let h: ProcureToPayHarness;
    let supplier: TenantContext;
    let other: TenantContext;
    before(async () => {
      h = await procureToPayHarness(await target.open(), {
        p2p: { tolerances: { default: { quantityUnderPct: 5, quantityOverPct: 5, pricePct: 2, priceAbs: '0.50', dateEarlyDays: 3, dateLateDays: 2, ackReminderHours: 24, ackDueHours: 48 } } },
      });
      supplier = await h.supplier(5101);
      other = await h.supplier(5102);
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

    it('takes a clean order through acknowledgment, ship notice, receipt and invoice to an approved 3-way match', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [
        { LITM: 'FAS-1001', UORG: 100 },
        { LITM: 'FAS-1002', UORG: 40 },
      ]);
      let po = await published(poNumber);
      assert.equal(po.status, 'New');
      assert.equal(po.revision, 0);
      assert.equal(po.awaitingAcknowledgment, true);
      assert.deepEqual(po.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit, l.unitPrice.amount, l.status]), [
        [1, 'FAS-1001', '100', 'BX', '5.5328', 'Open'],
        [2, 'FAS-1002', '40', 'BX', '9.2933', 'Open'],
      ]);
      assert.equal(po.total.amount, '925.01');
      const publishedEvents = (await h.events('purchase_order.published')).filter((e) => e.data.purchaseOrder.poNumber === poNumber);
      assert.equal(publishedEvents.length, 1);
      assert.equal(publishedEvents[0]!.data.channel, 'api');
      // Partner isolation: another supplier neither lists nor reads it.
      assert.equal(await h.p2p.queries.getPurchaseOrder(other, poNumber), null);
      assert.ok(!(await h.p2p.queries.listPurchaseOrders(other, {})).items.some((p) => p.poNumber === poNumber));
      const awaiting = await h.p2p.queries.listPurchaseOrders(supplier, { awaitingAcknowledgment: true });
      assert.ok(awaiting.items.some((p) => p.poNumber === poNumber));

      h.clock.advance(3 * 3_600_000);
      const ack = await h.p2p.commands.acknowledge(supplier, po.id, {
        acknowledgmentNumber: 'ACK-CLEAN-1',
        lines: [
          { lineNumber: 1, action: 'accept' },
          { lineNumber: 2, action: 'change', quantity: '39' }, // -2.5%: inside the 5% tolerance
        ],
      });
      assert.equal(ack.outcome, 'Applied');
      assert.deepEqual(ack.lines.map((l) => [l.lineNumber, l.outcome]), [[1, 'as_ordered'], [2, 'within_tolerance']]);
      assert.deepEqual(ack.lines[1]!.reasons, ['quantity -2.50% within -5%']);
      await h.settle();
      let erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erpPo.status, 'Acknowledged');
      assert.deepEqual(erpPo.lines.map((l) => [l.acknowledgment, l.quantityOrdered]), [['accepted', '100'], ['changed', '39']]);
      po = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.equal(po.status, 'Acknowledged');
      assert.equal(po.awaitingAcknowledgment, false);
      assert.deepEqual(po.lines.map((l) => l.quantityAcknowledged), ['100', '39']);

      const asn = await h.p2p.commands.submitAsn(supplier, {
        asnNumber: 'ASN-CLEAN-1',
        shipDate: po.lines[0]!.requestedDate,
        expectedDeliveryDate: po.lines[0]!.requestedDate,
        carrierCode: 'FRLK',
        trackingNumber: 'TRK-1',
        lines: [
          { poNumber, lineNumber: 1, sku: 'FAS-1001', quantity: '100', unit: 'BX' },
          { poNumber, lineNumber: 2, sku: 'FAS-1002', quantity: '39', unit: 'BX' },
        ],
      });
      assert.equal(asn.status, 'InTransit');
      const atp = await h.p2p.atp(h.system, 'FAS-1001');
      const m10 = atp.locations.find((l) => l.warehouseId === 'M10')!;
      assert.deepEqual(m10.inbound.filter((i) => i.poNumber === poNumber).map((i) => [i.quantity, i.confidence, i.date]), [['100', 'shipped', po.lines[0]!.requestedDate]]);
      await h.settle();
      erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erpPo.status, 'InTransit');
      assert.deepEqual(erpPo.lines.map((l) => l.quantityInTransit), ['100', '39']);

      await h.p2p.receiveAsn(h.system, asn.id);
      await h.settle();
      erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erpPo.status, 'Received');
      po = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.equal(po.status, 'Received');
      assert.deepEqual(po.lines.map((l) => l.quantityReceived), ['100', '39']);
      const asnAfter = (await h.p2p.queries.getAsn(supplier, asn.id))!;
      assert.equal(asnAfter.status, 'Received');
      assert.deepEqual(asnAfter.lines.map((l) => l.quantityReceived), ['100', '39']);
      const atpAfter = await h.p2p.atp(h.system, 'FAS-1001');
      assert.ok(!atpAfter.locations.some((l) => l.inbound.some((i) => i.poNumber === poNumber)), 'received supply is no longer inbound');

      const invoice = await h.p2p.commands.submitInvoice(supplier, {
        invoiceNumber: 'INV-CLEAN-1',
        invoiceDate: po.lines[0]!.requestedDate,
        poNumber,
        currency: 'USD',
        lines: [
          { lineNumber: 1, sku: 'FAS-1001', quantity: '100', unit: 'BX', unitPrice: '5.5328' },
          { lineNumber: 2, sku: 'FAS-1002', quantity: '39', unit: 'BX', unitPrice: '9.2933' },
        ],
      });
      assert.equal(invoice.status, 'Approved');
      assert.equal(invoice.match?.result, 'matched');
      assert.equal(invoice.total.amount, '915.72');
      await h.settle();
      const [voucher] = h.sim.engine.purchasing.listVouchers({ VINV: 'INV-CLEAN-1' });
      assert.equal(voucher?.MTCH, 'A', 'approved for payment in the ERP');
      po = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.equal(po.status, 'Closed', 'received in full and matched: the ERP closes it');
      assert.equal((await h.p2p.queries.getInvoice(supplier, invoice.id))?.status, 'Approved');
      assert.equal(await h.p2p.queries.getInvoice(other, invoice.id), null);

      const card = await h.p2p.queries.scorecard(supplier, {});
      assert.equal(card.supplierId, supplier.partnerId);
      assert.ok(card.purchaseOrders >= 1);
      assert.equal(card.acknowledgmentLatency.count >= 1, true);
      assert.equal(card.acknowledgmentLatency.medianHours, 3);
      assert.equal(card.onTimeAsnRate, 1);
      assert.equal(card.invoiceFirstPassMatchRate, 1);
    });

    it('applies duplicate acknowledgments, ship notices and invoices once', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1003', UORG: 20 }]);
      const po = await published(poNumber);
      const submission = { acknowledgmentNumber: 'ACK-DUP-1', lines: [{ lineNumber: 1, action: 'accept' as const }] };
      const first = await h.p2p.commands.acknowledge(supplier, po.id, submission);
      const again = await h.p2p.commands.acknowledge(supplier, po.id, submission);
      const sameContent = await h.p2p.commands.acknowledge(supplier, po.id, { lines: submission.lines });
      assert.equal(first.outcome, 'Applied');
      assert.deepEqual([again.outcome, again.id], ['Duplicate', first.id]);
      assert.deepEqual([sameContent.outcome, sameContent.id], ['Duplicate', first.id]);
      const asnIn = { asnNumber: 'ASN-DUP-1', shipDate: po.lines[0]!.requestedDate, expectedDeliveryDate: po.lines[0]!.requestedDate, lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1003', quantity: '20', unit: 'BX' }] };
      const asn1 = await h.p2p.commands.submitAsn(supplier, asnIn);
      const asn2 = await h.p2p.commands.submitAsn(supplier, asnIn);
      assert.equal(asn2.id, asn1.id);
      assert.equal(asn2.duplicate, true);
      assert.equal(asn1.duplicate, undefined);
      await h.settle();
      await h.p2p.receiveAsn(h.system, asn1.id);
      await h.settle();
      const inv = { invoiceNumber: 'INV-DUP-1', invoiceDate: po.lines[0]!.requestedDate, poNumber, currency: 'USD', lines: [{ lineNumber: 1, sku: 'FAS-1003', quantity: '20', unit: 'BX', unitPrice: po.lines[0]!.unitPrice.amount }] };
      const inv1 = await h.p2p.commands.submitInvoice(supplier, inv);
      const inv2 = await h.p2p.commands.submitInvoice(supplier, inv);
      assert.deepEqual([inv2.id, inv2.duplicate, inv1.status], [inv1.id, true, 'Approved']);
      await h.settle();
      const doco = Number(poNumber);
      assert.equal(h.sim.engine.purchasing.listExpectedReceipts({ DOCO: doco }).length, 1, 'one expected receipt');
      assert.equal(h.sim.engine.purchasing.listReceipts({ DOCO: doco }).length, 1, 'one receipt');
      assert.equal(h.sim.engine.purchasing.listVouchers({ DOCO: doco }).length, 1, 'one voucher');
      const erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.deepEqual(erpPo.lines.map((l) => [l.quantityOrdered, l.quantityReceived, l.quantityInvoiced]), [['20', '20', '20']]);
      assert.equal((await h.events('purchase_order.acknowledged')).filter((e) => e.data.purchaseOrder.poNumber === poNumber).length, 1);
    });

    it('refuses bad input with a specific error and changes nothing', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1004', UORG: 10 }]);
      const po = await published(poNumber);
      const cases: Array<[string, () => Promise<unknown>, new (...a: any[]) => Error, string]> = [
        ['unknown line', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept' }, { lineNumber: 9, action: 'accept' }] }), InputError, 'TL_P2P_UNKNOWN_LINE'],
        ['unit mismatch', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept', unit: 'EA' }] }), InputError, 'TL_P2P_UNIT_MISMATCH'],
        ['substitution', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'change', substituteSku: 'FAS-1005' }] }), InputError, 'TL_P2P_SUBSTITUTION_NOT_ALLOWED'],
        ['bad decimal', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'change', quantity: '1.2.3' }] }), InputError, 'TL_P2P_BAD_QUANTITY'],
        ['bad price', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'change', unitPrice: '1.23456' }] }), InputError, 'TL_P2P_BAD_PRICE'],
        ['backorder without date', () => h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'backorder' }] }), InputError, 'TL_P2P_PROMISED_DATE_REQUIRED'],
        ['another supplier', () => h.p2p.commands.acknowledge(other, po.id, { lines: [{ lineNumber: 1, action: 'accept' }] }), NotFoundError, 'TL_P2P_PO_NOT_FOUND'],
        ['stale revision', () => h.p2p.commands.acknowledge(supplier, po.id, { revision: 3, lines: [{ lineNumber: 1, action: 'accept' }] }), ConflictError, 'TL_P2P_STALE_REVISION'],
        ['asn unknown PO', () => h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-BAD-1', shipDate: '2030-01-01', expectedDeliveryDate: '2030-01-02', lines: [{ poNumber: '999999', lineNumber: 1, sku: 'FAS-1004', quantity: '1', unit: 'BX' }] }), InputError, 'TL_P2P_UNKNOWN_PO'],
        ['asn over-shipment', () => h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-BAD-2', shipDate: '2030-01-01', expectedDeliveryDate: '2030-01-02', lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1004', quantity: '11', unit: 'BX' }] }), InputError, 'TL_P2P_OVER_SHIPMENT'],
        ['asn bad date', () => h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-BAD-3', shipDate: '2030-02-30', expectedDeliveryDate: '2030-03-02', lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1004', quantity: '1', unit: 'BX' }] }), InputError, 'TL_P2P_BAD_DATE'],
        ['invoice of another supplier', () => h.p2p.commands.submitInvoice(other, { invoiceNumber: 'INV-BAD-1', invoiceDate: '2030-01-01', poNumber, currency: 'USD', lines: [{ lineNumber: 1, sku: 'FAS-1004', quantity: '1', unit: 'BX', unitPrice: '1' }] }), InputError, 'TL_P2P_UNKNOWN_PO'],
        ['not a supplier', () => h.p2p.commands.submitInvoice(h.system, { invoiceNumber: 'INV-BAD-2', invoiceDate: '2030-01-01', poNumber, currency: 'USD', lines: [{ lineNumber: 1, sku: 'FAS-1004', quantity: '1', unit: 'BX', unitPrice: '1' }] }), Error, 'TL_P2P_NOT_A_SUPPLIER'],
      ];
      const before = await h.events();
      for (const [name, call, type, code] of cases) {
        await assert.rejects(call, (err: unknown) => err instanceof type && (err as { code?: string }).code === code, name);
      }
      assert.equal((await h.events()).length, before.length, 'no event was written');
      const after = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([after.status, after.awaitingAcknowledgment, after.lines[0]!.quantityShipped], ['New', true, '0']);
    });

    it('reminds a supplier that has not acknowledged, then raises a missing acknowledgment for a buyer', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1005', UORG: 10 }]);
      const po = await published(poNumber);
      const reminders = async () => (await h.events('purchase_order.ack_reminded')).filter((e) => e.data.poNumber === poNumber);
      await h.p2p.sweeps.runOnce();
      assert.equal((await reminders()).length, 0);
      h.clock.advance(24 * 3_600_000 + 1000);
      await h.p2p.sweeps.runOnce();
      await h.p2p.sweeps.runOnce();
      assert.equal((await reminders()).length, 1, 'one reminder at the reminder time');
      const missing = async () => (await h.p2p.exceptions.list(h.staff('buyer-1'), { type: 'acknowledgment_missing' })).items.filter((e) => e.subject.id === po.id);
      assert.equal((await missing()).length, 0);
      h.clock.advance(24 * 3_600_000);
      await h.p2p.sweeps.runOnce();
      await h.p2p.sweeps.runOnce();
      const [exception] = await missing();
      assert.ok(exception);
      assert.equal(exception.ownerRole, 'buyer');
      assert.equal(exception.sla.state, 'ok');
      assert.deepEqual(exception.actions, ['remind', 'close']);
      assert.equal((await missing()).length, 1);
      // The supplier acknowledges late: the exception closes by itself.
      await h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept' }] });
      const closed = (await h.p2p.exceptions.get(h.staff('buyer-1'), exception.id))!;
      assert.equal(closed.status, 'Resolved');
      assert.equal(closed.resolution?.action, 'acknowledged_by_supplier');
    });
  });
}
