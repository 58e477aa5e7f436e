/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { advanceShipNoticeArb, eventEnvelopeArb, exceptionArb, salesOrderArb } from './arbitraries.test-support.js';
import { eventCatalog, eventTypes, isEventType, makeCatalogEvent, parseEvent } from './event-catalog.js';
import { eventEnvelopeSchema, makeEvent } from './event-envelope.schema.js';
import { idTime, isId } from './ids.js';

const [order] = fc.sample(salesOrderArb, { numRuns: 1, seed: 11 });
const salesOrder = order!;

describe('event envelope', () => {
  it('makeEvent fills CloudEvents defaults', () => {
    const before = Date.now();
    const event = makeEvent({
      type: 'sales_order.accepted',
      source: '/tradelane/flows/order-to-cash',
      tenantId: 'acme',
      subject: salesOrder.id,
      data: { salesOrder },
      dataVersion: 1,
      correlationId: 'req-42',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    assert.equal(event.specversion, '1.0');
    assert.equal(event.datacontenttype, 'application/json');
    assert.ok(isId(event.id, 'evt'));
    assert.ok(idTime(event.id)! >= before);
    assert.ok(Date.parse(event.time) >= before - 1);
    assert.equal(event.tenantid, 'acme');
    assert.equal(event.dataversion, 1);
    assert.equal(event.correlationid, 'req-42');
    assert.equal(event.data.salesOrder, salesOrder, 'data is passed through, not copied');
    assert.equal('dataschema' in event, false, 'absent options stay absent');
    assert.equal(eventEnvelopeSchema.safeParse(event).success, true);
  });

  it('extension attribute names are lower-case alphanumeric, as CloudEvents requires', () => {
    for (const key of Object.keys(eventEnvelopeSchema.shape)) {
      assert.match(key, /^[a-z0-9]{1,20}$/);
    }
  });

  it('makeEvent refuses bad attributes with the attribute named', () => {
    const base = { type: 'sales_order.accepted', source: '/x', tenantId: 'acme', data: {}, dataVersion: 1 };
    assert.throws(() => makeEvent({ ...base, tenantId: 'Acme Corp' }), /tenantid: tenantId must be/);
    assert.throws(() => makeEvent({ ...base, dataVersion: 0 }), /dataversion/);
    assert.throws(() => makeEvent({ ...base, type: 'SalesOrderAccepted' }), /type: type must look like/);
    assert.throws(() => makeEvent({ ...base, time: '2025-03-01 10:00' }), /time: must be an RFC 3339/);
    assert.throws(() => makeEvent({ ...base, traceparent: '00-abc-01' }), /traceparent/);
    assert.throws(() => makeEvent({ ...base, data: undefined }), /data: data is required/);
  });

  it('keeps explicit id and time', () => {
    const event = makeEvent({ type: 'a.b', source: '/x', tenantId: 't', data: null, dataVersion: 3, id: 'outbox-17', time: '2025-03-01T10:00:00+01:00' });
    assert.equal(event.id, 'outbox-17');
    assert.equal(event.time, '2025-03-01T10:00:00+01:00');
    assert.equal(event.data, null);
  });
});

describe('event catalog', () => {
  it('lists the product events, each at version 1 with past-tense names', () => {
    const expected = [
      ...['received', 'accepted', 'committed', 'allocated', 'backordered', 'released', 'shipped', 'delivered', 'invoiced', 'cancelled', 'repromised'].map((e) => `sales_order.${e}`),
      ...['approved', 'published', 'acknowledged', 'ack_reminded', 'change_rejected', 'changed'].map((e) => `purchase_order.${e}`),
      'asn.received',
      'receipt.recorded',
      'invoice.matched',
      'invoice.disputed',
      'exception.opened',
      'exception.resolved',
      'inventory.changed',
      'tracking.updated',
    ];
    assert.deepEqual([...eventTypes].sort(), expected.sort());
    for (const type of eventTypes) {
      assert.match(type, /^[a-z_]+\.[a-z_]+ed$/);
      assert.equal(eventCatalog[type].version, 1);
    }
    assert.equal(isEventType('sales_order.shipped'), true);
    assert.equal(isEventType('toString'), false);
  });

  it('round-trips cataloged events through JSON and parseEvent', () => {
    fc.assert(
      fc.property(salesOrderArb, advanceShipNoticeArb, exceptionArb, (so, asn, exception) => {
        const events = [
          makeCatalogEvent({ type: 'sales_order.accepted', source: '/tradelane/flows/order-to-cash', tenantId: so.tenantId, subject: so.id, data: { salesOrder: so } }),
          makeCatalogEvent({ type: 'asn.received', source: '/tradelane/connectors/edi-x12', tenantId: asn.tenantId, subject: asn.id, data: { asn } }),
          makeCatalogEvent({ type: 'exception.opened', source: '/tradelane/flows/exceptions', tenantId: exception.tenantId, data: { exception } }),
        ];
        for (const event of events) {
          const result = parseEvent(JSON.parse(JSON.stringify(event)));
          assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
          assert.deepStrictEqual(result.event, event);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('narrows the payload type by event type', () => {
    const result = parseEvent(makeCatalogEvent({ type: 'sales_order.cancelled', source: '/x', tenantId: 'acme', data: { salesOrder, reason: 'customer request', cancelledBy: 'cs:jane' } }));
    assert.ok(result.ok);
    if (result.event.type === 'sales_order.cancelled') {
      assert.equal(result.event.data.reason, 'customer request');
    } else {
      assert.fail('wrong type');
    }
  });

  it('reports each kind of failure with its own code', () => {
    const invalidEnvelope = parseEvent({ specversion: '0.3', type: 'sales_order.accepted' });
    assert.equal(!invalidEnvelope.ok && invalidEnvelope.error.code, 'TL_EVENT_INVALID_ENVELOPE');
    assert.ok(!invalidEnvelope.ok && invalidEnvelope.error.issues.some((i) => i.path[0] === 'specversion'));

    const good = makeCatalogEvent({ type: 'sales_order.accepted', source: '/x', tenantId: 'acme', data: { salesOrder } });
    const unknown = parseEvent({ ...good, type: 'sales_order.teleported' });
    assert.deepEqual(!unknown.ok && unknown.error, { code: 'TL_EVENT_UNKNOWN_TYPE', message: 'unknown event type sales_order.teleported', issues: [] });

    const version = parseEvent({ ...good, dataversion: 2 });
    assert.equal(!version.ok && version.error.code, 'TL_EVENT_UNSUPPORTED_VERSION');
    assert.match(!version.ok ? version.error.message : '', /dataversion 2 is not supported/);

    const badData = parseEvent({ ...good, data: { salesOrder: { ...salesOrder, currency: 12 } } });
    assert.equal(!badData.ok && badData.error.code, 'TL_EVENT_INVALID_DATA');
    assert.ok(!badData.ok && badData.error.issues.some((i) => JSON.stringify(i.path) === '["data","salesOrder","currency"]'));
  });

  it('makeCatalogEvent refuses a payload that does not match the catalog', () => {
    assert.throws(
      () => makeCatalogEvent({ type: 'sales_order.backordered', source: '/x', tenantId: 'acme', data: { salesOrder, backorderedLines: [] } }),
      /invalid sales_order.backordered payload: data.backorderedLines/,
    );
  });

  it('parseEvent never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), eventEnvelopeArb), (value) => {
        const result = parseEvent(value);
        assert.equal(typeof result.ok, 'boolean');
      }),
      { numRuns: 300 },
    );
  });
});
