/** Mappers between X12 transaction sets and canonical documents, driven by partner profiles. */
export * from './partner-profile.schema.js';
export * from './x12-code.maps.js';
export * from './x12-set.reader.js';
export * from './x12-party.reader.js';
export * from './po-850.to-canonical.js';
export * from './po-850.from-canonical.js';
export * from './poa-855.to-canonical.js';
export * from './poa-855.from-canonical.js';
export * from './asn-856.to-canonical.js';
export * from './asn-856.from-canonical.js';
export * from './invoice-810.to-canonical.js';
export * from './invoice-810.from-canonical.js';
export * from './inventory-846.to-canonical.js';
export * from './tracking-214.to-canonical.js';
export * from './document-lookups.js';
