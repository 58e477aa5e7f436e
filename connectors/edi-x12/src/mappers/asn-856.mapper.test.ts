import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12MappingError } from '../errors.js';
import { InMemoryControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { createInterchange } from '../codec/writer/envelope.builder.js';
import { writeX12 } from '../codec/writer/x12.writer.js';
import { validateX12 } from '../codec/validate/envelope.validator.js';
import { parseX12 } from '../codec/x12.reader.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { contextFor, fixedNow, fixtureSet, supplierId, supplierProfile } from './mapping-test.fixture.js';
import { envelopeSettingsFor } from './partner-profile.schema.js';
import { advanceShipNoticeTo856 } from './asn-856.from-canonical.js';
import { x12856ToAdvanceShipNotice } from './asn-856.to-canonical.js';

function edit(set: X12TransactionSet, f: (tag: string, els: string[], i: number) => string[] | undefined): X12TransactionSet {
  return { ...set, segments: set.segments.flatMap((s, i) => { const e = f(s.tag, s.elements as string[], i); return e === undefined ? [s] : e.length === 0 ? [] : [{ ...s, elements: e }]; }) };
}

describe('856 → canonical', () => {
  it('rebuilds shipment → order → packs (SSCC-18) → items', () => {
    const asn = x12856ToAdvanceShipNotice(fixtureSet('asn-856.edi'), contextFor(supplierProfile));
    assert.equal(asn.asnNumber, 'SH-778120');
    assert.equal(asn.supplierId, supplierId);
    assert.equal(asn.purpose, 'original');
    assert.equal(asn.shippedAt, '2025-03-05T14:00:00Z');
    assert.equal(asn.expectedDeliveryDate, '2025-03-07');
    assert.deepEqual(asn.carrier, { code: 'FXFE', name: 'FedEx Freight' });
    assert.equal(asn.billOfLading, 'BOL-4471902');
    assert.equal(asn.proNumber, '884120377');
    assert.deepEqual(asn.grossWeight, { value: '38.6', unit: 'LB' });
    assert.equal(asn.shipToLocationId, 'AUS1');
    assert.equal(asn.shipFrom.name, 'ACME Supply Co');
    assert.equal(asn.orders.length, 1);
    assert.equal(asn.orders[0]?.poNumber, 'PO-2025-0042');
    assert.deepEqual(
      asn.orders[0]?.packs.map((p) => [p.sscc, p.packaging, p.items.map((i) => [i.lineNumber, i.sku, i.supplierPartNumber, i.quantity, i.unit])]),
      [
        ['006141411234567890', 'carton', [[1, 'AC-1001', 'ACM-1001-CS', '24', 'CS']]],
        ['006141411234567906', 'carton', [[2, 'AC-2040', 'ACM-2040', '6', 'EA'], [3, 'AC-0300', 'ACM-0300-BX', '120', 'BX']]],
      ],
    );
  });

  it('nests cartons on a pallet (HL T) and reads SN101 line numbers when configured', () => {
    const set = edit(fixtureSet('asn-856.edi'), (tag, els) => {
      if (tag === 'HL' && els[0] === '3') return ['3', '2', 'T'];
      if (tag === 'HL' && els[0] === '5') return ['5', '3', 'P'];
      if (tag === 'LIN') return ['', ...els.slice(1)];
      return undefined;
    });
    const profile = { ...supplierProfile, elements: { ...supplierProfile.elements, asnLineNumber: 'SN101' as const } };
    const asn = x12856ToAdvanceShipNotice(set, contextFor(profile));
    const packs = asn.orders[0]!.packs;
    assert.equal(packs[0]?.packaging, 'pallet');
    assert.equal(packs[1]?.parentSscc, packs[0]?.sscc);
    assert.deepEqual(packs[1]?.items.map((i) => i.lineNumber), [2, 3]);
  });

  it('names the segment when an SSCC is wrong, a pack has no label or an item sits outside a pack', () => {
    const badCheck = edit(fixtureSet('asn-856.edi'), (tag, els) => (tag === 'MAN' && els[1]?.endsWith('890') ? ['GM', '00006141411234567891'] : undefined));
    assert.throws(() => x12856ToAdvanceShipNotice(badCheck, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'MAN02' && e.position?.index === 20 && /check digit/.test(e.message));
    const noMan = edit(fixtureSet('asn-856.edi'), (tag, els) => (tag === 'MAN' && els[1]?.endsWith('890') ? [] : undefined));
    assert.throws(() => x12856ToAdvanceShipNotice(noMan, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.segment === 'HL' && /MAN\*GM/.test(e.message));
    const orphan = edit(fixtureSet('asn-856.edi'), (tag, els) => (tag === 'HL' && els[0] === '4' ? ['4', '2', 'I'] : undefined));
    assert.throws(() => x12856ToAdvanceShipNotice(orphan, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'HL02' && /not inside a pack/.test(e.message));
    const badParent = edit(fixtureSet('asn-856.edi'), (tag, els) => (tag === 'HL' && els[0] === '4' ? ['4', '9', 'I'] : undefined));
    assert.throws(() => x12856ToAdvanceShipNotice(badParent, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'HL02');
    const noCarrier = edit(fixtureSet('asn-856.edi'), (tag) => (tag === 'TD5' ? [] : undefined));
    assert.throws(() => x12856ToAdvanceShipNotice(noCarrier, contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'TD503');
    const profile = { ...supplierProfile, defaults: { ...supplierProfile.defaults, carrierCode: 'ODFL' } };
    assert.equal(x12856ToAdvanceShipNotice(noCarrier, contextFor(profile)).carrier.code, 'ODFL');
  });
});

describe('canonical → 856', () => {
  it('writes an 856 that validates and maps back to the same ship notice', async () => {
    const set0 = edit(fixtureSet('asn-856.edi'), (tag, els) => (tag === 'HL' && els[0] === '3' ? ['3', '2', 'T'] : tag === 'HL' && els[0] === '5' ? ['5', '3', 'P'] : undefined));
    const asn = x12856ToAdvanceShipNotice(set0, contextFor(supplierProfile));
    const set = advanceShipNoticeTo856(asn, supplierProfile);
    const ic = await createInterchange(envelopeSettingsFor(supplierProfile, { asPartner: true }), [{ functionalId: 'SH', sets: [set] }], { sequence: new InMemoryControlNumberSequence(), now: () => fixedNow });
    const text = writeX12(ic, { lineEnding: '\n' });
    assert.deepEqual((await validateX12(text)).errors, []);
    const back = x12856ToAdvanceShipNotice(parseX12(text).interchanges[0]!.groups[0]!.sets[0]!, contextFor(supplierProfile));
    const strip = ({ id: _i, ...rest }: typeof asn) => rest;
    assert.deepEqual(strip(back), strip(asn));
  });
});
