import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCarrierSim, type CarrierSimHandle, type CarrierSimKind } from './carrier-sim.server.js';
import { bookSimShipment, simAdmin } from './carrier-sim.fixture.js';

const trackPath = (sim: CarrierSimHandle, tn: string) => (sim.kind === 'parcelo' ? `/v2/tracking/${tn}` : `/api/v1/shipments/${tn}/history`);
const codesOf = async (sim: CarrierSimHandle, tn: string): Promise<string[]> => {
  const body = (await (await fetch(`${sim.url}${trackPath(sim, tn)}`)).json()) as { scans?: Array<{ code: string }>; history?: Array<{ status: string }> };
  return sim.kind === 'parcelo' ? (body.scans ?? []).map((s) => s.code).reverse() : (body.history ?? []).map((e) => e.status);
};
const feedPage = async (sim: CarrierSimHandle, after: number, size: number): Promise<{ ids: number[]; next: number; more: boolean }> => {
  if (sim.kind === 'parcelo') {
    const b = (await (await fetch(`${sim.url}/v2/tracking/updates?since=${after}&max=${size}`)).json()) as { updates: Array<{ scan: { scanId: number } }>; latest: number; more: boolean };
    return { ids: b.updates.map((u) => u.scan.scanId), next: b.latest, more: b.more };
  }
  const b = (await (await fetch(`${sim.url}/api/v1/events?afterEventId=${after}&pageSize=${size}`)).json()) as { events: Array<{ eventId: number }>; lastEventId: number; hasMore: boolean };
  return { ids: b.events.map((e) => e.eventId), next: b.lastEventId, more: b.hasMore };
};

const journeys: Record<CarrierSimKind, Record<string, string[]>> = {
  parcelo: {
    normal: ['LC', 'PU', 'IT', 'IT', 'OD', 'DL'],
    address_issue: ['LC', 'PU', 'IT', 'IT', 'OD', 'EX', 'OD', 'DL'],
    delivery_attempted: ['LC', 'PU', 'IT', 'IT', 'OD', 'EX', 'OD', 'DL'],
    return_to_sender: ['LC', 'PU', 'IT', 'IT', 'OD', 'EX', 'RS'],
  },
  freightlink: {
    normal: ['SHIPMENT_CREATED', 'DEPARTED_FACILITY', 'ARRIVED_AT_FACILITY', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERED'],
    address_issue: ['SHIPMENT_CREATED', 'DEPARTED_FACILITY', 'ARRIVED_AT_FACILITY', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERED'],
    delivery_attempted: ['SHIPMENT_CREATED', 'DEPARTED_FACILITY', 'ARRIVED_AT_FACILITY', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERED'],
    return_to_sender: ['SHIPMENT_CREATED', 'DEPARTED_FACILITY', 'ARRIVED_AT_FACILITY', 'ON_VEHICLE_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'RETURNED'],
  },
};

for (const kind of ['parcelo', 'freightlink'] as const) {
  describe(`carrier simulator over HTTP: ${kind}`, () => {
    let sim: CarrierSimHandle;
    before(async () => {
      sim = await startCarrierSim({ kind, port: 0, seed: 11, scenarios: { 'REF-RTS': 'return_to_sender' } });
    });
    after(async () => sim.close());

    test('booking is idempotent on the shipper reference and numbers are deterministic per seed', async () => {
      const first = await bookSimShipment(sim, 'REF-IDEM');
      const again = await bookSimShipment(sim, 'REF-IDEM');
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.trackingNumber, first.trackingNumber);
      const twin = await startCarrierSim({ kind, port: 0, seed: 11 });
      try {
        assert.equal((await bookSimShipment(twin, 'OTHER-REF')).trackingNumber, first.trackingNumber);
      } finally {
        await twin.close();
      }
      if (kind === 'parcelo') assert.match(first.trackingNumber, /^PR\d{10}$/);
      else assert.match(first.trackingNumber, /^\d{10}$/);
    });

    test('admin advance moves one step per call, or to the end', async () => {
      const { trackingNumber } = await bookSimShipment(sim, 'REF-STEP');
      assert.equal((await codesOf(sim, trackingNumber)).length, 1);
      const step = await simAdmin(sim, 'POST', '/admin/advance', { trackingNumber });
      assert.equal(step.status, 200);
      assert.equal((await codesOf(sim, trackingNumber)).length, 2);
      await simAdmin(sim, 'POST', '/admin/advance', { trackingNumber, toEnd: true });
      assert.deepEqual(await codesOf(sim, trackingNumber), journeys[kind].normal);
      const noop = (await simAdmin(sim, 'POST', '/admin/advance', { trackingNumber })).body as { advanced: unknown[] };
      assert.deepEqual(noop.advanced, []);
    });

    for (const scenario of ['address_issue', 'delivery_attempted', 'return_to_sender'] as const) {
      test(`scenario ${scenario} set by tracking number after booking`, async () => {
        const { trackingNumber } = await bookSimShipment(sim, `REF-${scenario}`);
        const set = await simAdmin(sim, 'PUT', `/admin/scenarios/${trackingNumber}`, { scenario });
        assert.equal(set.status, 200);
        sim.advance(trackingNumber, { toEnd: true });
        assert.deepEqual(await codesOf(sim, trackingNumber), journeys[kind][scenario]);
      });
    }

    test('a scenario configured at start by reference applies; a late scenario change is refused', async () => {
      const { trackingNumber } = await bookSimShipment(sim, 'REF-RTS');
      sim.advance(trackingNumber, { toEnd: true });
      assert.deepEqual(await codesOf(sim, trackingNumber), journeys[kind].return_to_sender);
      const late = await simAdmin(sim, 'PUT', `/admin/scenarios/${trackingNumber}`, { scenario: 'normal' });
      assert.equal(late.status, 409);
    });

    test('the event feed pages forward without repeats and ends', async () => {
      const seen = new Set<number>();
      let cursor = 0;
      for (let i = 0; i < 100; i++) {
        const page = await feedPage(sim, cursor, 4);
        for (const id of page.ids) {
          assert.ok(!seen.has(id), `event ${id} repeated`);
          assert.ok(id > cursor);
          seen.add(id);
        }
        cursor = page.next;
        if (!page.more) break;
      }
      assert.ok(seen.size > 10);
      assert.deepEqual((await feedPage(sim, cursor, 4)).ids, []);
    });

    test('bad requests, unknown numbers and the unavailable fault answer like a real API', async () => {
      const bad = await fetch(`${sim.url}${kind === 'parcelo' ? '/v2/labels' : '/api/v1/shipments'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ nothing: true }),
      });
      assert.equal(bad.status, 400);
      assert.equal((await fetch(`${sim.url}${trackPath(sim, '0000000000')}`)).status, 404);
      assert.equal((await simAdmin(sim, 'POST', '/admin/advance', { trackingNumber: 'nope' })).status, 404);
      await simAdmin(sim, 'POST', '/admin/faults', { mode: 'unavailable' });
      const down = await fetch(`${sim.url}${trackPath(sim, '0000000000')}`);
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '1');
      sim.setFault('none');
      assert.equal((await fetch(`${sim.url}${trackPath(sim, '0000000000')}`)).status, 404);
    });

    test('going offline refuses connections and keeps state', async () => {
      const { trackingNumber } = await bookSimShipment(sim, 'REF-OFFLINE');
      const restore = await sim.goOffline();
      await assert.rejects(fetch(`${sim.url}${trackPath(sim, trackingNumber)}`));
      await restore();
      assert.equal((await fetch(`${sim.url}${trackPath(sim, trackingNumber)}`)).status, 200);
    });
  });
}
