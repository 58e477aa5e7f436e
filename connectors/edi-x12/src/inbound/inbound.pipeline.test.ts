import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AdvanceShipNotice, PurchaseOrder, PurchaseOrderAcknowledgment } from '@tradelane/canonical';
import { ConflictError, NotFoundError, systemContext, type EdiMessageRepository } from '@tradelane/core';
import { createEdiMessageRepo, type Database } from '@tradelane/store';
import { databaseTargets, manualClock } from '@tradelane/testkit';
import { InMemoryControlNumberSequence } from '../codec/writer/control-number.sequence.js';
import { asnMapping, ctx as csvCtx, inventoryMapping, poId, poaMapping, profile as acme } from '../csv/csv-mapping.fixture.js';
import { contextFor, customerProfile, fixedNow, fixtureSet, itemIds, supplierProfile } from '../mappers/mapping-test.fixture.js';
import { parsePartnerProfile, type PartnerProfile } from '../mappers/partner-profile.schema.js';
import { x12850ToPurchaseOrder } from '../mappers/po-850.to-canonical.js';
import { createSftpChannel } from '../transport/sftp.channel.js';
import { parseSftpConfig } from '../transport/sftp.config.js';
import { lookupSshd, startSshd, type TestSshd } from '../transport/sshd.fixture.js';
import { interpretInboundFile, receiveInboundFile, replayInboundMessage } from './inbound.pipeline.js';
import { messageStoreLedger } from './message-ledger.js';

const edi = (name: string): Buffer => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url));
const csv = (name: string): Buffer => readFileSync(new URL(`../csv/__fixtures__/${name}`, import.meta.url));
const ctx = systemContext('demo', 'corr-inbound', 'test');
const supplier: PartnerProfile = parsePartnerProfile({ ...acme, csv: [asnMapping, poaMapping, inventoryMapping] });
const purchaseOrder: PurchaseOrder = x12850ToPurchaseOrder(fixtureSet('po-850.edi'), contextFor(supplierProfile), { itemIdForSku: (s) => itemIds.get(s) });
const base = { sequence: new InMemoryControlNumberSequence(), now: () => fixedNow, lookups: csvCtx.lookups };

describe('inbound pipeline: interpreting a file', () => {
  it('validates an X12 856, answers with a 997 and maps the set, resolving the PO id through the lookup', async () => {
    const result = await interpretInboundFile({ name: 'asn-856.edi', bytes: edi('asn-856.edi'), channel: 'sftp' }, { ...base, profile: supplier }, 'demo');
    assert.equal(result.format, 'x12');
    assert.equal(result.outcome, 'accepted');
    assert.deepEqual(result.errors, []);
    assert.equal(result.documents.length, 1);
    assert.equal(result.documents[0]?.type, 'advance-ship-notice');
    assert.equal(result.documents[0]?.source, '000000517/517/0001');
    const asn = result.documents[0]?.document as AdvanceShipNotice;
    assert.equal(asn.asnNumber, 'SH-778120');
    assert.equal(asn.orders[0]?.purchaseOrderId, poId);
    assert.match(result.acknowledgmentText ?? '', /ST\*997\*0001~AK1\*SH\*517~AK2\*856\*0001~AK5\*A~AK9\*A\*1\*1\*1~/);
    assert.deepEqual(result.record.controlNumbers, { interchanges: ['000000517'], groups: ['517'], sets: ['0001'] });
    assert.equal(result.record.mappingVersion, 'x12:acme-supply@1');
  });

  it('does not map a set the 997 rejects, and keeps the reasons', async () => {
    const result = await interpretInboundFile({ name: 'inv.edi', bytes: edi('se-count-mismatch.edi'), channel: 'sftp' }, { ...base, profile: supplier }, 'demo');
    assert.equal(result.outcome, 'rejected');
    assert.deepEqual(result.documents, []);
    assert.ok(result.errors.some((e) => e.code === 'TL_EDI_AK5_4' && e.setControlNumber === '0001'), JSON.stringify(result.errors));
    assert.match(result.acknowledgmentText ?? '', /AK5\*R\*4~AK9\*R\*1\*1\*0~/);
  });

  it('maps only the interchanges the partner sent; others are reported', async () => {
    const result = await interpretInboundFile({ name: 'multi.edi', bytes: edi('multi-isa.edi'), channel: 'as2' }, { ...base, profile: customerProfile }, 'demo');
    assert.deepEqual(result.documents.map((d) => d.type), ['sales-order']);
    assert.ok(result.errors.some((e) => e.code === 'TL_EDI_SENDER_MISMATCH' && /not from partner northwind/.test(e.message)), JSON.stringify(result.errors));
    assert.equal(result.outcome, 'accepted');
  });

  it('reads CSV with the mapping whose file name pattern matches, and reports bad rows', async () => {
    const result = await interpretInboundFile({ name: 'asn-acme.csv', bytes: csv('asn-acme.csv'), channel: 'sftp' }, { ...base, profile: supplier }, 'demo');
    assert.equal(result.format, 'csv');
    assert.equal(result.outcome, 'accepted');
    assert.deepEqual(result.documents.map((d) => [d.type, d.source]), [['advance-ship-notice', 'rows 2,3,5'], ['advance-ship-notice', 'row 11']]);
    assert.deepEqual(result.errors.map((e) => `${e.row}:${e.column}:${e.code}`), ['6:Qty:TL_EDI_CSV_BAD_NUMBER', '7:SSCC:TL_EDI_CSV_BAD_VALUE', '8:UoM:TL_EDI_CSV_UNKNOWN_UNIT', '9:Ship Date:TL_EDI_CSV_INCONSISTENT', '12:PO Number:TL_EDI_CSV_REQUIRED']);
    assert.equal(result.record.mappingVersion, 'csv:acme-supply/asn@3');
    assert.equal(result.acknowledgmentText, undefined);
  });

  it('refuses what is neither X12 nor a mapped CSV file, with a reason', async () => {
    const pdf = await interpretInboundFile({ name: 'invoice.pdf', bytes: Buffer.from('%PDF-1.7\n'), channel: 'sftp' }, { ...base, profile: supplier }, 'demo');
    assert.equal(pdf.outcome, 'rejected');
    assert.equal(pdf.errors[0]?.code, 'TL_EDI_FORMAT_UNKNOWN');
    const unmapped = await interpretInboundFile({ name: 'prices.csv', bytes: Buffer.from('a,b\n1,2\n'), channel: 'sftp' }, { ...base, profile: supplier }, 'demo');
    assert.equal(unmapped.errors[0]?.code, 'TL_EDI_CSV_NO_MAPPING');
    assert.match(unmapped.errors[0]?.message ?? '', /file name patterns: asn-\*\.csv, poa-\*\.csv, inventory-\*\.csv/);
  });
});

for (const target of databaseTargets()) {
  describe(`inbound pipeline with the message store on ${target.name}`, () => {
    let db: Database;
    let repository: EdiMessageRepository;
    before(async () => {
      db = await target.open();
      repository = createEdiMessageRepo(db, manualClock(fixedNow));
    });
    after(() => db.close());

    it('records each file once; the same name and content again is a duplicate linked to the first', async () => {
      const file = { name: 'asn-856.edi', bytes: edi('asn-856.edi'), channel: 'sftp' };
      const first = await receiveInboundFile(ctx, file, { ...base, profile: supplier, repository });
      assert.equal(first.message.outcome, 'accepted');
      const stored = await repository.get(ctx, first.message.id);
      assert.deepEqual(Buffer.from(stored?.payload ?? []), edi('asn-856.edi'));
      assert.equal(stored?.documents.length, 1);
      assert.match(stored?.acknowledgment ?? '', /ST\*997/);

      const again = await receiveInboundFile(ctx, file, { ...base, profile: supplier, repository });
      assert.equal(again.outcome, 'duplicate');
      assert.equal(again.message.duplicateOf, first.message.id);
      assert.equal(again.acknowledgmentText, undefined, 'a duplicate is not acknowledged again');
      assert.deepEqual(again.documents, []);
      const renamed = await receiveInboundFile(ctx, { ...file, name: 'asn-856-resent.edi' }, { ...base, profile: supplier, repository });
      assert.equal(renamed.outcome, 'accepted', 'another name is another file (the X12 registry would still flag a repeated ISA13)');
    });

    it('a rejected CSV file is kept and, once the mapping is fixed, replays into an accepted message linked to it', async () => {
      const broken = parsePartnerProfile({ ...supplier, csv: [{ ...poaMapping, actions: {} }] });
      const file = { name: 'poa-acme.csv', bytes: csv('poa-acme.csv'), channel: 'sftp' };
      const first = await receiveInboundFile(ctx, file, { ...base, profile: broken, repository });
      assert.equal(first.message.outcome, 'rejected');
      assert.ok(first.message.errors.every((e) => e.code === 'TL_EDI_CSV_UNKNOWN_CODE' || e.code === 'TL_EDI_CSV_BAD_DATE'), JSON.stringify(first.message.errors));
      assert.equal(first.message.mappingVersion, 'csv:acme-supply/poa@1');

      const fixed = parsePartnerProfile({ ...supplier, csv: [{ ...poaMapping, version: '2' }] });
      const replay = await replayInboundMessage(ctx, first.message.id, { ...base, repository, profileFor: (id) => (id === 'acme-supply' ? fixed : undefined) });
      assert.equal(replay.message.outcome, 'accepted');
      assert.equal(replay.message.replayOf, first.message.id);
      assert.equal(replay.message.mappingVersion, 'csv:acme-supply/poa@2');
      assert.equal(replay.message.fileName, 'poa-acme.csv');
      assert.equal((replay.documents[0]?.document as PurchaseOrderAcknowledgment).lines.length, 4);
      const replays = await repository.list(ctx, { replayOf: first.message.id });
      assert.deepEqual(replays.items.map((m) => m.id), [replay.message.id]);
      assert.equal((await repository.get(ctx, first.message.id))?.outcome, 'rejected', 'the original stays as it was');
    });

    it('an 855 for a purchase order not yet known is rejected, and accepted on replay once the lookup knows it', async () => {
      const file = { name: 'poa-855.edi', bytes: edi('poa-855.edi'), channel: 'as2' };
      const first = await receiveInboundFile(ctx, file, { ...base, lookups: {}, profile: supplier, repository });
      assert.equal(first.outcome, 'rejected');
      assert.match(first.errors[0]?.message ?? '', /purchase order PO-2025-0042 is not known/);
      assert.equal(first.errors[0]?.element, 'BAK03');
      assert.match(first.acknowledgmentText ?? '', /AK5\*A/, 'the 997 accepts the syntax; the business mapping is what failed');
      const replay = await replayInboundMessage(ctx, first.message.id, {
        ...base,
        lookups: { purchaseOrder: (n) => (n === purchaseOrder.poNumber ? purchaseOrder : undefined) },
        repository,
        profileFor: () => supplier,
      });
      assert.equal(replay.outcome, 'accepted');
      assert.equal((replay.documents[0]?.document as PurchaseOrderAcknowledgment).purchaseOrderId, purchaseOrder.id);
      assert.deepEqual(replay.errors, [], 'the replay does not flag its own interchange number as a duplicate');
    });

    it('refuses to replay a duplicate or a message it does not have', async () => {
      const file = { name: 'inventory-acme.csv', bytes: csv('inventory-acme.csv'), channel: 'sftp' };
      await receiveInboundFile(ctx, file, { ...base, profile: supplier, repository });
      const dup = await receiveInboundFile(ctx, file, { ...base, profile: supplier, repository });
      await assert.rejects(replayInboundMessage(ctx, dup.message.id, { ...base, repository, profileFor: () => supplier }), ConflictError);
      await assert.rejects(replayInboundMessage(ctx, 'edi_01JAAAAAAAAAAAAAAAAAAAAAAA', { ...base, repository, profileFor: () => supplier }), NotFoundError);
      await assert.rejects(
        replayInboundMessage(systemContext('other-tenant', 'c', 'test'), dup.message.duplicateOf ?? '', { ...base, repository, profileFor: () => supplier }),
        NotFoundError,
        'another tenant cannot replay it',
      );
    });
  });
}

const sshd = lookupSshd();
const [firstTarget] = databaseTargets();

describe('inbound over SFTP: pickup → pipeline → store → acknowledgment drop', { skip: sshd.available ? false : sshd.skip }, () => {
  let server: TestSshd;
  let db: Database;
  before(async () => {
    server = await startSshd(sshd.available ? sshd.value : '');
    db = await (firstTarget as (typeof databaseTargets extends () => Array<infer T> ? T : never)).open();
  });
  after(async () => {
    await server?.stop();
    await db?.close();
  });

  it('a partner upload is stored and acknowledged once; the identical re-upload is recorded as a duplicate', async () => {
    const repository = createEdiMessageRepo(db, manualClock(fixedNow));
    const root = join(server.dataDir, 'acme');
    for (const dir of ['to-tradelane', 'from-tradelane']) mkdirSync(join(root, dir), { recursive: true });
    const channel = createSftpChannel(
      parseSftpConfig({
        connection: { host: server.host, port: server.port, username: server.username, auth: { method: 'key', privateKey: server.privateKey }, hostKey: { fingerprints: [server.hostFingerprint] } },
        pickup: { inbound: join(root, 'to-tradelane'), processing: join(root, '.processing'), archive: join(root, 'archive'), quietPeriodMs: 0, settleMs: 0 },
        drop: { outbound: join(root, 'from-tradelane') },
      }),
      {
        ledger: messageStoreLedger(repository, ctx, supplier.id),
        onDuplicate: async (file) => void (await receiveInboundFile(ctx, { name: file.name, bytes: file.bytes, channel: 'sftp', receivedAt: file.receivedAt }, { ...base, profile: supplier, repository })),
      },
    );
    const upload = () => {
      writeFileSync(join(root, 'to-tradelane', 'asn-856.edi'), edi('asn-856.edi'));
      utimesSync(join(root, 'to-tradelane', 'asn-856.edi'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    };
    const handler = async (file: { name: string; bytes: Buffer; receivedAt: Date }) => {
      const receipt = await receiveInboundFile(ctx, { name: file.name, bytes: file.bytes, channel: 'sftp', receivedAt: file.receivedAt }, { ...base, profile: supplier, repository });
      if (receipt.acknowledgmentText) await channel.drop(`997-${receipt.message.id}.edi`, receipt.acknowledgmentText);
      return { reference: receipt.message.id };
    };

    upload();
    const first = await channel.pickup(handler);
    assert.deepEqual(first.items.map((i) => i.status), ['processed']);
    upload();
    const second = await channel.pickup(handler);
    assert.deepEqual(second.items.map((i) => i.status), ['duplicate']);

    const messages = (await repository.list(ctx, { channel: 'sftp', fileName: 'asn-856.edi', partnerId: supplier.id })).items;
    assert.deepEqual(messages.map((m) => m.outcome), ['duplicate', 'accepted']);
    assert.equal(messages[0]?.duplicateOf, messages[1]?.id);
    const acks = readdirSync(join(root, 'from-tradelane'));
    assert.deepEqual(acks, [`997-${messages[1]?.id}.edi`], 'one 997, for the first arrival only');
    assert.match(readFileSync(join(root, 'from-tradelane', acks[0] as string), 'utf8'), /^ISA\*00\*.*\*ZZ\*TLDEMO {9}\*ZZ\*ACMESUPPLY {5}\*/);
    assert.equal(readdirSync(join(root, 'archive')).length, 2);
  });
});
