import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AUDIT_GENESIS_HASH, InputError, auditEntryHash, type AuditBreakReason, type TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database, Sql } from '../driver/database.js';
import { ctxFor, manualClock, type ManualClock } from '../store.fixture.js';
import { createAuditLogRepo, verifyAuditChain, type AuditLogRepo } from './audit-log.repo.js';

const acme: TenantContext = { ...ctxFor('acme'), actor: { kind: 'user', id: 'usr_ops1' } };
const globex = ctxFor('globex');
const CHAIN = 30;

/** A seeded pseudo-random generator (mulberry32), so a failing tamper run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rollback extends Error {}

/** Runs `fn` in a transaction that is always rolled back, so each tamper starts from the pristine chain. */
async function onCopy<T>(db: Database, fn: (tx: Sql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await db
    .transaction(async (tx) => {
      await tx.query('ALTER TABLE tl_audit_log DISABLE TRIGGER tl_audit_log_no_update');
      result = await fn(tx);
      throw new Rollback();
    })
    .catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return result as T;
}

type Tamper = 'update_field' | 'delete_row' | 'swap_seq' | 'change_prev_hash' | 'insert_forged';
const TAMPERS: readonly Tamper[] = ['update_field', 'delete_row', 'swap_seq', 'change_prev_hash', 'insert_forged'];
const FIELDS = [
  ["action = 'sales_order.delete'", 'action'],
  ["resource_id = 'so_forged'", 'resource_id'],
  ["outcome = CASE WHEN outcome = 'success' THEN 'denied' ELSE 'success' END", 'outcome'],
  ["actor_id = 'usr_someone_else'", 'actor_id'],
  ["correlation_id = 'corr-forged'", 'correlation_id'],
  ['detail = \'{"quantity": 999}\'::jsonb', 'detail'],
  ["at = at + interval '1 millisecond'", 'at'],
  ["tenant_id = 'globex2'", 'tenant_id'],
] as const;

async function tamper(tx: Sql, kind: Tamper, random: () => number): Promise<string> {
  const pick = (n: number) => 1 + Math.floor(random() * n);
  switch (kind) {
    case 'update_field': {
      const seq = pick(CHAIN);
      const [set, name] = FIELDS[Math.floor(random() * FIELDS.length)]!;
      await tx.query(`UPDATE tl_audit_log SET ${set} WHERE tenant_id = 'acme' AND seq = $1`, [seq]);
      return `update ${name} of seq ${seq}`;
    }
    case 'delete_row': {
      const seq = pick(CHAIN);
      await tx.query(`DELETE FROM tl_audit_log WHERE tenant_id = 'acme' AND seq = $1`, [seq]);
      return `delete seq ${seq}`;
    }
    case 'swap_seq': {
      const a = pick(CHAIN);
      let b = pick(CHAIN - 1);
      if (b >= a) b += 1;
      await tx.query(`UPDATE tl_audit_log SET seq = 1000000 WHERE tenant_id = 'acme' AND seq = $1`, [a]);
      await tx.query(`UPDATE tl_audit_log SET seq = $1 WHERE tenant_id = 'acme' AND seq = $2`, [a, b]);
      await tx.query(`UPDATE tl_audit_log SET seq = $1 WHERE tenant_id = 'acme' AND seq = 1000000`, [b]);
      return `swap seq ${a} and ${b}`;
    }
    case 'change_prev_hash': {
      const seq = pick(CHAIN);
      await tx.query(`UPDATE tl_audit_log SET prev_hash = $2 WHERE tenant_id = 'acme' AND seq = $1`, [seq, randomBytes(32).toString('hex')]);
      return `change prev_hash of seq ${seq}`;
    }
    case 'insert_forged': {
      // A well-formed forged entry at position k, linked to its predecessor, with a correct hash of its own.
      const k = pick(CHAIN + 1);
      await tx.query(`UPDATE tl_audit_log SET seq = seq + 1000000 WHERE tenant_id = 'acme' AND seq >= $1`, [k]);
      await tx.query(`UPDATE tl_audit_log SET seq = seq - 999999 WHERE tenant_id = 'acme' AND seq >= 1000000`);
      const { rows } = await tx.query<{ hash: string }>(`SELECT hash FROM tl_audit_log WHERE tenant_id = 'acme' AND seq = $1`, [k - 1]);
      const fields = {
        seq: k,
        tenantId: 'acme',
        actor: { kind: 'user' as const, id: 'usr_ops1' },
        action: 'api_key.create',
        resource: { kind: 'api_key', id: 'key_forged' },
        outcome: 'success' as const,
        correlationId: 'corr-forged',
        detail: null,
        at: new Date('2030-01-01T00:00:00.000Z'),
        prevHash: rows[0]?.hash ?? AUDIT_GENESIS_HASH,
      };
      await tx.query(
        `INSERT INTO tl_audit_log (tenant_id, seq, actor_kind, actor_id, action, resource_kind, resource_id, outcome, correlation_id, detail, at, prev_hash, hash)
         VALUES ('acme', $1, 'user', 'usr_ops1', $2, 'api_key', 'key_forged', 'success', 'corr-forged', NULL, $3, $4, $5)`,
        [k, fields.action, fields.at, fields.prevHash, auditEntryHash(fields)],
      );
      return `insert forged entry at seq ${k}`;
    }
  }
}

for (const target of databaseTargets()) {
  describe(`audit log on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let audit: AuditLogRepo;
    before(async () => {
      db = await target.open();
      clock = manualClock();
      audit = createAuditLogRepo(db, clock);
      for (let i = 1; i <= CHAIN; i++) {
        clock.advance(1000);
        await audit.append(acme, {
          action: i % 3 === 0 ? 'invoice.read' : 'sales_order.create',
          resource: { kind: i % 3 === 0 ? 'invoice' : 'sales_order', id: `so_${String(i).padStart(4, '0')}` },
          outcome: i % 7 === 0 ? 'denied' : 'success',
          detail: { line: i, note: 'x'.repeat(i % 5), price: { amount: '12.50', currency: 'USD' } },
        });
        await audit.append(globex, { action: 'item.update', resource: { kind: 'item', id: `itm_${i}` }, outcome: 'success' });
      }
    });
    after(() => db.close());

    test('appends a hash chain per tenant with actor, correlation id and time from the context and clock', async () => {
      const page = await audit.list(acme, { limit: 10 });
      assert.equal(page.entries.length, 10);
      assert.equal(page.nextAfterSeq, 10);
      const [first, second] = page.entries;
      assert.equal(first!.seq, 1);
      assert.equal(first!.prevHash, AUDIT_GENESIS_HASH);
      assert.equal(second!.prevHash, first!.hash);
      assert.deepEqual(first!.actor, { kind: 'user', id: 'usr_ops1' });
      assert.equal(first!.correlationId, 'corr-acme');
      assert.equal(first!.tenantId, 'acme');
      assert.match(first!.hash, /^[0-9a-f]{64}$/);
      assert.equal(auditEntryHash(first!), first!.hash);
      const rest = await audit.list(acme, { afterSeq: page.nextAfterSeq, limit: 100 });
      assert.equal(rest.entries.length, CHAIN - 10);
      assert.equal(rest.nextAfterSeq, undefined);
      const invoices = await audit.list(acme, { resourceKind: 'invoice' });
      assert.equal(invoices.entries.length, CHAIN / 3);
      assert.equal((await audit.list(globex)).entries.every((e) => e.tenantId === 'globex'), true, 'tenant-scoped');
      assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 2 * CHAIN });
      assert.deepEqual(await verifyAuditChain(db, 'acme'), { ok: true, checked: CHAIN });
      assert.deepEqual(await verifyAuditChain(db, 'acme', { batchSize: 7 }), { ok: true, checked: CHAIN }, 'pages carry the chain across');
      const swapped = await onCopy(db, async (tx) => {
        await tamper(tx, 'swap_seq', () => 0.5);
        return verifyAuditChain(tx, 'acme', { batchSize: 4 });
      });
      assert.equal(swapped.ok, false);
      assert.equal(swapped.firstBroken?.reason, 'reordered');
    });

    test('redacts secrets from details before hashing and storing', async () => {
      const ctx = ctxFor('redact');
      const entry = await audit.append(ctx, {
        action: 'api_key.rotate',
        resource: { kind: 'api_key', id: 'key_1' },
        outcome: 'success',
        detail: { apiKey: 'tlk_AbCdEfGhIjKlMnOpQrStUvWx', headers: { Authorization: 'Bearer abc' }, note: 'new key tlk_ZyXwVuTsRqPoNmLkJiHg issued' },
      });
      const stored = JSON.stringify((await audit.list(ctx)).entries);
      assert.doesNotMatch(stored, /tlk_[A-Za-z]/);
      assert.doesNotMatch(stored, /Bearer abc/);
      assert.equal((entry.detail as { apiKey: string }).apiKey, '[REDACTED]');
      assert.equal((await verifyAuditChain(db, 'redact')).ok, true);
    });

    test('rejects a malformed entry', async () => {
      await assert.rejects(audit.append(acme, { action: 'Bad Action', resource: { kind: 'x', id: 'y' }, outcome: 'success' }), InputError);
      await assert.rejects(audit.append(acme, { action: 'x.y', resource: { kind: 'x', id: '' }, outcome: 'success' }), InputError);
      await assert.rejects(audit.append(acme, { action: 'x.y', resource: { kind: 'x', id: 'y' }, outcome: 'maybe' as 'success' }), InputError);
    });

    test('concurrent appends of one tenant form one unbroken chain', async () => {
      const ctx = ctxFor('busy');
      const all = await Promise.all(
        Array.from({ length: 24 }, (_, i) => audit.append(ctx, { action: 'order.read', resource: { kind: 'sales_order', id: `so_${i}` }, outcome: 'success' })),
      );
      assert.deepEqual(
        all.map((e) => e.seq).sort((a, b) => a - b),
        Array.from({ length: 24 }, (_, i) => i + 1),
      );
      assert.deepEqual(await verifyAuditChain(db, 'busy'), { ok: true, checked: 24 });
    });

    test("an append in the caller's transaction rolls back with it and leaves the chain intact", async () => {
      const ctx = ctxFor('txn');
      await audit.append(ctx, { action: 'a.b', resource: { kind: 'k', id: '1' }, outcome: 'success' });
      await assert.rejects(
        db.transaction(async (tx) => {
          await createAuditLogRepo(tx, clock).append(ctx, { action: 'a.b', resource: { kind: 'k', id: '2' }, outcome: 'success' });
          throw new Error('business failure');
        }),
        /business failure/,
      );
      await db.transaction((tx) => createAuditLogRepo(tx, clock).append(ctx, { action: 'a.b', resource: { kind: 'k', id: '3' }, outcome: 'success' }));
      const entries = (await audit.list(ctx)).entries;
      assert.deepEqual(
        entries.map((e) => [e.seq, e.resource.id]),
        [
          [1, '1'],
          [2, '3'],
        ],
      );
      assert.equal((await verifyAuditChain(db, 'txn')).ok, true);
    });

    test('the table refuses updates and deletes', async () => {
      await assert.rejects(db.query("UPDATE tl_audit_log SET outcome = 'failure' WHERE tenant_id = 'acme' AND seq = 1"), /append-only/);
      await assert.rejects(db.query("DELETE FROM tl_audit_log WHERE tenant_id = 'acme'"), /append-only/);
    });

    test('100 random tampers (update, delete, swap, prev hash, forged insert) on fresh copies: 100 detected', async () => {
      const random = seeded(0x7a3d);
      const reasons = new Map<AuditBreakReason, number>();
      const kinds = new Map<Tamper, number>();
      let detected = 0;
      for (let i = 0; i < 100; i++) {
        const kind = TAMPERS[i % TAMPERS.length]!;
        const { what, result } = await onCopy(db, async (tx) => {
          const what = await tamper(tx, kind, random);
          return { what, result: await verifyAuditChain(tx, 'acme') };
        });
        assert.equal(result.ok, false, `tamper #${i} (${what}) was not detected`);
        assert.ok(result.firstBroken && result.firstBroken.seq >= 1 && result.firstBroken.seq <= CHAIN + 1, what);
        detected += 1;
        reasons.set(result.firstBroken!.reason, (reasons.get(result.firstBroken!.reason) ?? 0) + 1);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      assert.equal(detected, 100);
      assert.equal(kinds.size, TAMPERS.length);
      for (const reason of ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap', 'reordered'] as const) assert.ok(reasons.get(reason), `some tamper is reported as ${reason}`);
      assert.deepEqual(await verifyAuditChain(db, 'acme'), { ok: true, checked: CHAIN }, 'the original chain is untouched');
    });
  });
}
