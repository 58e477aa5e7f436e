import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@tradelane/core';
import { contractPriceFromTryton } from './contract-price.from-tryton.js';
import { customerCreditFromTryton } from './credit.from-tryton.js';
import { itemIdOfTryton } from './item.from-tryton.js';
import { partyIdOfTryton } from './party.from-tryton.js';
import type { TrytonProductRecord } from '../wire/tryton-records.js';

const dec = (decimal: string) => ({ __class__: 'Decimal', decimal });
const created = { __class__: 'datetime', year: 2026, month: 2, day: 3, hour: 4, minute: 5, second: 6, microsecond: 0 };
const bolt: TrytonProductRecord = { id: 1, code: 'TL-1001', name: 'Hex bolt', active: true, type: 'goods', salable: true, list_price: dec('12.5'), 'default_uom.symbol': 'u', 'sale_uom.symbol': 'u', create_date: created, write_date: null };

test('a customer price list is a contract price: customer, contract number, ascending quantity breaks, unchanged breaks left out', () => {
  const price = contractPriceFromTryton(
    bolt,
    { priceListId: 4, priceListName: 'Brightline contract 2026', party: 3, breaks: [{ quantity: 100, unitPrice: dec('10.500000000000') }, { quantity: 0, unitPrice: dec('11.000000000000') }, { quantity: 50, unitPrice: dec('11.0') }], create_date: created, write_date: null },
    { tenantId: 'acme', currency: 'USD' },
  );
  assert.equal(price.kind, 'contract');
  assert.equal(price.kind === 'contract' && price.customerId, partyIdOfTryton('acme', 3));
  assert.equal(price.kind === 'contract' && price.contractNumber, 'Brightline contract 2026');
  assert.equal(price.itemId, itemIdOfTryton('acme', 1));
  assert.equal(price.unit, 'EA');
  assert.deepEqual(price.tiers, [
    { minQuantity: '0', unitPrice: { amount: '11.00', currency: 'USD' } },
    { minQuantity: '100', unitPrice: { amount: '10.50', currency: 'USD' } },
  ]);
  assert.equal(price.validFrom, '2026-02-03');
  assert.deepEqual(price.externalIds, { 'erp-tryton': 'product.price_list 4' });
  assert.throws(
    () => contractPriceFromTryton(bolt, { priceListId: 4, priceListName: 'x', party: 3, breaks: [{ quantity: 0, unitPrice: dec('-1') }], create_date: created, write_date: null }, { tenantId: 'acme', currency: 'USD' }),
    (e: unknown) => e instanceof PermanentError && e.code === 'TL_ERP_TRYTON_MAPPING_INVALID',
  );
});

test('credit: limit and exposure from the party, on hold once the exposure reaches the limit, the default without a limit', () => {
  assert.deepEqual(customerCreditFromTryton('C1001', { credit_limit_amount: dec('50000'), credit_amount: dec('25.0') }, { currency: 'USD', defaultLimit: '0' }), {
    customerRef: 'C1001',
    onHold: false,
    creditLimit: '50000.00',
    exposure: '25.00',
    currency: 'USD',
  });
  const held = customerCreditFromTryton('C1001', { credit_limit_amount: dec('20'), credit_amount: dec('25') }, { currency: 'USD', defaultLimit: '0' });
  assert.equal(held.onHold, true);
  assert.equal(held.holdReason, 'credit limit 20.00 USD reached (exposure 25.00)');
  assert.equal(customerCreditFromTryton('C1001', { credit_limit_amount: dec('25'), credit_amount: dec('25') }, { currency: 'USD', defaultLimit: '0' }).onHold, true, 'no room left');
  assert.deepEqual(customerCreditFromTryton('C1002', { credit_limit_amount: null, credit_amount: dec('900') }, { currency: 'USD', defaultLimit: '2500' }), {
    customerRef: 'C1002',
    onHold: false,
    creditLimit: '2500.00',
    exposure: '900.00',
    currency: 'USD',
  });
});
