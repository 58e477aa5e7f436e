import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuditScope, runInAuditScope, type AuditScope, type NewAuditEntry, type TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { createStore, type Store } from '../store.js';
import { ctxFor } from '../store.fixture.js';
import { verifyAuditChain } from './audit-log.repo.js';

const writer: TenantContext = { ...ctxFor('scoped'), actor: { kind: 'client', id: 'cli_writer' } };

function scopeFor(ctx: TenantContext, action = 'widget.create'): AuditScope {
  return createAuditScope(() => ({
    ctx,
    entryFor: (result): NewAuditEntry => ({ action, resource: { kind: 'widget', id: (result as { id?: string } | undefined)?.id ?? '-' }, outcome: 'success' }),
  }));
}

/** The resource id of the scope's committed entry (read through a call, so earlier assertions do not narrow it). */
function recordedId(scope: AuditScope): string | undefined {
  return scope.recorded?.resource.id;
}

async function entries(db: Database, tenantId: string) {
  const { rows } = await db.query<{ seq: string; action: string; resource_id: string; correlation_id: string }>(
    'SELECT seq, action, resource_id, correlation_id FROM tl_audit_log WHERE tenant_id = $1 ORDER BY seq',
    [tenantId],
  );
  return rows;
}

async function widgets(db: Database, id: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM tl_scope_widgets WHERE id = $1', [id]);
  return Number(rows[0]!.n);
}

for (const target of databaseTargets()) {
  describe(`audit entries commit with the write they record (${target.name})`, () => {
    let db: Database;
    let store: Store;
    before(async () => {
      db = await target.open();
      store = createStore(db);
      await db.exec(
        'CREATE TABLE tl_scope_widgets (id text PRIMARY KEY, tenant_id text NOT NULL); CREATE TABLE tl_scope_deferred (id text, CONSTRAINT tl_scope_deferred_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)',
      );
    });
    after(async () => {
      await db.close();
    });

    test('the first writing transaction appends the entry; reads and later transactions do not', async () => {
      const ctx = { ...writer, tenantId: 'scoped-1', correlationId: 'corr-1' };
      const scope = scopeFor(ctx);
      await runInAuditScope(scope, async () => {
        await store.transaction((tx) => tx.sql.query('SELECT 1'));
        assert.equal(scope.recorded, undefined, 'a read-only transaction records nothing');
        const created = await store.transaction(async (tx) => {
          await tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_1', ctx.tenantId]);
          return { id: 'w_1' };
        });
        assert.equal(created.id, 'w_1');
        assert.equal(recordedId(scope), 'w_1', 'the entry names what the transaction returned');
        await store.transaction((tx) => tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_2', ctx.tenantId]));
      });
      const rows = await entries(db, ctx.tenantId);
      assert.deepEqual(
        rows.map((r) => [Number(r.seq), r.action, r.resource_id, r.correlation_id]),
        [[1, 'widget.create', 'w_1', 'corr-1']],
      );
      await store.transaction((tx) => tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_3', ctx.tenantId]));
      assert.equal((await entries(db, ctx.tenantId)).length, 1, 'outside a scope nothing is appended');
    });

    test('a write whose transaction fails leaves no audit entry, and the scope records with the next one', async () => {
      const ctx = { ...writer, tenantId: 'scoped-2' };
      const scope = scopeFor(ctx);
      await runInAuditScope(scope, async () => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_fail', ctx.tenantId]);
            throw new Error('the write fails after its insert');
          }),
          /the write fails/,
        );
        // a failure at COMMIT (a deferred constraint) also rolls back the entry appended just before it
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx.sql.query("INSERT INTO tl_scope_deferred (id) VALUES ('d_1'), ('d_1')");
            return { id: 'd_1' };
          }),
          /tl_scope_deferred_id|duplicate/,
        );
        assert.equal(scope.recorded, undefined);
        assert.equal(scope.recording, false);
        assert.deepEqual(await entries(db, ctx.tenantId), [], 'no entry for writes that did not commit');
        assert.equal(await widgets(db, 'w_fail'), 0);
        await store.transaction((tx) => tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_ok', ctx.tenantId]).then(() => ({ id: 'w_ok' })));
      });
      assert.deepEqual((await entries(db, ctx.tenantId)).map((r) => r.resource_id), ['w_ok']);
      assert.equal((await verifyAuditChain(db, ctx.tenantId)).ok, true);
    });

    test('an audit entry that cannot be appended rolls the write back', async () => {
      const ctx = { ...writer, tenantId: 'scoped-3' };
      const scope = scopeFor(ctx, 'Not A Valid Action');
      await runInAuditScope(scope, async () => {
        await assert.rejects(
          store.transaction((tx) => tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_unaudited', ctx.tenantId])),
          (err: Error & { code?: string }) => err.code === 'TL_AUDIT_BAD_ENTRY',
        );
      });
      assert.equal(await widgets(db, 'w_unaudited'), 0, 'the write rolled back with its entry');
      assert.deepEqual(await entries(db, ctx.tenantId), []);
      assert.equal(scope.recorded, undefined);
    });

    test('a closed scope records nothing (work that outlives the request)', async () => {
      const ctx = { ...writer, tenantId: 'scoped-4' };
      const scope = scopeFor(ctx);
      scope.closed = true;
      await runInAuditScope(scope, () => store.transaction((tx) => tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', ['w_late', ctx.tenantId])));
      assert.deepEqual(await entries(db, ctx.tenantId), []);
    });

    test('50 parallel audited writes of one tenant: every write has its entry and the chain verifies', async () => {
      const tenantId = 'scoped-parallel';
      const scopes = Array.from({ length: 50 }, (_, i) => scopeFor({ ...writer, tenantId, correlationId: `corr-par-${i}` }));
      await Promise.all(
        scopes.map((scope, i) =>
          runInAuditScope(scope, () =>
            store.transaction(async (tx) => {
              await tx.sql.query('INSERT INTO tl_scope_widgets (id, tenant_id) VALUES ($1, $2)', [`w_par_${i}`, tenantId]);
              return { id: `w_par_${i}` };
            }),
          ),
        ),
      );
      const rows = await entries(db, tenantId);
      assert.equal(rows.length, 50);
      assert.deepEqual(
        rows.map((r) => Number(r.seq)),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      assert.deepEqual(new Set(rows.map((r) => r.resource_id)), new Set(scopes.map((_, i) => `w_par_${i}`)));
      assert.ok(scopes.every((s) => s.recorded !== undefined));
      assert.deepEqual(await verifyAuditChain(db, tenantId), { ok: true, checked: 50 });
    });
  });
}
