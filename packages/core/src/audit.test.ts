import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AUDIT_GENESIS_HASH, REDACTED, auditEntryHash, audited, canonicalJson, redactAuditDetail, redactSecretsInText, verifyAuditEntries } from './audit.js';
import { NotAllowedError } from './errors.js';
import type { AuditEntry } from './ports/audit.ports.js';

describe('canonicalJson', () => {
  test('sorts keys at every level and drops undefined members', () => {
    assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined }), '{"a":[2,{"c":4,"d":3}],"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
    assert.equal(canonicalJson('x"y'), '"x\\"y"');
    assert.equal(canonicalJson(null), 'null');
  });
});

describe('redactAuditDetail', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGlfMSJ9.c2lnbmF0dXJlLXZhbHVl';
  test('masks members whose key names a secret, at any depth and in any case', () => {
    const out = redactAuditDetail({
      password: 'hunter2',
      clientSecret: 's3cr3t',
      access_token: 'abc',
      refreshToken: 'def',
      apiKey: 'k',
      'x-api-key': 'k2',
      Authorization: 'Bearer abc.def.ghi',
      headers: { authorization: 'Basic Zm9vOmJhcg==', cookie: 'sid=1', accept: 'application/json' },
      nested: [{ privateKey: '-----BEGIN' }, { name: 'ok' }],
      orderId: 'so_01',
    });
    assert.deepEqual(out, {
      password: REDACTED,
      clientSecret: REDACTED,
      access_token: REDACTED,
      refreshToken: REDACTED,
      apiKey: REDACTED,
      'x-api-key': REDACTED,
      Authorization: REDACTED,
      headers: { authorization: REDACTED, cookie: REDACTED, accept: 'application/json' },
      nested: [{ privateKey: REDACTED }, { name: 'ok' }],
      orderId: 'so_01',
    });
  });

  test('masks values shaped like API keys, webhook secrets, JWTs and authorization values under any key', () => {
    const out = redactAuditDetail({
      note: `key tlk_AbCdEfGhIjKlMnOpQrStUvWxYz012345 was used`,
      webhook: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      header: `Bearer ${jwt}`,
      raw: jwt,
      list: ['fine', `tlk_${'x'.repeat(32)}`],
    });
    const text = JSON.stringify(out);
    assert.doesNotMatch(text, /tlk_[A-Za-z0-9]/);
    assert.doesNotMatch(text, /whsec_[A-Za-z0-9]/);
    assert.doesNotMatch(text, /eyJ/);
    assert.equal(out.note, `key ${REDACTED} was used`);
    assert.equal(out.header, `Bearer ${REDACTED}`);
    assert.deepEqual(out.list, ['fine', REDACTED]);
  });

  test('leaves ordinary values alone and does not change its input', () => {
    const input = { quantity: 3, ok: true, none: null, sku: 'WID-1', token: 'x' };
    const out = redactAuditDetail(input);
    assert.deepEqual(out, { quantity: 3, ok: true, none: null, sku: 'WID-1', token: REDACTED });
    assert.equal(input.token, 'x');
    assert.equal(redactSecretsInText('purchase order po_01 approved'), 'purchase order po_01 approved');
  });
});

describe('verifyAuditEntries', () => {
  function chain(n: number): AuditEntry[] {
    const out: AuditEntry[] = [];
    let prevHash = AUDIT_GENESIS_HASH;
    for (let seq = 1; seq <= n; seq++) {
      const fields = {
        seq,
        tenantId: 'acme',
        actor: { kind: 'user' as const, id: 'u1' },
        action: 'sales_order.create',
        resource: { kind: 'sales_order', id: `so_${seq}` },
        outcome: 'success' as const,
        correlationId: `c${seq}`,
        detail: { n: seq },
        at: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)),
        prevHash,
      };
      const hash = auditEntryHash(fields);
      out.push({ ...fields, hash });
      prevHash = hash;
    }
    return out;
  }

  test('a pristine chain verifies; each kind of break is named', () => {
    const c = chain(5);
    assert.equal(verifyAuditEntries(c, { lastSeq: 5, lastHash: c[4]!.hash }), undefined);
    assert.deepEqual(verifyAuditEntries([c[0]!, { ...c[1]!, outcome: 'failure' }, ...c.slice(2)]), { seq: 2, reason: 'hash_mismatch' });
    assert.deepEqual(verifyAuditEntries([c[0]!, ...c.slice(2)]), { seq: 2, reason: 'sequence_gap' });
    assert.deepEqual(verifyAuditEntries([c[0]!, { ...c[2]!, seq: 2 }, { ...c[1]!, seq: 3 }, ...c.slice(3)]), { seq: 2, reason: 'reordered' });
    assert.deepEqual(verifyAuditEntries([c[0]!, { ...c[1]!, prevHash: 'f'.repeat(64) }]), { seq: 2, reason: 'prev_hash_mismatch' });
    assert.deepEqual(verifyAuditEntries(c.slice(0, 4), { lastSeq: 5, lastHash: c[4]!.hash }), { seq: 5, reason: 'sequence_gap' });
  });
});

describe('audited', () => {
  const ctx = { tenantId: 'acme', actor: { kind: 'user' as const, id: 'u1' }, scopes: [], correlationId: 'c1' };
  function memoryLog() {
    const entries: { action: string; resource: { kind: string; id: string }; outcome: string; detail?: unknown }[] = [];
    return { entries, log: { append: async (_ctx: unknown, e: (typeof entries)[number]) => (entries.push(e), e as never), list: async () => ({ entries: [] }) } };
  }

  test('records success with the resource from the result, denied and failure with the error code, and rethrows', async () => {
    const { entries, log } = memoryLog();
    const made = await audited(log, ctx, { action: 'sales_order.create', resource: (r: { id: string }) => ({ kind: 'sales_order', id: r.id }) }, async () => ({ id: 'so_1' }));
    assert.equal(made.id, 'so_1');
    await assert.rejects(
      audited(log, ctx, { action: 'invoice.read', resource: { kind: 'invoice', id: 'inv_1' } }, async () => {
        throw new NotAllowedError('TL_AUTH_SCOPE', 'missing scope');
      }),
      NotAllowedError,
    );
    await assert.rejects(
      audited(log, ctx, { action: 'sales_order.create', resource: (r: { id: string }) => ({ kind: 'sales_order', id: r.id }) }, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(
      entries.map((e) => [e.action, e.resource.id, e.outcome]),
      [
        ['sales_order.create', 'so_1', 'success'],
        ['invoice.read', 'inv_1', 'denied'],
        ['sales_order.create', '-', 'failure'],
      ],
    );
    assert.deepEqual(entries[1]!.detail, { errorCode: 'TL_AUTH_SCOPE' });
  });
});
