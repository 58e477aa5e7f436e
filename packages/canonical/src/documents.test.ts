/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { documentArbitraries } from './arbitraries.test-support.js';
import { documentSchemas, type DocumentName } from './document-schemas.js';

const names = Object.keys(documentSchemas) as DocumentName[];

describe('canonical documents', () => {
  it('has an arbitrary for every published document', () => {
    assert.deepEqual(Object.keys(documentArbitraries).sort(), [...names].sort());
  });

  for (const name of names) {
    const schema = documentSchemas[name] as z.ZodType;
    const arbitrary = documentArbitraries[name] as fc.Arbitrary<unknown>;

    it(`${name}: generated documents are valid and survive a JSON round trip unchanged`, () => {
      fc.assert(
        fc.property(arbitrary, (doc) => {
          const direct = schema.safeParse(doc);
          if (!direct.success) {
            throw new Error(`generated ${name} is invalid: ${JSON.stringify(direct.error.issues)}\n${JSON.stringify(doc)}`);
          }
          assert.deepStrictEqual(schema.parse(JSON.parse(JSON.stringify(doc))), doc);
        }),
        { numRuns: 150 },
      );
    });

    it(`${name}: generated documents are varied`, () => {
      const samples = fc.sample(arbitrary, { numRuns: 40, seed: 42 }).map((d) => JSON.stringify(d));
      assert.ok(new Set(samples).size >= 35, `only ${new Set(samples).size} distinct ${name} documents out of 40`);
    });

    it(`${name}: converts to JSON Schema draft 2020-12`, () => {
      const json = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
      assert.equal(json.$schema, 'https://json-schema.org/draft/2020-12/schema');
    });
  }

  it('every top-level document carries schemaVersion 1 and tenantId (event envelope: tenantid)', () => {
    for (const name of names) {
      const [doc] = fc.sample(documentArbitraries[name] as fc.Arbitrary<Record<string, unknown>>, { numRuns: 1, seed: 7 });
      if (name === 'event-envelope') {
        assert.equal(typeof doc!.tenantid, 'string');
      } else {
        assert.equal(doc!.schemaVersion, 1, name);
        assert.equal(typeof doc!.tenantId, 'string', name);
      }
    }
  });
});
