import { defineConnector } from '@tradelane/connector-kit';
import { createErpSimClient } from './erp-sim.client.js';
import { erpSimConfigSchema } from './erp-sim-config.schema.js';

/**
 * The reference ERP simulator's connector: master data, sales orders (committed exactly once, idempotent on the
 * hub's reference), the change feed, returns and purchasing.
 * @example
 * const erp = await erpSimConnector.instantiate(deps, { baseUrl: 'http://127.0.0.1:4101' });
 * const { record, duplicate } = await erp.erpSalesOrders.commitOrder(ctx, order, order.id);
 */
export const erpSimConnector = defineConnector({
  id: 'erp-sim',
  title: 'Reference ERP simulator',
  configSchema: erpSimConfigSchema,
  capabilities: ['erpMasterData', 'erpSalesOrders', 'erpChangeFeed', 'erpReturns', 'erpPurchasing'] as const,
  create: (deps, config) => createErpSimClient(deps, config),
});

export { erpSimConfigSchema, type ErpSimConfig } from './erp-sim-config.schema.js';
export { createErpSimClient, type ErpSimCapability } from './erp-sim.client.js';
export { startErpSim, type ErpSim, type ErpSimOptions } from './sim/erp-sim.server.js';
export { ErpSimEngine, type ErpSimEngineOptions, type ErpSimSettings, type ErpSimStats, type SimReleaseMode } from './sim/erp-engine.service.js';
export {
  ErpSimPurchasing,
  type PurchasingStats,
  type SimAcknowledgmentInput,
  type SimExpectedReceiptInput,
  type SimPurchaseOrderChangeInput,
  type SimPurchaseOrderInput,
  type SimReceiptInput,
  type SimVoucherInput,
} from './sim/purchasing.service.js';
export { noFaults, type ErpSimFaults, type FaultCounters } from './sim/fault-injector.js';
export { derivedId } from './mappers/derived-id.js';
export * from './wire/sim-wire.types.js';
export * from './wire/sim-purchasing.types.js';
