/**
 * `tradelane clients …`: OAuth 2.0 clients of partners and staff on the hub's database.
 *
 *   clients create --tenant <t> (--partner <id> | --staff <name>) --scopes a,b   prints client_id and client_secret once
 *   clients revoke --tenant <t> <client_id>                                     its tokens stop working at once
 */
import { parseArgs } from 'node:util';
import { InputError, systemContext, type OAuthClientStore } from '@tradelane/core';
import { createOAuthClientRepo, type Database } from '@tradelane/store';

/** Where the command writes and which database it opens; the CLI passes stdout and the configured database. */
export interface ClientsCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Opens the hub's (migrated) database; the command closes it when done. */
  openDatabase(): Promise<Database>;
}

/** Exit codes (sysexits): 0 ok, 1 not found, 64 bad usage, 65 bad input, 78 bad configuration. */
export const CLIENTS_EXIT = { ok: 0, notFound: 1, usage: 64, dataError: 65, config: 78 } as const;

/** Usage text of `tradelane clients`. */
export const CLIENTS_USAGE = `Usage:
  tradelane clients create --tenant <tenant> (--partner <partner id> | --staff <user name>) --scopes <scope,scope,…>
      registers an OAuth 2.0 client (client-credentials grant) and prints its client_id and client_secret once
  tradelane clients revoke --tenant <tenant> <client_id>
      revokes a client: no new tokens, and its tokens stop working at once
`;

const TENANT = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

function problem(io: ClientsCommandIo, code: string, detail: string, exit: number): number {
  io.stderr(JSON.stringify({ type: `https://tradelane.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: 'Command failed', code, detail }) + '\n');
  return exit;
}

/** Runs `tradelane clients …` with `argv` (after `clients`) and returns the exit code. */
export async function runClientsCommand(argv: string[], io: ClientsCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        partner: { type: 'string' },
        staff: { type: 'string' },
        scopes: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return problem(io, 'TL_CLI_USAGE', `${(err as Error).message}\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
  }
  const [sub, ...rest] = parsed.positionals;
  const v = parsed.values;
  if (v.help || !sub) {
    io.stdout(CLIENTS_USAGE);
    return v.help ? CLIENTS_EXIT.ok : CLIENTS_EXIT.usage;
  }
  if (!v.tenant || !TENANT.test(v.tenant)) return problem(io, 'TL_CLI_USAGE', `--tenant is required: lower-case letters, digits, "-" or "_".\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
  const ctx = systemContext(v.tenant, 'cli-clients', 'cli');
  if (sub === 'create') {
    if (rest.length > 0) return problem(io, 'TL_CLI_USAGE', `unexpected ${rest.join(' ')}\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    if ((v.partner === undefined) === (v.staff === undefined)) return problem(io, 'TL_CLI_USAGE', `give exactly one of --partner and --staff.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    const scopes = (v.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (scopes.length === 0) return problem(io, 'TL_CLI_USAGE', `--scopes is required, e.g. --scopes orders:read,orders:write\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    return withClients(io, async (clients) => {
      const { client, clientSecret } = await clients.register(ctx, { partnerId: v.partner, staffName: v.staff, scopes });
      io.stdout(
        JSON.stringify({
          client_id: client.clientId,
          client_secret: clientSecret,
          tenant: client.tenantId,
          ...(client.partnerId !== undefined ? { partner: client.partnerId } : { staff: client.staffName }),
          scopes: client.scopes,
          note: 'The secret is shown once and stored only as a hash; keep it in a secret store.',
        }, null, 2) + '\n',
      );
      return CLIENTS_EXIT.ok;
    });
  }
  if (sub === 'revoke') {
    if (rest.length !== 1) return problem(io, 'TL_CLI_USAGE', `revoke takes one client_id.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    return withClients(io, async (clients) => {
      const revoked = await clients.revoke(ctx, rest[0]!);
      if (!revoked) return problem(io, 'TL_AUTH_CLIENT_NOT_FOUND', `no active client ${rest[0]} in tenant ${v.tenant}`, CLIENTS_EXIT.notFound);
      io.stdout(`revoked ${rest[0]}\n`);
      return CLIENTS_EXIT.ok;
    });
  }
  return problem(io, 'TL_CLI_USAGE', `unknown subcommand ${JSON.stringify(sub)}.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
}

async function withClients(io: ClientsCommandIo, fn: (clients: OAuthClientStore) => Promise<number>): Promise<number> {
  const db = await io.openDatabase();
  try {
    return await fn(createOAuthClientRepo(db));
  } catch (err) {
    if (err instanceof InputError) return problem(io, err.code, err.message, CLIENTS_EXIT.dataError);
    throw err;
  } finally {
    await db.close();
  }
}
