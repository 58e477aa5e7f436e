import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConflictError } from '@tradelane/core';
import type { Database } from '../driver/database.js';

/** One versioned SQL migration. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Where applied migrations stand. */
export interface MigrationStatus {
  applied: number[];
  pending: number[];
  /** Highest version this build knows. */
  latest: number;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./sql/', import.meta.url));
const LOCK_KEY = 7_477_201; // any constant; shared by every Tradelane process on one database

/** Reads the migrations shipped with this build, `NNNN_name.sql`, in version order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(dir + file, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

async function ensureTable(db: Database): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS tl_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

/**
 * Applies every pending migration, each in its own transaction, under a database-wide lock so that several
 * processes starting together apply each migration once. Refuses to run when an applied migration was edited.
 * @returns the versions applied now
 */
export async function migrate(db: Database, migrations: Migration[] = loadMigrations()): Promise<number[]> {
  return db.withLock(LOCK_KEY, async () => {
    await ensureTable(db);
    const { rows } = await db.query<{ version: number; checksum: string }>('SELECT version, checksum FROM tl_schema_migrations');
    const applied = new Map(rows.map((r) => [Number(r.version), r.checksum]));
    const done: number[] = [];
    for (const m of migrations) {
      const known = applied.get(m.version);
      if (known !== undefined) {
        if (known !== m.checksum) {
          throw new ConflictError('TL_STORE_MIGRATION_CHANGED', `migration ${m.version} (${m.name}) was changed after it was applied`, {
            version: m.version,
          });
        }
        continue;
      }
      await db.transaction(async (tx) => {
        await tx.exec(m.sql);
        await tx.query('INSERT INTO tl_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      });
      done.push(m.version);
    }
    return done;
  });
}

/** Which migrations are applied and which are pending; used by readiness checks. */
export async function migrationStatus(db: Database, migrations: Migration[] = loadMigrations()): Promise<MigrationStatus> {
  await ensureTable(db);
  const { rows } = await db.query<{ version: number }>('SELECT version FROM tl_schema_migrations ORDER BY version');
  const applied = rows.map((r) => Number(r.version));
  const set = new Set(applied);
  return {
    applied,
    pending: migrations.filter((m) => !set.has(m.version)).map((m) => m.version),
    latest: migrations.at(-1)?.version ?? 0,
  };
}
