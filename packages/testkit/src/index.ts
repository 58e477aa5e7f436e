export * from './services.js';
export * from './databases.js';
export * from './clock.js';
