import type { Logger } from 'pino';
import type { OpsRoutesDeps, SupplierRoutesDeps } from '@tradelane/api';
import { defineConsumers } from '@tradelane/bus';
import { describeError, systemClock } from '@tradelane/core';
import { createProcureToPay, type ProcureToPay, type SupplierOutboundChannel, type ToleranceConfig } from '@tradelane/flows';
import { createEdiMessageRepo, type ProcureToPayStoreTx } from '@tradelane/store';
import { createSupplierEdi, type ResolvedSupplierEdi } from './supplier-edi/index.js';
import type { HubConnectors } from './connectors.js';
import type { Runtime, RuntimeModule } from './runtime.js';

/** Options of {@link procureToPayModule}. */
export interface ProcureToPayModuleOptions {
  /** Tenants the acknowledgment and promise sweeps work on. */
  tenantIds: readonly string[];
  /** Wait between sweep rounds (reminders, missing acknowledgments, missed promises). */
  sweepIntervalMs: number;
  /** Tolerance profiles: the default and per-supplier overrides. */
  tolerances?: ToleranceConfig | undefined;
  /** Outbound channels for suppliers not on the API, besides EDI. */
  channels?: readonly SupplierOutboundChannel[] | undefined;
  /** Suppliers over EDI and SFTP: their POs go out as 850s, their 855/856/810 files are polled and applied. */
  ediSuppliers?: readonly ResolvedSupplierEdi[] | undefined;
  logger: Logger;
}

/** Procure-to-pay as a runtime module, plus the supplier and operations API ports once the runtime is built. */
export interface ProcureToPayModule {
  /** Pass to `createRuntime`: the consumers and the sweeps (as a component). */
  readonly module: RuntimeModule;
  /** The composed process; throws before `createRuntime` has run the module. */
  process(): ProcureToPay;
  /** The supplier API's ports on the built runtime. */
  supplierApi(runtime: Runtime): SupplierRoutesDeps;
  /** The operations API's ports on the built runtime. */
  opsApi(runtime: Runtime): OpsRoutesDeps;
}

/**
 * Composes procure-to-pay over the ERP's purchasing and the warehouse: `createProcureToPay` on the runtime's
 * procure-to-pay transactions, its consumers (the ERP's purchase order, receipt and voucher changes arrive through
 * order-to-cash's ERP feed poller as events) and the sweeps as a component. Returns undefined when the ERP connector
 * has no purchasing capability.
 * @example const p2p = procureToPayModule(connectors, { tenantIds: ['demo'], sweepIntervalMs: 30000, logger });
 */
export function procureToPayModule(connectors: HubConnectors, options: ProcureToPayModuleOptions): ProcureToPayModule | undefined {
  const erpPurchasing = connectors.erp.erpPurchasing;
  if (!erpPurchasing) return undefined;
  const log = options.logger.child({ component: 'procure-to-pay' });
  let composed: ProcureToPay | undefined;
  const process = (): ProcureToPay => {
    if (!composed) throw new Error('procure-to-pay is used before createRuntime has composed it');
    return composed;
  };
  return {
    module: (parts) => {
      const ediSuppliers = options.ediSuppliers ?? [];
      const edi =
        ediSuppliers.length > 0
          ? createSupplierEdi({
              suppliers: ediSuppliers,
              repository: createEdiMessageRepo(parts.store.db, systemClock),
              // On PGlite (one connection) the sent-850 record cannot be written beside the publishing transaction.
              sent: parts.store.db.kind === 'postgres' ? parts.store.idempotency : undefined,
              onError: (err) => log.warn({ err: describeError(err) }, 'EDI supplier poll failed; it runs again next round'),
            })
          : undefined;
      const tolerances = edi ? { ...options.tolerances, suppliers: { ...options.tolerances?.suppliers, ...edi.tolerances } } : options.tolerances;
      const p2p = createProcureToPay({
        transactions: parts.procureToPay.transactions,
        erpPurchasing,
        wms: connectors.wms?.wmsFulfilment,
        channels: [...(options.channels ?? []), ...(edi ? [edi.channel] : [])],
        tolerances,
        tenantIds: options.tenantIds,
        sweepIntervalMs: options.sweepIntervalMs,
        onError: (err) => log.warn({ err: describeError(err) }, 'procure-to-pay sweep failed; it runs again next round'),
      });
      composed = p2p;
      return {
        consumers: defineConsumers<ProcureToPayStoreTx, any>(p2p.consumerDefinitions as never),
        components: [{ name: 'procure-to-pay-sweeps', start: async () => p2p.sweeps.start(), stop: () => p2p.sweeps.stop() }, ...(edi ? edi.pollers(p2p) : [])],
      };
    },
    process,
    supplierApi: (runtime) => ({
      commands: process().commands,
      queries: process().queries,
      idempotency: runtime.store.idempotency,
      apiKeys: runtime.orderToCash.apiKeys,
    }),
    opsApi: (runtime) => ({
      exceptions: process().exceptions,
      idempotency: runtime.store.idempotency,
      apiKeys: runtime.orderToCash.apiKeys,
    }),
  };
}
