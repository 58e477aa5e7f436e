export * from './config.js';
export * from './server.js';
export { runCli, EXIT } from './cli.js';
export { createLogger } from './logger.js';
export { SUPPLIER_DEMO_SCOPES, OPS_DEMO_SCOPES, CUSTOMER_SCOPES } from './demo-keys.js';
