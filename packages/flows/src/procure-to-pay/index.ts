export * from './procure-to-pay.js';
export { defaultToleranceProfile, resolveTolerance, checkAcknowledgmentLine, matchLine, type ToleranceConfig } from './tolerance.js';
export { p2pEventTypes, P2P_SOURCE, type ErpRequest } from './procure-to-pay.process.js';
export { repromise, availabilityToPromise, type AvailabilityToPromise, type AtpLocation, type RepromiseOutcome } from './impact.js';
export { scorecardOf } from './supplier-queries.js';
export { slaStateOf } from './exception-desk.js';
