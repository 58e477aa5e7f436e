import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineNumberSchema, skuSchema, tenantIdSchema } from '@tradelane/canonical';
import { defaultRetryPolicy, InputError, type MessagingTx } from '@tradelane/core';
import { defineConsumers, defineConsumersFor } from './consumer-registry.js';

const noop = async () => {};

test('subscribers are found by event type in definition order, each with its filled-in retry policy', () => {
  const registry = defineConsumers({
    erp: { 'sales_order.accepted': { schema: skuSchema, handler: noop, retry: { maxAttempts: 8 } } },
    search: {
      'sales_order.accepted': { schema: tenantIdSchema, handler: noop },
      'item.changed': { schema: tenantIdSchema, handler: noop },
    },
  });
  assert.deepEqual(registry.consumerNames, ['erp', 'search']);
  assert.deepEqual(registry.subscribers('sales_order.accepted').map((h) => h.consumer), ['erp', 'search']);
  assert.deepEqual(registry.subscribers('nobody.cares'), []);
  assert.equal(registry.handler('erp', 'sales_order.accepted')!.retry.maxAttempts, 8);
  assert.equal(registry.handler('erp', 'sales_order.accepted')!.retry.initialDelayMs, defaultRetryPolicy.initialDelayMs);
  assert.deepEqual(registry.handler('search', 'item.changed')!.retry, defaultRetryPolicy);
  assert.equal(registry.handler('erp', 'item.changed'), undefined);
});

test('a zod schema from canonical is accepted as is and types the payload', () => {
  const seen: number[] = [];
  const registry = defineConsumersFor<MessagingTx>()({
    lines: { 'line.counted': { schema: lineNumberSchema, handler: async (_ctx, event) => void seen.push(event.data + 1) } },
  });
  const handler = registry.handler('lines', 'line.counted')!;
  assert.equal(handler.schema.safeParse(3).success, true);
  assert.equal(handler.schema.safeParse(1.5).success, false);
});

test('bad names, missing schemas and bad retry policies are refused at definition time', () => {
  assert.throws(() => defineConsumers({ 'has space': { 'a.b': { schema: tenantIdSchema, handler: noop } } }), InputError);
  assert.throws(
    () => defineConsumers({ erp: { 'a.b': { schema: undefined as unknown as typeof tenantIdSchema, handler: noop } } }),
    (e: unknown) => e instanceof InputError && e.code === 'TL_BUS_BAD_CONSUMER',
  );
  assert.throws(() => defineConsumers({ erp: { 'a.b': { schema: tenantIdSchema, handler: noop, retry: { maxAttempts: 0 } } } }), RangeError);
});
