import type { AsnSubmission } from '@tradelane/core';
import { hashString, type SeededRandom } from '../seeded-random.js';
import type { SupplierBehaviour } from '../supplier-sim-config.schema.js';
import type { CommittedLine } from './acknowledgment.plan.js';
import { addDays, decimalsOf, formatDecimal, maxDate, minDate, parseDecimal } from './decimal.js';

/** One ship notice to send, `delayMs` simulated ms after the previous step. */
export interface PlannedAsn {
  delayMs: number;
  submission: AsnSubmission;
}

function draw(random: SeededRandom, range: { min: number; max: number }): number {
  return random.int(range.min, range.max);
}

/**
 * Plans the ship notices of one order: none, one (full or late) or two (a share of each line, then the remainder).
 * Dates come from the committed due dates (ship `transitDays` before, late shippers `lateDays` after), never from
 * the clock, so the same seed writes the same documents.
 */
export function planShipments(poNumber: string, committed: readonly CommittedLine[], ship: SupplierBehaviour['ship'], random: SeededRandom): PlannedAsn[] {
  const lines = committed.filter((l) => parseDecimal(l.quantity) > 0);
  if (ship.mode === 'none' || lines.length === 0) return [];
  const earliest = lines.map((l) => l.dueDate).reduce(minDate);
  const latest = lines.map((l) => l.dueDate).reduce(maxDate);
  const onTimeShip = addDays(earliest, -ship.transitDays);
  const asn = (n: number, shipDate: string, asnLines: CommittedLine[], delayMs: number): PlannedAsn => {
    const asnNumber = `ASN-${poNumber}-${n}`;
    return {
      delayMs,
      submission: {
        asnNumber,
        shipDate,
        expectedDeliveryDate: addDays(shipDate, ship.transitDays),
        carrierCode: ship.carrierCode,
        trackingNumber: `${ship.carrierCode}${String(hashString(asnNumber)).padStart(10, '0')}`,
        lines: asnLines.map((l) => ({ poNumber, lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit })),
      },
    };
  };
  const firstDelay = draw(random, ship.delayMs);
  if (ship.mode === 'late') return [asn(1, addDays(latest, ship.lateDays), lines, firstDelay)];
  if (ship.mode === 'full') return [asn(1, onTimeShip, lines, firstDelay)];
  const first: CommittedLine[] = [];
  const rest: CommittedLine[] = [];
  for (const l of lines) {
    const q = parseDecimal(l.quantity);
    const d = decimalsOf(l.quantity);
    const part = Math.floor(q * ship.partialFraction);
    if (part > 0) first.push({ ...l, quantity: formatDecimal(part, d) });
    if (q - part > 0) rest.push({ ...l, quantity: formatDecimal(q - part, d) });
  }
  if (first.length === 0 || rest.length === 0) return [asn(1, onTimeShip, lines, firstDelay)];
  return [asn(1, onTimeShip, first, firstDelay), asn(2, addDays(onTimeShip, ship.remainderAfterDays), rest, draw(random, ship.remainderDelayMs))];
}
