/** CSV flat files (acknowledgments, ship notices, inventory) read with per-partner column mappings. */
export * from './csv-mapping.schema.js';
export * from './csv.reader.js';
export * from './csv-values.js';
export * from './csv-rows.js';
export * from './csv-documents.js';
export * from './poa-csv.to-canonical.js';
export * from './asn-csv.to-canonical.js';
export * from './inventory-csv.to-canonical.js';
export * from './csv.mapper.js';
