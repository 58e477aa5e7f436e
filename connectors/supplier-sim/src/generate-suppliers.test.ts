import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PRESET_MIX, generateSuppliers, presetCounts } from './generate-suppliers.js';
import { PRESET_NAMES } from './supplier-presets.js';

const countBy = (list: Array<{ preset: string }>) => list.reduce<Record<string, number>>((m, s) => ((m[s.preset] = (m[s.preset] ?? 0) + 1), m), {});

test('250 suppliers follow the mix exactly', () => {
  const mix = { reliable: 0.6, 'out-of-tolerance': 0.1, 'partial-shipper': 0.1, 'price-variance-invoicer': 0.08, 'duplicate-sender': 0.08, rejecter: 0.04 } as const;
  const list = generateSuppliers({ count: 250, seed: 7, mix });
  assert.equal(list.length, 250);
  assert.deepEqual(countBy(list), { reliable: 150, 'out-of-tolerance': 25, 'partial-shipper': 25, 'price-variance-invoicer': 20, 'duplicate-sender': 20, rejecter: 10 });
  assert.equal(new Set(list.map((s) => s.supplierId)).size, 250);
  assert.equal(new Set(list.map((s) => s.apiKey)).size, 250);
  assert.equal(list[0]!.supplierId, 'sup_sim_0001');
  assert.equal(list[0]!.apiKey, 'tl_sim_sup_sim_0001');
});

test('the default mix is half reliable and adds up by largest remainder', () => {
  const counts = presetCounts(250, DEFAULT_PRESET_MIX);
  assert.equal(counts.reliable, 125);
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 250);
  for (const n of PRESET_NAMES) assert.ok(counts[n] >= 15 && counts[n] <= 125, `${n}: ${counts[n]}`);
  assert.deepEqual(presetCounts(3, { reliable: 1, rejecter: 1 }), { ...Object.fromEntries(PRESET_NAMES.map((n) => [n, 0])), reliable: 2, rejecter: 1 });
});

test('same seed, same population; another seed, another order', () => {
  const a = generateSuppliers({ count: 50, seed: 1 });
  const b = generateSuppliers({ count: 50, seed: 1 });
  const c = generateSuppliers({ count: 50, seed: 2 });
  assert.deepEqual(a, b);
  assert.deepEqual(countBy(a), countBy(c));
  assert.notDeepEqual(a.map((s) => s.preset), c.map((s) => s.preset));
  assert.throws(() => generateSuppliers({ count: 1.5, seed: 1 }), /count/);
  assert.throws(() => generateSuppliers({ count: 5, seed: 1, mix: {} }), /at least one preset/);
});
