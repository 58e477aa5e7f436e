import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectorContract, silentLog, type ConnectorInstance } from '@tradelane/connector-kit';
import { InputError, PermanentError, systemClock, systemContext, TransientError } from '@tradelane/core';
import { asCanonical } from '../shared/canonical-check.fixture.js';
import { bookSimShipment } from '../sim/carrier-sim.fixture.js';
import { startCarrierSim, type CarrierSimHandle } from '../sim/carrier-sim.server.js';
import { freightLinkConnector } from './freight-link.connector.js';

let sim: CarrierSimHandle;
before(async () => {
  sim = await startCarrierSim({ kind: 'freightlink', port: 0, seed: 21 });
});
after(async () => sim.close());

const deps = { clock: systemClock, log: silentLog };
const ctx = systemContext('acme', 'corr-freightlink');
const open = () => freightLinkConnector.instantiate(deps, { baseUrl: sim.url, timeoutMs: 2000 }) as Promise<ConnectorInstance<'carrierTracking'>>;

connectorContract(freightLinkConnector, {
  config: () => ({ baseUrl: sim.url, timeoutMs: 2000 }),
  badConfig: { config: { baseUrl: 'ftp://nowhere' }, field: 'baseUrl' },
  knownTrackingNumber: async () => {
    const { trackingNumber } = await bookSimShipment(sim, 'CONTRACT-1');
    sim.advance(trackingNumber, { toEnd: true });
    return trackingNumber;
  },
  makeUnreachable: () => sim.goOffline(),
});

describe('freightlink connector against the simulator', () => {
  test('a full journey normalises in time order with proof of delivery', async () => {
    const inst = await open();
    const { trackingNumber } = await bookSimShipment(sim, 'JOURNEY-1', 'Pat Lee');
    sim.advance(trackingNumber, { toEnd: true });
    const events = await inst.carrierTracking.track(ctx, trackingNumber);
    assert.deepEqual(events.map((e) => e.status), ['InfoReceived', 'InTransit', 'InTransit', 'OutForDelivery', 'Delivered']);
    const last = asCanonical(events.at(-1)!);
    assert.ok(last.status === 'Delivered');
    assert.equal(last.proofOfDelivery.signedBy, 'Pat Lee');
    assert.match(last.proofOfDelivery.imageRef ?? '', new RegExp(`^freightlink:pod/IMG\\d{8}-${trackingNumber}$`));
    for (const e of events) assert.match(e.occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await inst.close();
  });

  test('address issue and return-to-sender paths normalise to Exception and ReturnedToSender', async () => {
    const inst = await open();
    const a = await bookSimShipment(sim, 'JOURNEY-ADR');
    sim.setScenario(a.trackingNumber, 'address_issue');
    sim.advance(a.trackingNumber, { toEnd: true });
    const adr = await inst.carrierTracking.track(ctx, a.trackingNumber);
    assert.deepEqual(adr.map((e) => e.status).slice(-4), ['OutForDelivery', 'Exception', 'OutForDelivery', 'Delivered']);
    const ex = asCanonical(adr.at(-3)!);
    assert.ok(ex.status === 'Exception');
    assert.equal(ex.exceptionCode, 'address_issue');

    sim.setScenario('JOURNEY-RTS', 'return_to_sender');
    const r = await bookSimShipment(sim, 'JOURNEY-RTS');
    sim.advance(r.trackingNumber, { toEnd: true });
    const rts = await inst.carrierTracking.track(ctx, r.trackingNumber);
    assert.deepEqual(rts.map((e) => e.status).slice(-3), ['OutForDelivery', 'Exception', 'ReturnedToSender']);
    const refused = asCanonical(rts.at(-2)!);
    assert.ok(refused.status === 'Exception');
    assert.equal(refused.exceptionCode, 'refused');
    await inst.close();
  });

  test('fetchEvents pages forward without repeats or gaps; an empty page ends with a null cursor', async () => {
    const inst = await open();
    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await inst.carrierTracking.fetchEvents(ctx, { cursor, limit: 3 });
      if (page.items.length === 0) {
        assert.equal(page.nextCursor, null);
        break;
      }
      paged.push(...page.items.map((e) => `${e.trackingNumber}|${e.carrierStatusCode}|${e.occurredAt}`));
      cursor = page.nextCursor;
      pages += 1;
    }
    const whole = await inst.carrierTracking.fetchEvents(ctx, { cursor: null, limit: 200 });
    assert.deepEqual(paged, whole.items.map((e) => `${e.trackingNumber}|${e.carrierStatusCode}|${e.occurredAt}`));
    assert.ok(pages >= 3, `paged ${pages} times`);
    await assert.rejects(inst.carrierTracking.fetchEvents(ctx, { cursor: 'abc' }), (e: unknown) => e instanceof InputError);
    await inst.close();
  });

  test('an unknown status code is never dropped: track and the feed fail permanently naming it', async () => {
    const inst = await open();
    const before = await inst.carrierTracking.fetchEvents(ctx, { cursor: null, limit: 200 });
    const { trackingNumber } = await bookSimShipment(sim, 'JOURNEY-ZZ');
    const start = (await inst.carrierTracking.fetchEvents(ctx, { cursor: before.nextCursor, limit: 200 })).nextCursor;
    sim.inject(trackingNumber, 'HELD_FOR_INSPECTION', 'Held for inspection');
    const isUnknown = (e: unknown) => e instanceof PermanentError && e.code === 'TL_FREIGHTLINK_UNKNOWN_STATUS' && /"HELD_FOR_INSPECTION"/.test(e.message);
    await assert.rejects(inst.carrierTracking.track(ctx, trackingNumber), isUnknown);
    await assert.rejects(inst.carrierTracking.fetchEvents(ctx, { cursor: start, limit: 50 }), isUnknown);
    await inst.close();
  });

  test('503 from the carrier is transient; an unknown tracking number is permanent', async () => {
    const inst = await open();
    await assert.rejects(inst.carrierTracking.track(ctx, '1000000000'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_FREIGHTLINK_HTTP_404');
    sim.setFault('unavailable');
    try {
      await assert.rejects(inst.carrierTracking.track(ctx, '1000000000'), (e: unknown) => e instanceof TransientError && e.retryAfterMs === 1000);
      assert.equal((await inst.health()).ok, false);
    } finally {
      sim.setFault('none');
    }
    await inst.close();
  });
});
