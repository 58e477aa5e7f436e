import pg from 'pg';
import { beginStatement, quoteIdent, type Database, type QueryResult, type Sql } from './database.js';

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // int8 (20) and numeric (1700) stay strings, as on PGlite; everything else uses pg's defaults.
    if (oid === 20 || oid === 1700) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Opens a pooled connection to server Postgres at `url`, using `schema` (created if missing). */
export async function openPostgres(url: string, options: { schema?: string; poolSize?: number } = {}): Promise<Database> {
  const schema = options.schema ?? 'public';
  if (schema !== 'public') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: typeParsers,
    ...(schema !== 'public' ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  const run = async <R>(c: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await c.query(text, params ? [...params] : undefined);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
  };
  let closed = false;
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn, options) {
      const client = await pool.connect();
      try {
        await client.query(beginStatement(options));
        const tx: Sql = {
          query: (text, params) => run(client, text, params),
          exec: async (script) => {
            await client.query(script);
          },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
