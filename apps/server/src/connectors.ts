import type { Logger } from 'pino';
import { freightLinkConnector, parceloConnector } from '@tradelane/connector-carriers';
import { erpSimConnector } from '@tradelane/connector-erp-sim';
import { systemClock } from '@tradelane/core';
import type { CarrierTracking, ConnectorDeps, ConnectorInstance, ErpPurchasing } from '@tradelane/connector-kit';
import { wmsSimConnector } from '@tradelane/connector-wms-sim';
import type { ServerConfig } from './config.js';
import type { SystemEndpoints } from './simulators.js';

/** The ERP connector instance order-to-cash uses. */
export type ErpConnection = ConnectorInstance<'erpMasterData' | 'erpSalesOrders' | 'erpChangeFeed' | 'erpReturns'> & { erpPurchasing?: ErpPurchasing | undefined };

/** Connector instances for the configured systems. */
export interface HubConnectors {
  erp: ErpConnection;
  wms?: ConnectorInstance<'wmsFulfilment'> | undefined;
  carriers: CarrierTracking[];
  /** Closes every instance. */
  close(): Promise<void>;
}

/**
 * Instantiates the erp-sim connector for `endpoints.erp` and, where a URL is known, the WMS and carrier connectors.
 * Returns undefined without an ERP: order-to-cash needs one.
 * @example const connectors = await connectSystems(sims.endpoints, config, logger);
 */
export async function connectSystems(endpoints: SystemEndpoints, config: Pick<ServerConfig, 'connectors'>, logger: Logger): Promise<HubConnectors | undefined> {
  if (!endpoints.erp) return undefined;
  const deps = (system: string): ConnectorDeps => ({ clock: systemClock, log: logger.child({ component: 'connector', system }) });
  const erp = await erpSimConnector.instantiate(deps('erp'), { baseUrl: endpoints.erp, timeoutMs: config.connectors.erp.timeoutMs });
  const wms = endpoints.wms ? await wmsSimConnector.instantiate(deps('wms'), { baseUrl: endpoints.wms }) : undefined;
  const parcelo = endpoints.parcelo ? await parceloConnector.instantiate(deps('parcelo'), { baseUrl: endpoints.parcelo }) : undefined;
  const freightLink = endpoints.freightLink ? await freightLinkConnector.instantiate(deps('freightlink'), { baseUrl: endpoints.freightLink }) : undefined;
  const instances = [erp, wms, parcelo, freightLink].filter((i) => i !== undefined);
  return {
    erp,
    wms,
    carriers: [parcelo, freightLink].flatMap((c) => (c ? [c.carrierTracking] : [])),
    async close() {
      for (const instance of instances.reverse()) await instance.close();
    },
  };
}
