/**
 * `tradelane audit …`: audit log tools for operators.
 *
 *   audit verify [--tenant <id>]    verify the hash chain of one tenant, or of all; exit 0 intact, 1 broken
 */
import { parseArgs } from 'node:util';
import { tenantIdSchema } from '@tradelane/canonical';
import { verifyAuditChain, type Database } from '@tradelane/store';

/** Where the command writes and which database it opens; the CLI passes process streams and the configured database. */
export interface AuditCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Opens the configured database (migrated); the command closes it. */
  openDatabase(): Promise<Database>;
}

/** Exit codes (sysexits): 0 chain intact, 1 chain broken, 64 bad usage, 70 the check could not run (database, configuration). */
export const AUDIT_EXIT = { ok: 0, broken: 1, usage: 64, error: 70 } as const;

/** Usage text of `tradelane audit`. */
export const AUDIT_USAGE = `Usage:
  tradelane audit verify [--tenant <id>]   verify the audit log's hash chain (one tenant, or all)

Exit codes: 0 intact, 1 broken (the first broken entry is printed), 64 bad usage, 70 could not run.
`;

/**
 * Runs `tradelane audit` with `argv` (after "audit") and returns the exit code. Prints one JSON line:
 * `{ ok, checked, firstBroken? }`, and a readable line on stderr when the chain is broken.
 * @example await runAuditCommand(['verify', '--tenant', 'acme'], io)
 */
export async function runAuditCommand(argv: string[], io: AuditCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${AUDIT_USAGE}`);
    return AUDIT_EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(AUDIT_USAGE);
    return AUDIT_EXIT.ok;
  }
  const [command, ...rest] = parsed.positionals;
  const tenant = parsed.values.tenant;
  if (command !== 'verify' || rest.length > 0 || (tenant !== undefined && !tenantIdSchema.safeParse(tenant).success)) {
    io.stderr(`unknown or malformed audit command ${JSON.stringify(argv.join(' '))}\n${AUDIT_USAGE}`);
    return AUDIT_EXIT.usage;
  }
  let db: Database | undefined;
  try {
    db = await io.openDatabase();
    const result = await verifyAuditChain(db, tenant);
    io.stdout(JSON.stringify(result) + '\n');
    if (result.ok) return AUDIT_EXIT.ok;
    const b = result.firstBroken!;
    io.stderr(`audit chain broken: tenant ${b.tenantId}, first broken entry seq ${b.seq} (${b.reason})\n`);
    return AUDIT_EXIT.broken;
  } catch (err) {
    io.stderr(`audit verify could not run: ${(err as Error).message ?? String(err)} (is the database migrated? tradelane migrate)\n`);
    return AUDIT_EXIT.error;
  } finally {
    await db?.close();
  }
}
