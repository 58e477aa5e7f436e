/**
 * `npm run start:tryton`: starts a seeded Tryton (Debian's trytond) with its database in `./.tradelane/tryton`
 * (created from the seeded copy on first start, kept afterwards), then the hub pointed at it as its ERP, with the
 * WMS, carrier and supplier simulators: order-to-cash and procure-to-pay (a purchase confirmed in Tryton to supplier
 * 5101 or 5102 is answered by the supplier simulator). Ctrl-C stops both.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startTryton } from '@tradelane/connector-erp-tryton/testing';
import { environmentWith } from './config.js';

const missing = ['trytond', 'trytond-admin'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
if (missing.length > 0) {
  process.stderr.write(
    `${missing.join(', ')} not found. Install Tryton 6.0 first:\n  sudo apt-get install -y tryton-server tryton-modules-sale tryton-modules-purchase tryton-modules-stock tryton-modules-account-invoice tryton-modules-sale-supply tryton-modules-stock-supply tryton-proteus\n`,
  );
  process.exit(1);
}

const dir = resolve('.tradelane', 'tryton');
const port = Number(process.argv[2] ?? 8000);
process.stdout.write(`Starting Tryton (database in ${dir}; the first start seeds it, about 40 s) …\n`);
const tryton = await startTryton({ dir, port });
process.stdout.write(`Tryton serves JSON-RPC at ${tryton.url} (database ${tryton.database}, user ${tryton.user}, password in ${dir}/trytonpass or the file TRYTONPASSFILE names)\n`);
process.stdout.write('Purchasing: confirm a purchase in Tryton to supplier 5101 or 5102 (played by the supplier simulator) or 5105 (yours to answer); a database seeded before suppliers existed needs `rm -rf .tradelane/tryton`\n');

const hub = spawn(process.execPath, ['--import', 'tsx', resolve('apps/server/src/cli.ts'), 'serve'], {
  stdio: 'inherit',
  env: environmentWith(
    { TRADELANE_TRYTON_POST_INVOICES: 'true', TRADELANE_DATA_DIR: resolve('.tradelane', 'data-tryton') },
    {
      TRADELANE_ERP_KIND: 'tryton',
      TRADELANE_TRYTON_URL: tryton.url,
      TRADELANE_TRYTON_DATABASE: tryton.database,
      TRADELANE_TRYTON_USER: tryton.user,
      TRADELANE_TRYTON_PASSWORD: tryton.password,
    },
  ),
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => hub.kill(signal));
hub.on('exit', (code) => {
  void tryton.stop().then(() => process.exit(code ?? 0));
});
