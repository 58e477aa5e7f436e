import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidGs1CheckDigit } from '@tradelane/canonical';
import type { WmsApiEvent } from '../codec/wms-api.codec.js';
import { startCarrierSims, type CarrierSimForTests } from './carrier-sims.fixture.js';
import { sampleWmsInbound, sampleWmsOrder } from './wms-sim.fixture.js';
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

describe('WMS simulator inbound shipments over HTTP', () => {
  test('announce is idempotent on inboundRef, a changed notice replaces it, and GET shows it', async () =>
    withWms({}, async (wms) => {
      const first = await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h1'));
      const again = await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h1'));
      assert.equal(first.status, 201);
      assert.deepEqual(first.body, { inboundId: 'IB000001', inboundRef: 'asn_h1', facility: 'DC1', inboundStatus: 'EXPECTED', revision: 1 });
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
      const replaced = await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h1', [['SKU-A', 30]]));
      assert.equal(replaced.status, 200);
      assert.equal(replaced.body.revision, 2);
      assert.equal(replaced.body.inboundId, 'IB000001');
      const view = (await (await fetch(`${wms.url}/wms/api/inbound/asn_h1`)).json()) as { lines: Array<{ qtyExpected: number }>; inboundStatus: string; receiptNo: unknown };
      assert.deepEqual([view.inboundStatus, view.receiptNo, view.lines.map((l) => l.qtyExpected)], ['EXPECTED', null, [30]]);
      assert.equal((await fetch(`${wms.url}/wms/api/inbound/IB999999`)).status, 404);
      assert.deepEqual((await eventsOf(wms)).events.map((e) => e.eventType), ['INBOUND_EXPECTED', 'INBOUND_EXPECTED']);
    }));

  test('bad input is a clear 400 naming the field', async () =>
    withWms({}, async (wms) => {
      const cases: Array<[unknown, RegExp]> = [
        [{ ...sampleWmsInbound('asn_b1'), expectedDate: '2025-02-30' }, /expectedDate/],
        [{ ...sampleWmsInbound('asn_b2'), expectedDate: '04/03/2025' }, /expectedDate: must be a date YYYY-MM-DD/],
        [{ ...sampleWmsInbound('asn_b3'), lines: [{ poNo: 'PO-1', poLineNo: 1, itemCode: 'SKU-A', qtyExpected: 2.5, uom: 'EACH' }] }, /lines\.0\.qtyExpected/],
        [{ ...sampleWmsInbound('asn_b4'), lines: [{ poNo: 'PO-1', poLineNo: 1, itemCode: 'SKU-A', qtyExpected: 2, uom: 'DRUM' }] }, /lines\.0\.uom/],
        [{ ...sampleWmsInbound('asn_b5'), lines: [] }, /lines/],
        [{ inboundRef: 'asn_b6' }, /asnNo/],
      ];
      for (const [body, pattern] of cases) {
        const res = await post(`${wms.url}/wms/api/inbound`, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.match(JSON.stringify(res.body), pattern);
        assert.equal((res.body.errors as Array<{ code: string }>)[0]?.code, 'INVALID_FIELD');
      }
      const twice = sampleWmsInbound('asn_b7');
      const dup = await post(`${wms.url}/wms/api/inbound`, { ...twice, lines: [twice.lines[0], twice.lines[0]] });
      assert.equal(dup.status, 400);
      assert.match(JSON.stringify(dup.body), /DUPLICATE_LINE.*PO-4410 line 1/);
      assert.equal((await eventsOf(wms)).events.length, 0);
    }));

  test('admin receive: a short/over receipt closes the inbound; receiving twice or changing it afterwards is 409', async () =>
    withWms({}, async (wms) => {
      await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h2'));
      const bad = await post(`${wms.url}/admin/inbound/asn_h2/receive`, { lines: [{ poNo: 'PO-4410', poLineNo: 1, qtyReceived: -1 }] });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(bad.body), /lines\.0\.qtyReceived/);
      assert.equal((await post(`${wms.url}/admin/inbound/asn_h2/receive`, { lines: [{ poNo: 'PO-4410', poLineNo: 7, qtyReceived: 1 }] })).status, 400);
      assert.equal((await post(`${wms.url}/admin/inbound/nope/receive`, {})).status, 404);
      const received = await post(`${wms.url}/admin/inbound/asn_h2/receive`, {
        lines: [
          { poNo: 'PO-4410', poLineNo: 1, qtyReceived: 20 },
          { poNo: 'PO-4410', poLineNo: 2, qtyReceived: 14 },
        ],
      });
      assert.equal(received.status, 200);
      assert.equal(received.body.inboundStatus, 'RECEIVED');
      assert.deepEqual((received.body.lines as Array<{ qtyReceived: number }>).map((l) => l.qtyReceived), [20, 14]);
      const twice = await post(`${wms.url}/admin/inbound/asn_h2/receive`, {});
      assert.equal(twice.status, 409);
      assert.equal((twice.body.errors as Array<{ code: string }>)[0]?.code, 'INBOUND_ALREADY_RECEIVED');
      assert.equal((await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h2', [['SKU-A', 1]]))).status, 409);
      assert.equal((await post(`${wms.url}/wms/api/inbound`, sampleWmsInbound('asn_h2'))).status, 200, 'the same notice again is still fine');
      const receipt = (await eventsOf(wms)).events.at(-1);
      assert.ok(receipt?.eventType === 'RECEIPT_CLOSED');
      assert.deepEqual([receipt.receiptRef, receipt.inboundId, receipt.asnNo, receipt.receiptType], ['asn_h2', 'IB000001', 'ASN-7781', 'PURCHASE']);
      assert.deepEqual(receipt.lines.map((l) => [l.poNo, l.poLineNo, l.qtyExpected, l.qtyReceived]), [['PO-4410', 1, 24, 20], ['PO-4410', 2, 12, 14]]);
      assert.throws(() => wms.receiveInbound('asn_h2'), /already received/);
    }));

  test('with inboundReceiveMs set, an announced inbound is received in full on its own; the setting changes at run time', async () =>
    withWms({ inboundReceiveMs: 30 }, async (wms) => {
      const ack = wms.announceInbound(sampleWmsInbound('asn_auto'));
      assert.equal(ack.outcome, 'created');
      const deadline = Date.now() + 5000;
      while (wms.inbound('asn_auto')?.inboundStatus !== 'RECEIVED' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const done = wms.inbound('asn_auto');
      assert.equal(done?.inboundStatus, 'RECEIVED');
      assert.deepEqual(done?.lines.map((l) => l.qtyReceived), [24, 12]);
      assert.equal((await post(`${wms.url}/admin/settings`, { inboundReceiveMs: 0 }, 'PUT')).status, 200);
      assert.equal(wms.settings().inboundReceiveMs, 0);
      wms.announceInbound(sampleWmsInbound('asn_manual'));
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(wms.inbound('asn_manual')?.inboundStatus, 'EXPECTED', 'a delay of 0 never receives on its own');
      assert.equal((await post(`${wms.url}/admin/settings`, { inboundReceiveMs: -1 }, 'PUT')).status, 400);
    }));
});
