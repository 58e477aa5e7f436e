import { test } from 'node:test';
import assert from 'node:assert/strict';
import { priceSchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { partyIdOf } from './derived-id.js';
import { priceFromSim } from './price.from-sim.js';

test('list and contract books map to valid list and contract Prices with tiers', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  const prices = engine.listPrices({ max: 1000 }).ROWS.map((row) => priceFromSim(row, { tenantId: 'acme' }));
  for (const p of prices) priceSchema.parse(p);
  const contracts = prices.filter((p) => p.kind === 'contract');
  assert.ok(contracts.length >= 60);
  assert.ok(contracts.some((p) => p.kind === 'contract' && p.customerId === partyIdOf('acme', 4243) && p.tiers.length === 3));
  const list = prices.find((p) => p.kind === 'list' && p.sku === 'FAS-1001')!;
  assert.equal(list.kind === 'list' && list.priceList, 'LIST');
  assert.equal(list.validFrom, '2024-01-01');
  assert.equal(list.validTo, undefined);
  assert.equal(new Set(prices.map((p) => p.id)).size, prices.length, 'ids are unique');
});
