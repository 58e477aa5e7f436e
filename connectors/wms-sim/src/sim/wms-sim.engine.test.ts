import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WmsApiEvent } from '../codec/wms-api.codec.js';
import { sampleWmsInbound } from './wms-sim.fixture.js';
import { defaultWmsSimSettings, WmsEngine, WmsSimError } from './wms-sim.engine.js';

const engineAt = (start: number, settings: Partial<typeof defaultWmsSimSettings> = {}) => {
  const clock = { ms: start };
  const engine = new WmsEngine({ seed: 1, carrierUrls: {}, settings: { ...defaultWmsSimSettings, ...settings }, now: () => new Date(clock.ms) });
  return { engine, clock, events: () => engine.eventsAfter(0, 500).events };
};
const refusal = (status: number, code: string) => (e: unknown) => e instanceof WmsSimError && e.status === status && e.code === code;

test('an inbound announcement is idempotent on inboundRef and logged as INBOUND_EXPECTED', () => {
  const { engine, events } = engineAt(Date.UTC(2025, 2, 1));
  const first = engine.announceInbound(sampleWmsInbound('asn_1'));
  const { lines, ...reordered } = sampleWmsInbound('asn_1');
  const again = engine.announceInbound({ lines: lines.map((l) => ({ uom: l.uom, qtyExpected: l.qtyExpected, itemCode: l.itemCode, poLineNo: l.poLineNo, poNo: l.poNo })), ...reordered });
  assert.equal(first.outcome, 'created');
  assert.equal(again.outcome, 'duplicate', 'the same content in another key order is the same notice');
  assert.equal(again.inbound.inboundId, 'IB000001');
  assert.deepEqual(events().map((e) => e.eventType), ['INBOUND_EXPECTED']);
  const [expected] = events();
  assert.ok(expected?.eventType === 'INBOUND_EXPECTED');
  assert.deepEqual([expected.inboundId, expected.inboundRef, expected.asnNo, expected.revision, expected.lines.length], ['IB000001', 'asn_1', 'ASN-7781', 1, 2]);
  assert.throws(() => engine.announceInbound({ ...sampleWmsInbound('asn_2'), lines: [...lines, lines[0]!] }), refusal(400, 'DUPLICATE_LINE'));
});

test('a changed notice replaces the inbound while expected and is refused once received', () => {
  const { engine, events } = engineAt(0);
  engine.announceInbound(sampleWmsInbound('asn_r'));
  const replaced = engine.announceInbound(sampleWmsInbound('asn_r', [['SKU-A', 30]]));
  assert.equal(replaced.outcome, 'replaced');
  assert.equal(replaced.inbound.revision, 2);
  assert.deepEqual(replaced.inbound.lines.map((l) => [l.itemCode, l.qtyExpected]), [['SKU-A', 30]]);
  engine.receiveInbound('asn_r');
  assert.throws(() => engine.announceInbound(sampleWmsInbound('asn_r', [['SKU-A', 31]])), refusal(409, 'INBOUND_ALREADY_RECEIVED'));
  assert.equal(engine.announceInbound(sampleWmsInbound('asn_r', [['SKU-A', 30]])).outcome, 'duplicate', 'the last notice again is still a duplicate');
  assert.deepEqual(events().map((e) => e.eventType), ['INBOUND_EXPECTED', 'INBOUND_EXPECTED', 'RECEIPT_CLOSED']);
});

test('automatic receiving waits the configured delay from the latest announcement, in announcement order', () => {
  const { engine, clock, events } = engineAt(1_000, { inboundReceiveMs: 60_000 });
  engine.announceInbound(sampleWmsInbound('asn_a'));
  clock.ms += 30_000;
  engine.announceInbound(sampleWmsInbound('asn_b'));
  engine.announceInbound(sampleWmsInbound('asn_c'));
  clock.ms += 29_999;
  assert.deepEqual(engine.receiveDueInbounds(), []);
  clock.ms += 1;
  assert.deepEqual(engine.receiveDueInbounds().map((i) => i.inboundRef), ['asn_a']);
  engine.announceInbound(sampleWmsInbound('asn_b', [['SKU-A', 1]]));
  clock.ms += 30_000;
  assert.deepEqual(engine.receiveDueInbounds().map((i) => i.inboundRef), ['asn_c'], 'asn_b was replaced and waits again');
  clock.ms += 30_000;
  assert.deepEqual(engine.receiveDueInbounds().map((i) => i.inboundRef), ['asn_b']);
  const receipts = events().filter((e): e is Extract<WmsApiEvent, { eventType: 'RECEIPT_CLOSED' }> => e.eventType === 'RECEIPT_CLOSED');
  assert.deepEqual(receipts.map((r) => [r.receiptRef, r.receiptNo, r.lines.map((l) => l.qtyReceived)]), [
    ['asn_a', 'RC000001', [24, 12]],
    ['asn_c', 'RC000002', [24, 12]],
    ['asn_b', 'RC000003', [1]],
  ]);
  assert.equal(receipts[0]?.eventTs, new Date(61_000).toISOString());
  engine.settings.inboundReceiveMs = 0;
  engine.announceInbound(sampleWmsInbound('asn_never'));
  clock.ms += 10_000_000;
  assert.deepEqual(engine.receiveDueInbounds(), [], 'a delay of 0 never receives on its own');
});

test('receiving with quantities: short, over and missing lines; unknown lines and empty receipts are refused', () => {
  const { engine, events } = engineAt(0);
  engine.announceInbound(sampleWmsInbound('asn_q', [['SKU-A', 24], ['SKU-B', 12], ['SKU-C', 6]]));
  assert.throws(() => engine.receiveInbound('asn_q', { lines: [{ poNo: 'PO-9', poLineNo: 1, qtyReceived: 1 }] }), refusal(400, 'LINE_NOT_ON_INBOUND'));
  assert.throws(() => engine.receiveInbound('asn_q', { lines: [{ poNo: 'PO-4410', poLineNo: 1, qtyReceived: 0 }] }), refusal(400, 'NOTHING_RECEIVED'));
  assert.throws(
    () => engine.receiveInbound('asn_q', { lines: [{ poNo: 'PO-4410', poLineNo: 1, qtyReceived: 1 }, { poNo: 'PO-4410', poLineNo: 1, qtyReceived: 2 }] }),
    refusal(400, 'DUPLICATE_LINE'),
  );
  assert.throws(() => engine.receiveInbound('nope'), refusal(404, 'INBOUND_NOT_FOUND'));
  const received = engine.receiveInbound('IB000001', { lines: [{ poNo: 'PO-4410', poLineNo: 1, qtyReceived: 20 }, { poNo: 'PO-4410', poLineNo: 2, qtyReceived: 13 }] });
  assert.equal(received.status, 'RECEIVED');
  assert.deepEqual(received.lines.map((l) => l.qtyReceived), [20, 13, 0]);
  const receipt = events().at(-1);
  assert.ok(receipt?.eventType === 'RECEIPT_CLOSED');
  assert.deepEqual(
    { ...receipt, eventTs: 'x' },
    {
      seq: 2,
      eventTs: 'x',
      facility: 'DC1',
      eventType: 'RECEIPT_CLOSED',
      receiptNo: 'RC000001',
      receiptRef: 'asn_q',
      receiptType: 'PURCHASE',
      inboundId: 'IB000001',
      asnNo: 'ASN-7781',
      lines: [
        { itemCode: 'SKU-A', qtyReceived: 20, uom: 'EACH', poNo: 'PO-4410', poLineNo: 1, qtyExpected: 24 },
        { itemCode: 'SKU-B', qtyReceived: 13, uom: 'EACH', poNo: 'PO-4410', poLineNo: 2, qtyExpected: 12 },
      ],
    },
  );
  assert.throws(() => engine.receiveInbound('asn_q'), refusal(409, 'INBOUND_ALREADY_RECEIVED'));
});
