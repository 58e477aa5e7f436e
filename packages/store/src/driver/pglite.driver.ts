import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { quoteIdent, type Database, type QueryResult, type Sql, type TransactionOptions } from './database.js';

const asString = (v: string) => v;

/** Extra options of an embedded database. */
export interface PgliteOptions {
  /** Start from a copy of another data folder (a {@link PgliteSnapshots.snapshot}), e.g. an already-migrated one. */
  loadDataDir?: Blob | undefined;
}

/** PGlite can copy its whole data folder, so tests can start from a migrated database in milliseconds. */
export interface PgliteSnapshots {
  /** The data folder as an uncompressed tar, loadable with {@link PgliteOptions.loadDataDir}. */
  snapshot(): Promise<Blob>;
}

/**
 * Opens an embedded PGlite database in `dataDir` (created if missing) or in memory for `memory://`.
 * One process per data folder: PGlite is single-connection; transactions and queries are serialised.
 */
export async function openPglite(dataDir: string, schema = 'public', options: PgliteOptions = {}): Promise<Database & PgliteSnapshots> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    parsers: { [types.INT8]: asString, [types.NUMERIC]: asString },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  if (schema !== 'public') {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)}`);
  }
  const run = async <R>(q: { query: PGlite['query'] }, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await q.query<R>(text, params ? [...params] : undefined);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  };
  const wrapTx = (tx: Transaction): Sql => ({
    query: (text, params) => run(tx, text, params),
    exec: async (script) => {
      await tx.exec(script);
    },
  });
  let closed = false;
  return {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    async transaction<T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T> {
      if (!options?.isolation) {
        return db.transaction((tx) => fn(wrapTx(tx)));
      }
      return db.transaction(async (tx) => {
        await tx.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation!.toUpperCase()}`);
        return fn(wrapTx(tx));
      });
    },
    async exec(script) {
      await db.exec(script);
    },
    async withLock(_key, fn) {
      return fn();
    },
    async snapshot() {
      return db.dumpDataDir('none');
    },
    async ping() {
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}
