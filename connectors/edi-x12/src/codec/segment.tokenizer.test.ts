import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12SyntaxError } from '../errors.js';
import { X12Tokenizer, findSeparatorProblem, versionHasRepetition } from './segment.tokenizer.js';
import type { X12Issue, X12Segment } from './x12.types.js';

const ISA401 = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250301*1200*U*00401*000000001*0*P*>~';
const ISA501 = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *250301*1200*^*00501*000000001*0*P*:~';

function tokenize(input: string | Buffer | Array<string | Buffer>): { segments: X12Segment[]; issues: X12Issue[] } {
  const issues: X12Issue[] = [];
  const segments: X12Segment[] = [];
  const t = new X12Tokenizer({ onIssue: (i) => issues.push(i) });
  for (const c of Array.isArray(input) ? input : [input]) t.push(c, (s) => segments.push(s));
  t.end((s) => segments.push(s));
  return { segments, issues };
}

describe('X12Tokenizer', () => {
  it('reads the separators from a standard 106-byte ISA', () => {
    const { segments } = tokenize(`${ISA401}GS*PO*A*B*20250301*1200*1*X*004010~`);
    assert.equal(segments.length, 2);
    assert.deepEqual(segments[0]?.separators, { element: '*', component: '>', repetition: undefined, segment: '~' });
    assert.equal(segments[0]?.elements.length, 16);
    assert.equal(segments[0]?.elements[5], 'SENDER         ', 'ISA fields keep their padding');
    assert.deepEqual(segments[1], { tag: 'GS', elements: ['PO', 'A', 'B', '20250301', '1200', '1', 'X', '004010'], position: { index: 1, offset: 106 } });
  });

  it('uses ISA11 as repetition separator from 00402 on and as data before', () => {
    const five = tokenize(`${ISA501}N1*ST*A^B:C~`).segments[1];
    assert.deepEqual(five?.elements[1], { repeats: ['A', ['B', 'C']] });
    const four = tokenize(`${ISA401.replace('*U*', '*^*')}N1*ST*A^B>C~`).segments[1];
    assert.deepEqual(four?.elements[1], ['A^B', 'C']);
    assert.equal(versionHasRepetition('00402'), true);
    assert.equal(versionHasRepetition('00401'), false);
  });

  it('splits composites and keeps empty elements and components', () => {
    const seg = tokenize(`${ISA401}AB*1**X>>Y*~`).segments[1];
    assert.deepEqual(seg?.elements, ['1', '', ['X', '', 'Y'], '']);
  });

  it('skips a UTF-8 BOM and CR/LF between segments, and decodes UTF-8 data', () => {
    const text = `\uFEFF${ISA401}\r\nN1*ST*Zoë Ünal~\r\n`;
    const { segments, issues } = tokenize(Buffer.from(text, 'utf8'));
    assert.equal(issues.length, 0);
    assert.equal(segments[0]?.position?.offset, 3);
    assert.deepEqual(segments[1]?.elements, ['ST', 'Zoë Ünal']);
    assert.equal(segments[1]?.position?.offset, 3 + 106 + 2);
  });

  it('accepts newline as the segment terminator', () => {
    const isa = ISA401.replace(/~$/, '\n');
    const { segments } = tokenize(`${isa}GS*PO\nGE*0*1\n`);
    assert.deepEqual(segments.map((s) => s.tag), ['ISA', 'GS', 'GE']);
  });

  it('re-reads separators at every ISA', () => {
    const second = ISA501.replace(/\*/g, '|').replace(/~$/, '!');
    const { segments } = tokenize(`${ISA401}IEA*0*000000001~${second}IEA|0|000000001!`);
    assert.deepEqual(segments.map((s) => [s.tag, s.position?.index]), [['ISA', 0], ['IEA', 1], ['ISA', 0], ['IEA', 1]]);
    assert.equal(segments[2]?.separators?.element, '|');
    assert.equal(segments[2]?.separators?.repetition, '^');
    assert.equal(segments[2]?.separators?.segment, '!');
  });

  it('reads an ISA that is not fixed width by counting its separators', () => {
    const { segments } = tokenize('ISA*00**00**ZZ*SENDER*ZZ*RECEIVER*250301*1200*U*00401*000000001*0*P*>~GS*PO~');
    assert.equal(segments[0]?.elements[5], 'SENDER');
    assert.equal(segments[1]?.tag, 'GS');
  });

  it('gives the same segments whatever the chunk boundaries, even inside the ISA', () => {
    const text = `\uFEFF${ISA501}\r\nN1*ST*Zoë^B:C~\nIEA*0*000000001~`;
    const whole = tokenize(Buffer.from(text));
    const bytes = Buffer.from(text);
    for (let size = 1; size <= 7; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      assert.deepEqual(tokenize(chunks), whole, `chunk size ${size}`);
    }
  });

  it('reports an unterminated tail as an issue', () => {
    const { segments, issues } = tokenize(`${ISA401}GS*PO*A`);
    assert.equal(segments.length, 1);
    assert.equal(issues[0]?.code, 'TL_EDI_UNTERMINATED_SEGMENT');
    assert.equal(issues[0]?.position.offset, 106);
  });

  it('reports a truncated ISA as an issue', () => {
    const { segments, issues } = tokenize(ISA401.slice(0, 60));
    assert.equal(segments.length, 0);
    assert.equal(issues[0]?.code, 'TL_EDI_UNTERMINATED_SEGMENT');
  });

  it('refuses input that does not start with an ISA', () => {
    assert.throws(() => tokenize('GS*PO~'), (e: unknown) => e instanceof X12SyntaxError && e.code === 'TL_EDI_ISA_EXPECTED' && e.position.offset === 0);
  });

  it('refuses an ISA with unusable separators', () => {
    const bad = ISA401.slice(0, 104) + '**';
    assert.throws(() => tokenize(bad + 'GS*PO**'), (e: unknown) => e instanceof X12SyntaxError && e.code === 'TL_EDI_ISA_INVALID' && e.details?.['separator'] === 'segment');
    assert.equal(findSeparatorProblem({ element: '*', component: 'A', repetition: undefined, segment: '~' })?.which, 'component');
    assert.equal(findSeparatorProblem({ element: '*', component: '>', repetition: '>', segment: '~' })?.which, 'repetition');
    assert.equal(findSeparatorProblem({ element: '*', component: '>', repetition: '^', segment: '~' }), undefined);
  });

  it('stops at a runaway segment instead of buffering without end', () => {
    const t = new X12Tokenizer({ maxSegmentLength: 100 });
    t.push(ISA401, () => undefined);
    assert.throws(() => t.push('N1*' + 'x'.repeat(200), () => undefined), (e: unknown) => e instanceof X12SyntaxError && e.code === 'TL_EDI_SEGMENT_TOO_LONG');
  });
});
