import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { migrate, migrationStatus, openDatabase } from '@tradelane/store';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import { runAuditCommand } from './audit.command.js';
import { runEdiCommand } from './edi.command.js';
import { runClientsCommand } from './clients.command.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

const HELP = `tradelane ${VERSION} — integration hub for wholesale distributors

Usage:
  tradelane serve            run the hub (HTTP API, outbox relay, flow worker, order-to-cash with simulators)
  tradelane migrate          apply pending database migrations and exit
  tradelane migrate --status list applied and pending migrations
  tradelane edi parse|validate|translate …   EDI tools on files (tradelane edi --help)
  tradelane clients create|list|revoke …      OAuth clients of partners and staff (tradelane clients --help)
  tradelane audit verify [--tenant <id>]     verify the audit log's hash chain (exit 1 when broken)
  tradelane --help           this text
  tradelane --version        the version

Configuration comes from the environment:
  PORT                                HTTP port (default 3000)
  TRADELANE_SERVER_HOST               listen address (default 0.0.0.0)
  DATABASE_URL                        server Postgres; unset = embedded PGlite
  TRADELANE_DATA_DIR                  PGlite data folder (default ./.tradelane/data)
  TRADELANE_LOG_LEVEL                 fatal|error|warn|info|debug|trace|silent (default info)
  TRADELANE_STORE_MIGRATE_ON_START    apply migrations at start (default true)
  TRADELANE_SERVER_SHUTDOWN_TIMEOUT_MS  grace period on SIGTERM (default 10000)
  TRADELANE_SIMULATORS                start ERP, WMS and carrier simulators in process (default true)
  TRADELANE_SIM_PORT_BASE             ERP sim port; WMS +1, Parcelo +2, FreightLink +3 (default 4101; 0 = free ports)
  TRADELANE_ERP_URL, TRADELANE_WMS_URL, TRADELANE_PARCELO_URL, TRADELANE_FREIGHTLINK_URL
                                      use a running system instead of starting its simulator
  TRADELANE_DEMO_TENANT               tenant of the demo customers and their API keys (default demo)
  The full table is in the README.
`;

/** Exit codes: 0 ok, 1 failure, 64 bad usage, 78 bad configuration (sysexits). */
export const EXIT = { ok: 0, failure: 1, usage: 64, config: 78 } as const;

function fail(message: string, code: string, exit: number): number {
  process.stderr.write(
    JSON.stringify({ type: `https://tradelane.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: 'Command failed', code, detail: message }) + '\n',
  );
  return exit;
}

async function serve(config: ServerConfig): Promise<number> {
  const logger = createLogger(config);
  const server = await startServer(config, { logger, print: (text) => void process.stdout.write(text) });
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.server.shutdownTimeoutMs }, 'shutdown timed out; exiting');
        process.exit(EXIT.failure);
      }, config.server.shutdownTimeoutMs);
      timer.unref();
      server.shutdown(signal).then(resolve, (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(EXIT.failure);
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  return EXIT.ok;
}

async function migrateCommand(config: ServerConfig, statusOnly: boolean): Promise<number> {
  const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
  try {
    if (statusOnly) {
      const s = await migrationStatus(db);
      process.stdout.write(JSON.stringify(s) + '\n');
      return EXIT.ok;
    }
    const applied = await migrate(db);
    process.stdout.write(applied.length ? `applied migrations: ${applied.join(', ')}\n` : 'database is up to date\n');
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function clientsCommand(argv: string[]): Promise<number> {
  const io = { stdout: (text: string) => void process.stdout.write(text), stderr: (text: string) => void process.stderr.write(text) };
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) return runClientsCommand(argv, { ...io, openDatabase: () => Promise.reject(new Error('unused')) });
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(JSON.stringify(err.toProblem()) + '\n');
      return EXIT.config;
    }
    throw err;
  }
  return runClientsCommand(argv, {
    ...io,
    openDatabase: async () => {
      const db = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
      if (config.database.migrateOnStart) await migrate(db);
      return db;
    },
  });
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  if (argv[0] === 'edi') {
    return runEdiCommand(argv.slice(1), {
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      readFile: (path) => readFile(path),
    });
  }
  if (argv[0] === 'audit') {
    return runAuditCommand(argv.slice(1), {
      stdout: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      openDatabase: () => {
        const { database } = loadConfig();
        return openDatabase({ url: database.url, dataDir: database.dataDir });
      },
    });
  }
  if (argv[0] === 'clients') return clientsCommand(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, status: { type: 'boolean' } },
    });
  } catch (err) {
    return fail(`${(err as Error).message}. See tradelane --help.`, 'TL_CLI_USAGE', EXIT.usage);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (parsed.values.version) {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!command || rest.length > 0 || !['serve', 'migrate'].includes(command)) {
    return fail(`unknown command ${JSON.stringify([command, ...rest].filter(Boolean).join(' '))}; expected serve, migrate or edi. See tradelane --help.`, 'TL_CLI_USAGE', EXIT.usage);
  }
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(JSON.stringify(err.toProblem()) + '\n');
      return EXIT.config;
    }
    throw err;
  }
  try {
    return command === 'serve' ? await serve(config) : await migrateCommand(config, parsed.values.status === true);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return fail(e.message ?? String(err), typeof e.code === 'string' && e.code.startsWith('TL_') ? e.code : 'TL_SERVER_START_FAILED', EXIT.failure);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
