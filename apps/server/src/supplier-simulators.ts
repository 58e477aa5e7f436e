import type { Logger } from 'pino';
import { createSupplierSimulator, type PresetName, type SupplierSimulator } from '@tradelane/connector-supplier-sim';
import type { DemoCustomer } from './demo-keys.js';

/**
 * Which demo suppliers (ERP address numbers) the in-process supplier simulator plays, and how. The others (5105,
 * 5106) are left for a person to play with curl.
 */
export const SIMULATED_SUPPLIERS: ReadonlyArray<{ accountNumber: string; preset: PresetName }> = [
  { accountNumber: '5101', preset: 'reliable' },
  { accountNumber: '5102', preset: 'tolerant-changer' },
  { accountNumber: '5103', preset: 'partial-shipper' },
  { accountNumber: '5104', preset: 'price-variance-invoicer' },
];

/** The demo suppliers the simulator plays, with their preset. */
export function simulatedSuppliers(suppliers: readonly DemoCustomer[]): Array<DemoCustomer & { preset: PresetName }> {
  return SIMULATED_SUPPLIERS.flatMap(({ accountNumber, preset }) => {
    const supplier = suppliers.find((s) => s.accountNumber === accountNumber);
    return supplier ? [{ ...supplier, preset }] : [];
  });
}

/**
 * Starts the supplier simulator against the hub's own supplier API for the demo suppliers in
 * {@link SIMULATED_SUPPLIERS}: they poll for purchase orders awaiting acknowledgment and answer them (acknowledgment,
 * ship notices, invoice) per their preset. Returns undefined when none of them has a key.
 * @example const sim = startSupplierSimulators(hubUrl, demo.suppliers, { pollIntervalMs: 2000, seed: 1, logger }); await sim?.stop();
 */
export function startSupplierSimulators(
  hubUrl: string,
  suppliers: readonly DemoCustomer[],
  options: { pollIntervalMs: number; seed: number; logger: Logger },
): SupplierSimulator | undefined {
  const played = simulatedSuppliers(suppliers);
  if (played.length === 0) return undefined;
  const sim = createSupplierSimulator({
    hubUrl,
    seed: options.seed,
    pollIntervalMs: options.pollIntervalMs,
    suppliers: played.map((s) => ({ supplierId: s.partnerId, apiKey: s.apiKey, preset: s.preset })),
  });
  sim.start();
  options.logger.child({ component: 'supplier-simulator' }).info({ suppliers: played.map((s) => `${s.accountNumber} ${s.preset}`) }, 'supplier simulator started');
  return sim;
}
