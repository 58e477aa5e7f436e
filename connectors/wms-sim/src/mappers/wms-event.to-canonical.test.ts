import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { isWmsEventWithoutHubEvent, wmsEventToCanonical } from './wms-event.to-canonical.js';

const base = { eventTs: '2025-03-01T14:05:00.000Z', facility: 'DC1', obOrderId: 'OB000001', clientRef: 'rel_1' };

test('every WMS event type maps to its hub warehouse event', () => {
  assert.deepEqual(wmsEventToCanonical({ seq: 1, eventType: 'WAVE_RELEASED', ...base, waveNo: 'WV00001' }), {
    kind: 'wave.planned',
    reference: 'rel_1',
    wmsOrderId: 'OB000001',
    waveId: 'WV00001',
    at: '2025-03-01T14:05:00.000Z',
  });
  const pick = wmsEventToCanonical({
    seq: 2,
    eventType: 'PICK_CONFIRMED',
    ...base,
    waveNo: 'WV00001',
    tasks: [{ taskId: 'T1', lineNo: 1, itemCode: 'SKU-B', uom: 'EACH', qtyRequested: 5, qtyPicked: 3, taskStatus: 'SHORT' }],
  });
  assert.deepEqual(pick.kind === 'pick.completed' && pick.lines, [{ lineNumber: 1, sku: 'SKU-B', quantityPicked: '3', quantityShort: '2' }]);
  const pack = wmsEventToCanonical({
    seq: 3,
    eventType: 'PACK_COMPLETE',
    ...base,
    waveNo: 'WV00001',
    lpns: [{ lpn: 'LPN0000001', sscc: '106141411234567897', weightKg: 2.1, contents: [{ lineNo: 1, itemCode: 'SKU-B', qty: 3 }] }],
  });
  assert.deepEqual(pack.kind === 'pack.completed' && pack.packages, [{ packageId: 'LPN0000001', sscc: '106141411234567897', lines: [{ lineNumber: 1, sku: 'SKU-B', quantity: '3' }] }]);
  const ship = wmsEventToCanonical({
    seq: 4,
    eventType: 'SHIP_CONFIRMED',
    ...base,
    shipmentNo: 'OB000001-S1',
    carrierScac: 'PRCL',
    carrierName: 'Parcelo',
    serviceCode: 'GRD',
    trackingNo: 'PR1234567890',
    lpns: ['LPN0000001'],
    contents: [{ lineNo: 1, itemCode: 'SKU-B', qty: 3 }],
  });
  assert.ok(ship.kind === 'shipment.manifested');
  assert.deepEqual(ship.carrier, { code: 'PRCL', name: 'Parcelo', service: 'GRD' });
  assert.equal(ship.shipmentRef, 'OB000001-S1');
  const receipt = wmsEventToCanonical({
    seq: 5,
    eventType: 'RECEIPT_CLOSED',
    eventTs: base.eventTs,
    facility: 'DC1',
    receiptNo: 'RC000001',
    receiptRef: 'rma_1',
    receiptType: 'RETURN',
    lines: [{ itemCode: 'SKU-A', qtyReceived: 2, uom: 'CASE' }],
  });
  assert.deepEqual(receipt, { kind: 'receipt.recorded', reference: 'rma_1', warehouseId: 'DC1', lines: [{ sku: 'SKU-A', quantity: '2', unit: 'CS' }], at: base.eventTs });
});

test('unknown event types, unknown units and broken events are permanent errors that name the problem', () => {
  assert.throws(
    () => wmsEventToCanonical({ seq: 9, eventType: 'CYCLE_COUNT', ...base }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_UNKNOWN_EVENT' && /"CYCLE_COUNT"/.test(e.message),
  );
  assert.throws(
    () =>
      wmsEventToCanonical({ seq: 10, eventType: 'RECEIPT_CLOSED', eventTs: base.eventTs, facility: 'DC1', receiptNo: 'R', receiptRef: 'r', receiptType: 'PURCHASE', lines: [{ itemCode: 'X', qtyReceived: 1, uom: 'DRUM' }] }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_UNKNOWN_UOM',
  );
  assert.throws(
    () => wmsEventToCanonical({ seq: 11, eventType: 'WAVE_RELEASED', ...base }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_BAD_ANSWER' && /waveNo/.test(e.message),
  );
});

test('a receipt that closes an inbound shipment carries the ASN number and each line\'s PO number and line', () => {
  const receipt = wmsEventToCanonical({
    seq: 12,
    eventType: 'RECEIPT_CLOSED',
    eventTs: '2025-03-04T09:30:00.000Z',
    facility: 'DC1',
    receiptNo: 'RC000004',
    receiptRef: 'asn_01JB0000000000000000000000',
    receiptType: 'PURCHASE',
    inboundId: 'IB000002',
    asnNo: 'ASN-7781',
    lines: [
      { itemCode: 'SKU-A', qtyReceived: 20, uom: 'EACH', poNo: 'PO-4410', poLineNo: 1, qtyExpected: 24 },
      { itemCode: 'SKU-B', qtyReceived: 14, uom: 'CASE', poNo: 'PO-4410', poLineNo: 2, qtyExpected: 12 },
    ],
  });
  assert.deepEqual(receipt, {
    kind: 'receipt.recorded',
    reference: 'asn_01JB0000000000000000000000',
    warehouseId: 'DC1',
    asnNumber: 'ASN-7781',
    lines: [
      { sku: 'SKU-A', quantity: '20', unit: 'EA', poNumber: 'PO-4410', lineNumber: 1 },
      { sku: 'SKU-B', quantity: '14', unit: 'CS', poNumber: 'PO-4410', lineNumber: 2 },
    ],
    at: '2025-03-04T09:30:00.000Z',
  });
});

test('INBOUND_EXPECTED is known and has no hub event; the mapper refuses it rather than invent one', () => {
  assert.equal(isWmsEventWithoutHubEvent('INBOUND_EXPECTED'), true);
  assert.equal(isWmsEventWithoutHubEvent('CYCLE_COUNT'), false);
  assert.equal(isWmsEventWithoutHubEvent('RECEIPT_CLOSED'), false);
  assert.throws(
    () => wmsEventToCanonical({ seq: 13, eventType: 'INBOUND_EXPECTED', eventTs: base.eventTs, facility: 'DC1' }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_UNKNOWN_EVENT',
  );
});
