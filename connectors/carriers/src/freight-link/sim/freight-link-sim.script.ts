import type { CarrierScript, PlannedStep } from '../../sim/journey.engine.js';
import { pick, randomInt, type SeededRandom } from '../../shared/seeded-random.js';
import type { FreightLinkEvent, FreightLinkShipmentRequest } from '../codec/freight-link.codec.js';

/** A FreightLink history entry before the simulator numbers it. */
export type FreightLinkSimEvent = Omit<FreightLinkEvent, 'eventId'>;

interface Terminal {
  code: string;
  city: string;
  stateProvince: string;
  countryCode: string;
}

const TERMINALS: readonly [Terminal, ...Terminal[]] = [
  { code: 'CHI', city: 'Chicago', stateProvince: 'IL', countryCode: 'US' },
  { code: 'ATL', city: 'Atlanta', stateProvince: 'GA', countryCode: 'US' },
  { code: 'DAL', city: 'Dallas', stateProvince: 'TX', countryCode: 'US' },
  { code: 'LAX', city: 'Los Angeles', stateProvince: 'CA', countryCode: 'US' },
  { code: 'NJE', city: 'Elizabeth', stateProvince: 'NJ', countryCode: 'US' },
];

/** FreightLink's delivery-attempt reason codes as the simulator uses them. */
export const freightLinkSimReasons = {
  addressIssue: 'ADDRESS_INCORRECT',
  notAvailable: 'CONSIGNEE_UNAVAILABLE',
  refused: 'REFUSED_BY_CONSIGNEE',
} as const;

/** States and provinces each terminal delivers to (others are served by a terminal chosen from the seed). */
const SERVICE_AREAS: Record<string, readonly string[]> = {
  CHI: ['IL', 'WI', 'IN', 'MI', 'MN', 'IA', 'MO'],
  ATL: ['GA', 'FL', 'AL', 'SC', 'NC', 'TN'],
  DAL: ['TX', 'OK', 'LA', 'AR', 'NM'],
  LAX: ['CA', 'NV', 'AZ', 'OR', 'WA', 'UT'],
  NJE: ['NJ', 'NY', 'PA', 'CT', 'MA', 'MD', 'DE', 'VA'],
};

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

/** The PRO number check digit FreightLink uses: the nine-digit base modulo 7. */
export function proCheckDigit(base: string): number {
  return Number(BigInt(base) % 7n);
}

/** The FreightLink simulator's numbering, journeys and raw events. */
export const freightLinkSimScript: CarrierScript<FreightLinkShipmentRequest, FreightLinkSimEvent> = {
  newTrackingNumber(random: SeededRandom) {
    const base = String(100_000_000 + randomInt(random, 900_000_000));
    return `${base}${proCheckDigit(base)}`;
  },
  plan(scenario, proNumber, request, random) {
    const to = request.consignee;
    const dest = TERMINALS.find((t) => t.countryCode === to.countryCode && SERVICE_AREAS[t.code]?.includes(to.stateProvince ?? '')) ?? pick(random, TERMINALS);
    const others = TERMINALS.filter((t) => t !== dest);
    const origin = others[randomInt(random, others.length)] ?? dest;
    const door = { code: dest.code, city: to.city, countryCode: to.countryCode, ...(to.stateProvince ? { stateProvince: to.stateProvince } : {}) };
    const imageId = `IMG${String(randomInt(random, 1e8)).padStart(8, '0')}`;
    const step = (status: string, statusDetail: string, where: Terminal | typeof door | undefined, extra: (at: Date) => Partial<FreightLinkSimEvent> = () => ({})): PlannedStep<FreightLinkSimEvent> => ({
      code: status,
      build: (at) => ({ status, statusDetail, eventTimeEpoch: epoch(at), ...(where ? { facility: { ...where } } : {}), ...extra(at) }),
    });
    const eta = (at: Date) => ({ estimatedDeliveryEpoch: epoch(at) + 3 * 86_400 });
    const onVehicle = step('ON_VEHICLE_FOR_DELIVERY', 'Loaded on vehicle for delivery', dest);
    const attempt = (reasonCode: string, note: string) => step('DELIVERY_ATTEMPTED', 'Delivery attempted', door, () => ({ attempt: { reasonCode, note } }));
    const delivered = step('DELIVERED', 'Delivered', door, (at) => ({
      pod: { receiverName: request.consignee.contactName ?? request.consignee.companyName, podImageId: `${imageId}-${proNumber}`, signedEpoch: epoch(at) },
    }));
    const steps = [
      step('SHIPMENT_CREATED', 'Bill of lading received', origin, eta),
      step('DEPARTED_FACILITY', `Departed ${origin.code} terminal`, origin, eta),
      step('ARRIVED_AT_FACILITY', `Arrived at ${dest.code} terminal`, dest, eta),
      onVehicle,
    ];
    switch (scenario) {
      case 'address_issue':
        return [...steps, attempt(freightLinkSimReasons.addressIssue, 'Street number not found'), onVehicle, delivered];
      case 'delivery_attempted':
        return [...steps, attempt(freightLinkSimReasons.notAvailable, 'Dock closed on arrival'), onVehicle, delivered];
      case 'return_to_sender':
        return [
          ...steps,
          attempt(freightLinkSimReasons.refused, 'Consignee refused freight'),
          step('RETURNED', 'Returned to shipper', origin, () => ({ returnReason: 'Refused by consignee' })),
        ];
      default:
        return [...steps, delivered];
    }
  },
  raw(code, detail, at) {
    return { status: code, statusDetail: detail ?? code, eventTimeEpoch: epoch(at) };
  },
};
