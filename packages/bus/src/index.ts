export * from './consumer-registry.js';
export * from './dispatcher.js';
export * from './transport.js';
export * from './local.transport.js';
export * from './relay.js';
export * from './replay.js';
