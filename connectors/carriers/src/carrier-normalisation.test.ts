import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { trackingStatuses, type TrackingStatus } from '@tradelane/canonical';
import { freightLinkEventToCanonical, freightLinkStatusTable } from './freight-link/mappers/freight-link-event.to-canonical.js';
import { parceloScanToCanonical, parceloStatusTable } from './parcelo/mappers/parcelo-scan.to-canonical.js';
import { asCanonical } from './shared/canonical-check.fixture.js';

/** Every carrier code of both formats and the normalised status it must give. */
const table: Array<{ carrier: 'parcelo' | 'freightlink'; code: string; status: TrackingStatus }> = [
  { carrier: 'parcelo', code: 'LC', status: 'InfoReceived' },
  { carrier: 'parcelo', code: 'PU', status: 'InTransit' },
  { carrier: 'parcelo', code: 'IT', status: 'InTransit' },
  { carrier: 'parcelo', code: 'OD', status: 'OutForDelivery' },
  { carrier: 'parcelo', code: 'DL', status: 'Delivered' },
  { carrier: 'parcelo', code: 'EX', status: 'Exception' },
  { carrier: 'parcelo', code: 'RS', status: 'ReturnedToSender' },
  { carrier: 'freightlink', code: 'SHIPMENT_CREATED', status: 'InfoReceived' },
  { carrier: 'freightlink', code: 'DEPARTED_FACILITY', status: 'InTransit' },
  { carrier: 'freightlink', code: 'ARRIVED_AT_FACILITY', status: 'InTransit' },
  { carrier: 'freightlink', code: 'ON_VEHICLE_FOR_DELIVERY', status: 'OutForDelivery' },
  { carrier: 'freightlink', code: 'DELIVERED', status: 'Delivered' },
  { carrier: 'freightlink', code: 'DELIVERY_ATTEMPTED', status: 'Exception' },
  { carrier: 'freightlink', code: 'RETURNED', status: 'ReturnedToSender' },
];

const normalise = (carrier: 'parcelo' | 'freightlink', code: string) =>
  carrier === 'parcelo'
    ? parceloScanToCanonical('PR0000000000', { scanId: 1, code, text: `scan ${code}`, localTime: '2025-03-01T10:00:00', utcOffset: '-06:00' })
    : freightLinkEventToCanonical('1000000000', { eventId: 1, status: code, statusDetail: `event ${code}`, eventTimeEpoch: 1_740_844_800 });

describe('both carrier formats normalise to the same status set', () => {
  for (const row of table) {
    test(`${row.carrier} ${row.code} → ${row.status}`, () => {
      const e = normalise(row.carrier, row.code);
      assert.equal(e.status, row.status);
      assert.equal(e.carrierStatusCode, row.code);
      asCanonical(e);
    });
  }

  test('the table covers every code of both carriers, and both reach every normalised status', () => {
    assert.deepEqual(table.filter((r) => r.carrier === 'parcelo').map((r) => r.code).sort(), Object.keys(parceloStatusTable).sort());
    assert.deepEqual(table.filter((r) => r.carrier === 'freightlink').map((r) => r.code).sort(), Object.keys(freightLinkStatusTable).sort());
    const parceloSet = new Set(Object.values(parceloStatusTable));
    const freightSet = new Set(Object.values(freightLinkStatusTable));
    assert.deepEqual([...parceloSet].sort(), [...trackingStatuses].sort());
    assert.deepEqual([...freightSet].sort(), [...trackingStatuses].sort());
  });

  test('the same instant in both conventions gives the same occurredAt', () => {
    assert.equal(normalise('parcelo', 'IT').occurredAt, '2025-03-01T16:00:00Z');
    assert.equal(normalise('freightlink', 'DEPARTED_FACILITY').occurredAt, '2025-03-01T16:00:00Z');
  });
});
