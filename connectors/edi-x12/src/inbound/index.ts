/** The inbound pipeline: detect, validate, acknowledge, map and record files from any channel; replay kept files. */
export * from './inbound.pipeline.js';
export * from './message-ledger.js';
