import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X12MappingError } from '../errors.js';
import type { X12TransactionSet } from '../codec/x12.types.js';
import { contextFor, fixtureSet, itemIds, supplierProfile } from './mapping-test.fixture.js';
import { x12846ToInventoryPositions } from './inventory-846.to-canonical.js';

const itemIdForSku = (sku: string) => itemIds.get(sku);

describe('846 → canonical', () => {
  it('reads one position per LIN with on hand, available and allocated', () => {
    const profile = { ...supplierProfile, crossReferences: { ...supplierProfile.crossReferences, locations: [{ partnerCode: 'ACME-DAL', locationId: 'SUP-ACME-DAL' }] } };
    const positions = x12846ToInventoryPositions(fixtureSet('inventory-846.edi'), contextFor(profile), { itemIdForSku });
    assert.deepEqual(
      positions.map((p) => [p.sku, p.itemId === itemIds.get(p.sku), p.locationId, p.unit, p.onHand, p.available, p.allocated, p.asOf]),
      [
        ['AC-1001', true, 'SUP-ACME-DAL', 'CS', '600', '540', '60', '2025-03-04T06:00:00Z'],
        ['AC-2040', true, 'SUP-ACME-DAL', 'EA', '0', '0', '0', '2025-03-04T06:00:00Z'],
        ['AC-0300', true, 'SUP-ACME-DAL', 'BX', '2300', '2300', '0', '2025-03-04T06:00:00Z'],
      ],
    );
  });

  it('needs an item id and a location of ours', () => {
    assert.throws(() => x12846ToInventoryPositions(fixtureSet('inventory-846.edi'), contextFor(supplierProfile)), (e: unknown) => e instanceof X12MappingError && e.element === 'LIN03' && e.position?.index === 6);
    const set = fixtureSet('inventory-846.edi');
    const noN1: X12TransactionSet = { ...set, segments: set.segments.filter((s) => s.tag !== 'N1') };
    assert.throws(() => x12846ToInventoryPositions(noN1, contextFor(supplierProfile), { itemIdForSku }), (e: unknown) => e instanceof X12MappingError && e.element === 'N104');
    assert.equal(x12846ToInventoryPositions(noN1, contextFor(supplierProfile), { itemIdForSku, locationId: 'SUP-1' })[0]?.locationId, 'SUP-1');
  });
});
