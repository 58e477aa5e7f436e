export * from './driver/database.js';
export { openPglite } from './driver/pglite.driver.js';
export { openPostgres } from './driver/pg.driver.js';
export { openDatabase } from './driver/open-database.js';
export * from './migrations/migrate.js';
