import type { ReadinessCheck, ReadinessProbe } from '@tradelane/api';
import { migrationStatus, type Database } from '@tradelane/store';

/** The hub's readiness: the database answers and no migration is pending. */
export function databaseReadiness(db: Database): ReadinessProbe {
  return {
    async check() {
      const checks: Record<string, ReadinessCheck> = {};
      const reachable = await db.ping();
      checks.database = reachable ? { ok: true } : { ok: false, detail: 'unreachable' };
      if (reachable) {
        try {
          const status = await migrationStatus(db);
          checks.migrations = status.pending.length
            ? { ok: false, detail: `${status.pending.length} pending: ${status.pending.join(', ')}` }
            : { ok: true, detail: `at version ${status.latest}` };
        } catch (err) {
          checks.migrations = { ok: false, detail: err instanceof Error ? err.message : String(err) };
        }
      }
      return checks;
    },
  };
}
