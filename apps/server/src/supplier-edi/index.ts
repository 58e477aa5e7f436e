/** Suppliers over EDI X12 and SFTP: configuration, the `edi-850` outbound channel and the inbound pollers. */
export * from './supplier-edi.config.js';
export * from './edi-850.channel.js';
export * from './supplier-edi.inbound.js';
export * from './supplier-edi.js';
