import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseX12 } from '../x12.reader.js';
import { InMemoryControlNumberRegistry } from './control-number.registry.js';
import { type X12ValidationReport, validateX12, validateX12Document } from './envelope.validator.js';

const dir = new URL('../../__fixtures__/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const PO = fixture('po-850.edi');

function codes(report: X12ValidationReport): string[] {
  return report.errors.map((e) => e.code);
}

/** The first set's result. */
function firstSet(report: X12ValidationReport) {
  const s = report.interchanges[0]?.groups[0]?.sets[0];
  assert.ok(s);
  return s;
}

describe('validateX12: valid input', () => {
  it('accepts every valid fixture', async () => {
    for (const name of readdirSync(dir)) {
      if (/bad|mismatch|truncated/.test(name)) continue;
      const report = await validateX12(readFileSync(new URL(name, dir)));
      assert.deepEqual(report.errors, [], name);
      assert.ok(report.interchanges.every((i) => i.status === 'A' && i.noteCode === '000'), name);
    }
  });

  it('gives the same report for a stream, a buffer and a parsed document', async () => {
    const text = fixture('se-count-mismatch.edi');
    const a = await validateX12(Readable.from([Buffer.from(text.slice(0, 300)), Buffer.from(text.slice(300))]));
    const b = await validateX12(text);
    const c = await validateX12Document(parseX12(text));
    assert.deepEqual(a, b);
    assert.deepEqual(c, b);
  });

  it('marks interchanges that carry only acknowledgments', async () => {
    const report = await validateX12(fixture('ack-997.edi'));
    assert.equal(report.interchanges[0]?.acknowledgmentOnly, true);
    assert.equal((await validateX12(PO)).interchanges[0]?.acknowledgmentOnly, false);
  });

  it('keeps the business key of each set', async () => {
    assert.deepEqual(firstSet(await validateX12(PO)).businessKey, { element: 'BEG03', value: 'PO-2025-0042' });
  });
});

describe('validateX12: interchange envelope (TA1)', () => {
  it('bad IEA01 count: accepted with errors, note 021', async () => {
    const ic = (await validateX12(fixture('bad-iea-count.edi'))).interchanges[0];
    assert.equal(ic?.status, 'E');
    assert.equal(ic?.noteCode, '021');
  });

  it('IEA02 different from ISA13: rejected, note 001', async () => {
    const report = await validateX12(fixture('control-number-mismatch.edi'));
    assert.equal(report.interchanges[0]?.status, 'R');
    assert.equal(report.interchanges[0]?.noteCode, '001');
    assert.deepEqual(report.errors[0]?.position, { index: 15, offset: 542 });
    assert.equal(report.errors[0]?.element, 'IEA02');
  });

  it('truncated file: rejected, note 023, and the open set and group are reported', async () => {
    const report = await validateX12(fixture('truncated.edi'));
    assert.equal(report.interchanges[0]?.noteCode, '023');
    assert.deepEqual(codes(report), ['TL_EDI_TA1_023', 'TL_EDI_AK5_2', 'TL_EDI_AK9_3', 'TL_EDI_TA1_023']);
    assert.deepEqual(firstSet(report).errorCodes, ['2']);
  });

  it('checks every ISA field', async () => {
    const cases: Array<[number, string, string]> = [
      [1, '99', '010'],
      [3, '07', '012'],
      [5, 'QQ', '005'],
      [6, '               ', '006'],
      [7, '9', '007'],
      [9, '251340', '014'],
      [10, '2561', '015'],
      [11, 'X', '016'],
      [12, '00999', '003'],
      [12, '4010 ', '017'],
      [13, '00000010A', '018'],
      [14, '2', '019'],
      [15, 'X', '020'],
    ];
    for (const [n, value, note] of cases) {
      const isa = PO.slice(0, 106).split('*');
      isa[n] = value;
      const text = isa.join('*') + PO.slice(106);
      const ic = (await validateX12(text)).interchanges[0];
      assert.equal(ic?.noteCode, note, `ISA${n}=${value}`);
      assert.equal(ic?.status, 'R');
    }
  });

  it('unknown receiver: note 009 when our ids are configured', async () => {
    const report = await validateX12(PO, { knownReceivers: [{ qualifier: 'ZZ', id: 'SOMEONEELSE' }] });
    assert.equal(report.interchanges[0]?.noteCode, '009');
    assert.equal((await validateX12(PO, { knownReceivers: [{ qualifier: 'ZZ', id: 'ACMESUPPLY' }] })).ok, true);
  });

  it('duplicate interchange control number from the same partner: note 025', async () => {
    const registry = new InMemoryControlNumberRegistry();
    assert.equal((await validateX12(PO, { registry })).interchanges[0]?.status, 'A');
    const again = await validateX12(PO, { registry });
    assert.equal(again.interchanges[0]?.noteCode, '025');
    assert.equal(again.interchanges[0]?.status, 'R');
    const other = PO.replace(/ZZ\*TLDEMO {9}/, 'ZZ*OTHERSENDER    ');
    assert.equal((await validateX12(other, { registry })).interchanges[0]?.status, 'A', 'per partner');
  });

  it('a rejected interchange is not remembered, so its corrected resend is accepted', async () => {
    const registry = new InMemoryControlNumberRegistry();
    await validateX12(fixture('control-number-mismatch.edi'), { registry });
    assert.equal((await validateX12(fixture('poa-855.edi'), { registry })).interchanges[0]?.status, 'A');
  });

  it('segments outside any group: note 022; invalid GS: note 024', async () => {
    const stray = PO.replace('GS*PO', 'REF*ZZ*1~\nGS*PO');
    assert.equal((await validateX12(stray)).interchanges[0]?.noteCode, '022');
    const badGs = PO.replace('GS*PO*TLDEMO*ACMESUPPLY*20250301', 'GS*PO*TLDEMO*ACMESUPPLY*20251301');
    assert.equal((await validateX12(badGs)).interchanges[0]?.noteCode, '024');
  });

  it('unusable separators in a fixed-width ISA: rejected with 026/027/004 from the fixed positions', async () => {
    const isa = PO.slice(0, 106);
    const report = await validateX12(isa.slice(0, 104) + '*' + isa.slice(105) + 'GS*PO~');
    assert.equal(report.fatal?.code, 'TL_EDI_ISA_INVALID');
    assert.equal(report.interchanges[0]?.noteCode, '027');
    assert.equal(report.interchanges[0]?.controlNumber, '000000101');
  });

  it('input that is not X12 ends in a fatal error, never an exception', async () => {
    const report = await validateX12('hello world');
    assert.equal(report.ok, false);
    assert.equal(report.fatal?.code, 'TL_EDI_ISA_EXPECTED');
    assert.deepEqual(report.interchanges, []);
  });
});

describe('validateX12: groups (AK9)', () => {
  const cases: Array<[string, string, string]> = [
    ['GE*1*101~', 'GE*1*102~', '4'],
    ['GE*1*101~', 'GE*2*101~', '5'],
    ['GE*1*101~\n', '', '3'],
    ['*101*X*004010~', '*10A*X*004010~', '6'],
    ['*101*X*004010~', '*101*X*999999~', '2'],
    ['GS*PO', 'GS*ZZ', '1'],
  ];
  for (const [from, to, code] of cases) {
    it(`AK905 ${code}`, async () => {
      const report = await validateX12(PO.replace(from, to));
      const g = report.interchanges[0]?.groups[0];
      assert.ok(g?.errorCodes.includes(code as never), `${g?.errorCodes}`);
      assert.equal(g?.status, 'R');
    });
  }

  it('AK905 19: group control number used twice in one interchange', async () => {
    const group = PO.slice(PO.indexOf('GS*'), PO.indexOf('IEA'));
    const text = PO.replace('IEA*1', `${group}IEA*2`);
    const groups = (await validateX12(text)).interchanges[0]?.groups;
    assert.deepEqual(groups?.map((g) => g.errorCodes), [[], ['19']]);
  });

  it('partial acceptance: P when some sets are rejected', async () => {
    const set = PO.slice(PO.indexOf('ST*'), PO.indexOf('GE*'));
    const broken = set.replace('ST*850*0001', 'ST*850*0002').replace('SE*25*0001', 'SE*24*0002');
    const text = PO.replace('GE*1*101', `${broken}GE*2*101`);
    const g = (await validateX12(text)).interchanges[0]?.groups[0];
    assert.equal(g?.status, 'P');
    assert.deepEqual([g?.setsIncluded, g?.setsReceived, g?.setsAccepted], [2, 2, 1]);
  });
});

describe('validateX12: transaction sets (AK5)', () => {
  const cases: Array<[string, string, string]> = [
    ['SE*25*0001', 'SE*25*0002', '3'],
    ['SE*25*0001', 'SE*24*0001', '4'],
    ['SE*25*0001~\n', '', '2'],
    ['ST*850*0001', 'ST*830*0001', '1'],
    ['ST*850*0001', 'ST*85X*0001', '6'],
    ['ST*850*0001', 'ST*855*0001', '6'],
    ['ST*850*0001', 'ST*850*01', '7'],
  ];
  for (const [from, to, code] of cases) {
    it(`AK502 ${code}`, async () => {
      const text = PO.replace(from, to).replace(to === 'ST*850*01' ? 'SE*25*0001' : '\u0000', 'SE*25*01');
      const set = firstSet(await validateX12(text));
      assert.ok(set.errorCodes.includes(code as never), `${set.errorCodes}`);
      assert.equal(set.status, 'R');
    });
  }

  it('AK502 23: set control number used twice in a group', async () => {
    const set = PO.slice(PO.indexOf('ST*'), PO.indexOf('GE*'));
    const text = PO.replace('GE*1*101', `${set}GE*2*101`);
    const g = (await validateX12(text)).interchanges[0]?.groups[0];
    assert.deepEqual(g?.sets.map((s) => s.errorCodes), [[], ['23']]);
  });

  it('SE count mismatch fixture: AK5 R 4', async () => {
    const report = await validateX12(fixture('se-count-mismatch.edi'));
    assert.deepEqual(firstSet(report).errorCodes, ['4']);
    assert.equal(report.errors[0]?.segmentId, 'SE');
    assert.equal(report.errors[0]?.position.index, 20);
  });
});

describe('validateX12: segments and elements (AK3/AK4)', () => {
  async function segErrors(from: string, to: string, options = {}) {
    return firstSet(await validateX12(PO.replace(from, to), options));
  }

  it('missing mandatory element: AK304 8, AK403 1', async () => {
    const set = await segErrors('BEG*00*SA*PO-2025-0042**20250301', 'BEG*00*SA***20250301');
    assert.deepEqual(set.segmentErrors.map((e) => [e.segmentId, e.position, e.code, e.elements.map((x) => [x.position, x.code, x.reference])]), [['BEG', 2, '8', [[3, '1', 324]]]]);
    assert.deepEqual(set.errorCodes, ['5']);
  });

  it('element types, lengths, dates, times and code lists', async () => {
    const cases: Array<[string, string, string]> = [
      ['BEG*00*SA*PO-2025-0042**20250301', 'BEG*00*SA*PO-2025-0042**20250230', '8'],
      ['BEG*00*SA*PO-2025-0042**20250301', 'BEG*00*SA*PO-2025-0042**2025030', '4'],
      ['BEG*00*SA', 'BEG*000*SA', '5'],
      ['PO1*1*24*CA', 'PO1*1*2X4*CA', '6'],
      ['DTM*002*20250314', 'DTM*002*20250314*2561', '9'],
      ['BEG*00*SA', 'BEG*00*ZZ', '7'],
    ];
    for (const [from, to, code] of cases) {
      const set = await segErrors(from, to, { codeLists: { BEG02: ['SA', 'NE'] } });
      assert.equal(set.segmentErrors[0]?.elements[0]?.code, code, to);
    }
  });

  it('too many elements: AK403 3', async () => {
    const set = await segErrors('CUR*BY*USD', 'CUR*BY*USD*1.2345' + '*'.repeat(18) + '*X');
    assert.deepEqual(set.segmentErrors[0]?.elements.map((e) => [e.position, e.code]), [[22, '3']]);
  });

  it('syntax notes: paired (2) and exclusion (10) with the triggering element', async () => {
    const paired = await segErrors('N1*ST*Tradelane Demo DC Austin*92*AUS1', 'N1*ST*Tradelane Demo DC Austin*92');
    assert.deepEqual(paired.segmentErrors[0]?.elements.map((e) => [e.position, e.code, e.trigger]), [[4, '2', 3]]);
    const tmpl = fixture('tracking-214.edi').replace('AT7*AF*NS***', 'AT7*AF*NS*AA*NS*');
    const set = firstSet(await validateX12(tmpl));
    assert.deepEqual(set.segmentErrors[0]?.elements.map((e) => [e.position, e.code]), [[3, '10']]);
  });

  it('segment level codes: 1 unrecognized, 3 missing, 5 too often, 6 not in set, 7 out of order', async () => {
    assert.equal((await segErrors('CUR*BY*USD', 'cur*BY*USD')).segmentErrors[0]?.code, '1');
    assert.equal((await segErrors('CUR*BY*USD', 'ZZZ*BY*USD')).segmentErrors[0]?.code, '6');
    assert.equal((await segErrors('CUR*BY*USD', 'BEG*00*SA*PO-2*20250301')).segmentErrors[0]?.code, '5');
    const noPo1 = PO.replace(/PO1\*[^~]*~\n/g, '').replace('SE*25', 'SE*22');
    const missing = firstSet(await validateX12(noPo1));
    assert.deepEqual(missing.segmentErrors.map((e) => [e.segmentId, e.code, e.position]), [['PO1', '3', 22]]);
    const order = firstSet(await validateX12(PO.replace(/BEG\*([^~]*)~\nCUR\*BY\*USD~/, 'CUR*BY*USD~\nBEG*$1~')));
    assert.deepEqual(order.segmentErrors.map((e) => [e.segmentId, e.code]), [['CUR', '7'], ['BEG', '7']]);
  });

  it('HL04 code list and repeated elements', async () => {
    const asn = fixture('asn-856.edi').replace('HL*1**S', 'HL*1**S*7');
    assert.equal(firstSet(await validateX12(asn)).segmentErrors[0]?.elements[0]?.code, '7');
  });

  it('sets with only segment errors may be accepted with errors', async () => {
    const set = await segErrors('BEG*00*SA*PO-2025-0042**20250301', 'BEG*00*SA***20250301', { acceptSetsWithSegmentErrors: true });
    assert.equal(set.status, 'E');
  });

  it('keeps at most maxSegmentErrorsPerSet segment errors', async () => {
    const text = PO.replace('CUR*BY*USD', Array.from({ length: 20 }, () => 'ZZZ*1').join('~\n')).replace('SE*25', 'SE*44');
    const set = firstSet(await validateX12(text, { maxSegmentErrorsPerSet: 5 }));
    assert.equal(set.segmentErrors.length, 5);
  });

  it('every error carries a position and a code', async () => {
    const report = await validateX12(fixture('truncated.edi'));
    for (const e of report.errors) {
      assert.match(e.code, /^TL_EDI_/);
      assert.equal(typeof e.position.index, 'number');
      assert.equal(typeof e.position.offset, 'number');
    }
  });
});
