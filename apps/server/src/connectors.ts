import type { Logger } from 'pino';
import { freightLinkConnector, parceloConnector } from '@tradelane/connector-carriers';
import { erpSimConnector } from '@tradelane/connector-erp-sim';
import { trytonConnector } from '@tradelane/connector-erp-tryton';
import { systemClock } from '@tradelane/core';
import type { CarrierTracking, ConnectorDeps, ConnectorInstance, ErpPurchasing, ErpReturns } from '@tradelane/connector-kit';
import { wmsSimConnector } from '@tradelane/connector-wms-sim';
import type { ServerConfig } from './config.js';
import type { SystemEndpoints } from './simulators.js';

/**
 * The ERP connector instance order-to-cash uses; returns (`erpReturns`) and purchasing (`erpPurchasing`) only where
 * the ERP connector offers them (erp-sim both; Tryton purchasing, so procure-to-pay also runs with
 * `TRADELANE_ERP_KIND=tryton`).
 */
export type ErpConnection = ConnectorInstance<'erpMasterData' | 'erpSalesOrders' | 'erpChangeFeed'> & { erpReturns?: ErpReturns | undefined; erpPurchasing?: ErpPurchasing | undefined };

/** Connector instances for the configured systems. */
export interface HubConnectors {
  erp: ErpConnection;
  wms?: ConnectorInstance<'wmsFulfilment'> | undefined;
  carriers: CarrierTracking[];
  /** Closes every instance. */
  close(): Promise<void>;
}

/**
 * Instantiates the ERP connector (erp-sim for `endpoints.erp`, or Tryton when `connectors.erp.kind` is `tryton`)
 * and, where a URL is known, the WMS and carrier connectors. Returns undefined without an ERP: order-to-cash needs one.
 * @example const connectors = await connectSystems(sims.endpoints, config, logger);
 */
export async function connectSystems(endpoints: SystemEndpoints, config: Pick<ServerConfig, 'connectors'>, logger: Logger): Promise<HubConnectors | undefined> {
  if (!endpoints.erp) return undefined;
  const deps = (system: string): ConnectorDeps => ({ clock: systemClock, log: logger.child({ component: 'connector', system }) });
  const settings = config.connectors.erp;
  const erp: ErpConnection = settings.tryton
    ? await trytonConnector.instantiate(deps('erp'), { ...settings.tryton, timeoutMs: Math.max(settings.timeoutMs, 15_000) })
    : await erpSimConnector.instantiate(deps('erp'), { baseUrl: endpoints.erp, timeoutMs: settings.timeoutMs });
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
