import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PermanentError, TransientError } from '@tradelane/core';
import { sftpErrorCodes } from '../errors.js';
import { InMemoryPickupLedger } from './pickup.ledger.js';
import { createSftpChannel, type PickedFile, type PickupItem } from './sftp.channel.js';
import { parseSftpConfig, type SftpConfigInput } from './sftp.config.js';
import { freePort, lookupSshd, startSshd, type TestSshd } from './sshd.fixture.js';

const sshd = lookupSshd();
const OLD = new Date(Date.now() - 10 * 60_000);

function sha(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

describe('SFTP channel against OpenSSH sshd', { skip: sshd.available ? false : sshd.skip }, () => {
  let server: TestSshd;
  before(async () => {
    server = await startSshd(sshd.available ? sshd.value : '');
  });
  after(() => server?.stop());

  /** A partner folder tree in the server's data folder, and a channel config for it. */
  function partner(name: string, overrides: Partial<SftpConfigInput> = {}, pickup: Record<string, unknown> = {}) {
    const root = join(server.dataDir, name);
    const inbound = join(root, 'inbound');
    mkdirSync(inbound, { recursive: true });
    mkdirSync(join(root, 'outbound'), { recursive: true });
    const config = parseSftpConfig({
      connection: {
        host: server.host,
        port: server.port,
        username: server.username,
        auth: { method: 'key', privateKey: server.privateKey },
        hostKey: { fingerprints: [server.hostFingerprint] },
        readyTimeoutMs: 5_000,
      },
      pickup: { inbound, processing: join(root, 'processing'), archive: join(root, 'archive'), failed: join(root, 'failed'), quietPeriodMs: 5_000, settleMs: 0, ...pickup },
      drop: { outbound: join(root, 'outbound') },
      ...overrides,
    });
    const put = (file: string, content: string | Buffer, mtime = OLD) => {
      writeFileSync(join(inbound, file), content);
      utimesSync(join(inbound, file), mtime, mtime);
    };
    return { root, inbound, config, put, list: (sub: string) => (existsSync(join(root, sub)) ? readdirSync(join(root, sub)).sort() : []) };
  }

  const byStatus = (items: PickupItem[], status: PickupItem['status']) => items.filter((i) => i.status === status).map((i) => i.name).sort();

  test('two concurrent pollers take every settled file exactly once, skipping temp, hidden, growing and fresh files', async () => {
    const p = partner('concurrent', {}, { settleMs: 1_500 });
    const names = Array.from({ length: 30 }, (_, i) => `asn-${String(i).padStart(3, '0')}.edi`);
    for (const n of names) p.put(n, `ISA*${n}~`);
    p.put('upload.edi.part', 'partial');
    p.put('.hidden.edi', 'hidden');
    p.put('growing.edi', 'ISA*first-half');
    p.put('fresh.edi', 'ISA*fresh', new Date());

    const ledger = new InMemoryPickupLedger();
    const seen: string[] = [];
    const handler = async (file: PickedFile) => {
      seen.push(file.name);
      assert.equal(file.sha256, sha(file.bytes));
      assert.ok(file.claimedPath.includes('/processing/'), 'the file was moved before it was read');
      return { reference: `msg-${file.name}` };
    };
    // Each poller lists, pauses `settleMs`, lists again. The partner appends once both have listed the first time.
    let settling = 0;
    let bothListed!: () => void;
    const listedOnce = new Promise<void>((resolve) => (bothListed = resolve));
    const settleClock = {
      now: () => new Date(),
      sleep: (ms: number) => {
        if (++settling === 2) bothListed();
        return new Promise<void>((r) => setTimeout(r, ms));
      },
    };
    const a = createSftpChannel(p.config, { ledger, clock: settleClock });
    const b = createSftpChannel(p.config, { ledger, clock: settleClock });
    const polls = Promise.all([a.pickup(handler), b.pickup(handler)]);
    await listedOnce;
    appendFileSync(join(p.inbound, 'growing.edi'), '-second-half~');
    const [ra, rb] = await polls;

    assert.deepEqual([...seen].sort(), names, 'each file handled once across both pollers');
    const processed = [...byStatus(ra.items, 'processed'), ...byStatus(rb.items, 'processed')].sort();
    assert.deepEqual(processed, names);
    for (const r of [ra, rb]) {
      const skipped = Object.fromEntries(r.items.filter((i) => i.status === 'skipped').map((i) => [i.name, i.status === 'skipped' ? i.reason : '']));
      assert.equal(skipped['upload.edi.part'], 'ignored');
      assert.equal(skipped['.hidden.edi'], 'ignored');
      assert.equal(skipped['growing.edi'], 'changing');
      assert.equal(skipped['fresh.edi'], 'too-recent');
    }
    assert.deepEqual(p.list('inbound'), ['.hidden.edi', 'fresh.edi', 'growing.edi', 'upload.edi.part']);
    assert.deepEqual(p.list('processing'), []);
    const archived = p.list('archive');
    assert.equal(archived.length, names.length);
    for (const f of archived) {
      const m = /^\d{8}T\d{9}Z_[0-9a-f]{8}_(asn-\d{3}\.edi)$/.exec(f);
      assert.ok(m, `archive name ${f} is timestamped`);
      assert.equal(readFileSync(join(p.root, 'archive', f), 'utf8'), `ISA*${m[1]}~`);
    }
    const item = [...ra.items, ...rb.items].find((i) => i.status === 'processed' && i.name === 'asn-000.edi');
    assert.equal(item?.status === 'processed' ? item.reference : undefined, 'msg-asn-000.edi');
  });

  test('a re-uploaded identical file is a duplicate (archived, not handled); changed content is processed', async () => {
    const p = partner('duplicates');
    const ledger = new InMemoryPickupLedger();
    const duplicates: string[] = [];
    const channel = createSftpChannel(p.config, { ledger, onDuplicate: async (file, earlier) => void duplicates.push(`${file.name}:${earlier.reference}`) });
    const handled: string[] = [];
    const handler = async (file: PickedFile) => {
      handled.push(`${file.name}:${file.bytes.toString()}`);
      return { reference: `ref-${handled.length}` };
    };
    p.put('inv.csv', 'sku,qty\nA,1\n');
    assert.deepEqual(byStatus((await channel.pickup(handler)).items, 'processed'), ['inv.csv']);
    p.put('inv.csv', 'sku,qty\nA,1\n');
    const again = await channel.pickup(handler);
    assert.deepEqual(byStatus(again.items, 'duplicate'), ['inv.csv']);
    const dup = again.items.find((i) => i.status === 'duplicate');
    assert.equal(dup?.status === 'duplicate' ? dup.duplicateOf.reference : undefined, 'ref-1');
    assert.deepEqual(duplicates, ['inv.csv:ref-1']);
    p.put('inv.csv', 'sku,qty\nA,2\n');
    assert.deepEqual(byStatus((await channel.pickup(handler)).items, 'processed'), ['inv.csv']);
    assert.deepEqual(handled, ['inv.csv:sku,qty\nA,1\n', 'inv.csv:sku,qty\nA,2\n']);
    assert.equal(p.list('archive').filter((f) => f.includes('_duplicate_inv.csv')).length, 1);
    assert.deepEqual(p.list('inbound'), []);
  });

  test('a transient handler failure puts the file back; a permanent one moves it to the failed folder; stale claims are recovered', async () => {
    const p = partner('failures');
    const channel = createSftpChannel(p.config);
    p.put('retry.edi', 'ISA*retry~');
    p.put('broken.edi', 'ISA*broken~');
    mkdirSync(join(p.root, 'processing'), { recursive: true });
    writeFileSync(join(p.root, 'processing', '20000101T000000000Z_deadbeef_orphan.edi'), 'ISA*orphan~');
    utimesSync(join(p.root, 'processing', '20000101T000000000Z_deadbeef_orphan.edi'), OLD, OLD);
    const report = await channel.pickup(async (file) => {
      if (file.name === 'retry.edi') throw new TransientError('TL_TEST_DOWN', 'database is down');
      if (file.name === 'broken.edi') throw new PermanentError('TL_TEST_NO_PROFILE', 'no partner profile');
      return {};
    });
    assert.deepEqual(report.recovered, ['orphan.edi']);
    assert.deepEqual(byStatus(report.items, 'processed'), ['orphan.edi'], 'a recovered claim is processed in the same poll');
    const failed = Object.fromEntries(report.items.filter((i) => i.status === 'failed').map((i) => [i.name, i]));
    assert.equal(failed['retry.edi']?.status === 'failed' && failed['retry.edi'].kind, 'transient');
    assert.match(failed['retry.edi']?.status === 'failed' ? failed['retry.edi'].error : '', /TL_TEST_DOWN: database is down/);
    assert.equal(failed['broken.edi']?.status === 'failed' && failed['broken.edi'].kind, 'permanent');
    assert.deepEqual(p.list('inbound'), ['retry.edi']);
    assert.equal(p.list('failed').length, 1);
    assert.match(p.list('failed')[0] ?? '', /_broken\.edi$/);
    assert.deepEqual(p.list('processing'), []);
  });

  test('drop writes atomically: the final name never shows a partial file', async () => {
    const p = partner('drop');
    const channel = createSftpChannel(p.config);
    const payload = Buffer.alloc(8 * 1024 * 1024, 'x');
    const finalPath = join(p.root, 'outbound', 'big-856.edi');
    let sawTemp = false;
    let partialFinal = false;
    const watcher = setInterval(() => {
      for (const f of readdirSync(join(p.root, 'outbound'))) {
        if (f.startsWith('.big-856.edi.') && f.endsWith('.part')) sawTemp = true;
      }
      try {
        if (statSync(finalPath).size !== payload.length) partialFinal = true;
      } catch {
        // not there yet
      }
    }, 1);
    try {
      const result = await channel.drop('big-856.edi', payload);
      assert.equal(result.path, finalPath);
      assert.equal(result.sha256, sha(payload));
    } finally {
      clearInterval(watcher);
    }
    assert.equal(partialFinal, false, 'the final name only ever held the whole file');
    assert.equal(sawTemp, true, 'the upload went to a hidden temporary name first');
    assert.equal(sha(readFileSync(finalPath)), sha(payload));
    assert.deepEqual(p.list('outbound'), ['big-856.edi'], 'no temporary file left behind');

    await assert.rejects(channel.drop('big-856.edi', 'other'), (e: unknown) => e instanceof PermanentError && e.code === sftpErrorCodes.targetExists);
    const overwriting = createSftpChannel(parseSftpConfig({ ...p.config, drop: { outbound: join(p.root, 'outbound'), overwrite: true } }));
    await overwriting.drop('big-856.edi', 'replaced');
    assert.equal(readFileSync(finalPath, 'utf8'), 'replaced');
    await assert.rejects(channel.drop('../escape.edi', 'x'), (e: unknown) => e instanceof PermanentError && e.code === 'TL_SFTP_BAD_NAME');
  });

  test('bad credentials, a wrong host key and denied writes are permanent errors', async () => {
    const p = partner('errors');
    const withConnection = (connection: Partial<SftpConfigInput['connection']>) =>
      createSftpChannel(parseSftpConfig({ ...p.config, connection: { ...p.config.connection, ...connection } }));
    const permanent = (code: string) => (e: unknown) => {
      assert.ok(e instanceof PermanentError, `expected a PermanentError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      return true;
    };
    await assert.rejects(withConnection({ auth: { method: 'key', privateKey: server.unknownPrivateKey } }).pickup(async () => {}), permanent(sftpErrorCodes.authFailed));
    await assert.rejects(withConnection({ auth: { method: 'password', password: 'not-the-password' } }).drop('x.edi', 'x'), permanent(sftpErrorCodes.authFailed));
    await assert.rejects(withConnection({ auth: { method: 'key', privateKey: 'not a key' } }).drop('x.edi', 'x'), permanent(sftpErrorCodes.badKey));
    await assert.rejects(
      withConnection({ hostKey: { fingerprints: ['SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] } }).pickup(async () => {}),
      (e: unknown) => permanent(sftpErrorCodes.hostKeyMismatch)(e) && e instanceof PermanentError && e.message.includes(server.hostFingerprint),
    );
    assert.equal(await withConnection({ hostKey: { acceptAny: true } }).hostKeyFingerprint(), server.hostFingerprint);
    await assert.rejects(withConnection({ port: server.readOnlyPort }).drop('denied.edi', 'x'), permanent(sftpErrorCodes.permissionDenied));
    await assert.rejects(
      createSftpChannel(parseSftpConfig({ ...p.config, pickup: { ...p.config.pickup!, inbound: join(p.root, 'no-such-folder') } })).pickup(async () => {}),
      permanent(sftpErrorCodes.notFound),
    );
  });

  test('a server that is down or does not answer the handshake is a transient error', async () => {
    const p = partner('down');
    const transient = (code: string) => (e: unknown) => {
      assert.ok(e instanceof TransientError, `expected a TransientError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      return true;
    };
    const closedPort = await freePort();
    await assert.rejects(
      createSftpChannel(parseSftpConfig({ ...p.config, connection: { ...p.config.connection, port: closedPort } })).pickup(async () => {}),
      transient(sftpErrorCodes.unreachable),
    );
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket)); // accepts TCP, never speaks SSH
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      await assert.rejects(
        createSftpChannel(parseSftpConfig({ ...p.config, connection: { ...p.config.connection, port: silentPort, readyTimeoutMs: 500 } })).drop('x.edi', 'x'),
        transient(sftpErrorCodes.timeout),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
