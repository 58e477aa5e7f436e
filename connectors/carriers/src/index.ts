export { parceloConnector, parceloConfigSchema, createParceloClient, type ParceloConfig } from './parcelo/parcelo.connector.js';
export { freightLinkConnector, freightLinkConfigSchema, createFreightLinkClient, type FreightLinkConfig } from './freight-link/freight-link.connector.js';
export { parceloStatusTable, parceloReasonTable, parceloLocalToEpochMs, parceloScanToCanonical } from './parcelo/mappers/parcelo-scan.to-canonical.js';
export {
  freightLinkStatusTable,
  freightLinkReasonTable,
  freightLinkEventToCanonical,
  freightLinkPodImageRef,
} from './freight-link/mappers/freight-link-event.to-canonical.js';
export * from './parcelo/codec/parcelo.codec.js';
export * from './freight-link/codec/freight-link.codec.js';
export { PARCELO_SYSTEM } from './parcelo/errors.js';
export { FREIGHTLINK_SYSTEM } from './freight-link/errors.js';
export type { CarrierTrackingEvent } from './shared/carrier-event.types.js';
export {
  startCarrierSim,
  buildCarrierSimApp,
  carrierSimKinds,
  type CarrierSimKind,
  type CarrierSimOptions,
  type CarrierSimHandle,
} from './sim/carrier-sim.server.js';
export type { CarrierSimFault } from './sim/carrier-sim-admin.routes.js';
export { carrierScenarios, type CarrierScenario, type JourneySummary } from './sim/journey.engine.js';
