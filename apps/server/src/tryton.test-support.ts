/** Test support of the end-to-end suites against Tryton: trytond with the seeded database, an RPC client, the hub on it. */
import { systemContext, type TenantContext } from '@tradelane/core';
import { createTrytonRpc, startTryton, type TestTryton, type TrytonRpc } from '@tradelane/connector-erp-tryton/testing';
import { eventually, startTestHub, type TestHub } from './hub.test-support.js';

/** A Tryton record as `search_read` answers it. */
export type TrytonRow = Record<string, any> & { id: number };

/** trytond, an RPC session on it and a hub with Tryton as its ERP. */
export interface TrytonHub {
  tryton: TestTryton;
  rpc: TrytonRpc;
  hub: TestHub;
  ctx: TenantContext;
  /** `search_read` of `model`, ordered by id. */
  searchRead(model: string, domain: unknown[], fields: string[]): Promise<TrytonRow[]>;
  /** {@link eventually}, with what `show` reports and the hub's last warnings in the failure message. */
  waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, show?: () => Promise<unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Starts trytond on its seeded database and the hub on it (`TRADELANE_ERP_KIND=tryton`, 15 s ERP timeout), with
 * `env` on top of that.
 * @example const t = await startTrytonHub('tryton-e2e', { TRADELANE_SIM_WMS_ADVANCE_MS: '200' });
 */
export async function startTrytonHub(correlationId: string, env: Record<string, string>): Promise<TrytonHub> {
  const tryton = await startTryton();
  console.log(`# trytond ready in ${tryton.initSeconds.toFixed(1)} s`);
  const rpc = createTrytonRpc({ url: tryton.url, database: tryton.database, user: tryton.user, password: tryton.password, timeoutMs: 15_000 });
  let hub: TestHub;
  try {
    hub = await startTestHub({
      TRADELANE_ERP_KIND: 'tryton',
      TRADELANE_TRYTON_URL: tryton.url,
      TRADELANE_TRYTON_DATABASE: tryton.database,
      TRADELANE_TRYTON_USER: tryton.user,
      TRADELANE_TRYTON_PASSWORD: tryton.password,
      TRADELANE_ERP_TIMEOUT_MS: '15000',
      ...env,
    });
  } catch (err) {
    await rpc.close();
    await tryton.close();
    throw err;
  }
  const ctx = systemContext('demo', correlationId);
  return {
    tryton,
    rpc,
    hub,
    ctx,
    searchRead: (model, domain, fields) => rpc.call<TrytonRow[]>(ctx, `model.${model}.search_read`, [domain, 0, null, [['id', 'ASC']], fields]),
    async waitFor(what, probe, timeoutMs, show) {
      try {
        return await eventually(what, probe, { timeoutMs, intervalMs: 250 });
      } catch (err) {
        throw new Error(`${(err as Error).message}: ${JSON.stringify(await show?.())}; hub warnings:\n${hub.logs.slice(-15).join('\n')}`);
      }
    },
    async close() {
      await hub.close();
      await rpc.close();
      await tryton.close();
    },
  };
}
