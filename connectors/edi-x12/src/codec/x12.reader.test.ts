import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { X12SyntaxError } from '../errors.js';
import { documentArb } from './x12-arbitraries.fixture.js';
import { elementValue } from './segment.access.js';
import { parseX12, readSegments, readTransactionSets, readX12Document } from './x12.reader.js';
import type { X12Document, X12Issue } from './x12.types.js';
import { writeX12 } from './writer/x12.writer.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url));

/** Parses, turning a thrown syntax error into a comparable value. */
function outcome(input: Buffer | Buffer[]): X12Document | { error: string; offset: number } {
  try {
    return parseX12(input);
  } catch (e) {
    if (e instanceof X12SyntaxError) return { error: e.code, offset: e.position.offset };
    throw e;
  }
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe('parseX12', () => {
  it('builds interchanges, groups and sets with positions', () => {
    const doc = parseX12(fixture('po-850.edi'));
    assert.equal(doc.issues.length, 0);
    const ic = doc.interchanges[0];
    assert.ok(ic);
    assert.equal(ic.groups.length, 1);
    const set = ic.groups[0]?.sets[0];
    assert.equal(elementValue(set!.header, 1), '850');
    assert.equal(set?.segments.length, 23);
    assert.equal(set?.segments[0]?.tag, 'BEG');
    assert.deepEqual(set?.segments[0]?.position, { index: 3, offset: 106 + 1 + 52 + 13 });
    assert.equal(elementValue(set!.trailer!, 1), '25');
    assert.equal(elementValue(ic.trailer!, 2), '000000101');
  });

  it('reads several interchanges with their own separators', () => {
    const doc = parseX12(fixture('multi-isa.edi'));
    assert.equal(doc.interchanges.length, 2);
    assert.deepEqual(doc.interchanges[1]?.separators, { element: '|', component: ':', repetition: '^', segment: '\n' });
    assert.equal(doc.interchanges[1]?.groups[0]?.sets[0]?.segments[0]?.tag, 'BAK');
    assert.equal(doc.interchanges[1]?.groups[0]?.sets[0]?.segments[0]?.position?.index, 3);
  });

  it('reads a file with a BOM and CRLF after every terminator', () => {
    const doc = parseX12(fixture('crlf-bom.edi'));
    assert.deepEqual(doc.issues, []);
    assert.equal(doc.interchanges[0]?.header.position?.offset, 3);
    assert.equal(doc.interchanges[0]?.groups[0]?.sets[0]?.segments.length, 6);
  });

  it('records structural problems of a truncated file as issues', () => {
    const doc = parseX12(fixture('truncated.edi'));
    assert.deepEqual(doc.issues.map((i: X12Issue) => i.code), [
      'TL_EDI_UNTERMINATED_SEGMENT',
      'TL_EDI_SET_TRAILER_MISSING',
      'TL_EDI_GROUP_TRAILER_MISSING',
      'TL_EDI_INTERCHANGE_TRAILER_MISSING',
    ]);
    assert.equal(doc.interchanges[0]?.groups[0]?.sets[0]?.trailer, undefined);
  });

  it('records stray segments and empty input', () => {
    const isa = 'ISA*00*          *00*          *ZZ*A              *ZZ*B              *250301*1200*U*00401*000000001*0*P*>~';
    const doc = parseX12(`${isa}BEG*00~GS*PO*A*B*20250301*1200*1*X*004010~SE*1*0001~GE*0*1~IEA*1*000000001~`);
    assert.deepEqual(doc.issues.map((i) => [i.code, i.segmentId]), [
      ['TL_EDI_UNEXPECTED_SEGMENT', 'BEG'],
      ['TL_EDI_UNEXPECTED_SEGMENT', 'SE'],
    ]);
    assert.deepEqual(parseX12('').issues.map((i) => i.code), ['TL_EDI_NO_INTERCHANGE']);
    assert.deepEqual(parseX12(' \r\n').interchanges, []);
  });

  it('throws a coded error when the input is not X12', () => {
    assert.throws(() => parseX12('hello'), (e: unknown) => e instanceof X12SyntaxError && e.code === 'TL_EDI_ISA_EXPECTED');
  });
});

describe('streaming readers', () => {
  it('readSegments yields every segment of a stream in order', async () => {
    const bytes = fixture('asn-856.edi');
    const stream = Readable.from(split(bytes, [5, 50, 105, 106, 107, 400]));
    const tags: string[] = [];
    for await (const seg of readSegments(stream)) tags.push(seg.tag);
    assert.equal(tags.length, 36);
    assert.deepEqual(tags.slice(0, 4), ['ISA', 'GS', 'ST', 'BSN']);
    assert.equal(tags.at(-1), 'IEA');
  });

  it('readSegments delivers the segments before a syntax error, then throws it', async () => {
    const isa = fixture('po-850.edi').subarray(0, 106).toString('latin1');
    const tags: string[] = [];
    await assert.rejects(async () => {
      for await (const seg of readSegments(`${isa}GS*PO~\nIEA*0*1~garbage`, { maxSegmentLength: 3 })) tags.push(seg.tag);
    }, (e: unknown) => e instanceof X12SyntaxError && e.code === 'TL_EDI_SEGMENT_TOO_LONG');
    assert.deepEqual(tags, ['ISA']);
  });

  it('readSegments can stop early', async () => {
    let n = 0;
    for await (const seg of readSegments(Readable.from([fixture('po-850.edi')]))) {
      n++;
      if (seg.tag === 'ST') break;
    }
    assert.equal(n, 3);
  });

  it('readTransactionSets yields one set at a time with its envelopes', async () => {
    const sets = [];
    for await (const s of readTransactionSets(fixture('multi-isa.edi'))) sets.push(s);
    assert.deepEqual(sets.map((s) => [s.interchange.sender.id, s.group.functionalId, elementValue(s.set.header, 1), s.set.segments.length]), [
      ['NORTHWIND', 'PO', '850', 7],
      ['GLOBEXIND', 'PR', '855', 4],
    ]);
    assert.equal(sets[1]?.interchange.version, '00501');
    assert.equal(sets[1]?.group.version, '005010');
  });

  it('readX12Document equals parseX12', async () => {
    const bytes = fixture('multi-isa.edi');
    assert.deepEqual(await readX12Document(Readable.from(split(bytes, [1, 2, 3, 300]))), parseX12(bytes));
  });
});

describe('chunk-boundary invariance (property)', () => {
  it('splitting valid input anywhere gives the same document', () => {
    fc.assert(
      fc.property(documentArb(), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom('', '\n', '\r\n'), (doc, cuts, lineEnding) => {
        const bytes = Buffer.from(writeX12(doc, { lineEnding }), 'utf8');
        assert.deepEqual(outcome(split(bytes, cuts)), outcome(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('splitting damaged input anywhere gives the same result or the same error', () => {
    fc.assert(
      fc.property(documentArb(), fc.array(fc.nat(), { maxLength: 12 }), fc.nat(), fc.nat(), (doc, cuts, at, len) => {
        const good = Buffer.from(writeX12(doc), 'utf8');
        const start = at % good.length;
        const bad = Buffer.concat([good.subarray(0, start), good.subarray(Math.min(good.length, start + (len % 40)))]);
        assert.deepEqual(outcome(split(bad, cuts)), outcome(bad));
      }),
      { numRuns: 300 },
    );
  });
});
