import type { CarrierTracking } from './carrier.capability.js';
import type { ErpChangeFeed, ErpMasterData, ErpReturns, ErpSalesOrders } from './erp.capability.js';
import type { ErpPurchasing } from './purchasing.capability.js';
import type { WmsFulfilment } from './wms.capability.js';

export * from './common.js';
export * from './erp.capability.js';
export * from './purchasing.capability.js';
export * from './wms.capability.js';
export * from './carrier.capability.js';

/** Every capability a connector can offer, by name. A connector instance has a property per declared capability. */
export interface CapabilityMap {
  erpMasterData: ErpMasterData;
  erpSalesOrders: ErpSalesOrders;
  erpChangeFeed: ErpChangeFeed;
  erpReturns: ErpReturns;
  erpPurchasing: ErpPurchasing;
  wmsFulfilment: WmsFulfilment;
  carrierTracking: CarrierTracking;
}

/** A capability's name. */
export type CapabilityName = keyof CapabilityMap;
