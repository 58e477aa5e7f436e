import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateSuppliers } from './generate-suppliers.js';
import { realClock, scaledClock, type SimClock } from './sim-clock.js';
import { parseSupplierSimInput, supplierSimConfigSchema, type SupplierConfig, type SupplierSimConfig } from './supplier-sim-config.schema.js';
import { createSupplierSimulator } from './supplier-simulator.js';

/** A standalone config read and resolved: listed plus generated suppliers, the hub URL and the clock. */
export interface LoadedSupplierSimConfig {
  config: SupplierSimConfig;
  hubUrl: string;
  suppliers: SupplierConfig[];
  clock: SimClock;
}

/**
 * Reads and validates a JSON config file; `hubUrl` (from `--hub`) wins over the file's. Throws an `InputError`
 * naming the bad field, or an `Error` when the file cannot be read or parsed.
 */
export async function loadSupplierSimConfig(path: string, hubUrl?: string): Promise<LoadedSupplierSimConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read supplier-sim config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (hubUrl !== undefined && typeof raw === 'object' && raw !== null) raw = { ...raw, hubUrl };
  const config = parseSupplierSimInput(supplierSimConfigSchema, raw, `supplier-sim config ${path}`);
  if (config.hubUrl === undefined) throw new Error(`supplier-sim config ${path}: hubUrl is missing (set it in the file or pass --hub)`);
  const suppliers = [...config.suppliers, ...(config.generate ? generateSuppliers(config.generate) : [])];
  const clock = config.timeScale === 1 ? realClock : scaledClock({ scale: config.timeScale });
  return { config, hubUrl: config.hubUrl, suppliers, clock };
}

/**
 * Runs the supplier simulator alone until SIGINT/SIGTERM, printing its stats as one JSON line every `--report-ms`:
 * `npx tsx connectors/supplier-sim/src/main.ts --config suppliers.json [--hub http://127.0.0.1:3000] [--report-ms 10000]`.
 * `npm start -w @tradelane/connector-supplier-sim` passes `TRADELANE_SUPPLIER_SIM_CONFIG` and `TRADELANE_SUPPLIER_SIM_HUB_URL`.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      hub: { type: 'string' },
      'report-ms': { type: 'string', default: '10000' },
      'until-idle': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.config) throw new Error('usage: main.ts --config <file.json> [--hub <url>] [--report-ms N] [--until-idle]');
  const reportMs = Number(values['report-ms']);
  if (!Number.isInteger(reportMs) || reportMs < 0) throw new RangeError(`--report-ms must be an integer ≥ 0, got ${values['report-ms']}`);
  const { config, hubUrl, suppliers, clock } = await loadSupplierSimConfig(values.config, values.hub);
  const sim = createSupplierSimulator({
    hubUrl,
    suppliers: suppliers.map((s) => ({ supplierId: s.supplierId, apiKey: s.apiKey, preset: s.preset, behaviour: s.behaviour })),
    seed: config.seed,
    pollIntervalMs: config.pollIntervalMs,
    concurrency: config.concurrency,
    pageSize: config.pageSize,
    requestTimeoutMs: config.requestTimeoutMs,
    retry: config.retry,
    clock,
  });
  process.stdout.write(`${JSON.stringify({ service: 'supplier-sim', hubUrl, suppliers: suppliers.length, seed: config.seed })}\n`);
  const report = () => process.stdout.write(`${JSON.stringify({ stats: sim.stats() })}\n`);
  const timer = reportMs > 0 ? setInterval(report, reportMs) : undefined;
  const finish = () => {
    if (timer) clearInterval(timer);
    void sim.stop().then(() => {
      report();
      process.exit(0);
    });
  };
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  if (values['until-idle']) {
    await sim.runUntilIdle({ timeoutMs: 2_147_000_000 });
    finish();
  } else {
    sim.start();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
