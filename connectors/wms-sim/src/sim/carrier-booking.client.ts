import type { WmsShipTo } from '../codec/wms-api.codec.js';

/** What the WMS sends a carrier to book one shipment (its LPNs). */
export interface CarrierBookingRequest {
  scac: string;
  service?: string | undefined;
  /** The WMS shipment number: carriers are idempotent on it, so a retried manifest gets the same tracking number. */
  shipmentNo: string;
  shipTo: WmsShipTo;
  lpns: Array<{ sscc: string; weightKg: number }>;
}

/** A carrier's answer to a booking. */
export interface CarrierBooking {
  trackingNo: string;
  carrierName: string;
  serviceCode: string;
}

/** A failed carrier booking, with what the carrier said. */
export class CarrierBookingError extends Error {
  constructor(
    readonly scac: string,
    message: string,
  ) {
    super(message);
    this.name = 'CarrierBookingError';
  }
}

/** Carriers the WMS has a shipping integration for, and their display names. */
export const supportedCarriers: Readonly<Record<string, string>> = { PRCL: 'Parcelo', FRLK: 'FreightLink' };

async function postJson(url: string, body: unknown, timeoutMs: number, scac: string): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string }; name?: string }).cause?.code ?? (err as Error).name;
    throw new CarrierBookingError(scac, `carrier ${scac} unreachable (${cause})`);
  }
  const text = await res.text();
  if (!res.ok) throw new CarrierBookingError(scac, `carrier ${scac} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Books a shipment with a carrier over HTTP, in that carrier's own API format. */
export async function bookWithCarrier(baseUrl: string, req: CarrierBookingRequest, timeoutMs = 5000): Promise<CarrierBooking> {
  const base = baseUrl.replace(/\/+$/, '');
  const to = req.shipTo;
  if (req.scac === 'PRCL') {
    const serviceCode = /exp|air|next/i.test(req.service ?? '') ? 'EXP' : 'GRD';
    const body = await postJson(
      `${base}/v2/labels`,
      {
        shipperReference: req.shipmentNo,
        serviceCode,
        shipTo: { name: to.name, attention: to.attn, street1: to.addr1, street2: to.addr2, city: to.city, state: to.state, zip: to.postal, country: to.ctry },
        parcels: req.lpns.map((l) => ({ reference: l.sscc, weightKg: l.weightKg })),
      },
      timeoutMs,
      req.scac,
    );
    if (typeof body.trackingNumber !== 'string') throw new CarrierBookingError(req.scac, 'Parcelo label answer has no trackingNumber');
    return { trackingNo: body.trackingNumber, carrierName: supportedCarriers.PRCL ?? 'Parcelo', serviceCode };
  }
  if (req.scac === 'FRLK') {
    const serviceLevel = /guar/i.test(req.service ?? '') ? 'GUARANTEED' : 'STANDARD';
    const body = await postJson(
      `${base}/api/v1/shipments`,
      {
        customerReference: req.shipmentNo,
        serviceLevel,
        consignee: { companyName: to.name, contactName: to.attn, address1: to.addr1, address2: to.addr2, city: to.city, stateProvince: to.state, postalCode: to.postal, countryCode: to.ctry },
        handlingUnits: req.lpns.map((l) => ({ sscc: l.sscc, weightLb: Math.round(l.weightKg * 2.20462 * 10) / 10 })),
      },
      timeoutMs,
      req.scac,
    );
    if (typeof body.proNumber !== 'string') throw new CarrierBookingError(req.scac, 'FreightLink booking answer has no proNumber');
    return { trackingNo: body.proNumber, carrierName: supportedCarriers.FRLK ?? 'FreightLink', serviceCode: serviceLevel };
  }
  throw new CarrierBookingError(req.scac, `no shipping integration for carrier ${req.scac}`);
}
