import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { wmsOutboundOrderRequestSchema } from '../codec/wms-api.codec.js';
import { sampleRelease } from '../sim/wms-sim.fixture.js';
import { releaseToWmsOrder, wholeUnits } from './release.to-wms.js';

test('a hub release becomes a WMS outbound order in the WMS vocabulary', () => {
  const order = releaseToWmsOrder({ ...sampleRelease('rel_1'), lines: [{ lineNumber: 3, sku: 'SKU-A', quantity: '12.000', unit: 'CS' }] });
  assert.deepEqual(order, {
    clientRef: 'rel_1',
    custOrderNo: 'so_01JAAAAAAAAAAAAAAAAAAAAAAA',
    hostOrderNo: 'ERP-rel_1',
    facility: 'DC1',
    shipTo: { name: 'Acme Hardware', attn: 'Pat Lee', addr1: '1 Main St', addr2: 'Dock 4', city: 'Springfield', state: 'IL', postal: '62701', ctry: 'US' },
    carrier: { scac: 'PRCL', service: 'Ground' },
    lines: [{ lineNo: 3, itemCode: 'SKU-A', qtyOrdered: 12, uom: 'CASE' }],
  });
  wmsOutboundOrderRequestSchema.parse(order);
});

test('fractions and units the WMS does not stock in are permanent errors naming the line', () => {
  assert.throws(
    () => releaseToWmsOrder({ ...sampleRelease('rel_2'), lines: [{ lineNumber: 2, sku: 'WIRE', quantity: '2.5', unit: 'EA' }] }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_FRACTIONAL_QUANTITY' && /line 2/.test(e.message),
  );
  assert.throws(
    () => releaseToWmsOrder({ ...sampleRelease('rel_3'), lines: [{ lineNumber: 1, sku: 'WIRE', quantity: '30', unit: 'M' }] }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_WMS_SIM_UNIT_UNSUPPORTED' && /unit M/.test(e.message),
  );
  assert.equal(wholeUnits('7'), 7);
  assert.equal(wholeUnits('0'), undefined);
  assert.equal(wholeUnits('1.01'), undefined);
});
