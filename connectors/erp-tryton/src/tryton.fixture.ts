/**
 * Test and development harness: a real trytond (Debian's Tryton 6.0) on loopback with a seeded SQLite database.
 * The database is initialised and seeded once per module list and seed script (cached under the temp folder), then
 * copied for each fixture, so a test run pays the ~20 s initialisation at most once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupService, requireServices, type ServiceLookup } from '@tradelane/testkit';

/** Modules the test database activates (order-to-cash with credit limits and price lists, and procure-to-pay). */
export const TRYTON_MODULES = [
  'ir', 'res', 'country', 'currency', 'party', 'company', 'product', 'account', 'account_product', 'account_invoice',
  'account_invoice_stock', 'stock', 'purchase_request', 'purchase', 'sale', 'sale_supply', 'account_credit_limit',
  'sale_credit_limit', 'product_price_list', 'sale_price_list',
] as const;

const SEED_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'seed', 'seed.py');
const DATABASE = 'tradelane';

/**
 * Finds trytond: `TRADELANE_TEST_TRYTON=1` and `trytond`/`trytond-admin` on the PATH. Absent: skip with a printed
 * reason, or fail when `TRADELANE_REQUIRE_SERVICES=1`.
 */
export function lookupTryton(): ServiceLookup {
  const found = lookupService('TRADELANE_TEST_TRYTON', 'Tryton ERP');
  if (!found.available) return found;
  const missing = ['trytond', 'trytond-admin'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  if (missing.length > 0) {
    const reason = `Tryton ERP tests skipped: TRADELANE_TEST_TRYTON is set but ${missing.join(', ')} is not installed (apt-get install tryton-server …)`;
    if (requireServices) throw new Error(`${reason}, and TRADELANE_REQUIRE_SERVICES=1 requires it`);
    console.log(`# ${reason}`);
    return { available: false, skip: reason };
  }
  return found;
}

/** A running test trytond. */
export interface TestTryton {
  /** JSON-RPC base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly database: string;
  readonly user: 'admin';
  readonly password: string;
  /** Seconds spent preparing the database (near 0 when the cached copy was used). */
  readonly initSeconds: number;
  /** Process id of trytond. */
  readonly pid: number;
  /** Stops trytond (SIGTERM to its id) until `start()`; the database stays. */
  stop(): Promise<void>;
  /** Starts trytond again on the same port and database. */
  start(): Promise<void>;
  /** Stops trytond and removes its folder (unless it was given as `dir`). */
  close(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The admin password: the content of the file `TRYTONPASSFILE` names, else a generated one written to `dir`. */
function adminPassword(dir: string): { password: string; file: string } {
  const file = process.env.TRYTONPASSFILE;
  if (file && existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), file };
  const password = `Tl-${randomBytes(9).toString('base64url')}-9x`;
  const generated = join(dir, 'trytonpass');
  writeFileSync(generated, `${password}\n`, { mode: 0o600 });
  return { password, file: generated };
}

function writeConf(dir: string, port: number): string {
  const conf = join(dir, 'trytond.conf');
  mkdirSync(join(dir, 'db'), { recursive: true });
  writeFileSync(
    conf,
    [
      '[database]',
      'uri = sqlite://',
      `path = ${join(dir, 'db')}`,
      '[web]',
      `listen = 127.0.0.1:${port}`,
      '[session]',
      'timeout = 3600',
      '',
    ].join('\n'),
  );
  return conf;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const res = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 600_000 });
  if (res.status !== 0) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} … failed (${res.status ?? res.signal}): ${(res.stderr || res.stdout || '').slice(-2000)}`);
}

function trytondVersion(): string {
  const res = spawnSync('trytond', ['--version'], { encoding: 'utf8' });
  return `${res.stdout}${res.stderr}`.trim();
}

/**
 * The path of a seeded SQLite database for this module list, seed script and trytond version, building it once
 * (other processes wait on a lock folder meanwhile). The admin password is part of the key.
 */
function cachedDatabase(password: string, passFile: string): { file: string; seconds: number } {
  const key = createHash('sha256')
    .update(TRYTON_MODULES.join(','))
    .update(readFileSync(SEED_SCRIPT))
    .update(trytondVersion())
    .update(password)
    .digest('hex')
    .slice(0, 16);
  const root = join(tmpdir(), 'tradelane-tryton-cache');
  mkdirSync(root, { recursive: true });
  const file = join(root, `${key}.sqlite`);
  const lock = join(root, `${key}.lock`);
  const started = Date.now();
  for (;;) {
    if (existsSync(file)) return { file, seconds: (Date.now() - started) / 1000 };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // someone else builds it; a lock older than 10 minutes is from a crashed run
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'tradelane-tryton-init-'));
  try {
    const conf = writeConf(work, 0);
    const env = { ...process.env, TRYTONPASSFILE: passFile };
    writeFileSync(join(work, 'db', `${DATABASE}.sqlite`), '');
    run('trytond-admin', ['-c', conf, '-d', DATABASE, '--email', 'admin@example.com', '--all', '-u', ...TRYTON_MODULES], env);
    run('/usr/bin/python3', [SEED_SCRIPT, conf, DATABASE], env);
    copyFileSync(join(work, 'db', `${DATABASE}.sqlite`), `${file}.part`);
    renameSync(`${file}.part`, file);
    return { file, seconds: (Date.now() - started) / 1000 };
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

async function waitForRpc(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`trytond exited (${child.exitCode}): ${output().slice(-2000)}`);
    try {
      const res = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }), signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`trytond did not answer JSON-RPC within 60 s: ${output().slice(-2000)}`);
}

/** Options of {@link startTryton}. */
export interface StartTrytonOptions {
  /**
   * A folder kept across runs: the seeded database is copied in only when it has none yet, and `close()` leaves it.
   * @default a new temp folder, removed by `close()`
   */
  dir?: string | undefined;
  /** Loopback port of JSON-RPC. @default a free port */
  port?: number | undefined;
}

/**
 * Starts a trytond on a loopback port with its own copy of the seeded database.
 * @example const tryton = await startTryton(); … await tryton.close();
 */
export async function startTryton(options: StartTrytonOptions = {}): Promise<TestTryton> {
  const keep = options.dir !== undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tradelane-tryton-'));
  mkdirSync(dir, { recursive: true });
  const kept = join(dir, 'trytonpass');
  const { password, file: passFile } = keep && !process.env.TRYTONPASSFILE && existsSync(kept) ? { password: readFileSync(kept, 'utf8').trim(), file: kept } : adminPassword(dir);
  const started = Date.now();
  const port = options.port ?? (await freePort());
  const conf = writeConf(dir, port);
  const database = join(dir, 'db', `${DATABASE}.sqlite`);
  const cached = keep && existsSync(database) ? { seconds: 0 } : cachedDatabase(password, passFile);
  if ('file' in cached) copyFileSync(cached.file, database);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  async function start(): Promise<void> {
    log = '';
    const proc = spawn('trytond', ['-c', conf], { env: { ...process.env, TRYTONPASSFILE: passFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
    await waitForRpc(url, proc, () => log);
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    process.kill(proc.pid, 'SIGTERM');
    const timer = setTimeout(() => proc.pid !== undefined && proc.exitCode === null && process.kill(proc.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    url,
    database: DATABASE,
    user: 'admin',
    password,
    initSeconds: Math.max(cached.seconds, (Date.now() - started) / 1000),
    get pid() {
      return child?.pid ?? -1;
    },
    stop,
    start,
    async close() {
      await stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
