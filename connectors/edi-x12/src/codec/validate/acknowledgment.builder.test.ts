import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InMemoryControlNumberSequence } from '../writer/control-number.sequence.js';
import { writeX12 } from '../writer/x12.writer.js';
import { parseX12 } from '../x12.reader.js';
import { type X12AcknowledgmentOptions, ack999Convention, buildAcknowledgments } from './acknowledgment.builder.js';
import { validateX12 } from './envelope.validator.js';

const dir = new URL('../../__fixtures__/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const now = (): Date => new Date('2025-03-10T12:00:00Z');

async function acks(text: string, options: Partial<X12AcknowledgmentOptions> = {}): Promise<string> {
  const report = await validateX12(text);
  return writeX12(await buildAcknowledgments(report, { sequence: new InMemoryControlNumberSequence(), now, ...options }), { lineEnding: '\n' });
}

describe('buildAcknowledgments', () => {
  it('answers an accepted 850 with a 997 addressed back to the sender', async () => {
    assert.equal(
      await acks(fixture('po-850.edi')),
      [
        'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*TLDEMO         *250310*1200*U*00401*000000001*0*P*>~',
        'GS*FA*ACMESUPPLY*TLDEMO*20250310*1200*1*X*004010~',
        'ST*997*0001~',
        'AK1*PO*101~',
        'AK2*850*0001~',
        'AK5*A~',
        'AK9*A*1*1*1~',
        'SE*6*0001~',
        'GE*1*1~',
        'IEA*1*000000001~',
        '',
      ].join('\n'),
    );
  });

  it('sends a TA1 when ISA14 asks for one, in the interchange own separators', async () => {
    const text = await acks(fixture('multi-isa.edi'));
    const doc = parseX12(text);
    assert.equal(doc.interchanges.length, 2);
    assert.deepEqual(doc.interchanges[0]?.acknowledgments.map((s) => s.elements), [['000000731', '250310', '1012', 'A', '000']]);
    assert.equal(doc.interchanges[1]?.acknowledgments.length, 0, 'ISA14=0 and no error: no TA1');
    assert.equal(doc.interchanges[1]?.separators.element, '|');
    assert.deepEqual(doc.interchanges[1]?.groups[0]?.sets[0]?.segments[0]?.elements, ['PR', '2201', '005010'], '5010 997 carries AK103');
  });

  it('rejected interchange: TA1 only, no 997', async () => {
    const text = await acks(fixture('control-number-mismatch.edi'));
    assert.match(text, /^TA1\*000000512\*250302\*1105\*R\*001~$/m);
    assert.doesNotMatch(text, /ST\*997/);
  });

  it('accepted with errors: TA1 E plus the 997', async () => {
    const text = await acks(fixture('bad-iea-count.edi'));
    assert.match(text, /^TA1\*000000101\*250301\*0930\*E\*021~$/m);
    assert.match(text, /^AK9\*A\*1\*1\*1~$/m);
  });

  it('reports set and segment errors with AK3/AK4/AK5/AK9 codes', async () => {
    const po = fixture('po-850.edi').replace('BEG*00*SA*PO-2025-0042**20250301', 'BEG*00*SA***20250332').replace('SE*25*0001', 'SE*26*0001');
    const text = await acks(po);
    const body = text.split('\n').filter((l) => /^AK/.test(l));
    assert.deepEqual(body, ['AK1*PO*101~', 'AK2*850*0001~', 'AK3*BEG*2**8~', 'AK4*3*324*1~', 'AK4*5*373*8*20250332~', 'AK5*R*4*5~', 'AK9*R*1*1*0~']);
  });

  it('sends a 999 with IK3/IK4/IK5 and CTX for 5010 implementation-guide groups', async () => {
    const po = fixture('po-850.edi')
      .replace('*U*00401*', '*^*00501*')
      .replace('*X*004010~', '*X*005010X220A1~')
      .replace('ST*850*0001~', 'ST*850*0001*005010X220A1~')
      .replace('N1*ST*Tradelane Demo DC Austin*92*AUS1', 'N1*ST*Tradelane Demo DC Austin*92');
    const text = await acks(po);
    const doc = parseX12(text);
    const group = doc.interchanges[0]?.groups[0];
    assert.equal(group?.header.elements[7], ack999Convention);
    const set = group?.sets[0];
    assert.deepEqual(set?.header.elements, ['999', '0001', ack999Convention]);
    assert.deepEqual(set?.segments.map((s) => [s.tag, ...s.elements.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))]), [
      ['AK1', 'PO', '101', '005010X220A1'],
      ['AK2', '850', '0001', '005010X220A1'],
      ['IK3', 'N1', '10', '', '8'],
      ['CTX', '["BEG03","PO-2025-0042"]'],
      ['IK4', '4', '67', '2'],
      ['CTX', 'SITUATIONAL TRIGGER', 'N1', '10', '', '3'],
      ['IK5', 'R', '5'],
      ['AK9', 'R', '1', '1', '0'],
    ]);
  });

  it('can be forced to 997 or 999 and to always or never send a TA1', async () => {
    assert.match(await acks(fixture('po-850.edi'), { functionalAck: '999' }), /ST\*999\*0001\*005010X231A1~/);
    assert.match(await acks(fixture('po-850.edi'), { ta1: 'always' }), /TA1\*000000101\*250301\*0930\*A\*000~/);
    assert.doesNotMatch(await acks(fixture('bad-iea-count.edi'), { ta1: 'never' }), /TA1/);
    assert.doesNotMatch(await acks(fixture('po-850.edi'), { includeAcceptedSets: false }), /AK2/);
    assert.equal(await acks(fixture('po-850.edi'), { functionalAck: 'none' }), '');
    assert.match(await acks(fixture('multi-isa.edi'), { functionalAck: 'none' }), /^TA1\*000000731/m);
  });

  it('never acknowledges acknowledgments', async () => {
    assert.equal(await acks(fixture('ack-997.edi')), '');
    const ta1Only = 'ISA*00*          *00*          *ZZ*ACMESUPPLY     *ZZ*TLDEMO         *250301*0945*U*00401*000000600*1*P*>~TA1*000000101*250301*0930*A*000~IEA*0*000000600~';
    assert.equal(await acks(ta1Only), '');
  });

  it('uses our envelope settings when given', async () => {
    const text = await acks(fixture('po-850.edi'), { envelope: { sender: { qualifier: '01', id: '123456789' }, separators: { element: '|', component: ':', segment: '~' } } });
    assert.match(text, /^ISA\|00\|.{10}\|00\|.{10}\|01\|123456789 {6}\|ZZ\|TLDEMO/);
    assert.deepEqual((await validateX12(text)).errors, []);
  });

  it('acknowledgments themselves validate cleanly', async () => {
    for (const name of ['po-850.edi', 'multi-isa.edi', 'se-count-mismatch.edi', 'bad-iea-count.edi', 'truncated.edi']) {
      for (const ic of parseX12(await acks(fixture(name))).interchanges) {
        const report = await validateX12(writeX12(ic));
        assert.deepEqual(report.errors, [], name);
      }
    }
  });
});
