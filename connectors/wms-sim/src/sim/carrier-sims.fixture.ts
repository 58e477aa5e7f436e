import type { ConnectorDefinition } from '@tradelane/connector-kit';

/** The part of a running carrier simulator the WMS tests drive. */
export interface CarrierSimForTests {
  readonly scac: string;
  readonly url: string;
  advance(trackingNumber?: string, options?: { toEnd?: boolean }): Array<{ trackingNumber: string; code: string }>;
  setScenario(trackingNumberOrReference: string, scenario: 'normal' | 'address_issue' | 'delivery_attempted' | 'return_to_sender'): void;
  shipments(): Array<{ trackingNumber: string; reference: string; code: string; final: boolean }>;
  goOffline(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What the WMS tests use from the carriers package. */
export interface CarriersForTests {
  startCarrierSim(options: { kind: 'parcelo' | 'freightlink'; port: number; seed: number }): Promise<CarrierSimForTests>;
  parceloConnector: ConnectorDefinition<unknown, 'carrierTracking'>;
  freightLinkConnector: ConnectorDefinition<unknown, 'carrierTracking'>;
}

/**
 * Loads the carriers package by file path, for end-to-end tests only: the WMS simulator itself talks to carriers over
 * HTTP through configured URLs and its build never depends on that package.
 */
export async function loadCarriers(): Promise<CarriersForTests> {
  const entry = new URL('../../../carriers/src/index.ts', import.meta.url).href;
  return (await import(entry)) as CarriersForTests;
}

/** Starts both carrier simulators; `close` stops them. */
export async function startCarrierSims(seed = 5): Promise<{ carriers: CarriersForTests; parcelo: CarrierSimForTests; freightLink: CarrierSimForTests; close(): Promise<void> }> {
  const carriers = await loadCarriers();
  const [parcelo, freightLink] = await Promise.all([
    carriers.startCarrierSim({ kind: 'parcelo', port: 0, seed }),
    carriers.startCarrierSim({ kind: 'freightlink', port: 0, seed }),
  ]);
  return { carriers, parcelo, freightLink, close: async () => void (await Promise.all([parcelo.close(), freightLink.close()])) };
}
