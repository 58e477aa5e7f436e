import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '@tradelane/core';
import { PRESET_NAMES } from './supplier-presets.js';
import { mergeBehaviour, parseSupplierSimInput, supplierConfigSchema, supplierSimConfigSchema, supplierSimOptionsSchema } from './supplier-sim-config.schema.js';
import { createSupplierSimulator } from './supplier-simulator.js';

test('every preset resolves to a full behaviour', () => {
  for (const preset of PRESET_NAMES) {
    const s = parseSupplierSimInput(supplierConfigSchema, { supplierId: 's1', apiKey: 'k', preset });
    assert.equal(s.preset, preset);
    assert.ok(s.behaviour.ack.delayMs.max >= s.behaviour.ack.delayMs.min);
  }
  const reliable = parseSupplierSimInput(supplierConfigSchema, { supplierId: 's1', apiKey: 'k' });
  assert.deepEqual(reliable.behaviour.ack.mix, { accept: 1, changeQuantity: 0, changeDate: 0, changePrice: 0, outOfTolerance: 0, rejectLines: 0, backorder: 0 });
  assert.equal(parseSupplierSimInput(supplierConfigSchema, { supplierId: 's', apiKey: 'k', preset: 'slowAcker' }).behaviour.ack.timing, 'late');
  assert.equal(parseSupplierSimInput(supplierConfigSchema, { supplierId: 's', apiKey: 'k', preset: 'duplicate-sender' }).behaviour.duplicates.probability, 1);
});

test('overrides merge into the preset; a mix replaces the preset mix', () => {
  const s = parseSupplierSimInput(supplierConfigSchema, {
    supplierId: 's1',
    apiKey: 'k',
    preset: 'tolerant-changer',
    behaviour: { ack: { mix: { backorder: 1 }, tolerance: { pricePct: 4 } }, ship: { mode: 'partial' } },
  });
  assert.equal(s.behaviour.ack.mix.backorder, 1);
  assert.equal(s.behaviour.ack.mix.changeQuantity, 0);
  assert.equal(s.behaviour.ack.tolerance.pricePct, 4);
  assert.equal(s.behaviour.ack.tolerance.quantityPct, 5);
  assert.equal(s.behaviour.ship.mode, 'partial');
  assert.deepEqual(mergeBehaviour({ a: { b: 1, c: 2 } }, { a: { c: 3 } }), { a: { b: 1, c: 3 } });
});

test('a bad config throws an InputError naming each bad field', () => {
  const bad = {
    hubUrl: 'http://127.0.0.1:1',
    suppliers: [
      { supplierId: 'ok', apiKey: 'k' },
      { supplierId: 'bad', apiKey: 'k', behaviour: { ack: { mix: { accept: -1 } }, ship: { mode: 'sometimes' } } },
      { supplierId: 'typo', apiKey: 'k', behavior: {} },
      { supplierId: 'x', apiKey: '', preset: 'unknown-preset' },
    ],
    concurrency: 0,
  };
  assert.throws(
    () => parseSupplierSimInput(supplierSimOptionsSchema, bad),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.code, 'TL_SUPPLIER_SIM_CONFIG_INVALID');
      for (const field of ['suppliers.1.behaviour.ack.mix.accept', 'suppliers.1.behaviour.ship.mode', 'suppliers.2', 'suppliers.3.apiKey', 'suppliers.3.preset', 'concurrency']) {
        assert.match(err.message, new RegExp(`${field.replace(/\./g, '\\.')}: `), `message names ${field}: ${err.message}`);
      }
      assert.match(err.message, /behavior/);
      return true;
    },
  );
  assert.throws(() => createSupplierSimulator({ hubUrl: 'not a url', suppliers: [] }), /hubUrl/);
  assert.throws(
    () => parseSupplierSimInput(supplierConfigSchema, { supplierId: 's', apiKey: 'k', behaviour: { ack: { delayMs: { min: 5, max: 1 } } } }),
    /behaviour\.ack\.delayMs\.max: min must be ≤ max/,
  );
  assert.throws(
    () => parseSupplierSimInput(supplierConfigSchema, { supplierId: 's', apiKey: 'k', behaviour: { ack: { mix: { accept: 0 } } } }),
    /behaviour\.ack\.mix: at least one action/,
  );
});

test('the standalone config accepts a generated population and a time scale', () => {
  const c = parseSupplierSimInput(supplierSimConfigSchema, { hubUrl: 'http://127.0.0.1:3000', generate: { count: 10, mix: { reliable: 1 } }, timeScale: 0.01 });
  assert.equal(c.generate?.count, 10);
  assert.equal(c.timeScale, 0.01);
  assert.deepEqual(c.suppliers, []);
  assert.throws(() => parseSupplierSimInput(supplierSimConfigSchema, { generate: { count: 0 } }), /generate\.count/);
});
