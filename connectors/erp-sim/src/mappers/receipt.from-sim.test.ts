import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advanceShipNoticeSchema, newId, receiptSchema, type AdvanceShipNotice } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { expectedReceiptRequestSchema, receiptRequestSchema } from '../sim/purchasing-request.schemas.js';
import { asnToSim } from './advance-ship-notice.to-sim.js';
import { asnIdOf, purchaseOrderIdOf } from './derived-id.js';
import { expectedReceiptFromSim } from './expected-receipt.from-sim.js';
import { receiptFromSim } from './receipt.from-sim.js';
import { receiptToSim } from './receipt.to-sim.js';

const party = { name: 'Midwest Fastener Corp.', address: { line1: '2750 S Kilbourn Ave', city: 'Chicago', country: 'US' } };

function asn(poNumber: string, items: Array<{ lineNumber: number; quantity: string; unit: string }>, purpose: AdvanceShipNotice['purpose'] = 'original'): AdvanceShipNotice {
  return advanceShipNoticeSchema.parse({
    schemaVersion: 1, id: newId('asn'), tenantId: 'acme', asnNumber: 'MF-SN-9001', supplierId: 'pty_01JABCDEFGHJKMNPQRSTVWXYZ0', purpose,
    shipFrom: party, shipToLocationId: 'M10', carrier: { code: 'FDEG' }, trackingNumber: '7712', shippedAt: '2025-03-01T15:00:00Z', expectedDeliveryDate: '2025-03-04',
    orders: [{ poNumber, packs: [{ sscc: '006141411234567890', packaging: 'carton', items: items.map((i) => ({ ...i, sku: 'FAS-1001' })) }, { sscc: '006141411234567807', packaging: 'carton', items: [{ lineNumber: 1, quantity: '1', unit: 'BX' }] }] }],
    receivedVia: 'edi', receivedAt: '2025-03-01T15:05:00Z', externalIds: {},
  });
}

test('a ship notice becomes an expected receipt (packs add up per order line) and a receipt against it maps to a canonical Receipt', () => {
  const engine = new ErpSimEngine({ seed: 1, autoReplenish: false });
  const { order } = engine.purchasing.createPurchaseOrder({ AN8: 5101, MCU: 'M10', LINES: [{ LITM: 'FAS-1001', UORG: 10 }] });
  engine.purchasing.approvePurchaseOrder(order.DOCO);
  const notice = asn(String(order.DOCO), [{ lineNumber: 1, quantity: '300', unit: 'EA' }]);
  const request = asnToSim(notice, 5101);
  assert.deepEqual([request.VASN, request.PURP, request.ASNREF, request.SHPJ, request.EXDJ, request.CARS, request.TRKN], ['MF-SN-9001', '00', notice.id, 125060, 125063, 'FDEG', '7712']);
  const { expected } = engine.purchasing.recordExpectedReceipt(expectedReceiptRequestSchema.parse(request));
  assert.deepEqual(expectedReceiptFromSim(expected), { asnNumber: 'MF-SN-9001', erpNumber: String(expected.ERN), status: 'InTransit', expectedDate: '2025-03-04', poNumbers: [String(order.DOCO)] });
  assert.deepEqual(expected.LINES.map((l) => [l.QTY, l.UOM]), [[4, 'BX']]);
  assert.deepEqual(asnToSim({ ...notice, purpose: 'cancel' }, 5101).LINES, []);
  assert.equal(asnToSim({ ...notice, purpose: 'replace' }, 5101).PURP, '05');

  const canonical = receiptSchema.parse({
    purchaseOrderId: purchaseOrderIdOf('acme', order.DOCO), poNumber: String(order.DOCO), asnId: notice.id, locationId: 'M10', receivedAt: '2025-03-04T09:30:00Z',
    lines: [{ lineNumber: 1, sku: 'FAS-1001', quantity: '3', quantityDamaged: '1', unit: 'BX', lot: 'L1' }],
  });
  const { doco, body } = receiptToSim(canonical, 'rct_hub_1');
  assert.deepEqual([doco, body.RCTREF, body.MCU, body.RCDJ, body.RCTM, body.ASNREF], [order.DOCO, 'rct_hub_1', 'M10', 125063, 93000, notice.id]);
  const { receipt } = engine.purchasing.receivePurchaseOrder(doco, receiptRequestSchema.parse(body));
  assert.equal(receipt.ERN, expected.ERN, 'the hub ship notice id finds the expected receipt');
  const mapped = receiptFromSim(receipt, { tenantId: 'acme' });
  assert.deepEqual([mapped.reference, mapped.erpReceiptNumber, mapped.poNumber], ['rct_hub_1', String(receipt.RCTN), String(order.DOCO)]);
  assert.deepEqual(mapped.receipt, canonical);
  assert.equal(engine.purchasing.getExpectedReceipt(expected.ERN).STS, 'R', 'four boxes arrived: three good, one damaged');

  const unnamed = receiptFromSim({ ...receipt, ASNREF: undefined }, { tenantId: 'acme' });
  assert.equal(unnamed.receipt.asnId, asnIdOf('acme', 5101, 'MF-SN-9001'));
});
