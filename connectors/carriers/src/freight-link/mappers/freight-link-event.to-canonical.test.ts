import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { asCanonical } from '../../shared/canonical-check.fixture.js';
import type { FreightLinkEvent } from '../codec/freight-link.codec.js';
import { freightLinkEventToCanonical } from './freight-link-event.to-canonical.js';

const T = Date.parse('2025-03-01T09:15:00Z') / 1000;
const event = (over: Partial<FreightLinkEvent>): FreightLinkEvent => ({
  eventId: 11,
  status: 'ARRIVED_AT_FACILITY',
  statusDetail: 'Arrived at DAL terminal',
  eventTimeEpoch: T,
  facility: { code: 'DAL', city: 'Dallas', stateProvince: 'TX', countryCode: 'US' },
  ...over,
});

describe('FreightLink event → normalised tracking event', () => {
  test('epoch seconds become RFC 3339 UTC; facility becomes the location; ETA converted', () => {
    const e = freightLinkEventToCanonical('1234567890', event({ estimatedDeliveryEpoch: T + 86_400 }));
    assert.equal(e.status, 'InTransit');
    assert.equal(e.occurredAt, '2025-03-01T09:15:00Z');
    assert.equal(e.estimatedDeliveryAt, '2025-03-02T09:15:00Z');
    assert.equal(e.carrierCode, 'FRLK');
    assert.deepEqual(e.location, { city: 'Dallas', region: 'TX', country: 'US' });
    asCanonical(e);
  });

  test('delivered carries POD: receiver name and image reference', () => {
    const e = freightLinkEventToCanonical('1234567890', event({ status: 'DELIVERED', pod: { receiverName: 'Dock 4', podImageId: 'IMG1', signedEpoch: T + 60 } }));
    assert.ok(e.status === 'Delivered');
    assert.deepEqual(e.proofOfDelivery, { signedBy: 'Dock 4', deliveredAt: '2025-03-01T09:16:00Z', imageRef: 'freightlink:pod/IMG1' });
    asCanonical(e);
  });

  test('delivery attempts are exceptions with the attempt reason mapped', () => {
    const e = freightLinkEventToCanonical('1', event({ status: 'DELIVERY_ATTEMPTED', statusDetail: 'Delivery attempted', attempt: { reasonCode: 'ADDRESS_INCORRECT', note: 'No such street number' } }));
    assert.ok(e.status === 'Exception');
    assert.equal(e.exceptionCode, 'address_issue');
    assert.equal(e.carrierStatusCode, 'DELIVERY_ATTEMPTED:ADDRESS_INCORRECT');
    assert.match(e.reason ?? '', /No such street number/);
    const unknownReason = freightLinkEventToCanonical('1', event({ status: 'DELIVERY_ATTEMPTED', attempt: { reasonCode: 'DOG_ON_PREMISES' } }));
    assert.ok(unknownReason.status === 'Exception');
    assert.equal(unknownReason.exceptionCode, 'other');
    const returned = freightLinkEventToCanonical('1', event({ status: 'RETURNED', returnReason: 'Refused by consignee' }));
    assert.ok(returned.status === 'ReturnedToSender');
    assert.equal(returned.reason, 'Refused by consignee');
    asCanonical(e);
    asCanonical(returned);
  });

  test('an unknown status is a permanent error naming it', () => {
    assert.throws(
      () => freightLinkEventToCanonical('1', event({ status: 'HELD_AT_CUSTOMS' })),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_FREIGHTLINK_UNKNOWN_STATUS' && /HELD_AT_CUSTOMS/.test(e.message),
    );
  });
});
