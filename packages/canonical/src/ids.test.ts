/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { idPrefixes, idSchema, idTime, isId, newId, newUlid } from './ids.js';

describe('ids', () => {
  it('makes prefixed ULIDs that their schema accepts', () => {
    for (const prefix of idPrefixes) {
      const id = newId(prefix);
      assert.match(id, new RegExp(`^${prefix}_[0-7][0-9A-HJKMNP-TV-Z]{25}$`));
      assert.equal(idSchema(prefix).safeParse(id).success, true);
      assert.equal(isId(id, prefix), true);
    }
  });

  it('encodes the time and sorts by it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 0, max: 2 ** 48 - 1 }), (t1, t2) => {
        const a = newId('so', t1);
        const b = newId('so', t2);
        assert.equal(idTime(a), t1);
        assert.equal(idTime(b), t2);
        if (t1 < t2) assert.ok(a < b);
        if (t1 > t2) assert.ok(a > b);
      }),
    );
  });

  it('is monotonic within one millisecond and unique', () => {
    const now = Date.UTC(2025, 2, 1);
    const ids = Array.from({ length: 2000 }, () => newId('evt', now));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => idTime(id) === now));
  });

  it('refuses ids with the wrong prefix or a malformed ULID', () => {
    const id = newId('so');
    const wrongPrefix = idSchema('po').safeParse(id);
    assert.equal(wrongPrefix.success, false);
    assert.deepEqual(
      wrongPrefix.error?.issues.map((i) => i.message),
      ['must be an id of the form po_<26-character ULID>'],
    );
    for (const bad of [
      'so_',
      'so_01J9Z3K4M5N6P7Q8R9S0T1V2W', // 25 characters
      'so_01J9Z3K4M5N6P7Q8R9S0T1V2WU', // U is not Crockford base32
      'so_81J9Z3K4M5N6P7Q8R9S0T1V2W3', // beyond 48 bits of time
      'so_01j9z3k4m5n6p7q8r9s0t1v2w3', // lower case
      `SO_${id.slice(3)}`,
    ]) {
      assert.equal(idSchema('so').safeParse(bad).success, false, bad);
      assert.equal(isId(bad, 'so'), false, bad);
    }
    assert.equal(idTime('not an id'), undefined);
  });

  it('refuses times a ULID cannot hold', () => {
    assert.throws(() => newUlid(-1), RangeError);
    assert.throws(() => newUlid(2 ** 48), RangeError);
    assert.throws(() => newUlid(1.5), RangeError);
  });
});
