import type { Logger } from 'pino';
import type { CustomerRoutesDeps } from '@tradelane/api';
import { defineConsumers } from '@tradelane/bus';
import { describeError } from '@tradelane/core';
import { createOrderToCash, type OrderToCash } from '@tradelane/flows';
import type { OrderToCashStoreTx } from '@tradelane/store';
import type { HubConnectors } from './connectors.js';
import type { Runtime, RuntimeModule } from './runtime.js';

/** Options of {@link orderToCashModule}. */
export interface OrderToCashModuleOptions {
  /** Tenants whose ERP, WMS and carrier feeds are read. */
  tenantIds: readonly string[];
  /** Poll interval of the feed pollers. */
  pollIntervalMs: number;
  logger: Logger;
}

/** Order-to-cash as a runtime module, plus what the API and the demo need once the runtime is built. */
export interface OrderToCashModule {
  /** Pass to `createRuntime`: the flow, its consumers and the feed pollers (as components). */
  readonly module: RuntimeModule;
  /** The composed process; throws before `createRuntime` has run the module. */
  process(): OrderToCash;
  /** The customer API's ports on the built runtime. */
  customerApi(runtime: Runtime): CustomerRoutesDeps;
}

/** Logs failed poller rounds, once per distinct message per minute (an ERP outage fails every round). */
function throttledErrorLog(logger: Logger, everyMs = 60_000): (err: unknown) => void {
  const lastLogged = new Map<string, number>();
  return (err) => {
    const message = describeError(err);
    const now = Date.now();
    if (now - (lastLogged.get(message) ?? 0) < everyMs) return;
    lastLogged.set(message, now);
    logger.warn({ err: message }, 'order-to-cash poller round failed; it keeps polling');
  };
}

/**
 * Composes order-to-cash over the connected systems: `createOrderToCash` on the runtime's order-to-cash transactions
 * and late-bound flow engine, its consumers, and one component per feed poller (ERP changes, WMS events, each
 * carrier, the received-orders sweep).
 * @example const o2c = orderToCashModule(connectors, { tenantIds: ['demo'], pollIntervalMs: 2000, logger }); const rt = createRuntime(db, config, logger, [o2c.module]);
 */
export function orderToCashModule(connectors: HubConnectors, options: OrderToCashModuleOptions): OrderToCashModule {
  const log = options.logger.child({ component: 'order-to-cash' });
  let composed: OrderToCash | undefined;
  const process = (): OrderToCash => {
    if (!composed) throw new Error('order-to-cash is used before createRuntime has composed it');
    return composed;
  };
  return {
    module: (parts) => {
      const o2c = createOrderToCash({
        transactions: parts.orderToCash.transactions,
        erp: connectors.erp,
        wms: connectors.wms?.wmsFulfilment,
        carriers: connectors.carriers,
        engine: parts.engine,
        tenantIds: options.tenantIds,
        pollIntervalMs: options.pollIntervalMs,
        onError: throttledErrorLog(log),
      });
      composed = o2c;
      return {
        flows: o2c.flows,
        consumers: defineConsumers<OrderToCashStoreTx, any>(o2c.consumerDefinitions as never),
        components: o2c.pollers.map((poller) => ({ name: `poller:${poller.name}`, start: () => poller.start(), stop: () => poller.stop() })),
      };
    },
    process,
    customerApi: (runtime) => ({
      commands: process().commands,
      queries: runtime.orderToCash.queries,
      idempotency: runtime.store.idempotency,
      apiKeys: runtime.orderToCash.apiKeys,
    }),
  };
}
