import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { X12WriteError } from '../../errors.js';
import { documentArb, stripPositions } from '../x12-arbitraries.fixture.js';
import { parseX12 } from '../x12.reader.js';
import type { X12Separators } from '../x12.types.js';
import { serializeX12, writeIsa, writeSegment, writeX12 } from './x12.writer.js';

const dir = new URL('../../__fixtures__/', import.meta.url);
const seps: X12Separators = { element: '*', component: '>', repetition: '^', segment: '~' };

/** Text without the whitespace the reader skips between segments. */
function squeeze(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/[\r\n]+/g, (m, offset: number, all: string) => (offset > 0 && /[~]/.test(all[offset - 1] ?? '') ? '' : m));
}

describe('writeSegment', () => {
  it('writes simple, composite and repeated elements', () => {
    assert.equal(writeSegment({ tag: 'N1', elements: ['ST', '', ['A', 'B'], { repeats: ['X', ['Y', 'Z']] }] }, seps), 'N1*ST**A>B*X^Y>Z~');
  });

  it('refuses data that contains a separator, naming element and separator', () => {
    for (const [value, kind] of [['A*B', 'element'], ['A~B', 'segment'], ['A>B', 'component'], ['A^B', 'repetition']] as const) {
      assert.throws(
        () => writeSegment({ tag: 'N1', elements: ['ST', value] }, seps),
        (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_SEPARATOR_IN_DATA' && e.details?.['element'] === 'N102' && e.details?.['separatorKind'] === kind,
      );
    }
  });

  it('refuses repetitions when the interchange has no repetition separator', () => {
    assert.throws(
      () => writeSegment({ tag: 'N1', elements: [{ repeats: ['A', 'B'] }] }, { ...seps, repetition: undefined }),
      (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_REPETITION_UNSUPPORTED',
    );
  });

  it('pads ISA fields to their fixed width and takes ISA11/ISA16 from the separators', () => {
    const isa = writeIsa({ tag: 'ISA', elements: ['00', '', '00', '', 'ZZ', 'ME', 'ZZ', 'YOU', '250301', '1200', 'U', '00501', '42', '0', 'P', ':'] }, seps);
    assert.equal(isa, 'ISA*00*          *00*          *ZZ*ME             *ZZ*YOU            *250301*1200*^*00501*000000042*0*P*>~');
    assert.equal(isa.length, 106);
    assert.throws(() => writeIsa({ tag: 'ISA', elements: ['00', '', '00', '', 'ZZ', 'X'.repeat(16)] }, seps), (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_ISA_FIELD_INVALID');
  });

  it('refuses unusable separators', () => {
    assert.throws(() => writeSegment({ tag: 'A', elements: [] }, { ...seps, component: '*' }), (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_SEPARATORS_INVALID');
    const doc = parseX12(readFileSync(new URL('po-850.edi', dir)));
    const ic = doc.interchanges[0]!;
    assert.throws(() => writeX12({ ...ic, separators: { ...ic.separators, component: '*' } }), (e: unknown) => e instanceof X12WriteError && e.code === 'TL_EDI_SEPARATORS_INVALID');
  });
});

describe('round trips', () => {
  it('write(parse(file)) reproduces every valid fixture, modulo whitespace', () => {
    for (const name of readdirSync(dir)) {
      if (/bad|mismatch|truncated/.test(name)) continue;
      const text = readFileSync(new URL(name, dir), 'utf8');
      const doc = parseX12(text);
      const again = writeX12(doc);
      assert.equal(again, squeeze(text).replace(/\n(?=ISA)/g, ''), name);
    }
  });

  it('the multi-interchange fixture keeps each interchange in its own separators', () => {
    const text = readFileSync(new URL('multi-isa.edi', dir), 'utf8');
    assert.equal(writeX12(parseX12(text), { lineEnding: '\n' }), text);
  });

  it('serializeX12 pieces add up to writeX12', () => {
    const doc = parseX12(readFileSync(new URL('asn-856.edi', dir)));
    assert.equal([...serializeX12(doc)].join(''), writeX12(doc));
  });

  it('parse(write(doc)) equals doc, and write(parse(text)) equals text (property)', () => {
    fc.assert(
      fc.property(documentArb(), fc.constantFrom<'' | '\n' | '\r\n'>('', '\n', '\r\n'), (doc, lineEnding) => {
        const text = writeX12(doc, { lineEnding });
        const parsed = parseX12(text);
        assert.deepEqual(parsed.issues, []);
        assert.deepEqual(stripPositions(parsed.interchanges), stripPositions(doc.interchanges));
        assert.equal(writeX12(parsed, { lineEnding }), text);
      }),
      { numRuns: 400 },
    );
  });
});
