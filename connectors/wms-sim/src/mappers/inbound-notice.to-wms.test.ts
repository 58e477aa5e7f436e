import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { wmsInboundRequestSchema } from '../codec/wms-api.codec.js';
import { sampleInboundNotice } from '../sim/wms-sim.fixture.js';
import { inboundNoticeToWms } from './inbound-notice.to-wms.js';

test('a hub inbound notice becomes a WMS expected inbound shipment in the WMS vocabulary', () => {
  const inbound = inboundNoticeToWms({ ...sampleInboundNotice('asn_1'), lines: [{ poNumber: 'PO-4410', lineNumber: 3, sku: 'SKU-A', quantity: '12.000', unit: 'CS' }] });
  assert.deepEqual(inbound, {
    inboundRef: 'asn_1',
    asnNo: 'ASN-7781',
    vendorId: 'SUP-100',
    facility: 'DC1',
    expectedDate: '2025-03-04',
    lines: [{ poNo: 'PO-4410', poLineNo: 3, itemCode: 'SKU-A', qtyExpected: 12, uom: 'CASE' }],
  });
  wmsInboundRequestSchema.parse(inbound);
});

test('wire by the foot, tubing by the roll, pairs and gallons are stocked units too', () => {
  const units = [['FT', 'FOOT'], ['RL', 'ROLL'], ['PR', 'PAIR'], ['GAL', 'GALLON']] as const;
  const inbound = inboundNoticeToWms({
    ...sampleInboundNotice('asn_u'),
    lines: units.map(([unit], i) => ({ poNumber: 'PO-5106', lineNumber: i + 1, sku: `SKU-${unit}`, quantity: '500', unit })),
  });
  assert.deepEqual(inbound.lines.map((l) => l.uom), units.map(([, uom]) => uom));
  wmsInboundRequestSchema.parse(inbound);
});

test('fractions, unknown units and a PO line named twice are permanent errors naming the line', () => {
  const line = { poNumber: 'PO-9', lineNumber: 2, sku: 'WIRE', quantity: '2', unit: 'EA' };
  const refused = (code: string, pattern: RegExp) => (e: unknown) => e instanceof PermanentError && e.code === code && pattern.test(e.message);
  assert.throws(
    () => inboundNoticeToWms({ ...sampleInboundNotice('asn_2'), lines: [{ ...line, quantity: '2.5' }] }),
    refused('TL_WMS_SIM_FRACTIONAL_QUANTITY', /PO PO-9 line 2/),
  );
  assert.throws(() => inboundNoticeToWms({ ...sampleInboundNotice('asn_3'), lines: [{ ...line, unit: 'M' }] }), refused('TL_WMS_SIM_UNIT_UNSUPPORTED', /unit M/));
  assert.throws(() => inboundNoticeToWms({ ...sampleInboundNotice('asn_4'), lines: [line, { ...line, sku: 'OTHER' }] }), refused('TL_WMS_SIM_DUPLICATE_PO_LINE', /PO PO-9 line 2/));
});
