import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId, type AdvanceShipNotice, type Invoice, type Receipt } from '@tradelane/canonical';
import type { ErpChange, ErpPurchaseOrder } from '@tradelane/connector-kit';
import { encodeFeedCursor } from './index.js';
import { confirmPurchase } from './tryton-purchase.fixture.js';
import { trytonSuite, type TrytonErp, type TrytonRow } from './tryton.test-support.js';

trytonSuite({ title: 'Tryton purchasing against a real trytond', name: 'tryton-purchasing-test' }, ({ rpc, ctx, instance, searchRead, readRows, readFeed }) => {
  const today = () => new Date().toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toUpperCase();

  const supplierIdOf = async (erp: TrytonErp, code: string) => (await erp.erpPurchasing.listSuppliers(ctx, { limit: 50 })).items.find((s) => s.code === code)!.id;

  function asnOf(po: ErpPurchaseOrder, supplierId: string, asnNumber: string, lines: Array<{ lineNumber: number; quantity: string }>, purpose: AdvanceShipNotice['purpose'] = 'original'): AdvanceShipNotice {
    return {
      schemaVersion: 1,
      id: newId('asn'),
      tenantId: ctx.tenantId,
      asnNumber,
      supplierId: supplierId as AdvanceShipNotice['supplierId'],
      purpose,
      shipFrom: { name: 'Northwind Fasteners', address: { line1: '40 Foundry Lane', city: 'Cleveland', country: 'US' } },
      shipToLocationId: po.purchaseOrder.shipToLocationId,
      carrier: { code: 'PRCL', name: 'Parcelo' },
      shippedAt: new Date().toISOString(),
      expectedDeliveryDate: inDays(3),
      orders: [{ purchaseOrderId: po.purchaseOrder.id, poNumber: po.poNumber, packs: [{ sscc: '000000000000000000', packaging: 'carton', items: lines.map((l) => ({ lineNumber: l.lineNumber, sku: po.lines[l.lineNumber - 1]!.sku, quantity: l.quantity, unit: po.lines[l.lineNumber - 1]!.unit as never })) }] }],
      receivedVia: 'api',
      receivedAt: new Date().toISOString(),
      externalIds: {},
    };
  }

  function invoiceOf(po: ErpPurchaseOrder, invoiceNumber: string, lines: Array<{ lineNumber: number; quantity: string; unitPrice: string }>): Invoice {
    const amount = (q: string, p: string) => (Math.round(Number(q) * Number(p) * 100) / 100).toFixed(2);
    const subtotal = lines.reduce((t, l) => t + Number(amount(l.quantity, l.unitPrice)), 0).toFixed(2);
    const money = (a: string) => ({ amount: a, currency: 'USD' });
    return {
      schemaVersion: 1,
      id: newId('inv'),
      tenantId: ctx.tenantId,
      direction: 'payable',
      invoiceNumber,
      kind: 'invoice',
      status: 'Received',
      partyId: po.purchaseOrder.supplierId,
      billTo: { name: 'Tradelane Demo Distribution', address: { line1: '1 Dock Road', city: 'Chicago', country: 'US' } },
      orderRefs: [{ kind: 'purchase_order', purchaseOrderId: po.purchaseOrder.id, poNumber: po.poNumber }],
      shipmentIds: [],
      invoiceDate: today(),
      dueDate: inDays(30),
      terms: { code: 'NET30', netDays: 30 },
      currency: 'USD',
      lines: lines.map((l, i) => ({ lineNumber: i + 1, orderLineNumber: l.lineNumber, sku: po.lines[l.lineNumber - 1]!.sku, quantity: l.quantity, unit: po.lines[l.lineNumber - 1]!.unit as never, unitPrice: money(l.unitPrice), lineAmount: money(amount(l.quantity, l.unitPrice)) })),
      taxes: [],
      totals: { subtotal: money(subtotal), tax: money('0.00'), freight: money('0.00'), total: money(subtotal) },
      amountDue: money(subtotal),
      externalIds: {},
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
  }

  describe('suppliers', () => {
    test('parties with product supplier records are the suppliers, with terms and lead time; they are not customers', async () => {
      const erp = await instance();
      try {
        const suppliers = (await erp.erpPurchasing.listSuppliers(ctx, { limit: 2 }));
        assert.equal(suppliers.items.length, 2);
        const rest = await erp.erpPurchasing.listSuppliers(ctx, { cursor: suppliers.nextCursor, limit: 10 });
        const all = [...suppliers.items, ...rest.items];
        assert.deepEqual(all.map((s) => s.code), ['5101', '5102', '5105']);
        const northwind = all[0]!;
        assert.equal(northwind.kind, 'supplier');
        assert.equal(northwind.name, 'Northwind Fasteners');
        assert.equal(northwind.address.city, 'Cleveland');
        assert.equal(northwind.kind === 'supplier' && northwind.leadTimeDays, 5);
        assert.equal(northwind.kind === 'supplier' && northwind.paymentTerms?.netDays, 30);
        const customers = (await erp.erpMasterData.listCustomers(ctx, { limit: 50 })).items.filter((p) => p.kind === 'customer');
        assert.deepEqual(customers.map((c) => c.code).sort(), ['C1001', 'C1002']);
      } finally {
        await erp.close();
      }
    });
  });

  describe('purchase orders', () => {
    test('a purchase confirmed in Tryton appears on the change feed as an approved purchase order', async () => {
      const erp = await instance();
      try {
        const start = await readFeed(erp, null, 200);
        const { poNumber } = await confirmPurchase(rpc(), ctx, '5101', [{ sku: 'TL-1001', quantity: 10, unitPrice: '7.00' }, { sku: 'TL-1002', quantity: 40, unitPrice: '2.10' }]);
        const { changes } = await readFeed(erp, start.cursor, 100);
        const mine = changes.filter((c) => c.kind === 'purchase_order.updated' && c.purchaseOrder.poNumber === poNumber);
        assert.ok(mine.length >= 1, `purchase ${poNumber} on the feed: ${JSON.stringify(changes.map((c) => c.kind))}`);
        const po = (mine.at(-1) as Extract<ErpChange, { kind: 'purchase_order.updated' }>).purchaseOrder;
        assert.match(poNumber, /^PO\d{5}$/);
        assert.equal(po.status, 'Approved');
        assert.equal(po.origin, 'buyer');
        assert.equal(po.purchaseOrder.supplierId, await supplierIdOf(erp, '5101'));
        assert.equal(po.purchaseOrder.status, 'Approved');
        assert.equal(po.purchaseOrder.shipToLocationId, 'WH');
        assert.deepEqual(po.lines.map((l) => [l.lineNumber, l.sku, l.supplierPartNumber, l.unit, l.quantityOrdered, l.unitPrice, l.quantityInTransit, l.quantityReceived, l.acknowledgment]), [
          [1, 'TL-1001', 'NW-HB840', 'EA', '10', '7.00', '0', '0', undefined],
          [2, 'TL-1002', 'NW-CT200', 'EA', '40', '2.10', '0', '0', undefined],
        ]);
        assert.equal(po.purchaseOrder.totals.total.amount, '154.00');
        const again = await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber);
        assert.deepEqual(again?.lines, po.lines);
        assert.equal(await erp.erpPurchasing.findPurchaseOrder(ctx, 'PO99999'), null);
        const listed = await erp.erpPurchasing.listPurchaseOrders(ctx, { limit: 100 });
        assert.ok(listed.items.some((p) => p.poNumber === poNumber));
      } finally {
        await erp.close();
      }
    });

    test('an acknowledgment changes quantity, price and promised date on the Tryton purchase and cancels rejected lines; the same answer again changes nothing', async () => {
      const erp = await instance();
      try {
        const { poNumber, id } = await confirmPurchase(rpc(), ctx, '5101', [{ sku: 'TL-1001', quantity: 10, unitPrice: '7.00' }, { sku: 'TL-1002', quantity: 40, unitPrice: '2.10' }]);
        const promised = inDays(12);
        const answer = [
          { lineNumber: 1, action: 'change' as const, quantity: '8', unitPrice: '7.10', promisedDate: promised, note: 'short stock' },
          { lineNumber: 2, action: 'reject' as const, note: 'discontinued' },
        ];
        const po = await erp.erpPurchasing.applyAcknowledgment(ctx, poNumber, answer);
        assert.deepEqual(po.lines.map((l) => [l.quantityOrdered, l.quantityCancelled, l.unitPrice, l.promisedDate, l.acknowledgment]), [
          ['8', '0', '7.10', promised, 'changed'],
          ['40', '40', '2.10', undefined, 'rejected'],
        ]);
        assert.equal(po.purchaseOrder.lines[1]!.status, 'Rejected');
        assert.equal(po.status, 'Acknowledged');

        // Tryton's own records
        const lines = await searchRead('purchase.line', [['purchase', '=', id]], ['quantity', 'unit_price', 'note', 'moves', 'moves_ignored', 'write_date']);
        assert.deepEqual(lines.map((l) => [l.quantity, l.unit_price.decimal]), [[8, '7.10'], [40, '2.10']].map(([q, p]) => [q, String(p)]).map(([q, p]) => [Number(q), p]));
        assert.match(lines[0]!.note, /^Supplier acknowledgment: changed — short stock$/m);
        assert.match(lines[1]!.note, /^Supplier acknowledgment: rejected — discontinued$/m);
        const moves = await readRows('stock.move', [...lines[0]!.moves, ...lines[1]!.moves], ['origin', 'quantity', 'state', 'planned_date', 'unit_price']);
        const open1 = moves.filter((m) => m.origin === `purchase.line,${lines[0]!.id}` && m.state === 'draft');
        assert.deepEqual(open1.map((m) => [m.quantity, `${m.planned_date.year}-${String(m.planned_date.month).padStart(2, '0')}-${String(m.planned_date.day).padStart(2, '0')}`, m.unit_price.decimal]), [[8, promised, '7.10']]);
        const line2 = moves.filter((m) => m.origin === `purchase.line,${lines[1]!.id}`);
        assert.ok(line2.length > 0 && line2.every((m) => m.state === 'cancelled'), 'the rejected line has nothing open');
        assert.deepEqual([...lines[1]!.moves_ignored].sort(), line2.map((m) => m.id).sort(), 'cancelled moves are ignored, so the purchase is not in exception');
        const [purchase] = await readRows('purchase.purchase', [id], ['state', 'shipment_state', 'write_date']);
        assert.equal(purchase!.state, 'processing');
        assert.notEqual(purchase!.shipment_state, 'exception');

        // a retry of the same call writes nothing
        const moveStamps = JSON.stringify(await readRows('stock.move', moves.map((m) => m.id).filter((mid) => moves.some((x) => x.id === mid)), ['write_date', 'state', 'quantity']));
        const existing = (await searchRead('stock.move', [['origin', 'in', lines.map((l) => `purchase.line,${l.id}`)]], ['id'])).map((m) => m.id);
        const again = await erp.erpPurchasing.applyAcknowledgment(ctx, poNumber, answer);
        assert.deepEqual(again.lines, po.lines);
        const linesAfter = await searchRead('purchase.line', [['purchase', '=', id]], ['write_date']);
        assert.deepEqual(linesAfter.map((l) => l.write_date), lines.map((l) => l.write_date), 'purchase lines untouched');
        assert.equal(JSON.stringify(await readRows('stock.move', moves.map((m) => m.id), ['write_date', 'state', 'quantity'])), moveStamps, 'moves untouched');
        assert.deepEqual((await searchRead('stock.move', [['origin', 'in', lines.map((l) => `purchase.line,${l.id}`)]], ['id'])).map((m) => m.id), existing, 'no move added or removed');
        const [purchaseAfter] = await readRows('purchase.purchase', [id], ['write_date']);
        assert.deepEqual(purchaseAfter!.write_date, purchase!.write_date);
      } finally {
        await erp.close();
      }
    });
  });

  describe('ship notices, receipts and supplier invoices', () => {
    test('a ship notice becomes a draft supplier shipment, the receipt finishes it, the supplier invoice is recorded once and its match decision held', async () => {
      const erp = await instance();
      try {
        const start = await readFeed(erp, null, 200);
        const { poNumber, id } = await confirmPurchase(rpc(), ctx, '5101', [{ sku: 'TL-1001', quantity: 10, unitPrice: '7.00' }, { sku: 'TL-1002', quantity: 40, unitPrice: '2.10' }]);
        const supplierId = await supplierIdOf(erp, '5101');
        const acked = await erp.erpPurchasing.applyAcknowledgment(ctx, poNumber, [{ lineNumber: 1, action: 'accept' }, { lineNumber: 2, action: 'accept' }]);
        assert.equal(acked.status, 'Acknowledged');
        const [warehouse] = await searchRead('stock.location', [['type', '=', 'warehouse']], ['id']);
        const stockOf = async (sku: string) => (await rpc().call<TrytonRow[]>(ctx, 'model.product.product.search_read', [[['code', '=', sku]], 0, 1, null, ['quantity']], { locations: [warehouse!.id] }))[0]!.quantity as number;
        const bolts = await stockOf('TL-1001');

        // ship notice: line 1 in full, line 2 partly (24 of 40)
        const asnNumber = `SN-${unique()}`;
        const asn = asnOf(acked, supplierId, asnNumber, [{ lineNumber: 1, quantity: '10' }, { lineNumber: 2, quantity: '24' }]);
        const shipped = await erp.erpPurchasing.recordExpectedReceipt(ctx, asn);
        assert.equal(shipped.duplicate, false);
        assert.deepEqual([shipped.record.asnNumber, shipped.record.status, shipped.record.expectedDate, shipped.record.poNumbers], [asnNumber, 'InTransit', asn.expectedDeliveryDate, [poNumber]]);
        const [supplier] = await searchRead('party.party', [['code', '=', '5101']], ['id']);
        const shipments = await searchRead('stock.shipment.in', [['reference', '=', asnNumber]], ['state', 'supplier', 'incoming_moves', 'number']);
        assert.equal(shipments.length, 1);
        assert.deepEqual([shipments[0]!.state, shipments[0]!.supplier, shipped.record.erpNumber], ['draft', supplier!.id, shipments[0]!.number]);
        const onShipment = await readRows('stock.move', shipments[0]!.incoming_moves, ['quantity', 'product.code']);
        assert.deepEqual(onShipment.map((m) => [m['product.'].code, m.quantity]).sort(), [['TL-1001', 10], ['TL-1002', 24]]);
        const inTransit = (await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!;
        assert.equal(inTransit.status, 'InTransit');
        assert.deepEqual(inTransit.lines.map((l) => [l.quantityInTransit, l.expectedDate]), [['10', asn.expectedDeliveryDate], ['24', asn.expectedDeliveryDate]]);
        const resent = await erp.erpPurchasing.recordExpectedReceipt(ctx, { ...asn, id: asnOf(acked, supplierId, asnNumber, []).id });
        assert.equal(resent.duplicate, true);
        assert.equal((await searchRead('stock.shipment.in', [['reference', '=', asnNumber]], ['id'])).length, 1, 'still one supplier shipment');

        // the warehouse receives what was announced
        const receipt: Receipt = {
          purchaseOrderId: acked.purchaseOrder.id,
          poNumber,
          asnId: asn.id,
          locationId: 'WH',
          receivedAt: new Date().toISOString(),
          lines: [{ lineNumber: 1, sku: 'TL-1001', quantity: '10', unit: 'EA' }, { lineNumber: 2, sku: 'TL-1002', quantity: '24', unit: 'EA' }],
        };
        const reference = `${asn.id}:${poNumber}:${receipt.receivedAt}`;
        const received = await erp.erpPurchasing.recordReceipt(ctx, receipt, reference);
        assert.equal(received.duplicate, false);
        assert.deepEqual([received.record.reference, received.record.poNumber, received.record.receipt.asnId], [reference, poNumber, asn.id]);
        assert.deepEqual(received.record.receipt.lines.map((l) => [l.lineNumber, l.quantity]), [[1, '10'], [2, '24']]);
        const [done] = await readRows('stock.shipment.in', [shipments[0]!.id], ['state']);
        assert.equal(done!.state, 'done', 'the ship notice shipment itself is received');
        assert.equal((await stockOf('TL-1001')) - bolts, 10, 'stock went up by what was received');
        const again = await erp.erpPurchasing.recordReceipt(ctx, receipt, reference);
        assert.equal(again.duplicate, true);
        assert.equal(again.record.erpReceiptNumber, received.record.erpReceiptNumber);
        const partly = (await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!;
        assert.equal(partly.status, 'PartiallyReceived');
        assert.deepEqual(partly.lines.map((l) => [l.quantityReceived, l.quantityInTransit]), [['10', '0'], ['24', '0']]);
        await assert.rejects(erp.erpPurchasing.recordReceipt(ctx, { ...receipt, asnId: undefined, lines: [{ lineNumber: 1, sku: 'TL-1001', quantity: '1', unit: 'EA' }] }, `${reference}-over`), /OVER_RECEIPT|exceeds/);

        // the rest of line 2 arrives without a ship notice
        const rest: Receipt = { ...receipt, asnId: undefined, receivedAt: new Date().toISOString(), lines: [{ lineNumber: 2, sku: 'TL-1002', quantity: '16', unit: 'EA' }] };
        await erp.erpPurchasing.recordReceipt(ctx, rest, `no-asn:${poNumber}:${rest.receivedAt}`);
        assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.status, 'Received');

        // the supplier invoices it
        const invoice = invoiceOf(acked, `INV-${unique()}`, [{ lineNumber: 1, quantity: '10', unitPrice: '7.00' }, { lineNumber: 2, quantity: '40', unitPrice: '2.10' }]);
        const recorded = await erp.erpPurchasing.recordSupplierInvoice(ctx, invoice);
        assert.equal(recorded.duplicate, false);
        assert.deepEqual([recorded.record.invoiceNumber, recorded.record.matchStatus, recorded.record.poNumbers, recorded.record.invoice.id, recorded.record.invoice.totals.total.amount], [invoice.invoiceNumber, 'Pending', [poNumber], invoice.id, '154.00']);
        const twice = await erp.erpPurchasing.recordSupplierInvoice(ctx, { ...invoice, id: invoiceOf(acked, 'X', [{ lineNumber: 1, quantity: '1', unitPrice: '1' }]).id });
        assert.equal(twice.duplicate, true);
        assert.equal(twice.record.erpVoucherNumber, recorded.record.erpVoucherNumber);
        const invoices = await searchRead('account.invoice', [['type', '=', 'in'], ['reference', '=', invoice.invoiceNumber]], ['state', 'party', 'lines', 'total_amount']);
        assert.equal(invoices.length, 1, 'one supplier invoice in Tryton');
        assert.deepEqual([invoices[0]!.state, invoices[0]!.party, invoices[0]!.total_amount.decimal], ['draft', supplier!.id, '154.00']);
        const invoiceLines = await readRows('account.invoice.line', invoices[0]!.lines, ['origin']);
        const purchaseLines = await searchRead('purchase.line', [['purchase', '=', id]], ['id']);
        assert.deepEqual(invoiceLines.map((l) => l.origin).sort(), purchaseLines.map((l) => `purchase.line,${l.id}`).sort(), 'each invoice line bills its purchase line');

        const disputed = await erp.erpPurchasing.setInvoiceMatchDecision(ctx, invoice.id, 'disputed', 'price check');
        assert.deepEqual([disputed.matchStatus, disputed.disputeReason], ['Disputed', 'price check']);
        assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.purchaseOrder.status, 'Disputed');
        const approved = await erp.erpPurchasing.setInvoiceMatchDecision(ctx, invoice.id, 'approved');
        assert.equal(approved.matchStatus, 'Approved');
        const [posted] = await readRows('account.invoice', [invoices[0]!.id], ['state', 'comment']);
        assert.equal(posted!.state, 'posted', 'approved for payment = posted');
        assert.doesNotMatch(posted!.comment ?? '', /Disputed/);
        const invoiced = (await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!;
        assert.equal(invoiced.status, 'Invoiced');
        assert.equal(invoiced.purchaseOrder.status, 'Matched');
        assert.deepEqual(invoiced.lines.map((l) => l.quantityInvoiced), ['10', '40']);

        // all of it on the change feed
        const { changes } = await readFeed(erp, start.cursor, 100);
        const receipts = changes.filter((c): c is Extract<ErpChange, { kind: 'receipt.recorded' }> => c.kind === 'receipt.recorded' && c.receipt.poNumber === poNumber);
        assert.deepEqual(receipts.map((c) => c.receipt.reference).sort(), [reference, `no-asn:${poNumber}:${rest.receivedAt}`].sort());
        assert.equal(receipts.find((c) => c.receipt.reference === reference)!.receipt.receipt.asnId, asn.id);
        const supplierInvoices = changes.filter((c): c is Extract<ErpChange, { kind: 'supplier_invoice.recorded' }> => c.kind === 'supplier_invoice.recorded' && c.supplierInvoice.invoiceNumber === invoice.invoiceNumber);
        assert.ok(supplierInvoices.length >= 1);
        assert.equal(supplierInvoices.at(-1)!.supplierInvoice.matchStatus, 'Approved');
        assert.equal(new Set(changes.map((c) => c.changeId)).size, changes.length, 'no change twice');
      } finally {
        await erp.close();
      }
    });

    test('a replaced ship notice moves its quantities, a cancelled one puts them back to expected', async () => {
      const erp = await instance();
      try {
        const { poNumber } = await confirmPurchase(rpc(), ctx, '5102', [{ sku: 'TL-2001', quantity: 50, unitPrice: '6.40' }]);
        const supplierId = await supplierIdOf(erp, '5102');
        const po = await erp.erpPurchasing.applyAcknowledgment(ctx, poNumber, [{ lineNumber: 1, action: 'accept' }]);
        const asnNumber = `SN-${unique()}`;
        await erp.erpPurchasing.recordExpectedReceipt(ctx, asnOf(po, supplierId, asnNumber, [{ lineNumber: 1, quantity: '20' }]));
        assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.lines[0]!.quantityInTransit, '20');
        const replaced = await erp.erpPurchasing.recordExpectedReceipt(ctx, asnOf(po, supplierId, asnNumber, [{ lineNumber: 1, quantity: '30' }], 'replace'));
        assert.equal(replaced.record.status, 'InTransit');
        assert.equal((await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!.lines[0]!.quantityInTransit, '30');
        const cancelled = await erp.erpPurchasing.recordExpectedReceipt(ctx, asnOf(po, supplierId, asnNumber, [{ lineNumber: 1, quantity: '30' }], 'cancel'));
        assert.equal(cancelled.record.status, 'Cancelled');
        const after = (await erp.erpPurchasing.findPurchaseOrder(ctx, poNumber))!;
        assert.deepEqual([after.status, after.lines[0]!.quantityInTransit, after.lines[0]!.quantityCancelled], ['Acknowledged', '0', '0']);
        const moves = await searchRead('stock.move', [['origin', 'like', 'purchase.line,%'], ['product.code', '=', 'TL-2001'], ['state', '=', 'draft'], ['shipment', '=', null]], ['quantity', 'origin']);
        const line = (await searchRead('purchase.line', [['purchase.number', '=', poNumber]], ['id']))[0]!;
        assert.equal(moves.filter((m) => m.origin === `purchase.line,${line.id}`).reduce((t, m) => t + m.quantity, 0), 50, 'all 50 expected again, on no shipment');
      } finally {
        await erp.close();
      }
    });
  });

  describe('change feed across restarts', () => {
    test('purchases, receipts and supplier invoices read one change at a time, stopped and resumed from the stored cursor, are each seen once', async () => {
      const first = await instance();
      const drained = await readFeed(first, null, 200);
      const supplierId = await supplierIdOf(first, '5105');
      const a = await confirmPurchase(rpc(), ctx, '5105', [{ sku: 'TL-3001', quantity: 12, unitPrice: '1.90' }]);
      const b = await confirmPurchase(rpc(), ctx, '5105', [{ sku: 'TL-3001', quantity: 6, unitPrice: '1.90' }]);
      const seen: ErpChange[] = [];
      let cursor = drained.cursor;
      for (let i = 0; i < 2; i++) {
        const page = await first.erpChangeFeed.fetchChanges(ctx, { cursor, limit: 1 });
        assert.equal(page.items.length, 1);
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      await first.close();

      // meanwhile Tryton moves on: purchase a is shipped, received and invoiced
      const writer = await instance();
      const po = await writer.erpPurchasing.applyAcknowledgment(ctx, a.poNumber, [{ lineNumber: 1, action: 'accept' }]);
      const asn = asnOf(po, supplierId, `SN-${unique()}`, [{ lineNumber: 1, quantity: '12' }]);
      await writer.erpPurchasing.recordExpectedReceipt(ctx, asn);
      const receivedAt = new Date().toISOString();
      await writer.erpPurchasing.recordReceipt(ctx, { purchaseOrderId: po.purchaseOrder.id, poNumber: a.poNumber, asnId: asn.id, locationId: 'WH', receivedAt, lines: [{ lineNumber: 1, sku: 'TL-3001', quantity: '12', unit: 'EA' }] }, `${asn.id}:${a.poNumber}:${receivedAt}`);
      const invoice = invoiceOf(po, `INV-${unique()}`, [{ lineNumber: 1, quantity: '12', unitPrice: '1.90' }]);
      await writer.erpPurchasing.recordSupplierInvoice(ctx, invoice);
      await writer.close();

      // a restarted reader resumes from the stored cursor, two at a time
      const restarted = await instance();
      try {
        const rest = await readFeed(restarted, cursor, 2);
        const all = [...seen, ...rest.changes];
        assert.equal(new Set(all.map((c) => c.changeId)).size, all.length, 'nothing repeated');
        const kinds = (po: string) => all.filter((c) => (c.kind === 'purchase_order.updated' && c.purchaseOrder.poNumber === po) || (c.kind === 'receipt.recorded' && c.receipt.poNumber === po) || (c.kind === 'supplier_invoice.recorded' && c.supplierInvoice.poNumbers.includes(po))).map((c) => c.kind);
        assert.ok(kinds(a.poNumber).includes('purchase_order.updated'));
        assert.ok(kinds(a.poNumber).includes('receipt.recorded'));
        assert.ok(kinds(a.poNumber).includes('supplier_invoice.recorded'));
        assert.ok(kinds(b.poNumber).includes('purchase_order.updated'));
        // one reader from the same start in one go sees the records' latest writes: each of them the resumed reader
        // saw too, in the same order; what it saw besides are earlier writes of the same records
        const whole = await readFeed(restarted, drained.cursor, 100);
        const ids = all.map((c) => c.changeId);
        assert.deepEqual(whole.changes.map((c) => c.changeId), ids.filter((id) => whole.changes.some((c) => c.changeId === id)), 'nothing missed, same order');
        const record = (id: string) => id.split('/').slice(0, 2).join('/');
        for (const id of ids.filter((x) => !whole.changes.some((c) => c.changeId === x))) {
          assert.ok(whole.changes.some((c) => record(c.changeId) === record(id)), `${id} was superseded by a later write of the same record`);
        }
        const idle = await restarted.erpChangeFeed.fetchChanges(ctx, { cursor: rest.cursor, limit: 10 });
        assert.deepEqual(idle.items, []);
        // a cursor stored before purchasing was on the feed (sales and customer invoices only) resumes those and reads purchasing from its start
        const v2 = `v2.${Buffer.from('sale.sale:0:0;account.invoice:0:0').toString('base64url')}`;
        const upgraded = await readFeed(restarted, v2, 200);
        assert.ok(upgraded.changes.some((c) => c.kind === 'purchase_order.updated' && c.purchaseOrder.poNumber === b.poNumber));
        assert.equal(new Set(upgraded.changes.map((c) => c.changeId)).size, upgraded.changes.length);
        assert.deepEqual((await readFeed(restarted, encodeFeedCursor({}), 200)).changes.map((c) => c.changeId), upgraded.changes.map((c) => c.changeId));
      } finally {
        await restarted.close();
      }
    });
  });
});
