export { createSupplierSimulator, type SupplierSimulator, type SupplierSimulatorOptions, type RunUntilIdleOptions } from './supplier-simulator.js';
export {
  supplierBehaviourSchema,
  supplierConfigSchema,
  supplierSimOptionsSchema,
  supplierSimConfigSchema,
  ackMixSchema,
  delayRangeSchema,
  presetMixSchema,
  retrySchema,
  parseSupplierSimInput,
  mergeBehaviour,
  ACK_ACTIONS,
  type AckAction,
  type SupplierBehaviour,
  type SupplierBehaviourInput,
  type SupplierConfig,
  type SupplierConfigInput,
  type SupplierSimOptions,
  type SupplierSimOptionsInput,
  type SupplierSimConfig,
  type SupplierSimConfigInput,
} from './supplier-sim-config.schema.js';
export { PRESET_NAMES, PRESET_DESCRIPTIONS, presetOverrides, type PresetName, type BehaviourOverrides } from './supplier-presets.js';
export { generateSuppliers, presetCounts, DEFAULT_PRESET_MIX, type GenerateSuppliersOptions } from './generate-suppliers.js';
export { realClock, scaledClock, type SimClock, type ScaledClockOptions } from './sim-clock.js';
export { seededRandom, hashString, type SeededRandom } from './seeded-random.js';
export { type SupplierSimStats, type LatencySummary } from './supplier-sim.stats.js';
export { type CallKind, type HubOutcome } from './transport/supplier-api.client.js';
export { planAcknowledgment, committedFromView, type AcknowledgmentPlan, type CommittedLine } from './plans/acknowledgment.plan.js';
export { planShipments, type PlannedAsn } from './plans/shipment.plan.js';
export { planInvoice } from './plans/invoice.plan.js';
export { loadSupplierSimConfig, type LoadedSupplierSimConfig } from './main.js';
