import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemContext } from '@tradelane/core';
import { createAuditLogRepo, type Database } from '@tradelane/store';
import { databaseTargets, manualClock } from '@tradelane/testkit';
import { AUDIT_EXIT, runAuditCommand } from './audit.command.js';

function io(db: Database | undefined) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (s: string) => void (out.stdout += s),
      stderr: (s: string) => void (out.stderr += s),
      openDatabase: async () => {
        if (!db) throw new Error('no database');
        // the command closes what it opens; keep the test's database open
        return { ...db, close: async () => {} } as Database;
      },
    },
  };
}

describe('tradelane audit verify', () => {
  it('exits 64 on bad usage without opening the database', async () => {
    for (const argv of [[], ['check'], ['verify', 'extra'], ['verify', '--tenant'], ['verify', '--tenant', 'a b'], ['verify', '--nope']]) {
      const { io: cli } = io(undefined);
      assert.equal(await runAuditCommand(argv, cli), AUDIT_EXIT.usage, argv.join(' '));
    }
    const help = io(undefined);
    assert.equal(await runAuditCommand(['--help'], help.io), AUDIT_EXIT.ok);
    assert.match(help.out.stdout, /audit verify/);
  });

  it('exits 70 when the database cannot be opened', async () => {
    const failing = io(undefined);
    assert.equal(await runAuditCommand(['verify'], failing.io), AUDIT_EXIT.error);
    assert.match(failing.out.stderr, /could not run/);
  });

  for (const target of databaseTargets()) {
    it(`exits 0 on an intact chain and 1 with the first broken seq on a tampered one (${target.name})`, async () => {
      const db = await target.open();
      try {
        const audit = createAuditLogRepo(db, manualClock());
        for (let i = 0; i < 5; i++) await audit.append(systemContext('acme', `c${i}`), { action: 'item.update', resource: { kind: 'item', id: `itm_${i}` }, outcome: 'success' });
        await audit.append(systemContext('globex', 'g'), { action: 'item.update', resource: { kind: 'item', id: 'itm_g' }, outcome: 'success' });
        const ok = io(db);
        assert.equal(await runAuditCommand(['verify'], ok.io), AUDIT_EXIT.ok);
        assert.deepEqual(JSON.parse(ok.out.stdout), { ok: true, checked: 6 });
        const one = io(db);
        assert.equal(await runAuditCommand(['verify', '--tenant', 'acme'], one.io), AUDIT_EXIT.ok);
        assert.deepEqual(JSON.parse(one.out.stdout), { ok: true, checked: 5 });

        await db.exec('ALTER TABLE tl_audit_log DISABLE TRIGGER tl_audit_log_no_update');
        await db.query("UPDATE tl_audit_log SET outcome = 'denied' WHERE tenant_id = 'acme' AND seq = 3");
        const broken = io(db);
        assert.equal(await runAuditCommand(['verify', '--tenant', 'acme'], broken.io), AUDIT_EXIT.broken);
        assert.deepEqual(JSON.parse(broken.out.stdout).firstBroken, { tenantId: 'acme', seq: 3, reason: 'hash_mismatch' });
        assert.match(broken.out.stderr, /first broken entry seq 3 \(hash_mismatch\)/);
        const other = io(db);
        assert.equal(await runAuditCommand(['verify', '--tenant', 'globex'], other.io), AUDIT_EXIT.ok);
      } finally {
        await db.close();
      }
    });
  }
});
