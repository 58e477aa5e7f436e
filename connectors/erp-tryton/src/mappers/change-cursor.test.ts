import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PermanentError } from '@tradelane/core';
import { comparePositions, decodeChangeCursor, decodeFeedCursor, encodeChangeCursor, encodeFeedCursor, FEED_POSITIONS_START, FEED_START } from './change-cursor.js';
import { flattenRow } from '../tryton.client.js';
import { microsOf, toTrytonDateTime } from '../codec/tryton-json.codec.js';

test('cursors round-trip and are opaque URL-safe strings', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000n }), fc.integer({ min: 0, max: 2 ** 31 }), (us, id) => {
      const cursor = encodeChangeCursor({ us, id });
      assert.match(cursor, /^v1\.[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeChangeCursor(cursor), { us, id });
    }),
  );
  assert.deepEqual(decodeChangeCursor(null), FEED_START);
  assert.throws(() => decodeChangeCursor('42'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_BAD_CURSOR');
});

test('positions order by time, then id (records sharing a write_date)', () => {
  assert.ok(comparePositions({ us: 5n, id: 9 }, { us: 6n, id: 1 }) < 0);
  assert.ok(comparePositions({ us: 5n, id: 1 }, { us: 5n, id: 2 }) < 0);
  assert.equal(comparePositions({ us: 5n, id: 2 }, { us: 5n, id: 2 }), 0);
});

test('Tryton datetimes keep their microseconds both ways', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000n }), (us) => {
      assert.equal(microsOf(toTrytonDateTime(us)), us);
    }),
  );
});

test('nested answers for dotted fields are flattened', () => {
  assert.deepEqual(flattenRow({ id: 1, 'template.': { 'sale_uom.': { symbol: 'u', id: 2 }, salable: true, id: 3 } }), {
    id: 1,
    'template.sale_uom.symbol': 'u',
    'template.sale_uom.id': 2,
    'template.salable': true,
    'template.id': 3,
  });
});

test('feed cursors carry every stream, round-trip, and accept the older v1 (sales), v2 (and invoices) and v3 (and purchasing) cursors', () => {
  const position = () => fc.tuple(fc.bigInt({ min: 0n, max: 4_102_444_800_000_000n }), fc.integer({ min: 0, max: 2 ** 31 })).map(([us, id]) => ({ us, id }));
  fc.assert(
    fc.property(fc.tuple(position(), position(), position(), position(), position(), position(), position()), ([sale, invoice, purchase, receipt, supplierInvoice, payment, stock]) => {
      const positions = { sale, invoice, purchase, receipt, supplierInvoice, payment, stock };
      const cursor = encodeFeedCursor(positions);
      assert.match(cursor, /^v4\.[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeFeedCursor(cursor), positions);
    }),
  );
  assert.deepEqual(decodeFeedCursor(encodeChangeCursor({ us: 7n, id: 3 })), { ...FEED_POSITIONS_START, sale: { us: 7n, id: 3 } });
  // a cursor stored by the previous release (sales and customer invoices only)
  const v2 = `v2.${Buffer.from('sale.sale:11:4;account.invoice:12:5').toString('base64url')}`;
  assert.deepEqual(decodeFeedCursor(v2), { ...FEED_POSITIONS_START, sale: { us: 11n, id: 4 }, invoice: { us: 12n, id: 5 } });
  // a cursor stored before payments and stock were on the feed: those two start from the beginning
  const v3 = `v3.${Buffer.from('sale.sale:1:1;account.invoice:2:2;purchase.purchase:3:3;stock.shipment.in:4:4;account.invoice.in:5:5').toString('base64url')}`;
  assert.deepEqual(decodeFeedCursor(v3), { ...FEED_POSITIONS_START, sale: { us: 1n, id: 1 }, invoice: { us: 2n, id: 2 }, purchase: { us: 3n, id: 3 }, receipt: { us: 4n, id: 4 }, supplierInvoice: { us: 5n, id: 5 } });
  assert.deepEqual(decodeFeedCursor(null), FEED_POSITIONS_START);
  assert.equal(encodeFeedCursor({}), encodeFeedCursor(FEED_POSITIONS_START));
  for (const bad of ['v2.xx', 'v3.xx', `v3.${Buffer.from('sale.sale:1:1').toString('base64url')}`, `v4.${Buffer.from('sale.sale:1:1').toString('base64url')}`, 'v4.abc', 'v5.abc']) {
    assert.throws(() => decodeFeedCursor(bad), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_BAD_CURSOR', bad);
  }
});
