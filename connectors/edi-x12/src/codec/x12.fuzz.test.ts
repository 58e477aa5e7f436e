import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TradelaneError } from '@tradelane/core';
import { X12SyntaxError, X12WriteError } from '../errors.js';
import { buildAcknowledgments } from './validate/acknowledgment.builder.js';
import { validateX12 } from './validate/envelope.validator.js';
import { InMemoryControlNumberSequence } from './writer/control-number.sequence.js';
import { writeX12 } from './writer/x12.writer.js';
import { documentArb } from './x12-arbitraries.fixture.js';
import { parseX12 } from './x12.reader.js';

/** Number of fuzz inputs: 5,000 by default, `TL_FUZZ_RUNS` raises it (CI uses 100,000). */
function fuzzRuns(): number {
  const n = Number.parseInt(process.env['TL_FUZZ_RUNS'] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 5000;
}

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swap'; from: number; to: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] };

const interesting = [0x2a, 0x7e, 0x3e, 0x5e, 0x3a, 0x7c, 0x0a, 0x0d, 0x20, 0x00, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0x49, 0x53, 0x41, 0x30, 0x39];
const byteArb = fc.oneof(fc.constantFrom(...interesting), fc.integer({ min: 0, max: 255 }));

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: byteArb }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), from: fc.nat(), to: byteArb }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(byteArb, { minLength: 1, maxLength: 8 }) }),
);

/** Byte offsets just after each segment terminator of the first interchange's separators. */
function segmentBounds(bytes: Buffer): number[] {
  const term = bytes.length > 105 ? (bytes[105] as number) : 0x7e;
  const out = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === term) out.push(i + 1);
  return out;
}

function mutate(input: Buffer, m: Mutation): Buffer {
  const n = input.length;
  if (n === 0) return input;
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(input);
      out[m.at % n] = m.byte;
      return out;
    }
    case 'truncate':
      return input.subarray(0, m.at % n);
    case 'swap': {
      // Replace every occurrence of one byte already in the file (often a separator) with another.
      const from = input[m.from % n] as number;
      return Buffer.from(input.map((b) => (b === from ? m.to : b)));
    }
    case 'duplicate':
    case 'delete': {
      const bounds = segmentBounds(input);
      const i = m.at % Math.max(1, bounds.length - 1);
      const start = bounds[i] ?? 0;
      const end = bounds[i + 1] ?? n;
      const seg = input.subarray(start, end);
      return m.kind === 'duplicate' ? Buffer.concat([input.subarray(0, end), seg, input.subarray(end)]) : Buffer.concat([input.subarray(0, start), input.subarray(end)]);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return Buffer.concat([input.subarray(0, at), Buffer.from(m.bytes), input.subarray(at)]);
    }
  }
}

/** Small documents mutate just as well and keep 100,000 runs within a few minutes. */
const fuzzSizes = { interchanges: 2, groups: 2, sets: 2, segments: 5, elements: 4 };

/** The hand-written samples, as realistic starting points. */
const fixtureArb = fc.constantFrom(
  ...readdirSync(new URL('../__fixtures__/', import.meta.url)).map((name) => parseX12(readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url)))),
);

describe('fuzz: mutated interchanges', () => {
  it(`never crashes or hangs: a result or a coded error (${fuzzRuns()} inputs)`, async () => {
    const sequence = new InMemoryControlNumberSequence();
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: documentArb(fuzzSizes) }, { weight: 1, arbitrary: fixtureArb }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '\n', '\r\n'), async (doc, mutations, lineEnding) => {
        let bytes: Buffer = Buffer.from(writeX12(doc, { lineEnding }), 'utf8');
        for (const m of mutations) bytes = mutate(bytes, m);

        let parsed;
        try {
          parsed = parseX12(bytes);
        } catch (e) {
          assert.ok(e instanceof X12SyntaxError, `parseX12 threw ${String(e)}`);
          assert.match(e.code, /^TL_EDI_/);
        }
        if (parsed) {
          try {
            writeX12(parsed);
          } catch (e) {
            assert.ok(e instanceof X12WriteError, `writeX12 threw ${String(e)}`);
          }
        }

        const report = await validateX12(bytes);
        for (const e of report.errors) {
          assert.match(e.code, /^TL_EDI_/);
          assert.ok(Number.isInteger(e.position.index) && Number.isInteger(e.position.offset));
        }
        assert.equal(report.ok, report.errors.length === 0 && report.fatal === undefined);
        if (parsed && report.fatal === undefined && parsed.issues.length === 0) {
          assert.equal(report.interchanges.length, parsed.interchanges.length);
        }
        try {
          const acks = await buildAcknowledgments(report, { sequence, now: () => new Date(0) });
          writeX12(acks);
        } catch (e) {
          assert.ok(e instanceof TradelaneError, `acknowledging threw ${String(e)}`);
          assert.fail(`acknowledging a validated input must not fail: ${String(e)}`);
        }
      }),
      { numRuns: fuzzRuns() },
    );
  });
});
