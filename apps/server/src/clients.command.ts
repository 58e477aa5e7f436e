/**
 * `tradelane clients …`: OAuth 2.0 clients of partners and staff on the hub's database.
 *
 *   clients create --tenant <t> (--partner <id> | --staff <name>) --scopes a,b   prints client_id and client_secret once
 *   clients revoke --tenant <t> <client_id>                                     its tokens stop working at once
 *   clients list --tenant <t> [--all]                                           the tenant's OAuth clients with owner, role and scopes
 *   clients create … --staff <name> --role <role> [--api-key]                    a console user: the role's scopes
 *   clients rotate-key --tenant <t> <key_id> [--overlap-seconds n]               a new API key; the old one works n more seconds
 */
import { parseArgs } from 'node:util';
import { InputError, NotFoundError, STAFF_ROLES, isStaffRole, staffScopes, systemContext, type OAuthClient } from '@tradelane/core';
import { createApiKeyRepo, createOAuthClientRepo, type ApiKeyRepo, type Database, type OAuthClientRepo } from '@tradelane/store';

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
  tradelane clients create --tenant <tenant> --staff <user name> --role <${STAFF_ROLES.join('|')}> [--scopes …] [--api-key]
      a console user: the role's scopes (plus any --scopes); with --api-key an API key (shown once) instead of a client
  tradelane clients revoke --tenant <tenant> <client_id>
      revokes a client: no new tokens, and its tokens stop working at once
  tradelane clients list --tenant <tenant> [--all]
      the tenant's OAuth clients (with --all also revoked ones): owner, role, scopes, when created; never a secret
  tradelane clients rotate-key --tenant <tenant> <key_id> [--overlap-seconds <n>]
      issues a new API key with the same owner and scopes; the old key keeps working for n seconds (default 86400)
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
        role: { type: 'string' },
        'api-key': { type: 'boolean' },
        all: { type: 'boolean' },
        'overlap-seconds': { type: 'string' },
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
    if (v.role !== undefined && (v.staff === undefined || !isStaffRole(v.role))) {
      return problem(io, 'TL_CLI_USAGE', `--role goes with --staff and is one of ${STAFF_ROLES.join(', ')}.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    }
    const role = isStaffRole(v.role) ? v.role : undefined;
    const extraScopes = (v.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const scopes = staffScopes(role, extraScopes);
    if (v['api-key']) {
      return withApiKeys(io, async (keys) => {
        const created = v.staff !== undefined ? await keys.createStaffApiKey(ctx, { staffName: v.staff, scopes, role }) : await keys.createApiKey(ctx, { partnerId: v.partner!, scopes });
        const owner = 'staffName' in created ? { staff: created.staffName, ...(role ? { role } : {}) } : { partner: created.partnerId };
        io.stdout(JSON.stringify({ key_id: created.id, api_key: created.apiKey, tenant: v.tenant, ...owner, scopes: created.scopes, note: 'The key is shown once and stored only as a hash.' }, null, 2) + '\n');
        return CLIENTS_EXIT.ok;
      });
    }
    if (scopes.length === 0) return problem(io, 'TL_CLI_USAGE', `--scopes is required, e.g. --scopes orders:read,orders:write\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    return withClients(io, async (clients) => {
      const { client, clientSecret } = await clients.register(ctx, { partnerId: v.partner, staffName: v.staff, role, scopes: extraScopes });
      io.stdout(
        JSON.stringify({
          client_id: client.clientId,
          client_secret: clientSecret,
          ...ownerOf(client),
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
  if (sub === 'list') {
    if (rest.length > 0) return problem(io, 'TL_CLI_USAGE', `unexpected ${rest.join(' ')}\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    return withClients(io, async (clients) => {
      const listed = await clients.list(ctx, { includeRevoked: v.all === true });
      io.stdout(
        JSON.stringify(
          listed.map((c) => ({ client_id: c.clientId, ...ownerOf(c), scopes: c.scopes, created_at: c.createdAt, ...(c.revokedAt ? { revoked_at: c.revokedAt } : {}) })),
          null,
          2,
        ) + '\n',
      );
      return CLIENTS_EXIT.ok;
    });
  }
  if (sub === 'rotate-key') {
    if (rest.length !== 1) return problem(io, 'TL_CLI_USAGE', `rotate-key takes one key_id.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
    const overlapSeconds = v['overlap-seconds'] === undefined ? 86_400 : Number(v['overlap-seconds']);
    return withApiKeys(io, async (keys) => {
      const rotated = await keys.rotateApiKey(ctx, rest[0]!, { overlapSeconds });
      io.stdout(JSON.stringify({ key_id: rotated.id, api_key: rotated.apiKey, replaces: rotated.previousId, previous_key_valid_until: rotated.previousExpiresAt.toISOString(), scopes: rotated.scopes }, null, 2) + '\n');
      return CLIENTS_EXIT.ok;
    });
  }
  return problem(io, 'TL_CLI_USAGE', `unknown subcommand ${JSON.stringify(sub)}.\n${CLIENTS_USAGE}`, CLIENTS_EXIT.usage);
}

/** Tenant and owner of a client as the command prints them: `partner`, or `staff` with its `role` (null when none is stored). */
function ownerOf(client: OAuthClient): Record<string, string | null | undefined> {
  return { tenant: client.tenantId, ...(client.partnerId !== undefined ? { partner: client.partnerId } : { staff: client.staffName, role: client.role ?? null }) };
}

async function withClients(io: ClientsCommandIo, fn: (clients: OAuthClientRepo) => Promise<number>): Promise<number> {
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

async function withApiKeys(io: ClientsCommandIo, fn: (keys: ApiKeyRepo) => Promise<number>): Promise<number> {
  const db = await io.openDatabase();
  try {
    return await fn(createApiKeyRepo(db));
  } catch (err) {
    if (err instanceof InputError) return problem(io, err.code, err.message, CLIENTS_EXIT.dataError);
    if (err instanceof NotFoundError) return problem(io, err.code, err.message, CLIENTS_EXIT.notFound);
    throw err;
  } finally {
    await db.close();
  }
}
