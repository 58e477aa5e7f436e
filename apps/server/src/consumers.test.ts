import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineConsumers } from '@tradelane/bus';
import type { StoreTx } from '@tradelane/store';
import { mergeConsumers } from './consumers.js';

const schema = { safeParse: (data: unknown) => ({ success: true as const, data }) };
const handler = async () => {};

test('merged registries keep every subscriber and find each handler by its consumer', () => {
  const a = defineConsumers<StoreTx, any>({ projection: { 'order.placed': { schema, handler } } });
  const b = defineConsumers<StoreTx, any>({ mailer: { 'order.placed': { schema, handler }, 'order.shipped': { schema, handler } } });
  const merged = mergeConsumers([a, b]);
  assert.deepEqual(merged.consumerNames, ['projection', 'mailer']);
  assert.deepEqual(merged.subscribers('order.placed').map((h) => h.consumer), ['projection', 'mailer']);
  assert.equal(merged.handler('mailer', 'order.shipped')?.consumer, 'mailer');
  assert.equal(merged.handler('projection', 'order.shipped'), undefined);
});

test('a consumer name defined by two modules is refused', () => {
  const a = defineConsumers<StoreTx, any>({ projection: { 'order.placed': { schema, handler } } });
  assert.throws(() => mergeConsumers([a, a]), /consumer "projection" is defined by two modules/);
});
