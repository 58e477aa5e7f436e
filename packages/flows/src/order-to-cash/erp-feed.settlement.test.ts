import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, type Invoice, type Payment } from '@tradelane/canonical';
import type { ErpChange } from '@tradelane/connector-kit';
import type { InvoiceRecord, InvoiceView, OrderView, StoredOrder, TenantContext } from '@tradelane/core';
import { createOrderToCashStore, createStore, type Database, type OrderToCashStore } from '@tradelane/store';
import { databaseTargets } from '@tradelane/testkit';
import { applyErpChange, applyInvoicePayment, applyInvoiceSnapshot, invoiceToView, type ErpChangeData } from './erp-feed.consumers.js';
import { erpReceivable, TENANT } from './order-to-cash.fixture.js';

const T0 = '2026-12-01T10:00:00.000Z';
const T1 = '2026-12-01T11:00:00.000Z';
const T2 = '2026-12-01T12:00:00.000Z';

const erpInvoice = erpReceivable;

/** A customer payment allocated in full to one invoice. */
function erpPayment(id: string, reference: string, invoice: Pick<Invoice, 'id' | 'invoiceNumber'>, amount: string): Payment {
  return {
    schemaVersion: 1,
    id,
    tenantId: TENANT,
    direction: 'incoming',
    method: 'other',
    reference,
    amount: { amount, currency: 'USD' },
    status: 'Completed',
    allocations: [{ invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber, amount: { amount, currency: 'USD' } }],
  } as unknown as Payment;
}

const issued = (invoice: Invoice, at: string): ErpChange => ({
  kind: 'invoice.issued',
  invoice,
  orderReference: invoice.orderRefs[0]?.kind === 'sales_order' ? invoice.orderRefs[0].salesOrderId : undefined,
  at,
  changeId: `account.invoice/${invoice.id}/${at}`,
});
const received = (payment: Payment, at: string): ErpChange => ({ kind: 'payment.received', payment, at, changeId: `account.move.line/${payment.id}/payment` });

describe('the open amount of an invoice, from ERP snapshots and payments', () => {
  const view = (total: string, open: string) => invoiceToView(erpInvoice('inv_01JZSETTLE00000000000000A1', '1001', 'so_01JZSETTLE00000000000000A1', total, open), 'so_01JZSETTLE00000000000000A1', 'PO-1');
  type Step = { snapshot: InvoiceView; at: string } | { paymentId: string; amount: string };
  const apply = (steps: readonly Step[]): InvoiceRecord | undefined =>
    steps.reduce<InvoiceRecord | undefined>((record, step) => {
      if ('snapshot' in step) return applyInvoiceSnapshot(record, step.snapshot, step.at);
      assert.ok(record, 'a payment is applied to a stored invoice');
      return applyInvoicePayment(record, step.paymentId, step.amount);
    }, undefined);
  const s1: Step = { snapshot: view('37.50', '37.50'), at: T0 };
  const p1: Step = { paymentId: 'pay_1', amount: '12.50' };
  const s2: Step = { snapshot: view('37.50', '25.00'), at: T1 }; // the ERP's own snapshot after p1
  const p2: Step = { paymentId: 'pay_2', amount: '25.00' };
  const s3: Step = { snapshot: view('37.50', '0.00'), at: T2 }; // after p2
  const shown = (record: InvoiceRecord | undefined) => [record?.status, record?.openAmount.amount, record?.openAmount.currency];

  it('invoice, then payment: 37.50 less 12.50 leaves 25.00 open, PartiallyPaid', () => {
    assert.deepEqual(shown(apply([s1])), ['Issued', '37.50', 'USD']);
    assert.deepEqual(shown(apply([s1, p1])), ['PartiallyPaid', '25.00', 'USD']);
  });

  it('the ERP’s reduced invoice before the payment it already counts: the payment is taken off once', () => {
    assert.deepEqual(shown(apply([s1, s2])), ['PartiallyPaid', '25.00', 'USD']);
    assert.deepEqual(shown(apply([s1, s2, p1])), ['PartiallyPaid', '25.00', 'USD']);
    const sameTime: Step = { snapshot: view('37.50', '25.00'), at: T0 };
    assert.deepEqual(shown(apply([s1, sameTime, p1])), ['PartiallyPaid', '25.00', 'USD'], 'the same ERP time as the first snapshot');
    assert.deepEqual(shown(apply([s1, p1, sameTime, s1])), ['PartiallyPaid', '25.00', 'USD'], 'and the first one again');
  });

  it('partial, then full payment: Paid with 0.00 open, whichever comes first of a payment and the ERP’s snapshot', () => {
    assert.deepEqual(shown(apply([s1, p1, p2])), ['Paid', '0.00', 'USD']);
    assert.deepEqual(shown(apply([s1, s2, s3, p1, p2])), ['Paid', '0.00', 'USD']);
    assert.deepEqual(shown(apply([s1, s3])), ['Paid', '0.00', 'USD'], 'the ERP settled it before the hub saw a payment');
  });

  it('ends the same in every order, with every snapshot and payment redelivered', () => {
    const later = [p1, s2, p2, s3, p1, s2];
    const permutations = (items: Step[]): Step[][] => (items.length <= 1 ? [items] : items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest])));
    let runs = 0;
    for (const order of permutations(later)) {
      runs += 1;
      const record = apply([s1, ...order, s1]);
      assert.deepEqual(shown(record), ['Paid', '0.00', 'USD'], `s1 ${order.map((s) => ('snapshot' in s ? `s@${s.at}` : s.paymentId)).join(' ')}`);
      assert.deepEqual(record?.settlement?.payments, { pay_1: '12.50', pay_2: '25.00' });
    }
    assert.equal(runs, 720);
    for (const order of permutations([p1, s2, p1, s1])) assert.deepEqual(shown(apply([s1, ...order])), ['PartiallyPaid', '25.00', 'USD']);
  });

  it('an earlier snapshot after a later one changes nothing; the payments stay across snapshots', () => {
    const record = apply([s1, p1, s3, s2, s1]);
    assert.deepEqual(shown(record), ['Paid', '0.00', 'USD']);
    assert.equal(record?.settlement?.snapshotAt, T2);
    assert.deepEqual(record?.settlement?.payments, { pay_1: '12.50' });
  });

  it('more paid than the total leaves nothing open, never a negative amount', () => {
    assert.deepEqual(shown(apply([s1, p1, { paymentId: 'pay_3', amount: '30.00' }])), ['Paid', '0.00', 'USD']);
  });

  it('amounts in the currency’s decimals: 12.5 reads 12.50, yen have none', () => {
    const loose = invoiceToView(erpInvoice('inv_01JZSETTLE00000000000000B1', '1002', 'so_01JZSETTLE00000000000000A1', '37.5', '25'), undefined, undefined);
    assert.deepEqual([loose.total.amount, loose.openAmount.amount], ['37.50', '25.00']);
    const yen = invoiceToView(erpInvoice('inv_01JZSETTLE00000000000000B2', '1003', 'so_01JZSETTLE00000000000000A1', '3750', '3750', { currency: 'JPY' }), undefined, undefined);
    assert.deepEqual(shown(applyInvoicePayment(applyInvoiceSnapshot(undefined, yen, T0), 'pay_1', '1250')), ['PartiallyPaid', '2500', 'JPY']);
  });

  it('an invoice stored without settlement counts its stored open amount as a snapshot, which the next ERP snapshot replaces', () => {
    const { settlement: _none, ...stored } = apply([s1, p1])!;
    assert.deepEqual(shown(applyInvoicePayment(stored, 'pay_1', '12.50')), ['PartiallyPaid', '25.00', 'USD'], 'a payment it already counts does not come off again');
    assert.deepEqual(shown(applyInvoiceSnapshot(stored, s2.snapshot, T1)), ['PartiallyPaid', '25.00', 'USD']);
    const later = applyInvoiceSnapshot(applyInvoicePayment(stored, 'pay_2', '25.00'), s3.snapshot, T2);
    assert.deepEqual(shown(later), ['Paid', '0.00', 'USD']);
  });
});

for (const target of databaseTargets()) {
  describe(`payments and invoice snapshots from the ERP change feed, on ${target.name}`, () => {
    let db: Database;
    let o2c: OrderToCashStore;
    const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-settle' };
    const customer: TenantContext = { ...system, partnerId: 'pty_01JZSETTLECUSTOMER00000001', actor: { kind: 'client', id: 'key-1' } };

    before(async () => {
      db = await target.open();
      o2c = createOrderToCashStore(createStore(db));
    });
    after(() => db.close());

    const apply = (change: ErpChange) =>
      o2c.transactions.transaction((tx) =>
        applyErpChange(system, makeEvent<ErpChangeData>({ type: 'erp.change', source: '/test', tenantId: TENANT, data: { change }, dataVersion: 1, correlationId: 'corr-settle' }), tx),
      );

    /** A committed, fully shipped order of the customer. */
    async function shippedOrder(id: string): Promise<void> {
      const view: OrderView = {
        id,
        customerPoNumber: `PO-${id.slice(-4)}`,
        orderNumber: `SO-${id.slice(-4)}`,
        status: 'Shipped',
        orderedAt: T0,
        shipTo: { name: 'Main' },
        lines: [{ lineNumber: 1, sku: 'TL-1001', quantity: '3', unit: 'EA', unitPrice: { amount: '12.50', currency: 'USD' }, status: 'Shipped', quantityAllocated: '3', quantityBackordered: '0', quantityShipped: '3' }],
        shipments: [],
        total: { amount: '37.50', currency: 'USD' },
        timeline: [],
      };
      const order: StoredOrder = { id, partnerId: customer.partnerId!, submission: { customerPoNumber: view.customerPoNumber, lines: [] }, view };
      await o2c.repos.orders.insert(system, order);
    }
    const payments = async (orderId: string) => (await o2c.queries.getOrder(customer, orderId))!.timeline.filter((e) => e.status === 'Paid' || e.status === 'PartiallyPaid').map((e) => [e.status, e.detail]);
    const invoiceRead = async (id: string) => {
      const read = await o2c.queries.getInvoice(customer, id);
      assert.ok(read);
      assert.equal('settlement' in read, false, 'no bookkeeping in what the customer reads');
      return [read.status, read.openAmount.amount];
    };

    it('invoice, payment, the ERP’s reduced invoice, redeliveries, then the rest paid: 25.00 open once, then Paid', async () => {
      const orderId = 'so_01JZSETTLEORDER0000000001';
      await shippedOrder(orderId);
      const first = erpInvoice('inv_01JZSETTLEINVOICE00000001', '5001', orderId, '37.50', '37.50');
      const check = erpPayment('pay_01JZSETTLEPAYMENT00000001', 'check 4711', first, '12.50');
      const wire = erpPayment('pay_01JZSETTLEPAYMENT00000002', 'wire 0815', first, '25.00');

      await apply(issued(first, T0));
      assert.deepEqual(await invoiceRead(first.id), ['Issued', '37.50']);
      await apply(received(check, T1));
      assert.deepEqual(await invoiceRead(first.id), ['PartiallyPaid', '25.00']);
      await apply(issued(erpInvoice(first.id, '5001', orderId, '37.50', '25.00'), T1));
      await apply(received(check, T1)); // redelivered
      await apply(issued(first, T0)); // redelivered, earlier
      assert.deepEqual(await invoiceRead(first.id), ['PartiallyPaid', '25.00']);
      assert.equal((await o2c.queries.getBalance(customer)).balance, '25.00');
      assert.deepEqual(await payments(orderId), [['PartiallyPaid', 'payment check 4711 of 12.50 USD on invoice 5001']]);
      assert.equal((await o2c.queries.getOrder(customer, orderId))!.status, 'Invoiced');

      await apply(received(wire, T2));
      await apply(issued(erpInvoice(first.id, '5001', orderId, '37.50', '0.00'), T2));
      await apply(received(wire, T2));
      assert.deepEqual(await invoiceRead(first.id), ['Paid', '0.00']);
      assert.equal((await o2c.queries.getBalance(customer)).balance, '0.00');
      assert.deepEqual(await payments(orderId), [
        ['PartiallyPaid', 'payment check 4711 of 12.50 USD on invoice 5001'],
        ['Paid', 'payment wire 0815 of 25.00 USD on invoice 5001'],
      ]);
      const order = (await o2c.queries.getOrder(customer, orderId))!;
      assert.equal(order.status, 'Paid');
      assert.equal(order.timeline.filter((e) => e.status === 'Invoiced').length, 1);
    });

    it('the ERP’s reduced invoice before its payment (the same ERP time): the payment is taken off once', async () => {
      const orderId = 'so_01JZSETTLEORDER0000000002';
      await shippedOrder(orderId);
      const first = erpInvoice('inv_01JZSETTLEINVOICE00000002', '5002', orderId, '37.50', '37.50');
      const check = erpPayment('pay_01JZSETTLEPAYMENT00000003', 'check 4712', first, '12.50');
      await apply(issued(first, T0));
      await apply(issued(erpInvoice(first.id, '5002', orderId, '37.50', '25.00'), T1));
      assert.deepEqual(await invoiceRead(first.id), ['PartiallyPaid', '25.00']);
      await apply(received(check, T1));
      await apply(received(check, T1));
      assert.deepEqual(await invoiceRead(first.id), ['PartiallyPaid', '25.00'], '37.50 less 12.50, not less 12.50 twice');
      assert.deepEqual(await payments(orderId), [['PartiallyPaid', 'payment check 4712 of 12.50 USD on invoice 5002']]);
      const listed = (await o2c.queries.listInvoices(customer, {})).items.find((i) => i.id === first.id);
      assert.deepEqual(listed?.openAmount, { amount: '25.00', currency: 'USD' });
      assert.equal(listed && 'settlement' in listed, false);
      assert.deepEqual((await o2c.repos.invoices.find(system, first.id))?.invoice.settlement, { snapshotAt: T1, erpOpenAmount: '25.00', payments: { [check.id]: '12.50' } });
    });

    it('an invoice the ERP reports settled before its payment change arrives: Paid, the order too, the payment on the timeline once it comes', async () => {
      const orderId = 'so_01JZSETTLEORDER0000000003';
      await shippedOrder(orderId);
      const first = erpInvoice('inv_01JZSETTLEINVOICE00000003', '5003', orderId, '37.50', '37.50');
      await apply(issued(first, T0));
      await apply(issued(erpInvoice(first.id, '5003', orderId, '37.50', '0.00'), T1));
      assert.deepEqual(await invoiceRead(first.id), ['Paid', '0.00']);
      assert.equal((await o2c.queries.getOrder(customer, orderId))!.status, 'Paid');
      await apply(received(erpPayment('pay_01JZSETTLEPAYMENT00000004', 'wire 4713', first, '37.50'), T1));
      assert.deepEqual(await invoiceRead(first.id), ['Paid', '0.00']);
      assert.deepEqual(await payments(orderId), [['Paid', 'payment wire 4713 of 37.50 USD on invoice 5003']]);
    });

    it('a payment of an invoice the hub does not hold changes nothing', async () => {
      const stranger = erpInvoice('inv_01JZSETTLEINVOICE00000009', '5009', 'so_01JZSETTLEORDER0000000009', '10.00', '10.00');
      await apply(received(erpPayment('pay_01JZSETTLEPAYMENT00000009', 'cash', stranger, '10.00'), T1));
      assert.equal(await o2c.repos.invoices.find(system, stranger.id), undefined);
    });
  });
}
