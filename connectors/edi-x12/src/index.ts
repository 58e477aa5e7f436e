/**
 * `@tradelane/connector-edi-x12`: EDI X12 codec (read, validate, acknowledge, write), canonical mappers, CSV flat
 * files with per-partner mappings, the SFTP channel and the inbound pipeline with message tracking and replay.
 */
export * from './errors.js';
export * from './file-name.patterns.js';
export * from './codec/index.js';
export * from './mappers/index.js';
export * from './csv/index.js';
export * from './transport/index.js';
export * from './inbound/index.js';
export * from './supplier/index.js';
