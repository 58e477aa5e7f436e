import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtInCodeLists, parseSyntaxNote, segmentRules } from './segment.dictionary.js';
import { checkSegment, isValidDate, isValidTime, type X12ElementCheckContext } from './segment.validator.js';

const ctx: X12ElementCheckContext = { codeLists: builtInCodeLists, modernCodes: true, shortDates: false };
const old: X12ElementCheckContext = { ...ctx, modernCodes: false };
const codes = (tag: string, elements: Parameters<typeof checkSegment>[0]['elements'], c = ctx) =>
  checkSegment({ tag, elements }, segmentRules[tag]!, c).map((e) => [e.position, e.component ?? 0, e.code]);

describe('element checks', () => {
  it('dates and times', () => {
    assert.equal(isValidDate('20240229'), true);
    assert.equal(isValidDate('20230229'), false);
    assert.equal(isValidDate('19000229'), false);
    assert.equal(isValidDate('250301'), true);
    assert.equal(isValidDate('2025031'), false);
    assert.equal(isValidTime('2359'), true);
    assert.equal(isValidTime('235960'), false);
    assert.equal(isValidTime('12304599'), true);
    assert.equal(isValidTime('2400'), false);
  });

  it('a clean segment has no errors', () => {
    assert.deepEqual(codes('BEG', ['00', 'SA', 'PO-1', '', '20250301']), []);
    assert.deepEqual(codes('PO1', ['1', '24', 'CA', '18.50', '', 'BP', 'X']), []);
  });

  it('mandatory, too short, too long, invalid characters', () => {
    assert.deepEqual(codes('BEG', ['00', 'SA']), [[3, 0, '1'], [5, 0, '1']]);
    assert.deepEqual(codes('BEG', ['0', 'SA', 'X', '', '20250301']), [[1, 0, '4']]);
    assert.deepEqual(codes('REF', ['ZZ', 'x'.repeat(81)]), [[2, 0, '5']]);
    assert.deepEqual(codes('PO1', ['1', '1,5', 'EA']), [[2, 0, '6']]);
    assert.deepEqual(codes('TDS', ['12.34']), [[1, 0, '6']], 'N2 has implied decimals: no point');
    assert.deepEqual(codes('N1', ['ST', 'A\u0007B']), [[2, 0, '6']]);
  });

  it('numeric lengths count digits only', () => {
    assert.deepEqual(codes('CTT', ['-123456']), []);
    assert.deepEqual(codes('AMT', ['TT', '-1234567890.12']), []);
  });

  it('code lists: built in and given', () => {
    assert.deepEqual(codes('HL', ['1', '', 'S', '2']), [[4, 0, '7']]);
    assert.deepEqual(codes('BEG', ['00', 'ZZ', 'PO-1', '', '20250301'], { ...ctx, codeLists: { BEG02: ['SA'] } }), [[2, 0, '7']]);
  });

  it('composites, components and repetitions', () => {
    assert.deepEqual(codes('QTY', ['33', '5', ['CA', '12', '1']]), []);
    assert.deepEqual(codes('QTY', ['33', '5', ['', '12']]), [[3, 1, '1']]);
    assert.deepEqual(codes('QTY', ['33', '5', ['CA', '1', '1', 'X']]), [[3, 4, '13']]);
    assert.deepEqual(codes('N1', ['ST', ['A', 'B']]), [[2, 0, '13']]);
    assert.deepEqual(codes('N1', ['ST', ['A', 'B']], old), [[2, 0, '6']]);
    assert.deepEqual(codes('N1', ['ST', { repeats: ['A', 'B'] }]), [[2, 0, '12']]);
  });

  it('syntax notes: P, R, E, C, L', () => {
    assert.deepEqual(parseSyntaxNote('P0304'), { kind: 'P', positions: [3, 4] });
    assert.deepEqual(parseSyntaxNote('L010203'), { kind: 'L', positions: [1, 2, 3] });
    assert.deepEqual(codes('N1', ['ST', 'X', '92']), [[4, 0, '2']], 'P0304');
    assert.deepEqual(codes('N1', ['ST']), [[2, 0, '2']], 'R0203');
    assert.deepEqual(codes('QTY', ['33', '5', '', 'free']), [[4, 0, '10']], 'E0204');
    assert.deepEqual(codes('DTM', ['002', '20250301', '', '', '', '']), []);
    assert.deepEqual(codes('DTM', ['002', '', '', 'CT']), [[2, 0, '2'], [3, 0, '2']], 'R020305 and C0403');
  });
});
