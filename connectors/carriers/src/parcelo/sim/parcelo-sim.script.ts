import { gs1CheckDigit } from '@tradelane/canonical';
import type { CarrierScript, PlannedStep } from '../../sim/journey.engine.js';
import { pick, randomInt, type SeededRandom } from '../../shared/seeded-random.js';
import type { ParceloLabelRequest, ParceloScan } from '../codec/parcelo.codec.js';

/** A Parcelo scan before the simulator numbers it. */
export type ParceloSimScan = Omit<ParceloScan, 'scanId'>;

interface Hub {
  city: string;
  state: string;
  zip: string;
  country: string;
  /** Fixed standard offset of the hub (the simulator ignores daylight saving time). */
  offset: string;
}

const HUBS: readonly [Hub, ...Hub[]] = [
  { city: 'Chicago', state: 'IL', zip: '60607', country: 'US', offset: '-06:00' },
  { city: 'Newark', state: 'NJ', zip: '07114', country: 'US', offset: '-05:00' },
  { city: 'Memphis', state: 'TN', zip: '38118', country: 'US', offset: '-06:00' },
  { city: 'Denver', state: 'CO', zip: '80239', country: 'US', offset: '-07:00' },
  { city: 'Ontario', state: 'CA', zip: '91761', country: 'US', offset: '-08:00' },
];

const STATE_OFFSETS: Record<string, string> = {
  CA: '-08:00', WA: '-08:00', OR: '-08:00', NV: '-08:00', BC: '-08:00',
  CO: '-07:00', AZ: '-07:00', UT: '-07:00', NM: '-07:00', AB: '-07:00',
  IL: '-06:00', TX: '-06:00', TN: '-06:00', MN: '-06:00', WI: '-06:00', MO: '-06:00',
};

/** Parcelo's exception reason codes as the simulator uses them. */
export const parceloSimReasons = { addressIssue: 'ADR', notAvailable: 'NA', refused: 'REF' } as const;

/** Renders an instant as Parcelo local time for a given offset. */
export function toParceloLocal(at: Date, offset: string): { localTime: string; utcOffset: string } {
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return { localTime: new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19), utcOffset: offset };
}

function hubLocation(h: Hub) {
  return { city: h.city, state: h.state, zip: h.zip, country: h.country };
}

/** The Parcelo simulator's numbering, journeys and raw events. */
export const parceloSimScript: CarrierScript<ParceloLabelRequest, ParceloSimScan> = {
  newTrackingNumber(random: SeededRandom) {
    const body = String(randomInt(random, 1e9)).padStart(9, '0');
    return `PR${body}${gs1CheckDigit(body)}`;
  },
  plan(scenario, trackingNumber, request, random) {
    const origin = pick(random, HUBS);
    const others = HUBS.filter((h) => h !== origin);
    const middle = others[randomInt(random, others.length)] ?? origin;
    const dest = request.shipTo;
    const destOffset = STATE_OFFSETS[dest.state ?? ''] ?? '-05:00';
    const destLocation = { city: dest.city, country: dest.country, ...(dest.state ? { state: dest.state } : {}), ...(dest.zip ? { zip: dest.zip } : {}) };
    const eta = (at: Date) => toParceloLocal(new Date(at.getTime() + 2 * 86_400_000), destOffset).localTime.slice(0, 10);
    const at = (where: Hub | 'dest', code: string, text: string, extra: Partial<ParceloSimScan> = {}): PlannedStep<ParceloSimScan> => ({
      code,
      build: (when) => ({
        code,
        text,
        ...toParceloLocal(when, where === 'dest' ? destOffset : where.offset),
        location: where === 'dest' ? destLocation : hubLocation(where),
        ...(['LC', 'PU', 'IT'].includes(code) ? { etaLocalDate: eta(when), etaUtcOffset: destOffset } : {}),
        ...extra,
      }),
    });
    const signer = (request.shipTo.attention ?? 'RECEIVING DOCK').toUpperCase();
    const delivered = at('dest', 'DL', 'Delivered, signed for', {
      signature: { signedBy: signer, imageUrl: `https://pod.parcelo.example/${trackingNumber}.png` },
    });
    const outForDelivery = at('dest', 'OD', 'Out for delivery');
    const steps: Array<PlannedStep<ParceloSimScan>> = [
      at(origin, 'LC', 'Shipping label created'),
      at(origin, 'PU', 'Picked up'),
      at(origin, 'IT', 'Departed Parcelo hub'),
      at(middle, 'IT', 'Arrived at Parcelo hub'),
      outForDelivery,
    ];
    switch (scenario) {
      case 'address_issue':
        return [...steps, at('dest', 'EX', 'Address incomplete, contacting recipient', { reason: parceloSimReasons.addressIssue }), outForDelivery, delivered];
      case 'delivery_attempted':
        return [...steps, at('dest', 'EX', 'Recipient not available, will try again', { reason: parceloSimReasons.notAvailable }), outForDelivery, delivered];
      case 'return_to_sender':
        return [...steps, at('dest', 'EX', 'Refused by recipient', { reason: parceloSimReasons.refused }), at(origin, 'RS', 'Returned to shipper', { reason: parceloSimReasons.refused })];
      default:
        return [...steps, delivered];
    }
  },
  raw(code, detail, when) {
    return { code, text: detail ?? `status ${code}`, ...toParceloLocal(when, '+00:00') };
  },
};
