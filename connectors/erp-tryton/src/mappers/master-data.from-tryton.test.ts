import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { inventoryFromTryton } from './inventory.from-tryton.js';
import { itemFromTryton, listPriceFromTryton, moneyOf } from './item.from-tryton.js';
import { customerFromTryton, partyIdOfTryton } from './party.from-tryton.js';
import { unitFromTryton, unitToTryton } from './unit.mapper.js';
import type { TrytonProductRecord } from '../wire/tryton-records.js';

const created = { __class__: 'datetime', year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 0 };
const wire: TrytonProductRecord = {
  id: 3,
  code: 'TL-2001',
  name: 'Copper wire 2.5 mm2',
  active: true,
  type: 'goods',
  salable: true,
  purchasable: true,
  list_price: { __class__: 'Decimal', decimal: '9.8000' },
  'default_uom.symbol': 'kg',
  'sale_uom.symbol': 'kg',
  'purchase_uom.symbol': 'lb',
  create_date: created,
  write_date: null,
};

test('units: Tryton symbols ↔ canonical codes, configured extras first, unknown is a permanent mapping error', () => {
  assert.equal(unitFromTryton('u'), 'EA');
  assert.equal(unitFromTryton('kg'), 'KG');
  assert.equal(unitFromTryton('box', { box: 'BX' }), 'BX');
  assert.equal(unitToTryton('EA'), 'u');
  assert.equal(unitToTryton('BX', { box: 'BX' }), 'box');
  assert.throws(() => unitFromTryton('wd'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_MAPPING_INVALID');
});

test('a product is an Item with its default, sale and purchase units', () => {
  const item = itemFromTryton(wire, { tenantId: 'acme' });
  assert.equal(item.sku, 'TL-2001');
  assert.equal(item.baseUnit, 'KG');
  assert.deepEqual(item.units, [
    { unit: 'KG', sellable: true, purchasable: false },
    { unit: 'LB', sellable: false, purchasable: true },
  ]);
  assert.equal(item.stocked, true);
  assert.equal(item.externalIds['erp-tryton'], '3');
  assert.equal(item.updatedAt, '2026-01-02T03:04:05.000Z');
  assert.equal(itemFromTryton(wire, { tenantId: 'acme' }).id, item.id, 'ids are stable');
});

test('list price per sale unit in the company currency', () => {
  const price = listPriceFromTryton(wire, { tenantId: 'acme', currency: 'USD' });
  assert.equal(price.kind, 'list');
  assert.equal(price.unit, 'KG');
  assert.deepEqual(price.tiers, [{ minQuantity: '0', unitPrice: { amount: '9.80', currency: 'USD' } }]);
  assert.equal(price.validFrom, '2026-01-02');
  assert.equal(moneyOf('12'), '12.00');
});

test('stock: on hand, available from the forecast, allocated as the difference', () => {
  const p = inventoryFromTryton(wire, { quantity: 200, forecastQuantity: 187.5 }, { tenantId: 'acme', locationId: 'WH', asOf: '2026-01-02T00:00:00.000Z' });
  assert.deepEqual([p.onHand, p.allocated, p.available, p.unit, p.locationId], ['200', '12.5', '187.5', 'KG', 'WH']);
  const short = inventoryFromTryton(wire, { quantity: 0, forecastQuantity: -3 }, { tenantId: 'acme', locationId: 'WH', asOf: '2026-01-02T00:00:00.000Z' });
  assert.deepEqual([short.onHand, short.allocated, short.available], ['0', '3', '-3']);
});

test('a party is a customer with address, contacts, terms and the configured credit limit', () => {
  const party = customerFromTryton(
    {
      id: 2,
      code: 'C1001',
      name: 'Acme Hardware',
      active: true,
      'customer_payment_term.name': 'Net 30',
      create_date: created,
      write_date: null,
      address: { street: '100 Main Street\nDock 4', city: 'Chicago', postal_code: '60607', country_code: 'US', subdivision_code: 'US-IL' },
      email: 'buyer@acme.example',
    },
    { tenantId: 'acme', currency: 'USD', creditLimit: '5000.00' },
  );
  assert.equal(party.kind, 'customer');
  assert.equal(party.id, partyIdOfTryton('acme', 2));
  assert.deepEqual(party.address, { line1: '100 Main Street', line2: 'Dock 4', city: 'Chicago', region: 'IL', postalCode: '60607', country: 'US' });
  assert.deepEqual(party.contacts, [{ name: 'Acme Hardware', email: 'buyer@acme.example' }]);
  assert.ok(party.kind === 'customer' && party.paymentTerms?.netDays === 30 && party.credit.limit.amount === '5000.00');
});
