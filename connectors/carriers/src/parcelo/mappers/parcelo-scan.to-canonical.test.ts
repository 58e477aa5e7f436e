import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { asCanonical } from '../../shared/canonical-check.fixture.js';
import type { ParceloScan } from '../codec/parcelo.codec.js';
import { parceloLocalToEpochMs, parceloScanToCanonical } from './parcelo-scan.to-canonical.js';

const scan = (over: Partial<ParceloScan>): ParceloScan => ({
  scanId: 7,
  code: 'IT',
  text: 'Departed Parcelo hub',
  localTime: '2025-03-01T04:15:00',
  utcOffset: '-05:00',
  location: { city: 'Newark', state: 'NJ', zip: '07114', country: 'US' },
  ...over,
});

describe('Parcelo local time + offset → RFC 3339 UTC', () => {
  const cases: Array<[string, string, string]> = [
    ['2025-03-01T04:15:00', '-05:00', '2025-03-01T09:15:00Z'],
    ['2025-03-01T22:30:00', '-08:00', '2025-03-02T06:30:00Z'],
    ['2025-03-01T01:00:00', '+05:30', '2025-02-28T19:30:00Z'],
    ['2024-12-31T23:59:59', '+00:00', '2024-12-31T23:59:59Z'],
  ];
  for (const [local, offset, utc] of cases) {
    test(`${local} ${offset} → ${utc}`, () => assert.equal(parceloLocalToEpochMs(local, offset), Date.parse(utc)));
  }
  test('impossible dates and offsets are refused', () => {
    assert.equal(parceloLocalToEpochMs('2025-02-30T10:00:00', '-05:00'), undefined);
    assert.equal(parceloLocalToEpochMs('2025-03-01T24:00:00', '-05:00'), undefined);
    assert.equal(parceloLocalToEpochMs('2025-03-01 10:00:00', '-05:00'), undefined);
    assert.equal(parceloLocalToEpochMs('2025-03-01T10:00:00', '-15:00'), undefined);
  });
});

describe('Parcelo scan → normalised tracking event', () => {
  test('an in-transit scan keeps location, description, ETA and the raw code', () => {
    const e = parceloScanToCanonical('PR1234567895', scan({ etaLocalDate: '2025-03-03' }));
    assert.equal(e.status, 'InTransit');
    assert.equal(e.occurredAt, '2025-03-01T09:15:00Z');
    assert.equal(e.carrierCode, 'PRCL');
    assert.equal(e.carrierStatusCode, 'IT');
    assert.deepEqual(e.location, { city: 'Newark', region: 'NJ', postalCode: '07114', country: 'US' });
    assert.equal(e.estimatedDeliveryAt, '2025-03-04T04:59:59Z');
    const west = parceloScanToCanonical('PR1234567895', scan({ etaLocalDate: '2025-03-03', etaUtcOffset: '-08:00' }));
    assert.equal(west.estimatedDeliveryAt, '2025-03-04T07:59:59Z');
    asCanonical(e);
  });

  test('delivered carries proof of delivery from the signature', () => {
    const e = parceloScanToCanonical('PR1', scan({ code: 'DL', text: 'Delivered', signature: { signedBy: 'J. SMITH', imageUrl: 'https://pod.parcelo.example/PR1.png' } }));
    assert.equal(e.status, 'Delivered');
    assert.ok(e.status === 'Delivered');
    assert.deepEqual(e.proofOfDelivery, { signedBy: 'J. SMITH', deliveredAt: '2025-03-01T09:15:00Z', imageRef: 'https://pod.parcelo.example/PR1.png' });
    const safePlace = parceloScanToCanonical('PR1', scan({ code: 'DL', signature: { leftAt: 'FRONT DOOR' } }));
    assert.ok(safePlace.status === 'Delivered');
    assert.equal(safePlace.proofOfDelivery.signedBy, 'FRONT DOOR');
    asCanonical(e);
  });

  test('exception reason codes map to canonical exception codes; unknown reasons become other', () => {
    const adr = parceloScanToCanonical('PR1', scan({ code: 'EX', text: 'Address incomplete', reason: 'ADR' }));
    assert.ok(adr.status === 'Exception');
    assert.equal(adr.exceptionCode, 'address_issue');
    assert.equal(adr.carrierStatusCode, 'EX:ADR');
    assert.equal(adr.reason, 'Address incomplete (ADR)');
    const odd = parceloScanToCanonical('PR1', scan({ code: 'EX', text: 'Sorting fault', reason: 'SRT' }));
    assert.ok(odd.status === 'Exception');
    assert.equal(odd.exceptionCode, 'other');
    asCanonical(adr);
  });

  test('an unknown status code is a permanent error naming the code', () => {
    assert.throws(
      () => parceloScanToCanonical('PR9', scan({ code: 'ZZ' })),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_PARCELO_UNKNOWN_STATUS' && /"ZZ"/.test(e.message) && e.details?.carrierStatusCode === 'ZZ',
    );
  });

  test('an impossible local time is a permanent error', () => {
    assert.throws(() => parceloScanToCanonical('PR9', scan({ localTime: '2025-13-01T00:00:00' })), (e: unknown) => e instanceof PermanentError && e.code === 'TL_PARCELO_BAD_TIME');
  });
});
