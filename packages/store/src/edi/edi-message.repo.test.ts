import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { InputError, NotFoundError, type NewEdiMessage } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import type { Database } from '../driver/database.js';
import { ctxFor, manualClock, type ManualClock } from '../store.fixture.js';
import { createEdiMessageRepo, type EdiMessageRepo } from './edi-message.repo.js';

const acme = ctxFor('acme');
const globex = ctxFor('globex');

function message(overrides: Partial<NewEdiMessage> = {}): NewEdiMessage {
  const payload = overrides.payload ?? Buffer.from('ISA*00*~GS*SH~ST*856*0001~\u0000\u00ff binary-safe', 'latin1');
  return {
    partnerId: 'acme-supply',
    channel: 'sftp',
    fileName: 'asn-778120.edi',
    format: 'x12',
    contentSha256: createHash('sha256').update(payload).digest('hex'),
    payload,
    mappingVersion: 'x12/acme-supply@1',
    outcome: 'rejected',
    documents: [],
    errors: [{ code: 'TL_EDI_MAPPING_FAILED', message: '856 0001: MAN02 (segment 14): SSCC check digit is wrong', segment: 'MAN', element: 'MAN02', setControlNumber: '0001' }],
    controlNumbers: { interchanges: ['000000517'], groups: ['517'], sets: ['0001'] },
    acknowledgment: 'ISA*00*…~TA1*000000517*250305*1415*A*000~',
    receivedAt: new Date('2030-01-01T00:00:00Z'),
    ...overrides,
  };
}

for (const target of databaseTargets()) {
  describe(`EDI messages on ${target.name}`, () => {
    let db: Database;
    let clock: ManualClock;
    let repo: EdiMessageRepo;
    before(async () => {
      db = await target.open();
      clock = manualClock();
      repo = createEdiMessageRepo(db, clock);
    });
    after(() => db.close());

    test('records a file with its raw bytes, parse result and control numbers, and reads it back', async () => {
      const input = message();
      const stored = await repo.record(acme, input);
      assert.match(stored.id, /^edi_[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(stored.tenantId, 'acme');
      assert.equal(stored.recordedAt.toISOString(), clock.now().toISOString());
      const read = await repo.get(acme, stored.id);
      assert.ok(read);
      assert.deepEqual(Buffer.from(read.payload), Buffer.from(input.payload), 'payload is byte-exact, NUL and 0xFF included');
      assert.deepEqual(read.errors, input.errors);
      assert.deepEqual(read.controlNumbers, input.controlNumbers);
      assert.equal(read.outcome, 'rejected');
      assert.equal(read.acknowledgment, input.acknowledgment);
      assert.equal(read.receivedAt.toISOString(), '2030-01-01T00:00:00.000Z');
      assert.equal(read.replayOf, undefined);
      assert.equal(await repo.get(globex, stored.id), undefined, 'another tenant does not see it');
    });

    test('finds the first arrival by partner, name and content; duplicates and replays link to their original', async () => {
      const payload = Buffer.from('sku,location,on_hand\nAC-1001,AUS1,12\n');
      const first = await repo.record(acme, message({ payload, format: 'csv', fileName: 'inv.csv', outcome: 'accepted', errors: [], contentSha256: sha(payload), documents: [{ type: 'inventory-position', source: 'row 2', document: { sku: 'AC-1001' } }] }));
      const key = { partnerId: 'acme-supply', fileName: 'inv.csv', contentSha256: sha(payload) };
      assert.equal((await repo.findByContent(acme, key))?.id, first.id);
      assert.equal(await repo.findByContent(acme, { ...key, fileName: 'inv-2.csv' }), undefined, 'another name is another file');
      assert.equal(await repo.findByContent(globex, key), undefined, 'another tenant has its own files');

      clock.advance(1000);
      const dup = await repo.record(acme, message({ payload, format: 'csv', fileName: 'inv.csv', outcome: 'duplicate', errors: [], contentSha256: sha(payload), duplicateOf: first.id }));
      assert.equal(dup.duplicateOf, first.id);
      assert.equal((await repo.findByContent(acme, key))?.id, first.id, 'a duplicate is never the original');

      const rejected = await repo.record(acme, message());
      clock.advance(1000);
      const replay = await repo.record(acme, message({ outcome: 'accepted', errors: [], replayOf: rejected.id, mappingVersion: 'x12/acme-supply@2' }));
      const replays = await repo.list(acme, { replayOf: rejected.id });
      assert.deepEqual(replays.items.map((m) => m.id), [replay.id]);
      assert.equal(replays.items[0]?.mappingVersion, 'x12/acme-supply@2');
    });

    test('lists newest first with filters and cursor pages, without payloads', async () => {
      const partner = 'globex-logistics';
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        clock.advance(10);
        const m = await repo.record(globex, message({ partnerId: partner, fileName: `f${i}.edi`, outcome: i % 2 === 0 ? 'accepted' : 'rejected', controlNumbers: { interchanges: [`00000010${i}`], groups: [], sets: [] } }));
        ids.push(m.id);
      }
      const page1 = await repo.list(globex, { partnerId: partner }, { limit: 2 });
      assert.deepEqual(page1.items.map((m) => m.fileName), ['f4.edi', 'f3.edi']);
      assert.ok(page1.nextCursor);
      assert.equal('payload' in (page1.items[0] as object), false);
      assert.equal(page1.items[0]?.size, message().payload.byteLength);
      const page2 = await repo.list(globex, { partnerId: partner }, { limit: 2, cursor: page1.nextCursor });
      assert.deepEqual(page2.items.map((m) => m.fileName), ['f2.edi', 'f1.edi']);
      const page3 = await repo.list(globex, { partnerId: partner }, { limit: 2, cursor: page2.nextCursor });
      assert.deepEqual(page3.items.map((m) => m.fileName), ['f0.edi']);
      assert.equal(page3.nextCursor, undefined);

      const rejected = await repo.list(globex, { partnerId: partner, outcome: 'rejected' });
      assert.deepEqual(rejected.items.map((m) => m.fileName), ['f3.edi', 'f1.edi']);
      const byIsa = await repo.list(globex, { interchangeControlNumber: '000000102' });
      assert.deepEqual(byIsa.items.map((m) => m.id), [ids[2]]);
      const acmeOnly = await repo.list(acme, { partnerId: partner });
      assert.deepEqual(acmeOnly.items, [], 'tenant predicate on lists');
    });

    test('refuses bad input with specific errors, and links to messages the tenant does not have', async () => {
      await assert.rejects(repo.record(acme, message({ contentSha256: 'abc' })), (e: unknown) => e instanceof InputError && /contentSha256/.test(e.message));
      await assert.rejects(repo.record(acme, message({ outcome: 'duplicate' })), (e: unknown) => e instanceof InputError && /duplicateOf/.test(e.message));
      await assert.rejects(repo.record(acme, message({ fileName: '' })), (e: unknown) => e instanceof InputError && /fileName/.test(e.message));
      await assert.rejects(
        repo.record(acme, message({ errors: [{ code: 'X', message: 'bad \u0000 byte' }] })),
        (e: unknown) => e instanceof InputError && /errors\.0\.message/.test(e.message),
      );
      const theirs = await repo.record(globex, message());
      await assert.rejects(repo.record(acme, message({ replayOf: theirs.id })), (e: unknown) => e instanceof NotFoundError && e.code === 'TL_STORE_EDI_MESSAGE_NOT_FOUND');
      await assert.rejects(repo.list(acme, {}, { cursor: 'nope' }), (e: unknown) => e instanceof InputError && e.code === 'TL_STORE_BAD_CURSOR');
    });

    test('works inside a transaction', async () => {
      const id = await db.transaction(async (tx) => (await createEdiMessageRepo(tx, clock).record(acme, message({ fileName: 'in-tx.edi' }))).id);
      assert.equal((await repo.get(acme, id))?.fileName, 'in-tx.edi');
      await assert.rejects(
        db.transaction(async (tx) => {
          await createEdiMessageRepo(tx, clock).record(acme, message({ fileName: 'rolled-back.edi' }));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual((await repo.list(acme, { fileName: 'rolled-back.edi' })).items, []);
    });
  });
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
