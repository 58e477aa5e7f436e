import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { carrierScenarios, type CarrierScenario } from './sim/journey.engine.js';
import { carrierSimKinds, startCarrierSim, type CarrierSimKind } from './sim/carrier-sim.server.js';

/** Reads the command line of the carrier simulator; throws a usage message on bad input. */
export function parseCarrierSimArgs(argv: string[]): { kind: CarrierSimKind; port: number; host: string; seed: number; scenarios: Record<string, CarrierScenario> } {
  const parse = () =>
    parseArgs({
      args: argv,
      options: {
        carrier: { type: 'string' },
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: '1' },
        scenario: { type: 'string', multiple: true, default: [] },
      },
      strict: true,
    });
  const usage = 'usage: main.ts --carrier parcelo|freightlink [--port N] [--host H] [--seed N] [--scenario REF_OR_TRACKING=address_issue|delivery_attempted|return_to_sender]...';
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse());
  } catch (err) {
    throw new Error(`${usage}\n${err instanceof Error ? err.message : String(err)}`);
  }
  const kind = values.carrier as CarrierSimKind;
  if (!carrierSimKinds.includes(kind)) throw new Error(usage);
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(seed)) throw new Error(usage);
  const scenarios: Record<string, CarrierScenario> = {};
  for (const s of values.scenario) {
    const [key, scenario] = s.split('=');
    if (!key || !carrierScenarios.includes(scenario as CarrierScenario)) throw new Error(usage);
    scenarios[key] = scenario as CarrierScenario;
  }
  return { kind, port, host: values.host, seed, scenarios };
}

async function run(): Promise<void> {
  const args = parseCarrierSimArgs(process.argv.slice(2));
  const sim = await startCarrierSim(args);
  process.stdout.write(`${JSON.stringify({ carrier: sim.kind, scac: sim.scac, url: sim.url })}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
