import { InputError } from '@tradelane/core';
import type { Database, DatabaseConfig } from './database.js';
import { openPglite } from './pglite.driver.js';
import { openPostgres } from './pg.driver.js';

/**
 * Opens server Postgres when `url` is set, otherwise the embedded PGlite folder.
 * @example await openDatabase({ dataDir: './.tradelane/data' })
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.url) {
    if (!/^postgres(ql)?:\/\//.test(config.url)) {
      throw new InputError('TL_STORE_BAD_URL', 'DATABASE_URL must start with postgres:// or postgresql://');
    }
    return openPostgres(config.url, { schema: config.schema, poolSize: config.poolSize });
  }
  return openPglite(config.dataDir ?? './.tradelane/data', config.schema);
}
