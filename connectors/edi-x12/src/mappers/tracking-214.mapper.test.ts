import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12MappingError } from '../errors.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { carrierProfile, contextFor, fixedNow, fixtureSet } from './mapping-test.fixture.js';
import { x12214ToTrackingEvents } from './tracking-214.to-canonical.js';

function edit(set: X12TransactionSet, f: (tag: string, els: string[]) => string[] | undefined): X12TransactionSet {
  return { ...set, segments: set.segments.map((s) => { const e = f(s.tag, s.elements as string[]); return e ? { ...s, elements: e } : s; }) };
}

describe('214 → canonical', () => {
  it('normalises AT7 statuses with instants, locations and proof of delivery', () => {
    const events = x12214ToTrackingEvents(fixtureSet('tracking-214.edi'), contextFor(carrierProfile));
    assert.deepEqual(
      events.map((e) => [e.status, e.carrierStatusCode, e.occurredAt, e.location?.city, e.trackingNumber, e.carrierCode]),
      [
        ['InTransit', 'AF/NS', '2025-03-05T16:30:00-06:00', 'Dallas', '884120377', 'FXFE'],
        ['InTransit', 'X6/NS', '2025-03-06T09:15:00-06:00', 'Waco', '884120377', 'FXFE'],
        ['OutForDelivery', 'X1/NS', '2025-03-06T15:20:00-06:00', 'Austin', '884120377', 'FXFE'],
        ['Delivered', 'D1/NS', '2025-03-06T17:05:00-06:00', 'Austin', '884120377', 'FXFE'],
      ],
    );
    const delivered = events[3];
    assert.ok(delivered?.status === 'Delivered');
    assert.deepEqual(delivered.proofOfDelivery, { signedBy: 'NOT PROVIDED', deliveredAt: '2025-03-06T17:05:00-06:00' });
    assert.equal(events[0]?.recordedAt, fixedNow.toISOString().replace('.000', ''));
    assert.equal(events[0]?.source, 'edi_214');
  });

  it('maps exceptions, returns and estimates, and honours partner codes', () => {
    const set = edit(fixtureSet('tracking-214.edi'), (tag, els) => {
      if (tag !== 'AT7') return undefined;
      if (els[0] === 'X6') return ['SD', 'AH', '', '', ...els.slice(4)];
      if (els[0] === 'X1') return ['AG', 'NS', '', '', '20250307', '1200', 'ET'];
      if (els[0] === 'D1') return ['A3', 'NS', '', '', ...els.slice(4)];
      return undefined;
    });
    const events = x12214ToTrackingEvents(set, contextFor(carrierProfile));
    assert.deepEqual(events.map((e) => e.status), ['InTransit', 'Exception', 'InTransit', 'ReturnedToSender']);
    const ex = events[1];
    assert.ok(ex?.status === 'Exception');
    assert.equal(ex.exceptionCode, 'delayed');
    assert.equal(events[2]?.estimatedDeliveryAt, '2025-03-07T12:00:00-05:00');
    const custom = edit(fixtureSet('tracking-214.edi'), (tag, els) => (tag === 'AT7' && els[0] === 'AF' ? ['ZZ', ...els.slice(1)] : undefined));
    assert.throws(() => x12214ToTrackingEvents(custom, contextFor(carrierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'AT701' && e.position?.index === 11);
    const profile = { ...carrierProfile, codes: { ...carrierProfile.codes, tracking: { ZZ: 'InfoReceived' as const } } };
    assert.equal(x12214ToTrackingEvents(custom, contextFor(profile))[0]?.status, 'InfoReceived');
  });

  it('reads the tracking number where the profile says', () => {
    const profile = { ...carrierProfile, elements: { ...carrierProfile.elements, trackingNumber: 'L11:BM' } };
    assert.equal(x12214ToTrackingEvents(fixtureSet('tracking-214.edi'), contextFor(profile))[0]?.trackingNumber, 'BOL-4471902');
  });
});
