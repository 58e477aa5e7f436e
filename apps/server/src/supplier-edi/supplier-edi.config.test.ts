import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '@tradelane/canonical';
import { InputError, type EdiMessageRepository } from '@tradelane/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupplierEdi } from './supplier-edi.js';
import { fileNameFor, loadEdiSuppliers, resolveSupplierEdi, supplierEdiConfigSchema, type SupplierEdiConfigInput } from './supplier-edi.config.js';

const supplierId = newId('pty');
const profile = { id: 'fastenal', role: 'supplier', interchange: { ours: { qualifier: 'ZZ', id: 'TRADELANE' }, theirs: { qualifier: 'ZZ', id: 'FASTENAL' } } };
const input = (over: Partial<SupplierEdiConfigInput> = {}): SupplierEdiConfigInput => ({
  supplierId,
  tenantId: 'acme',
  sftp: { host: 'sftp.example', username: 'tl', auth: { method: 'password', password: 'secret' }, hostKey: { acceptAny: true } },
  folders: { partnerInbound: '/in', partnerOutbound: '/out/' },
  profile: { inline: profile },
  ...over,
});
const noFile = async (): Promise<string> => {
  throw new Error('no file');
};

describe('supplier EDI configuration', () => {
  it('builds pickup from the outbound folder and drop into the inbound folder, with defaults', async () => {
    const r = await resolveSupplierEdi(input(), noFile);
    assert.equal(r.profile.partyId, supplierId);
    assert.equal(r.profile.id, 'fastenal');
    assert.equal(r.sftp.connection.port, 22);
    assert.deepEqual([r.sftp.pickup?.inbound, r.sftp.pickup?.processing, r.sftp.pickup?.archive, r.sftp.pickup?.failed], ['/out', '/out/.processing', '/out/archive', undefined]);
    assert.equal(r.sftp.pickup?.quietPeriodMs, 30_000);
    assert.equal(r.sftp.drop?.outbound, '/in');
    assert.equal(r.config.fileNamePattern, '850_{poNumber}_r{revision}.edi');
    assert.equal(r.config.pollIntervalMs, 60_000);
  });

  it('reads the profile from a file', async () => {
    const r = await resolveSupplierEdi(input({ profile: { path: '/p.json' } }), async (p) => (p === '/p.json' ? JSON.stringify(profile) : ''));
    assert.equal(r.profile.interchange.theirs.id, 'FASTENAL');
  });

  it('refuses a customer profile, a profile of another party, a bad supplier id and an unknown placeholder', async () => {
    await assert.rejects(resolveSupplierEdi(input({ profile: { inline: { ...profile, role: 'customer' } } }), noFile), (e: unknown) => e instanceof InputError && e.code === 'TL_EDI_PROFILE_NOT_SUPPLIER');
    await assert.rejects(resolveSupplierEdi(input({ profile: { inline: { ...profile, partyId: newId('pty') } } }), noFile), (e: unknown) => e instanceof InputError && e.code === 'TL_EDI_PROFILE_PARTY_MISMATCH');
    await assert.rejects(resolveSupplierEdi(input({ profile: { path: '/p.json' } }), async () => '{nope'), (e: unknown) => e instanceof InputError && e.code === 'TL_EDI_PROFILE_NOT_JSON');
    assert.equal(supplierEdiConfigSchema.safeParse(input({ supplierId: '5101' })).success, false);
    const bad = supplierEdiConfigSchema.safeParse(input({ fileNamePattern: '850_{po}.edi' }));
    assert.equal(bad.success, false);
  });

  it('fills file name patterns and keeps names safe', () => {
    const at = new Date('2026-03-02T08:05:09Z');
    assert.equal(fileNameFor('850_{poNumber}_r{revision}.edi', { poNumber: '400001', revision: 2, controlNumber: '000000007', partner: 'fastenal', at }), '850_400001_r2.edi');
    assert.equal(fileNameFor('{partner}-{poNumber}-{controlNumber}-{timestamp}.x12', { poNumber: 'PO 7/1', revision: 0, controlNumber: '000000007', partner: 'fastenal', at }), 'fastenal-PO_7_1-000000007-20260302080509.x12');
  });
});

describe('createSupplierEdi', () => {
  it('puts every configured supplier on the edi-850 channel and builds one poller each', async () => {
    const resolved = await resolveSupplierEdi(input(), noFile);
    const repository = {} as EdiMessageRepository;
    const edi = createSupplierEdi({ suppliers: [resolved], repository });
    assert.equal(edi.channel.name, 'edi-850');
    assert.deepEqual(edi.tolerances, { [supplierId]: { channel: 'edi-850' } });
    const unused = async (): Promise<never> => {
      throw new Error('not called');
    };
    const pollers = edi.pollers({ commands: { acknowledge: unused, submitAsn: unused, submitInvoice: unused }, queries: { getPurchaseOrder: unused } });
    assert.deepEqual(pollers.map((p) => p.name), ['supplier-edi:fastenal']);
    const ctx = pollers[0]!.context('corr-1');
    assert.deepEqual(ctx, { tenantId: 'acme', partnerId: supplierId, actor: { kind: 'client', id: 'edi:fastenal' }, scopes: ['supplier:read', 'supplier:write'], correlationId: 'corr-1' });
  });

  it('loads the suppliers file with profile paths relative to it, and names the file and field of a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-edi-suppliers-'));
    try {
      writeFileSync(join(dir, 'fastenal.json'), JSON.stringify(profile));
      writeFileSync(join(dir, 'suppliers.json'), JSON.stringify([input({ profile: { path: 'fastenal.json' } })]));
      const [loaded] = await loadEdiSuppliers(join(dir, 'suppliers.json'));
      assert.equal(loaded!.profile.id, 'fastenal');
      assert.equal(loaded!.config.supplierId, supplierId);
      writeFileSync(join(dir, 'bad.json'), JSON.stringify([{ ...input(), folders: { partnerInbound: '/in' } }]));
      await assert.rejects(loadEdiSuppliers(join(dir, 'bad.json')), (err: unknown) => err instanceof InputError && err.code === 'TL_EDI_SUPPLIERS_FILE' && /bad\.json: 0\.folders\.partnerOutbound/.test(err.message));
      writeFileSync(join(dir, 'broken.json'), '[{');
      await assert.rejects(loadEdiSuppliers(join(dir, 'broken.json')), (err: unknown) => err instanceof InputError && /broken\.json/.test(err.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
