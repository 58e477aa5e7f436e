/** Canonical supplier documents (855, 856, 810) as procure-to-pay supplier command submissions. */
export * from './supplier-commands.mapper.js';
