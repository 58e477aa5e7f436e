import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idSchema, isId } from '@tradelane/canonical';
import { derivedId, itemIdOf, partyIdOf } from './derived-id.js';

test('derived ids are stable, ULID-shaped and distinct per tenant, kind and key', () => {
  const id = partyIdOf('acme', 4242);
  assert.equal(id, partyIdOf('acme', '4242'));
  assert.ok(isId(id, 'pty'));
  idSchema('pty').parse(id);
  assert.notEqual(id, partyIdOf('other', 4242));
  assert.notEqual(id, partyIdOf('acme', 4243));
  assert.notEqual(derivedId('pty', 'acme', 'party', 'X'), derivedId('pty', 'acme', 'other', 'X'));
  const ids = new Set(Array.from({ length: 2000 }, (_, i) => itemIdOf('acme', `SKU-${i}`)));
  assert.equal(ids.size, 2000);
  for (const x of ids) assert.ok(isId(x, 'itm'), x);
});
