/**
 * Test support of the Tryton connector's suites against a real trytond: the lookup and skip, the trytond and RPC
 * session shared by a test file, the connector config and instances on it, and readers of its records and feed.
 */
import { after, before, test } from 'node:test';
import { silentLog, type ConnectorDeps, type ErpChange } from '@tradelane/connector-kit';
import { systemClock, systemContext, type TenantContext } from '@tradelane/core';
import { trytonConnector } from './index.js';
import { createTrytonRpc, type TrytonRpc } from './transport/tryton-rpc.transport.js';
import { lookupTryton, startTryton, type TestTryton } from './tryton.fixture.js';

/** A Tryton record as `search_read` and `read` answer it. */
export type TrytonRow = Record<string, any> & { id: number };

/** A Tryton connector instance, as `trytonConnector.instantiate` resolves it. */
export type TrytonErp = Awaited<ReturnType<typeof trytonConnector.instantiate>>;

/** What {@link TrytonSuite.readFeed} resolves: the changes read and the cursor after the last of them. */
export interface FeedRead {
  changes: ErpChange[];
  cursor: string | null;
}

/** Options of {@link trytonSuite}. */
export interface TrytonSuiteOptions {
  /** Title of the skipped test that stands for the file when Tryton is not available. */
  title: string;
  /** Correlation id of the suite's context (tenant `acme`). */
  name: string;
  /** Connector settings on top of the connection, `timeoutMs: 15000` and `settleMs: 0`, for every `config()`. */
  config?: Record<string, unknown>;
}

/** What a test file against trytond works with; `tryton()`, `rpc()` and what uses them are ready from `before` on. */
export interface TrytonSuite {
  /** The running trytond. */
  tryton(): TestTryton;
  /** The RPC session on trytond as admin. */
  rpc(): TrytonRpc;
  /** System context of tenant `acme` with the suite's `name` as correlation id. */
  ctx: TenantContext;
  /** Connector config: the connection, the suite's settings, then `extra`. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** A connector instance on `config(extra)`, with the system clock and a silent log; the caller closes it. */
  instance(extra?: Record<string, unknown>): Promise<TrytonErp>;
  /** `search_read` of `model`, ordered by id. */
  searchRead(model: string, domain: unknown[], fields: string[]): Promise<TrytonRow[]>;
  /** `read` of the records `ids` of `model`. */
  readRows(model: string, ids: number[], fields: string[]): Promise<TrytonRow[]>;
  /** Reads `erp`'s feed from `cursor` to its end (at most `maxPages` pages), `limit` per page. */
  readFeed(erp: TrytonErp, cursor: string | null, limit: number, maxPages?: number): Promise<FeedRead>;
}

/**
 * Declares a test file's tests against a real trytond. When Tryton is available, starts it and opens an RPC session
 * before the file's tests, closes both after them, and calls `body` with the {@link TrytonSuite} to declare the tests
 * on. Otherwise reports one skipped test titled `options.title` with the reason; under TRADELANE_REQUIRE_SERVICES=1 a
 * missing Tryton throws instead (see `lookupTryton`).
 * @example
 * trytonSuite({ title: 'Tryton returns against a real trytond', name: 'tryton-returns-test' }, ({ ctx, instance }) => {
 *   test('…', async () => {
 *     const erp = await instance();
 *     try {
 *       await erp.erpReturns.requestReturn(ctx, rma, rma.id);
 *     } finally {
 *       await erp.close();
 *     }
 *   });
 * });
 */
export function trytonSuite(options: TrytonSuiteOptions, body: (suite: TrytonSuite) => void): void {
  const found = lookupTryton();
  if (!found.available) {
    test(options.title, { skip: found.skip }, () => {});
    return;
  }
  let started: TestTryton | undefined;
  let session: TrytonRpc | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before the suite's before hook ran`);
    return value;
  };
  const tryton = () => ready(started, 'trytond');
  const rpc = () => ready(session, 'the Tryton RPC session');
  const deps: ConnectorDeps = { clock: systemClock, log: silentLog };
  const ctx = systemContext('acme', options.name);
  const config = (extra: Record<string, unknown> = {}) => {
    const { url, database, user, password } = tryton();
    return { url, database, user, password, timeoutMs: 15_000, settleMs: 0, ...options.config, ...extra };
  };

  before(async () => {
    started = await startTryton();
    console.log(`# trytond ready in ${started.initSeconds.toFixed(1)} s (pid ${started.pid})`);
    session = createTrytonRpc({ url: started.url, database: started.database, user: started.user, password: started.password, timeoutMs: 15_000 });
  });
  after(async () => {
    await session?.close();
    await started?.close();
  });

  body({
    tryton,
    rpc,
    ctx,
    config,
    instance: (extra) => trytonConnector.instantiate(deps, config(extra)),
    searchRead: (model, domain, fields) => rpc().call<TrytonRow[]>(ctx, `model.${model}.search_read`, [domain, 0, null, [['id', 'ASC']], fields]),
    readRows: (model, ids, fields) => rpc().call<TrytonRow[]>(ctx, `model.${model}.read`, [ids, fields]),
    async readFeed(erp, cursor, limit, maxPages = 500) {
      const changes: ErpChange[] = [];
      let at = cursor;
      for (let i = 0; i < maxPages; i++) {
        const page = await erp.erpChangeFeed.fetchChanges(ctx, { cursor: at, limit });
        if (page.items.length === 0) break;
        changes.push(...page.items);
        at = page.nextCursor;
      }
      return { changes, cursor: at };
    },
  });
}
