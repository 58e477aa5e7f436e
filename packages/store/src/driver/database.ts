/** A query result: rows plus how many rows the statement touched. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Something that runs parameterised SQL: the database itself or an open transaction. */
export interface Sql {
  /** Runs one statement with `$1…$n` parameters. */
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** Transaction options. */
export interface TransactionOptions {
  /** @default 'read committed' */
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

/**
 * One Postgres database, embedded (PGlite) or server (pg). Both speak the same SQL dialect; int8 and numeric come
 * back as strings, timestamptz as Date, json/jsonb parsed.
 */
export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Takes a database-wide exclusive lock for `fn` (pg advisory lock; PGlite is single-process). */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** How to reach the database: a server URL, or an embedded data folder (`memory://` for a throw-away one). */
export interface DatabaseConfig {
  /** `postgres://…` — server Postgres. */
  url?: string | undefined;
  /** PGlite data folder; `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** Postgres schema to use (created if missing); isolates test runs. @default 'public' */
  schema?: string | undefined;
  /** Pool size for server Postgres. @default 10 */
  poolSize?: number | undefined;
}

/** Turns the statement of an isolation level into SQL. */
export function beginStatement(options?: TransactionOptions): string {
  return options?.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN';
}

/** Quotes an SQL identifier, refusing anything but letters, digits and underscores. */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new RangeError(`invalid SQL identifier: ${name}`);
  return `"${name}"`;
}
