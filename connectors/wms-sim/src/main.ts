import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startWmsSim, type WmsSimOptions } from './sim/wms-sim.server.js';

/** Reads the command line of the WMS simulator; throws a usage message on bad input. */
export function parseWmsSimArgs(argv: string[]): WmsSimOptions {
  const usage =
    'usage: main.ts [--port N] [--host H] [--seed N] --carrier PRCL=http://host:port [--carrier FRLK=http://host:port] [--auto-ms N] [--short SKU=N]... [--max-lines-per-shipment N] [--inbound-receive-ms N]';
  const parse = () =>
    parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: '1' },
        carrier: { type: 'string', multiple: true, default: [] },
        'auto-ms': { type: 'string', default: '0' },
        short: { type: 'string', multiple: true, default: [] },
        'max-lines-per-shipment': { type: 'string', default: '0' },
        'inbound-receive-ms': { type: 'string', default: '0' },
      },
      strict: true,
    });
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse());
  } catch (err) {
    throw new Error(`${usage}\n${err instanceof Error ? err.message : String(err)}`);
  }
  const int = (v: string) => {
    if (!/^\d+$/.test(v)) throw new Error(usage);
    return Number(v);
  };
  const carrierUrls: Record<string, string> = {};
  for (const c of values.carrier) {
    const m = /^([A-Z0-9]{2,4})=(https?:\/\/.+)$/.exec(c);
    if (!m) throw new Error(usage);
    carrierUrls[m[1]!] = m[2]!;
  }
  const shortPicks: Record<string, number> = {};
  for (const s of values.short) {
    const [sku, n] = s.split('=');
    if (!sku || n === undefined) throw new Error(usage);
    shortPicks[sku] = int(n);
  }
  const port = int(values.port);
  if (port > 65535) throw new Error(usage);
  return {
    port,
    host: values.host,
    seed: int(values.seed),
    carrierUrls,
    autoAdvanceMs: int(values['auto-ms']),
    shortPicks,
    maxLinesPerShipment: int(values['max-lines-per-shipment']),
    inboundReceiveMs: int(values['inbound-receive-ms']),
  };
}

async function run(): Promise<void> {
  const wms = await startWmsSim(parseWmsSimArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ service: 'wms-sim', url: wms.url })}\n`);
  const stop = () => void wms.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  });
}
