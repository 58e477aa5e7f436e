export * from './app.js';
export * from './problem.js';
export { correlationIdFrom, childTraceparent, correlationPlugin } from './plugins/correlation.plugin.js';
export { errorsPlugin } from './plugins/errors.plugin.js';
export * from './routes/health.routes.js';
