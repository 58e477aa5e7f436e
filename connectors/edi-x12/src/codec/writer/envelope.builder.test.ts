import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12WriteError } from '../../errors.js';
import { validateX12 } from '../validate/envelope.validator.js';
import { parseX12 } from '../x12.reader.js';
import { InMemoryControlNumberSequence, formatSetControlNumber } from './control-number.sequence.js';
import { createInterchange, envelopeDates, resolveSeparators } from './envelope.builder.js';
import { writeX12 } from './x12.writer.js';

const now = (): Date => new Date('2025-03-01T09:30:00Z');
const settings = { sender: { qualifier: 'ZZ', id: 'TLDEMO' }, receiver: { qualifier: 'ZZ', id: 'ACMESUPPLY' } };

describe('createInterchange', () => {
  it('wraps sets with our control numbers and correct counts', async () => {
    const sequence = new InMemoryControlNumberSequence({ interchange: 41 });
    const ic = await createInterchange(
      settings,
      [{ functionalId: 'PO', sets: [{ id: '850', segments: [{ tag: 'BEG', elements: ['00', 'SA', 'PO-1', '', '20250301'] }, { tag: 'PO1', elements: ['1', '1', 'EA', '1.00'] }] }, { id: '850', segments: [{ tag: 'BEG', elements: ['00', 'SA', 'PO-2', '', '20250301'] }, { tag: 'PO1', elements: ['1', '2', 'CA', '3.50'] }] }] }],
      { sequence, now },
    );
    const text = writeX12(ic, { lineEnding: '\n' });
    assert.equal(
      text,
      [
        'ISA*00*          *00*          *ZZ*TLDEMO         *ZZ*ACMESUPPLY     *250301*0930*U*00401*000000041*0*P*>~',
        'GS*PO*TLDEMO*ACMESUPPLY*20250301*0930*1*X*004010~',
        'ST*850*0001~',
        'BEG*00*SA*PO-1**20250301~',
        'PO1*1*1*EA*1.00~',
        'SE*4*0001~',
        'ST*850*0002~',
        'BEG*00*SA*PO-2**20250301~',
        'PO1*1*2*CA*3.50~',
        'SE*4*0002~',
        'GE*2*1~',
        'IEA*1*000000041~',
        '',
      ].join('\n'),
    );
    const report = await validateX12(text);
    assert.deepEqual(report.errors, []);
    const next = await createInterchange(settings, [], { sequence, now });
    assert.equal(next.header.elements[12], '000000042');
  });

  it('uses the version, separators and usage of the partner', async () => {
    const ic = await createInterchange(
      { ...settings, version: '00501', groupVersion: '005010', separators: { element: '|', segment: '\n', component: ':' }, usage: 'T', acknowledgmentRequested: true },
      [{ functionalId: 'PO', sets: [{ id: '850', segments: [{ tag: 'REF', elements: ['ZZ', { repeats: ['A', 'B'] }] }] }] }],
      { sequence: new InMemoryControlNumberSequence(), now },
    );
    const text = writeX12(ic);
    assert.match(text, /^ISA\|00\|.{10}\|00\|.{10}\|ZZ\|TLDEMO {9}\|ZZ\|ACMESUPPLY {5}\|250301\|0930\|\^\|00501\|000000001\|1\|T\|:\n/);
    assert.match(text, /REF\|ZZ\|A\^B\n/);
    assert.deepEqual(parseX12(text).interchanges[0]?.groups[0]?.sets[0]?.segments[0]?.elements, ['ZZ', { repeats: ['A', 'B'] }]);
  });

  it('refuses a bad version and bad separators', async () => {
    await assert.rejects(createInterchange({ ...settings, version: '4010' }, [], { sequence: new InMemoryControlNumberSequence() }), X12WriteError);
    assert.throws(() => resolveSeparators('00401', { element: '*', component: '*' }), X12WriteError);
    assert.equal(resolveSeparators('00401', {}).repetition, undefined);
    assert.throws(() => resolveSeparators('00501', { repetition: '^', component: '^' }), X12WriteError);
  });

  it('formats dates per version and control numbers per envelope', () => {
    assert.deepEqual(envelopeDates(now(), '004010'), { isaDate: '250301', isaTime: '0930', gsDate: '20250301', gsTime: '0930' });
    assert.equal(envelopeDates(now(), '003040').gsDate, '250301');
    assert.equal(formatSetControlNumber(7), '0007');
  });

  it('wraps control numbers after 999999999', () => {
    const seq = new InMemoryControlNumberSequence({ group: 999_999_999 });
    assert.equal(seq.next('group', 'p'), 999_999_999);
    assert.equal(seq.next('group', 'p'), 1);
    assert.equal(seq.next('group', 'q'), 999_999_999, 'counters are per partner');
  });
});
