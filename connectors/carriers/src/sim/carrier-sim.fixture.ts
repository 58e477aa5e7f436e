import type { CarrierSimHandle } from './carrier-sim.server.js';

/** Books a shipment on a running simulator through its own API; returns the tracking number and HTTP status. */
export async function bookSimShipment(sim: CarrierSimHandle, reference: string, who = 'Dock 4'): Promise<{ trackingNumber: string; status: number }> {
  if (sim.kind === 'parcelo') {
    const res = await fetch(`${sim.url}/v2/labels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        shipperReference: reference,
        shipTo: { name: 'Acme Hardware', attention: who, street1: '1 Main St', city: 'Springfield', state: 'IL', zip: '62701', country: 'US' },
        parcels: [{ reference: '006141410000000016', weightKg: 4.2 }],
      }),
    });
    const body = (await res.json()) as { trackingNumber: string };
    return { trackingNumber: body.trackingNumber, status: res.status };
  }
  const res = await fetch(`${sim.url}/api/v1/shipments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      customerReference: reference,
      consignee: { companyName: 'Acme Hardware', contactName: who, address1: '1 Main St', city: 'Springfield', stateProvince: 'IL', postalCode: '62701', countryCode: 'US' },
      handlingUnits: [{ sscc: '006141410000000016', weightLb: 120 }],
    }),
  });
  const body = (await res.json()) as { proNumber: string };
  return { trackingNumber: body.proNumber, status: res.status };
}

/** Calls the simulator's admin API. */
export async function simAdmin(sim: CarrierSimHandle, method: 'POST' | 'PUT' | 'GET', path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
}
