import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidGs1CheckDigit } from '@tradelane/canonical';
import type { WmsApiEvent } from '../codec/wms-api.codec.js';
import { startCarrierSims, type CarrierSimForTests } from './carrier-sims.fixture.js';
import { sampleWmsOrder } from './wms-sim.fixture.js';
import { startWmsSim, type WmsSimHandle } from './wms-sim.server.js';

let carriers: Awaited<ReturnType<typeof startCarrierSims>>;
let parcelo: CarrierSimForTests;
before(async () => {
  carriers = await startCarrierSims(9);
  parcelo = carriers.parcelo;
});
after(async () => carriers.close());

const post = async (url: string, body: unknown, method = 'POST') => {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const eventsOf = async (wms: WmsSimHandle, after = 0, limit = 500) =>
  (await (await fetch(`${wms.url}/wms/api/events?after=${after}&limit=${limit}`)).json()) as { events: WmsApiEvent[]; lastSeq: number; hasMore: boolean };
const withWms = async (options: Parameters<typeof startWmsSim>[0] extends infer O ? Partial<O> : never, run: (wms: WmsSimHandle) => Promise<void>) => {
  const wms = await startWmsSim({ port: 0, seed: 4, carrierUrls: { PRCL: parcelo.url, FRLK: carriers.freightLink.url }, ...options });
  try {
    await run(wms);
  } finally {
    await wms.close();
  }
};

describe('WMS simulator over HTTP', () => {
  test('a release is idempotent on clientRef and validated in the WMS vocabulary', async () =>
    withWms({}, async (wms) => {
      const first = await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-1'));
      const again = await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-1'));
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.body.obOrderId, first.body.obOrderId);
      assert.equal(first.body.orderStatus, 'RELEASED');
      const fractional = { ...sampleWmsOrder('REL-2'), lines: [{ lineNo: 1, itemCode: 'SKU-A', qtyOrdered: 1.5, uom: 'EACH' }] };
      const bad = await post(`${wms.url}/wms/api/outbound-orders`, fractional);
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /lines\.0\.qtyOrdered/);
      assert.equal((await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-3', [['SKU-A', 1]], 'UPSN'))).status, 422);
      const dupLine = { ...sampleWmsOrder('REL-4'), lines: [{ lineNo: 1, itemCode: 'A', qtyOrdered: 1, uom: 'EACH' }, { lineNo: 1, itemCode: 'B', qtyOrdered: 1, uom: 'EACH' }] };
      assert.equal((await post(`${wms.url}/wms/api/outbound-orders`, dupLine)).status, 400);
      assert.equal((await fetch(`${wms.url}/wms/api/outbound-orders/OB999999`)).status, 404);
    }));

  test('admin advance walks wave → pick (short) → pack → manifest → backorder pick → second shipment', async () =>
    withWms({ shortPicks: { 'SKU-B': 2 }, maxLinesPerLpn: 1 }, async (wms) => {
      const { body } = await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-WALK'));
      const id = String(body.obOrderId);
      const statuses: string[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await post(`${wms.url}/admin/advance`, { order: id });
        statuses.push(String((res.body.results as Array<{ to: string }>)[0]?.to));
      }
      assert.deepEqual(statuses, ['WAVED', 'PICKED', 'PACKED', 'BACKORDERED', 'WAVED', 'PICKED', 'PACKED', 'SHIPPED']);
      const order = wms.order(id)!;
      assert.deepEqual(order.lines.map((l) => [l.qtyOrdered, l.qtyPicked, l.qtyShipped, l.qtyOpenShort]), [[10, 10, 10, 0], [5, 5, 5, 0]]);
      const types = (await eventsOf(wms)).events.map((e) => e.eventType);
      assert.deepEqual(types, ['WAVE_RELEASED', 'PICK_CONFIRMED', 'PACK_COMPLETE', 'SHIP_CONFIRMED', 'WAVE_RELEASED', 'PICK_CONFIRMED', 'PACK_COMPLETE', 'SHIP_CONFIRMED']);
      const ships = (await eventsOf(wms)).events.filter((e) => e.eventType === 'SHIP_CONFIRMED');
      const tracking = ships.map((e) => (e.eventType === 'SHIP_CONFIRMED' ? e.trackingNo : ''));
      assert.equal(new Set(tracking).size, 2);
      for (const t of tracking) assert.ok(parcelo.shipments().some((s) => s.trackingNumber === t && s.reference.startsWith(id)), t);
      const noop = await wms.advance(id);
      assert.deepEqual(noop.map((r) => [r.from, r.to]), [['SHIPPED', 'SHIPPED']]);
    }));

  test('max lines per shipment splits one manifest into several shipments; LPNs carry valid SSCCs', async () =>
    withWms({ maxLinesPerShipment: 1, maxLinesPerLpn: 3, maxUnitsPerLpn: 4 }, async (wms) => {
      await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-SPLIT', [['SKU-A', 6], ['SKU-C', 2]], 'FRLK'));
      await post(`${wms.url}/admin/advance`, { toEnd: true });
      const events = (await eventsOf(wms)).events;
      const pack = events.find((e) => e.eventType === 'PACK_COMPLETE');
      assert.ok(pack?.eventType === 'PACK_COMPLETE');
      assert.deepEqual(pack.lpns.map((l) => l.contents.map((c) => `${c.itemCode}x${c.qty}`)), [['SKU-Ax4'], ['SKU-Ax2', 'SKU-Cx2']]);
      for (const l of pack.lpns) assert.ok(hasValidGs1CheckDigit(l.sscc) && l.sscc.length === 18);
      const ships = events.filter((e) => e.eventType === 'SHIP_CONFIRMED');
      assert.equal(ships.length, 2, 'the LPN holding two lines cannot share a shipment limited to one line');
      for (const s of ships) assert.ok(s.eventType === 'SHIP_CONFIRMED' && /^\d{10}$/.test(s.trackingNo) && s.carrierScac === 'FRLK');
    }));

  test('short picks are deterministic for a seed, and without completion the order ships short', async () => {
    const run = async () => {
      let picks = '';
      await withWms({ shortPickRate: 0.5, completeShortPicks: false }, async (wms) => {
        for (let i = 1; i <= 4; i++) await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder(`REL-R${i}`, [['SKU-A', 8], ['SKU-B', 6], ['SKU-C', 4]]));
        const results = await wms.advance(undefined, { toEnd: true });
        picks = JSON.stringify((await eventsOf(wms)).events.filter((e) => e.eventType === 'PICK_CONFIRMED').map((e) => (e.eventType === 'PICK_CONFIRMED' ? e.tasks.map((t) => t.qtyPicked) : [])));
        assert.ok(results.every((r) => r.to === 'SHIPPED' || r.to === 'SHORTSHIPPED'));
        assert.ok(results.some((r) => r.to === 'SHORTSHIPPED'), 'a rate of 0.5 over 12 lines shorts at least one');
      });
      return picks;
    };
    assert.equal(await run(), await run());
  });

  test('receipts are idempotent on receiptRef and recorded as RECEIPT_CLOSED', async () =>
    withWms({}, async (wms) => {
      const receipt = { receiptRef: 'RMA-77', facility: 'DC1', receiptType: 'RETURN', lines: [{ itemCode: 'SKU-A', qtyReceived: 2, uom: 'EACH' }] };
      assert.equal((await post(`${wms.url}/wms/api/receipts`, receipt)).status, 201);
      assert.equal((await post(`${wms.url}/wms/api/receipts`, receipt)).status, 200);
      const events = (await eventsOf(wms)).events;
      assert.equal(events.length, 1);
      assert.equal(events[0]?.eventType, 'RECEIPT_CLOSED');
    }));

  test('the event feed pages forward without repeats', async () =>
    withWms({ maxLinesPerLpn: 1 }, async (wms) => {
      for (let i = 1; i <= 3; i++) await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder(`REL-F${i}`));
      await wms.advance(undefined, { toEnd: true });
      const seen: number[] = [];
      let after = 0;
      for (;;) {
        const page = await eventsOf(wms, after, 5);
        seen.push(...page.events.map((e) => e.seq));
        after = page.lastSeq;
        if (!page.hasMore) break;
      }
      assert.deepEqual(seen, Array.from({ length: seen.length }, (_, i) => i + 1));
      assert.equal(seen.length, 12);
      assert.equal((await fetch(`${wms.url}/wms/api/events?after=x`)).status, 400);
    }));

  test('a manifest with the carrier down fails, keeps the order PACKED, and succeeds on retry', async () =>
    withWms({ carrierTimeoutMs: 1000 }, async (wms) => {
      await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-DOWN', [['SKU-A', 1]]));
      await wms.advance('REL-DOWN');
      await wms.advance('REL-DOWN');
      await wms.advance('REL-DOWN');
      const restore = await parcelo.goOffline();
      let failed;
      try {
        [failed] = await wms.advance('REL-DOWN');
      } finally {
        await restore();
      }
      assert.equal(failed?.to, 'PACKED');
      assert.match(failed?.error ?? '', /PRCL unreachable/);
      assert.match(wms.order('REL-DOWN')?.lastError ?? '', /unreachable/);
      const [ok] = await wms.advance('REL-DOWN');
      assert.equal(ok?.to, 'SHIPPED');
      assert.equal(wms.order('REL-DOWN')?.lastError, null);
    }));

  test('auto mode advances open orders on a timer', async () =>
    withWms({ autoAdvanceMs: 10 }, async (wms) => {
      await post(`${wms.url}/wms/api/outbound-orders`, sampleWmsOrder('REL-AUTO', [['SKU-A', 1]]));
      const deadline = Date.now() + 5000;
      while (wms.order('REL-AUTO')?.orderStatus !== 'SHIPPED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(wms.order('REL-AUTO')?.orderStatus, 'SHIPPED');
    }));

  test('settings and faults are controlled over the admin API', async () =>
    withWms({}, async (wms) => {
      const set = await post(`${wms.url}/admin/settings`, { maxLinesPerShipment: 2, shortPicks: { 'SKU-Z': 1 } }, 'PUT');
      assert.equal(set.status, 200);
      assert.equal(wms.settings().maxLinesPerShipment, 2);
      assert.equal((await post(`${wms.url}/admin/settings`, { maxLinesPerLpn: 0 }, 'PUT')).status, 400);
      assert.equal((await post(`${wms.url}/admin/settings`, { unknownKnob: true }, 'PUT')).status, 400);
      await post(`${wms.url}/admin/faults`, { mode: 'unavailable' });
      const down = await fetch(`${wms.url}/wms/api/health`);
      assert.equal(down.status, 503);
      assert.equal(down.headers.get('retry-after'), '1');
      wms.setFault('none');
      assert.equal((await fetch(`${wms.url}/wms/api/health`)).status, 200);
      assert.equal((await post(`${wms.url}/admin/advance`, { order: 'nope' })).status, 404);
    }));
});
