import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startErpSim } from './sim/erp-sim.server.js';

/**
 * Runs the reference ERP simulator alone:
 * `npx tsx connectors/erp-sim/src/main.ts --port 4101 --seed 1 [--host 127.0.0.1] [--release auto|manual] [--suppliers N] [--log]`.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4101' },
      seed: { type: 'string', default: '1' },
      host: { type: 'string', default: '127.0.0.1' },
      release: { type: 'string', default: 'auto' },
      suppliers: { type: 'string', default: '0' },
      log: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`--port must be 0-65535, got ${values.port}`);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
  const generatedSuppliers = Number(values.suppliers);
  if (!Number.isInteger(generatedSuppliers) || generatedSuppliers < 0) throw new RangeError(`--suppliers must be a whole number, got ${values.suppliers}`);
  if (values.release !== 'auto' && values.release !== 'manual') throw new RangeError(`--release must be auto or manual, got ${values.release}`);
  const sim = await startErpSim({ port, seed, host: values.host, releaseMode: values.release, generatedSuppliers, logger: values.log });
  console.log(`erp-sim listening on ${sim.url} (seed ${seed}, release ${values.release}); admin endpoints under ${sim.url}/admin`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
