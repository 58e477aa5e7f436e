/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { z } from 'zod';
import {
  advanceShipNoticeArb,
  exceptionArb,
  invoiceArb,
  itemArb,
  partyArb,
  paymentArb,
  purchaseOrderAcknowledgmentArb,
  salesOrderArb,
  shipmentArb,
  trackingEventArb,
} from './arbitraries.test-support.js';
import { advanceShipNoticeSchema } from './advance-ship-notice.schema.js';
import { exceptionSchema } from './exception.schema.js';
import { invoiceSchema } from './invoice.schema.js';
import { itemSchema } from './item.schema.js';
import { partySchema } from './party.schema.js';
import { paymentSchema } from './payment.schema.js';
import { priceSchema } from './price.schema.js';
import { purchaseOrderAcknowledgmentSchema } from './purchase-order-acknowledgment.schema.js';
import { salesOrderSchema } from './sales-order.schema.js';
import { shipmentSchema } from './shipment.schema.js';
import { trackingEventSchema } from './tracking-event.schema.js';

/** One valid document to break, always the same. */
function sample<T>(arbitrary: fc.Arbitrary<T>, where: (value: T) => boolean = () => true): T {
  for (let batch = 0; batch < 40; batch += 1) {
    const found = fc.sample(arbitrary, { numRuns: 20, seed: 20250301 + batch }).find(where);
    if (found !== undefined) {
      return structuredClone(found);
    }
  }
  assert.fail('no sample matched');
}

type Issue = { path: PropertyKey[]; message: string; code?: string };

function issuesOf(schema: z.ZodType, value: unknown): Issue[] {
  const result = schema.safeParse(value);
  assert.equal(result.success, false, 'expected the document to be refused');
  return result.error!.issues.map((i) => ({ path: i.path, message: i.message, code: i.code }));
}

function assertIssue(schema: z.ZodType, value: unknown, expected: { path: PropertyKey[]; message: string | RegExp }): void {
  const issues = issuesOf(schema, value);
  const match = issues.find(
    (i) => JSON.stringify(i.path) === JSON.stringify(expected.path) && (typeof expected.message === 'string' ? i.message === expected.message : expected.message.test(i.message)),
  );
  assert.ok(match, `expected an issue at ${JSON.stringify(expected.path)} matching ${expected.message}, got ${JSON.stringify(issues)}`);
}

describe('documents refuse bad input with specific issues', () => {
  it('sales order: float unit price', () => {
    const order = sample(salesOrderArb);
    (order.lines[0]!.unitPrice as { amount: unknown }).amount = 12.5;
    assertIssue(salesOrderSchema, order, {
      path: ['lines', 0, 'unitPrice', 'amount'],
      message: 'money amounts are decimal strings such as "12.50", never JSON numbers',
    });
  });

  it('sales order: float quantity', () => {
    const order = sample(salesOrderArb);
    (order.lines[0] as { quantity: unknown }).quantity = 3;
    assertIssue(salesOrderSchema, order, { path: ['lines', 0, 'quantity'], message: 'quantity must be a decimal string such as "12.5", never a JSON number' });
  });

  it('sales order: totals that do not add up', () => {
    const order = sample(salesOrderArb, (o) => o.currency === 'USD' && o.totals.discount === undefined);
    order.totals = { subtotal: { amount: '100.00', currency: 'USD' }, tax: { amount: '8.25', currency: 'USD' }, freight: { amount: '10', currency: 'USD' }, total: { amount: '118.26', currency: 'USD' } };
    assert.deepEqual(issuesOf(salesOrderSchema, order), [
      { path: ['totals', 'total', 'amount'], message: 'total must equal subtotal - discount + tax + freight = 118.25', code: 'custom' },
    ]);
  });

  it('sales order: line price in another currency, repeated line numbers, unidentifiable line', () => {
    const order = sample(salesOrderArb, (o) => o.currency !== 'EUR' && o.lines.length >= 2);
    order.lines[0]!.unitPrice = { amount: '1', currency: 'EUR' };
    order.lines[1]!.lineNumber = order.lines[0]!.lineNumber;
    const { sku: _sku, itemId: _itemId, customerPartNumber: _cpn, ...bare } = order.lines[1]!;
    order.lines[1] = bare as typeof order.lines[number];
    const issues = issuesOf(salesOrderSchema, order);
    assert.deepEqual(
      issues.filter((i) => i.path[0] === 'lines').map((i) => [i.path, i.message]),
      [
        [['lines', 1, 'lineNumber'], `line number ${order.lines[0]!.lineNumber} is repeated`],
        [['lines', 0, 'unitPrice', 'currency'], `must be the document currency ${order.currency}`],
        [['lines', 1], 'a line needs an itemId, a sku or a customerPartNumber'],
      ],
    );
  });

  it('sales order: wrong id prefix, missing tenant, unknown status, empty lines', () => {
    const order = sample(salesOrderArb) as Record<string, unknown>;
    order.id = (order.id as string).replace('so_', 'po_');
    delete order.tenantId;
    order.status = 'Shipping';
    order.lines = [];
    const issues = issuesOf(salesOrderSchema, order);
    assert.deepEqual(issues.find((i) => i.path[0] === 'id')?.message, 'must be an id of the form so_<26-character ULID>');
    assert.deepEqual(issues.find((i) => i.path[0] === 'tenantId')?.code, 'invalid_type');
    assert.deepEqual(issues.find((i) => i.path[0] === 'status')?.code, 'invalid_value');
    assert.deepEqual(issues.find((i) => i.path[0] === 'lines')?.code, 'too_small');
  });

  it('sales order: schemaVersion must be 1', () => {
    const order = { ...sample(salesOrderArb), schemaVersion: 2 };
    assertIssue(salesOrderSchema, order, { path: ['schemaVersion'], message: /expected 1/ });
  });

  it('item: bad GTIN check digit, base unit not among units', () => {
    const item = sample(itemArb, (i) => i.crossReferences.some((r) => r.kind === 'gtin'));
    const index = item.crossReferences.findIndex((r) => r.kind === 'gtin');
    const ref = item.crossReferences[index] as { gtin: string };
    const last = Number(ref.gtin.slice(-1));
    ref.gtin = ref.gtin.slice(0, -1) + String((last + 1) % 10);
    assertIssue(itemSchema, item, { path: ['crossReferences', index, 'gtin'], message: `GTIN check digit must be ${last}, got ${(last + 1) % 10}` });

    const other = sample(itemArb, (i) => i.units.length === 1 && i.units[0]!.unit !== 'EA' && i.conversions.length === 0 && i.crossReferences.every((r) => r.unit === undefined));
    other.baseUnit = 'EA';
    assert.deepEqual(issuesOf(itemSchema, other), [{ path: ['baseUnit'], message: "base unit EA must be one of the item's units", code: 'custom' }]);
  });

  it('party: unknown kind, customer credit in another currency', () => {
    const party = sample(partyArb, (p) => p.kind === 'customer' && p.currency !== 'EUR');
    assertIssue(partySchema, { ...party, kind: 'prospect' }, { path: ['kind'], message: /Invalid discriminator value/ });
    if (party.kind === 'customer') {
      party.credit.limit.currency = 'EUR';
    }
    assertIssue(partySchema, party, { path: ['credit', 'limit', 'currency'], message: `credit limit must be in the account currency ${(party as { currency: string }).currency}` });
  });

  it('price: tiers not ascending, validTo before validFrom', () => {
    const price = {
      schemaVersion: 1,
      id: 'prc_01JNQ6Z3V6G6W8Y9A0B1C2D3E4',
      tenantId: 'acme',
      kind: 'contract',
      customerId: 'pty_01JNQ6Z3V6G6W8Y9A0B1C2D3E4',
      itemId: 'itm_01JNQ6Z3V6G6W8Y9A0B1C2D3E4',
      sku: 'WID-100',
      currency: 'USD',
      unit: 'EA',
      tiers: [
        { minQuantity: '10', unitPrice: { amount: '9.50', currency: 'USD' } },
        { minQuantity: '10.0', unitPrice: { amount: '9.00', currency: 'USD' } },
      ],
      validFrom: '2025-03-01',
      validTo: '2025-02-28',
      externalIds: {},
      createdAt: '2025-03-01T00:00:00Z',
      updatedAt: '2025-03-01T00:00:00Z',
    };
    assert.deepEqual(issuesOf(priceSchema, price).map((i) => [i.path, i.message]), [
      [['tiers', 1, 'minQuantity'], 'tiers must be strictly ascending by minQuantity'],
      [['validTo'], 'validTo must not be before validFrom'],
    ]);
    assert.equal(priceSchema.safeParse({ ...price, tiers: [price.tiers[0]], validTo: '2025-12-31' }).success, true);
    const { customerId: _c, ...withoutCustomer } = price;
    assertIssue(priceSchema, { ...withoutCustomer, tiers: [price.tiers[0]], validTo: '2025-12-31' }, { path: ['customerId'], message: /expected string/ });
  });

  it('PO acknowledgment: unknown action, change_date without a date, accepted header with changed lines', () => {
    const ack = sample(purchaseOrderAcknowledgmentArb, (a) => a.ackType === 'accepted');
    assertIssue(purchaseOrderAcknowledgmentSchema, { ...ack, lines: [{ lineNumber: 1, action: 'maybe' }] }, { path: ['lines', 0, 'action'], message: /Invalid discriminator value/ });
    assertIssue(purchaseOrderAcknowledgmentSchema, { ...ack, lines: [{ lineNumber: 1, action: 'change_date' }] }, { path: ['lines', 0, 'scheduledDate'], message: /expected string/ });
    assert.deepEqual(issuesOf(purchaseOrderAcknowledgmentSchema, { ...ack, lines: [{ lineNumber: 1, action: 'change_date', scheduledDate: '2025-04-01' }] }), [
      { path: ['ackType'], message: 'ackType accepted requires every line to be accept', code: 'custom' },
    ]);
  });

  it('ASN: bad SSCC check digit, duplicate SSCC, parent that is not a pack', () => {
    const asn = sample(advanceShipNoticeArb, (a) => a.orders[0]!.packs.length >= 2);
    const packs = asn.orders[0]!.packs;
    const first = packs[0]!.sscc;
    const wrong = first.slice(0, -1) + String((Number(first.slice(-1)) + 5) % 10);
    assertIssue(advanceShipNoticeSchema, { ...asn, orders: [{ ...asn.orders[0], packs: [{ ...packs[0], sscc: wrong }] }] }, {
      path: ['orders', 0, 'packs', 0, 'sscc'],
      message: `SSCC check digit must be ${first.slice(-1)}, got ${wrong.slice(-1)}`,
    });
    const duplicate = { ...asn, orders: [{ ...asn.orders[0], packs: [packs[0], { ...packs[1], sscc: first, parentSscc: undefined }] }] };
    assertIssue(advanceShipNoticeSchema, duplicate, { path: ['orders', 0, 'packs', 1, 'sscc'], message: `SSCC ${first} appears twice` });
    const orphan = { ...asn, orders: [{ ...asn.orders[0], packs: [{ ...packs[0], parentSscc: '376104250021234569' }] }] };
    assertIssue(advanceShipNoticeSchema, orphan, { path: ['orders', 0, 'packs', 0, 'parentSscc'], message: 'parent SSCC 376104250021234569 is not another pack of this shipment' });
  });

  it('ASN: packs that contain each other', () => {
    const asn = sample(advanceShipNoticeArb, (a) => a.orders[0]!.packs.length >= 2);
    const [a, b] = asn.orders[0]!.packs;
    const cyclic = { ...asn, orders: [{ ...asn.orders[0], packs: [{ ...a, parentSscc: b!.sscc }, { ...b, parentSscc: a!.sscc }] }] };
    assertIssue(advanceShipNoticeSchema, cyclic, { path: ['orders', 0, 'packs', 0, 'parentSscc'], message: `SSCC ${a!.sscc} is (indirectly) its own parent` });
  });

  it('tracking: Delivered needs proof of delivery; recordedAt not before occurredAt', () => {
    const event = sample(trackingEventArb, (e) => e.status === 'Delivered');
    const { proofOfDelivery: _pod, ...withoutPod } = event as Extract<typeof event, { status: 'Delivered' }>;
    assertIssue(trackingEventSchema, withoutPod, { path: ['proofOfDelivery'], message: /expected object/ });
    assertIssue(trackingEventSchema, { ...event, occurredAt: '2025-03-02T00:00:00Z', recordedAt: '2025-03-01T23:00:00+02:00' }, {
      path: ['recordedAt'],
      message: 'recordedAt must not be before occurredAt',
    });
    assert.equal(trackingEventSchema.safeParse({ ...event, occurredAt: '2025-03-02T00:00:00Z', recordedAt: '2025-03-01T23:00:00-05:00' }).success, true);
    assertIssue(trackingEventSchema, { ...event, status: 'Lost' }, { path: ['status'], message: /Invalid discriminator value/ });
  });

  it('shipment: Delivered without proof of delivery, outbound line without order', () => {
    const shipment = sample(shipmentArb, (s) => s.status === 'Delivered' && s.direction === 'outbound');
    const { proofOfDelivery: _pod, ...rest } = shipment;
    assertIssue(shipmentSchema, rest, { path: ['proofOfDelivery'], message: 'a Delivered shipment needs proof of delivery' });
    const { salesOrderId: _so, ...line } = shipment.lines[0]!;
    assertIssue(shipmentSchema, { ...shipment, lines: [line] }, { path: ['lines', 0, 'salesOrderId'], message: 'outbound shipment lines need a salesOrderId' });
  });

  it('invoice: subtotal not the sum of lines, due before issued', () => {
    const invoice = sample(invoiceArb, (i) => i.totals.discount === undefined);
    const bumped = { ...invoice.lines[0]!, lineAmount: { amount: '0.01', currency: invoice.currency } };
    const issues = issuesOf(invoiceSchema, { ...invoice, lines: [bumped, ...invoice.lines.slice(1)], dueDate: '1999-12-31' });
    assert.ok(issues.some((i) => JSON.stringify(i.path) === '["totals","subtotal","amount"]' && /sum of line amounts/.test(i.message)), JSON.stringify(issues));
    assert.ok(issues.some((i) => JSON.stringify(i.path) === '["dueDate"]'), JSON.stringify(issues));
  });

  it('payment: negative or zero amount, over-allocated', () => {
    const payment = sample(paymentArb, (p) => p.allocations.length > 0 && p.amount.currency === 'USD');
    assertIssue(paymentSchema, { ...payment, amount: { amount: '0.00', currency: 'USD' } }, { path: ['amount', 'amount'], message: 'a payment amount must be positive' });
    const over = { ...payment, amount: { amount: '0.01', currency: 'USD' }, allocations: [{ invoiceId: payment.allocations[0]!.invoiceId, amount: { amount: '0.02', currency: 'USD' } }] };
    assertIssue(paymentSchema, over, { path: ['allocations'], message: 'allocations (0.02) exceed the payment amount' });
  });

  it('exception: resolution action not allowed, claimed without claimant, repeated action', () => {
    const resolved = sample(exceptionArb, (e) => e.status === 'Resolved' && !e.allowedActions.includes('override'));
    if (resolved.status !== 'Resolved') throw new Error('unreachable');
    assertIssue(exceptionSchema, { ...resolved, resolution: { ...resolved.resolution, action: 'override' } }, {
      path: ['resolution', 'action'],
      message: `action override is not one of the allowed actions (${resolved.allowedActions.join(', ')})`,
    });
    const open = sample(exceptionArb, (e) => e.status === 'Open');
    assertIssue(exceptionSchema, { ...open, status: 'Claimed' }, { path: ['claimedBy'], message: /expected string/ });
    assertIssue(exceptionSchema, { ...open, allowedActions: ['retry', 'retry'] }, { path: ['allowedActions', 1], message: 'action retry is listed twice' });
    assertIssue(exceptionSchema, { ...open, ownerRole: 'warehouse' }, { path: ['ownerRole'], message: /Invalid option/ });
  });

  it('drops "__proto__" keys from free-form JSON instead of letting them reach the prototype', () => {
    const open = sample(exceptionArb, (e) => e.status === 'Open');
    const parsed = exceptionSchema.parse({ ...open, evidence: JSON.parse('{"__proto__": {"polluted": true}, "expected": "9.50"}') });
    assert.deepEqual(parsed.evidence, { expected: '9.50' });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('text and JSON must be storable in Postgres: no NUL, no lone surrogates', () => {
    const order = sample(salesOrderArb, (o) => o.notes === undefined);
    assertIssue(salesOrderSchema, { ...order, notes: 'ok\u0000' }, { path: ['notes'], message: 'must not contain control characters other than tab and line breaks' });
    assertIssue(salesOrderSchema, { ...order, notes: 'half \uD83D pair' }, { path: ['notes'], message: 'must be well-formed Unicode (no lone surrogates)' });
    assert.equal(salesOrderSchema.safeParse({ ...order, notes: 'line 1\r\n\tline 2 😀' }).success, true);
    const open = sample(exceptionArb, (e) => e.status === 'Open');
    assertIssue(exceptionSchema, { ...open, evidence: { raw: ['ISA*00*', { seg: 'N1\u0000' }] } }, {
      path: ['evidence', 'raw', 1, 'seg'],
      message: 'JSON strings must not contain U+0000',
    });
  });

  it('dates and times: calendar dates must exist, instants need an offset', () => {
    const order = sample(salesOrderArb);
    assertIssue(salesOrderSchema, { ...order, requestedDeliveryDate: '2025-02-30' }, { path: ['requestedDeliveryDate'], message: 'must be a calendar date YYYY-MM-DD' });
    assertIssue(salesOrderSchema, { ...order, orderedAt: '2025-03-01T10:00:00' }, { path: ['orderedAt'], message: /RFC 3339/ });
    assert.equal(salesOrderSchema.safeParse({ ...order, orderedAt: '2025-03-01T10:00:00.123+05:30' }).success, true);
  });
});
