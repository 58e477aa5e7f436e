export * from './config.js';
export * from './server.js';
export { runCli, EXIT } from './cli.js';
export { createLogger } from './logger.js';
