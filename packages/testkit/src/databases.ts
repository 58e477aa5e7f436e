import { randomBytes } from 'node:crypto';
import { migrate, openPglite, openPostgres, quoteIdent, type Database } from '@tradelane/store';
import { lookupService } from './services.js';

/** A database a suite runs against: always PGlite, and Postgres when TRADELANE_TEST_DATABASE_URL is set. */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, empty, migrated database (its own schema on Postgres); close() drops it. */
  open(options?: { migrate?: boolean }): Promise<Database>;
}

let cachedTargets: DatabaseTarget[] | undefined;
let migratedSnapshot: Promise<Blob> | undefined;

/** Opens an in-memory PGlite; migrated ones start from a copy of a database migrated once per process. */
async function openMemoryPglite(runMigrations: boolean): Promise<Database> {
  if (!runMigrations) return openPglite('memory://');
  migratedSnapshot ??= (async () => {
    const template = await openPglite('memory://');
    try {
      await migrate(template);
      return await template.snapshot();
    } finally {
      await template.close();
    }
  })();
  const db = await openPglite('memory://', 'public', { loadDataDir: await migratedSnapshot });
  await migrate(db); // a no-op unless the snapshot is behind; also proves the checksums match
  return db;
}

/**
 * The databases every store-backed suite runs on.
 * @example for (const target of databaseTargets()) describe(target.name, () => { ... })
 */
export function databaseTargets(): DatabaseTarget[] {
  if (cachedTargets) return cachedTargets;
  const targets: DatabaseTarget[] = [
    {
      name: 'pglite',
      open: (options) => openMemoryPglite(options?.migrate !== false),
    },
  ];
  const pg = lookupService('TRADELANE_TEST_DATABASE_URL', 'Postgres');
  if (pg.available) targets.push({ name: 'postgres', open: (options) => openPostgresSchema(pg.value, options?.migrate !== false) });
  cachedTargets = targets;
  return targets;
}

/** Opens a throw-away schema on server Postgres; closing the database drops the schema. */
export async function openPostgresSchema(url: string, runMigrations = true): Promise<Database> {
  const schema = `tl_test_${randomBytes(6).toString('hex')}`;
  const db = await openPostgres(url, { schema, poolSize: 8 });
  if (runMigrations) await migrate(db);
  const close = db.close.bind(db);
  return {
    ...db,
    async close() {
      await db.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch(() => {});
      await close();
    },
  };
}
