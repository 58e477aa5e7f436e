import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidGs1CheckDigit, ssccSchema, trackingEventSchema, newId } from '@tradelane/canonical';
import { connectorContract, silentLog, type ConnectorInstance, type NormalisedTrackingEvent, type WmsEvent } from '@tradelane/connector-kit';
import { InputError, PermanentError, systemClock, systemContext, TransientError } from '@tradelane/core';
import { startCarrierSims } from './sim/carrier-sims.fixture.js';
import { sampleInboundNotice, sampleRelease } from './sim/wms-sim.fixture.js';
import { startWmsSim, type WmsSimHandle } from './sim/wms-sim.server.js';
import { wmsSimConnector } from './wms-sim.connector.js';

let carriers: Awaited<ReturnType<typeof startCarrierSims>>;
let wms: WmsSimHandle;
before(async () => {
  carriers = await startCarrierSims(3);
  wms = await startWmsSim({
    port: 0,
    seed: 3,
    carrierUrls: { PRCL: carriers.parcelo.url, FRLK: carriers.freightLink.url },
    shortPicks: { 'SKU-B': 2 },
    maxLinesPerLpn: 1,
  });
});
after(async () => {
  await wms.close();
  await carriers.close();
});

const deps = { clock: systemClock, log: silentLog };
const ctx = systemContext('acme', 'corr-wms');
const open = () => wmsSimConnector.instantiate(deps, { baseUrl: wms.url, timeoutMs: 3000 }) as Promise<ConnectorInstance<'wmsFulfilment'>>;

connectorContract(wmsSimConnector, {
  config: () => ({ baseUrl: wms.url, timeoutMs: 3000 }),
  badConfig: { config: { baseUrl: 'not a url' }, field: 'baseUrl' },
  sampleRelease: (reference) => sampleRelease(reference),
  makeUnreachable: () => wms.goOffline(),
});

/** Reads the feed to its end from `cursor`; returns the events and the cursor to resume from. */
async function drain(inst: ConnectorInstance<'wmsFulfilment'>, cursor: string | null, limit = 50): Promise<{ items: WmsEvent[]; cursor: string | null }> {
  const items: WmsEvent[] = [];
  for (;;) {
    const page = await inst.wmsFulfilment.fetchEvents(ctx, { cursor, limit });
    if (page.items.length === 0) return { items, cursor };
    items.push(...page.items);
    cursor = page.nextCursor;
  }
}

const asCanonical = (e: NormalisedTrackingEvent) =>
  trackingEventSchema.parse({ ...e, schemaVersion: 1, id: newId('trk'), tenantId: 'acme', recordedAt: new Date(Math.max(Date.now(), Date.parse(e.occurredAt))).toISOString() });

describe('order to delivery across the WMS and carrier simulators', () => {
  test('release → wave → partial pick → pack (2 SSCC packages) → 2 shipments with real tracking numbers → Delivered with POD', async () => {
    const inst = await open();
    let { cursor } = await drain(inst, null);
    const release = sampleRelease('rel_e2e_walk');
    const first = await inst.wmsFulfilment.releaseOrder(ctx, release);
    const retry = await inst.wmsFulfilment.releaseOrder(ctx, release);
    assert.equal(first.duplicate, false);
    assert.equal(retry.duplicate, true);
    assert.equal(retry.record.wmsOrderId, first.record.wmsOrderId);
    const id = first.record.wmsOrderId;

    const stage = async (): Promise<WmsEvent[]> => {
      await wms.advance(id);
      const page = await drain(inst, cursor);
      cursor = page.cursor;
      return page.items;
    };
    const [wave] = await stage();
    assert.ok(wave?.kind === 'wave.planned' && wave.reference === 'rel_e2e_walk' && wave.wmsOrderId === id);

    const [pick] = await stage();
    assert.ok(pick?.kind === 'pick.completed');
    assert.deepEqual(pick.lines, [
      { lineNumber: 1, sku: 'SKU-A', quantityPicked: '10', quantityShort: '0' },
      { lineNumber: 2, sku: 'SKU-B', quantityPicked: '3', quantityShort: '2' },
    ]);

    const [pack] = await stage();
    assert.ok(pack?.kind === 'pack.completed');
    assert.equal(pack.packages.length, 2);
    for (const p of pack.packages) {
      assert.ok(p.sscc && hasValidGs1CheckDigit(p.sscc));
      ssccSchema.parse(p.sscc);
    }

    const [ship1] = await stage();
    assert.ok(ship1?.kind === 'shipment.manifested');
    assert.equal(ship1.carrier.code, 'PRCL');
    assert.match(ship1.trackingNumber, /^PR\d{10}$/);
    assert.deepEqual(ship1.lines, [
      { lineNumber: 1, sku: 'SKU-A', quantity: '10' },
      { lineNumber: 2, sku: 'SKU-B', quantity: '3' },
    ]);

    const rest = [...(await stage()), ...(await stage()), ...(await stage()), ...(await stage())];
    assert.deepEqual(rest.map((e) => e.kind), ['wave.planned', 'pick.completed', 'pack.completed', 'shipment.manifested']);
    const ship2 = rest[3];
    assert.ok(ship2?.kind === 'shipment.manifested');
    assert.deepEqual(ship2.lines, [{ lineNumber: 2, sku: 'SKU-B', quantity: '2' }]);
    assert.notEqual(ship2.trackingNumber, ship1.trackingNumber);
    assert.notEqual(ship2.shipmentRef, ship1.shipmentRef);
    assert.equal(wms.order(id)?.orderStatus, 'SHIPPED');

    const parcelo = await carriers.carriers.parceloConnector.instantiate(deps, { baseUrl: carriers.parcelo.url });
    for (const tn of [ship1.trackingNumber, ship2.trackingNumber]) {
      const known = carriers.parcelo.shipments().find((s) => s.trackingNumber === tn);
      assert.ok(known, `Parcelo knows ${tn}`);
      carriers.parcelo.advance(tn);
      assert.equal((await parcelo.carrierTracking.track(ctx, tn)).at(-1)?.status, 'InTransit');
      carriers.parcelo.advance(tn, { toEnd: true });
      const events = await parcelo.carrierTracking.track(ctx, tn);
      const delivered = asCanonical(events.at(-1)!);
      assert.ok(delivered.status === 'Delivered');
      assert.equal(delivered.proofOfDelivery.signedBy, 'PAT LEE');
      assert.ok(delivered.proofOfDelivery.imageRef);
    }
    await parcelo.close();
    await inst.close();
  });

  test('FreightLink return to sender: the shipment comes back ReturnedToSender after a refused delivery', async () => {
    const inst = await open();
    const { record } = await inst.wmsFulfilment.releaseOrder(ctx, sampleRelease('rel_e2e_rts', [['SKU-A', 4]], 'FRLK'));
    carriers.freightLink.setScenario(`${record.wmsOrderId}-S1`, 'return_to_sender');
    const [result] = await wms.advance(record.wmsOrderId, { toEnd: true });
    assert.equal(result?.to, 'SHIPPED');
    const manifested = (await drain(inst, null, 200)).items.find((e) => e.kind === 'shipment.manifested' && e.reference === 'rel_e2e_rts');
    assert.ok(manifested?.kind === 'shipment.manifested' && manifested.carrier.code === 'FRLK');
    carriers.freightLink.advance(manifested.trackingNumber, { toEnd: true });
    const freightLink = await carriers.carriers.freightLinkConnector.instantiate(deps, { baseUrl: carriers.freightLink.url });
    const events = await freightLink.carrierTracking.track(ctx, manifested.trackingNumber);
    assert.deepEqual(events.map((e) => e.status), ['InfoReceived', 'InTransit', 'InTransit', 'OutForDelivery', 'Exception', 'ReturnedToSender']);
    const refused = asCanonical(events.at(-2)!);
    assert.ok(refused.status === 'Exception' && refused.exceptionCode === 'refused');
    await freightLink.close();
    await inst.close();
  });
});

describe('wms-sim connector', () => {
  test('the event feed pages without repeats or gaps; an empty page ends with a null cursor', async () => {
    const inst = await open();
    const small = await drain(inst, null, 3);
    const whole = await drain(inst, null, 500);
    assert.ok(small.items.length >= 10);
    assert.deepEqual(small.items, whole.items);
    const end = await inst.wmsFulfilment.fetchEvents(ctx, { cursor: whole.cursor, limit: 10 });
    assert.deepEqual(end, { items: [], nextCursor: null });
    await assert.rejects(inst.wmsFulfilment.fetchEvents(ctx, { cursor: 'seq-1' }), (e: unknown) => e instanceof InputError);
    await inst.close();
  });

  test('receipts reach the feed as receipt.recorded with hub units', async () => {
    const inst = await open();
    const { cursor } = await drain(inst, null, 500);
    wms.receive({ receiptRef: 'rma_e2e_1', facility: 'DC1', receiptType: 'RETURN', lines: [{ itemCode: 'SKU-A', qtyReceived: 2, uom: 'CASE' }] });
    const { items } = await drain(inst, cursor);
    assert.deepEqual(
      items.map((e) => (e.kind === 'receipt.recorded' ? { ...e, at: 'x' } : e)),
      [{ kind: 'receipt.recorded', reference: 'rma_e2e_1', warehouseId: 'DC1', lines: [{ sku: 'SKU-A', quantity: '2', unit: 'CS' }], at: 'x' }],
    );
    await inst.close();
  });

  test('failures are classified: a refused release is permanent, an unavailable WMS transient', async () => {
    const inst = await open();
    await assert.rejects(
      inst.wmsFulfilment.releaseOrder(ctx, sampleRelease('rel_bad_carrier', [['SKU-A', 1]], 'UPSN')),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_HTTP_422' && /UPSN/.test(e.message),
    );
    await assert.rejects(
      inst.wmsFulfilment.releaseOrder(ctx, { ...sampleRelease('rel_fraction'), lines: [{ lineNumber: 1, sku: 'SKU-A', quantity: '0.5', unit: 'EA' }] }),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_FRACTIONAL_QUANTITY',
    );
    wms.setFault('unavailable');
    try {
      await assert.rejects(inst.wmsFulfilment.fetchEvents(ctx, { limit: 1 }), (e: unknown) => e instanceof TransientError && e.retryAfterMs === 1000);
      assert.equal((await inst.health()).ok, false);
    } finally {
      wms.setFault('none');
    }
    await inst.close();
  });
});

describe('wms-sim connector inbound receiving', () => {
  test('announce → the WMS receives it (short and over) → fetchEvents yields receipt.recorded with the ASN and PO lines', async () => {
    const inst = await open();
    const announce = inst.wmsFulfilment.announceInbound!;
    let { cursor } = await drain(inst, null, 500);
    const notice = sampleInboundNotice('asn_e2e_1');
    const first = await announce(ctx, notice);
    const retry = await announce(ctx, notice);
    assert.equal(first.duplicate, false);
    assert.equal(retry.duplicate, true);
    assert.deepEqual(retry.record, first.record);
    assert.equal(first.record.reference, 'asn_e2e_1');
    assert.match(first.record.wmsInboundId, /^IB\d{6}$/);
    assert.deepEqual(await drain(inst, cursor), { items: [], cursor }, 'the WMS confirming the announcement is not a hub event');

    const replaced = await announce(ctx, { ...notice, lines: [...notice.lines, { poNumber: 'PO-4411', lineNumber: 1, sku: 'SKU-C', quantity: '6', unit: 'CS' }] });
    assert.deepEqual(replaced, { record: first.record, duplicate: true });
    assert.equal(wms.inbound('asn_e2e_1')?.revision, 2);

    wms.receiveInbound(first.record.wmsInboundId, {
      lines: [
        { poNo: 'PO-4410', poLineNo: 1, qtyReceived: 20 },
        { poNo: 'PO-4410', poLineNo: 2, qtyReceived: 13 },
        { poNo: 'PO-4411', poLineNo: 1, qtyReceived: 6 },
      ],
    });
    const page = await drain(inst, cursor, 1);
    cursor = page.cursor;
    assert.deepEqual(
      page.items.map((e) => ({ ...e, at: 'x' })),
      [
        {
          kind: 'receipt.recorded',
          reference: 'asn_e2e_1',
          warehouseId: 'DC1',
          asnNumber: 'ASN-7781',
          lines: [
            { sku: 'SKU-A', quantity: '20', unit: 'EA', poNumber: 'PO-4410', lineNumber: 1 },
            { sku: 'SKU-B', quantity: '13', unit: 'EA', poNumber: 'PO-4410', lineNumber: 2 },
            { sku: 'SKU-C', quantity: '6', unit: 'CS', poNumber: 'PO-4411', lineNumber: 1 },
          ],
          at: 'x',
        },
      ],
    );
    assert.deepEqual(await announce(ctx, notice).catch((e: unknown) => e instanceof PermanentError && e.code), 'TL_WMS_SIM_HTTP_409', 'a changed notice after receipt');
    await inst.close();
  });

  test('automatic receiving: the full quantities reach the feed after the configured delay', async () => {
    const inst = await open();
    const { cursor } = await drain(inst, null, 500);
    wms.configure({ inboundReceiveMs: 20 });
    try {
      await inst.wmsFulfilment.announceInbound!(ctx, sampleInboundNotice('asn_e2e_auto', [['SKU-D', 5]]));
      let items: WmsEvent[] = [];
      const deadline = Date.now() + 5000;
      while (items.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        items = (await drain(inst, cursor)).items;
      }
      const [receipt] = items;
      assert.ok(receipt?.kind === 'receipt.recorded');
      assert.equal(receipt.reference, 'asn_e2e_auto');
      assert.deepEqual(receipt.lines, [{ sku: 'SKU-D', quantity: '5', unit: 'EA', poNumber: 'PO-4410', lineNumber: 1 }]);
    } finally {
      wms.configure({ inboundReceiveMs: 0 });
    }
    await inst.close();
  });

  test('inbound failures are classified: unmappable or refused notices are permanent, an unavailable WMS transient', async () => {
    const inst = await open();
    const announce = inst.wmsFulfilment.announceInbound!;
    await assert.rejects(
      announce(ctx, { ...sampleInboundNotice('asn_bad_qty'), lines: [{ poNumber: 'PO-1', lineNumber: 4, sku: 'SKU-A', quantity: '1.5', unit: 'EA' }] }),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_FRACTIONAL_QUANTITY' && /line 4/.test(e.message),
    );
    await assert.rejects(
      announce(ctx, { ...sampleInboundNotice('asn_bad_date'), expectedDate: '2025-13-01' }),
      (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_HTTP_400' && /expectedDate/.test(e.message),
    );
    wms.setFault('unavailable');
    try {
      await assert.rejects(announce(ctx, sampleInboundNotice('asn_down')), (e: unknown) => e instanceof TransientError);
    } finally {
      wms.setFault('none');
    }
    assert.equal(wms.inbound('asn_down'), undefined);
    await inst.close();
  });
});
