export * from './flow-definition.js';
export * from './flow-errors.js';
export { toCheckpoint } from './json-checkpoint.js';
export type { FlowLogEntry, FlowLogger, FlowExecutionResult } from './flow-execution.js';
export * from './flow-engine.js';
export * from './order-to-cash/index.js';
export * from './procure-to-pay/index.js';
