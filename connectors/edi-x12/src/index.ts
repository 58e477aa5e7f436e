/** `@tradelane/connector-edi-x12`: EDI X12 codec (read, validate, acknowledge, write) and canonical mappers. */
export * from './errors.js';
export * from './codec/index.js';
export * from './mappers/index.js';
