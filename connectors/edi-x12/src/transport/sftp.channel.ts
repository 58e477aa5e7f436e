/**
 * A partner's SFTP channel: `pickup` takes the files the partner uploaded (claim by rename on the server, read, hand
 * to a handler, archive) and `drop` writes files for the partner atomically (upload under a temporary name, then
 * rename). This and the other files of `transport/` are the only network I/O of the connector.
 */
import { createHash, randomBytes } from 'node:crypto';
import { PermanentError, classifyError, describeError, systemClock, type Clock, type TransientError } from '@tradelane/core';
import SftpClient from 'ssh2-sftp-client';
import { isSftpNoSuchFile, sftpErrorCodes, sftpFailure } from '../errors.js';
import { InMemoryPickupLedger, type PickupLedger, type PickupLedgerEntry } from './pickup.ledger.js';
import { globToRegExp } from '../file-name.patterns.js';
import { type SftpConfig, type SftpConnection, type SftpDropSettings, type SftpPickupSettings } from './sftp.config.js';

/** A file taken from the partner's inbound folder, handed to the pickup handler. */
export interface PickedFile {
  /** The name the partner gave it. */
  readonly name: string;
  readonly bytes: Buffer;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
  readonly size: number;
  /** Modification time on the server (second precision). */
  readonly modifiedAt: Date;
  /** When this poller took it. */
  readonly receivedAt: Date;
  /** Where it lies while it is processed (in the processing folder). */
  readonly claimedPath: string;
}

/** What a handler may return: a reference remembered with the file (e.g. the id of the stored inbound message). */
export interface PickupHandled {
  readonly reference?: string | undefined;
}

/** Processes one picked file. Throwing keeps the file for a later poll (transient) or moves it aside (permanent). */
export type PickupHandler = (file: PickedFile) => Promise<PickupHandled | void>;

/** Why a file in the inbound folder was left alone this time. */
export type PickupSkipReason = 'ignored' | 'not-included' | 'not-a-file' | 'changing' | 'too-recent' | 'too-large' | 'over-poll-limit';

/** One file's fate in a poll. */
export type PickupItem =
  /** `archivedAs` is where the file now lies: the archive, or still the processing folder when the move failed. */
  | { status: 'processed'; name: string; sha256: string; size: number; archivedAs: string; reference?: string | undefined }
  | { status: 'duplicate'; name: string; sha256: string; size: number; archivedAs: string; duplicateOf: PickupLedgerEntry }
  | { status: 'skipped'; name: string; reason: PickupSkipReason; detail: string }
  /** Another poller claimed it first. */
  | { status: 'lost'; name: string }
  /** The handler (or a step after the claim) failed; `movedTo` is where the file now lies. */
  | { status: 'failed'; name: string; error: string; kind: 'transient' | 'permanent'; movedTo: string };

/** What one poll did. */
export interface PickupReport {
  readonly items: PickupItem[];
  /** Claims of dead pollers put back into the inbound folder before this poll listed it. */
  readonly recovered: string[];
}

/** What `drop` wrote. */
export interface DropResult {
  /** Final remote path. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Outside dependencies of a channel. */
export interface SftpChannelDeps {
  /** Clock of quiet periods, the settle pause and timestamps. @default systemClock */
  clock?: Clock | undefined;
  /** Remembers processed files. @default a fresh InMemoryPickupLedger */
  ledger?: PickupLedger | undefined;
  /** Called for a re-uploaded file already processed (before it is archived), e.g. to record the duplicate. */
  onDuplicate?: ((file: PickedFile, earlier: PickupLedgerEntry) => Promise<void>) | undefined;
  /** Random token in claim, archive and temporary names: 8 lower-case hex digits (stale claims are recognised by it). @default random */
  token?: (() => string) | undefined;
}

/** A partner's SFTP channel. */
export interface SftpChannel {
  /**
   * Polls the inbound folder once: puts back stale claims, lists twice (`settleMs` apart), claims each settled file
   * by renaming it into the processing folder, reads it, skips it as a duplicate when the ledger knows its name and
   * content, else hands it to `handler`, remembers it and archives it under a timestamped name.
   */
  pickup(handler: PickupHandler): Promise<PickupReport>;
  /** Writes `bytes` as `name` into the outbound folder: uploaded as a hidden temporary file, then renamed. */
  drop(name: string, bytes: Buffer | string): Promise<DropResult>;
  /** SHA-256 fingerprint of the server's host key, as `ssh-keygen -lf` prints it (to pin it). */
  hostKeyFingerprint(): Promise<string>;
}

const CLAIM_NAME = /^(\d{8}T\d{9}Z)_([0-9a-f]{8})_(.+)$/;

/** `2030-01-01T00:00:00.123Z` → `20300101T000000123Z`. */
export function compactTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

function parseCompactTimestamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`) : new Date(Number.NaN);
}

/** OpenSSH-style fingerprint of a host key blob: `SHA256:` and unpadded base64. */
export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

function checkName(name: string): void {
  if (name.length === 0 || name.length > 255 || name.includes('/') || name.includes('\u0000') || name === '.' || name === '..') {
    throw new PermanentError('TL_SFTP_BAD_NAME', `file name ${JSON.stringify(name)} must be 1-255 characters without "/" or NUL`, { name });
  }
}

/** One open connection and the operations the channel needs, every failure classified. */
class SftpSession {
  private constructor(
    private readonly client: SftpClient,
    private readonly connection: SftpConnection,
  ) {}

  static async open(connection: SftpConnection): Promise<{ session: SftpSession; fingerprint: string }> {
    const client = new SftpClient('tradelane', { error: () => {}, end: () => {}, close: () => {} });
    let presented: string | undefined;
    let mismatch = false;
    const pinned = 'fingerprints' in connection.hostKey ? connection.hostKey.fingerprints : undefined;
    const auth =
      connection.auth.method === 'password'
        ? { password: connection.auth.password }
        : { privateKey: connection.auth.privateKey, ...(connection.auth.passphrase !== undefined ? { passphrase: connection.auth.passphrase } : {}) };
    try {
      await client.connect({
        host: connection.host,
        port: connection.port,
        username: connection.username,
        ...auth,
        readyTimeout: connection.readyTimeoutMs,
        keepaliveInterval: connection.keepaliveIntervalMs,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          presented = sshFingerprint(key);
          mismatch = pinned !== undefined && !pinned.includes(presented);
          return !mismatch;
        },
      });
    } catch (err) {
      await client.end().catch(() => {});
      throw sftpFailure(err, { operation: 'connect', host: connection.host, port: connection.port, presentedFingerprint: mismatch ? presented : undefined });
    }
    return { session: new SftpSession(client, connection), fingerprint: presented ?? '' };
  }

  private fail(err: unknown, operation: string, path?: string): TransientError | PermanentError {
    return sftpFailure(err, { operation, host: this.connection.host, port: this.connection.port, path });
  }

  async list(dir: string): Promise<SftpClient.FileInfo[]> {
    try {
      return await this.client.list(dir);
    } catch (err) {
      throw this.fail(err, 'list', dir);
    }
  }

  async ensureDir(dir: string): Promise<void> {
    try {
      if ((await this.client.exists(dir)) === 'd') return;
      await this.client.mkdir(dir, true);
    } catch (err) {
      // another poller may have created it between our check and our mkdir
      if ((await this.client.exists(dir).catch(() => false)) === 'd') return;
      throw this.fail(err, 'mkdir', dir);
    }
  }

  /** Renames; resolves false when the source is gone (another poller took it), throws on any other failure. */
  async renameIfPresent(from: string, to: string, operation: string): Promise<boolean> {
    try {
      await this.client.rename(from, to);
      return true;
    } catch (err) {
      if (isSftpNoSuchFile(err) && (await this.exists(from)) === false) return false;
      throw this.fail(err, operation, `${from} -> ${to}`);
    }
  }

  async posixRename(from: string, to: string): Promise<void> {
    try {
      await this.client.posixRename(from, to);
    } catch (err) {
      throw this.fail(err, 'rename', `${from} -> ${to}`);
    }
  }

  async exists(path: string): Promise<false | string> {
    try {
      return await this.client.exists(path);
    } catch (err) {
      throw this.fail(err, 'stat', path);
    }
  }

  async read(path: string): Promise<Buffer> {
    try {
      const data = await this.client.get(path);
      if (!Buffer.isBuffer(data)) throw new Error(`expected the file's bytes, got ${typeof data}`);
      return data;
    } catch (err) {
      throw this.fail(err, 'read', path);
    }
  }

  async write(path: string, bytes: Buffer): Promise<void> {
    try {
      // 'wx': exclusive create, so two writers can never share one temporary name (ssh2 accepts it; its types omit it)
      await this.client.put(bytes, path, { writeStreamOptions: { flags: 'wx' as 'w', mode: 0o644 } });
    } catch (err) {
      throw this.fail(err, 'upload', path);
    }
  }

  async remove(path: string): Promise<void> {
    try {
      await this.client.delete(path, true);
    } catch {
      // best effort: a leftover temporary file is hidden and ignored by pollers
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

/**
 * Creates a partner's SFTP channel. Each `pickup` and `drop` opens its own connection and closes it when done.
 * @example
 * const channel = createSftpChannel(parseSftpConfig(config), { ledger });
 * const report = await channel.pickup(async (file) => ({ reference: (await receive(file)).id }));
 * await channel.drop('997-000000042.edi', ackText);
 */
export function createSftpChannel(config: SftpConfig, deps: SftpChannelDeps = {}): SftpChannel {
  const clock = deps.clock ?? systemClock;
  const ledger = deps.ledger ?? new InMemoryPickupLedger();
  const token = deps.token ?? (() => randomBytes(4).toString('hex'));

  const withSession = async <T>(fn: (session: SftpSession) => Promise<T>): Promise<T> => {
    const { session } = await SftpSession.open(config.connection);
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  };

  return {
    async hostKeyFingerprint() {
      const { session, fingerprint } = await SftpSession.open(config.connection);
      await session.close();
      return fingerprint;
    },

    async pickup(handler) {
      const settings = config.pickup;
      if (!settings) throw new PermanentError('TL_SFTP_NO_PICKUP', 'this SFTP channel has no pickup folders configured', {});
      return withSession((session) => runPickup(session, settings, handler, { clock, ledger, token, onDuplicate: deps.onDuplicate }));
    },

    async drop(name, bytes) {
      const settings = config.drop;
      if (!settings) throw new PermanentError('TL_SFTP_NO_DROP', 'this SFTP channel has no outbound folder configured', {});
      checkName(name);
      const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
      return withSession((session) => runDrop(session, settings, name, data, token(), config.connection));
    },
  };
}

async function runDrop(session: SftpSession, settings: SftpDropSettings, name: string, data: Buffer, tok: string, connection: SftpConnection): Promise<DropResult> {
  const finalPath = join(settings.outbound, name);
  const tempPath = join(settings.outbound, `.${name}.${tok}${settings.tempSuffix}`);
  if (!settings.overwrite && (await session.exists(finalPath)) !== false) {
    throw new PermanentError(sftpErrorCodes.targetExists, `${finalPath} exists already on ${connection.host}:${connection.port}; drop does not overwrite`, {
      path: finalPath,
      host: connection.host,
    });
  }
  try {
    await session.write(tempPath, data);
    if (settings.overwrite) {
      await session.posixRename(tempPath, finalPath);
    } else {
      try {
        await session.renameIfPresent(tempPath, finalPath, 'rename');
      } catch (err) {
        // SFTP rename refuses an existing target (a concurrent writer got there first)
        if ((await session.exists(finalPath)) !== false) {
          throw new PermanentError(sftpErrorCodes.targetExists, `${finalPath} appeared on ${connection.host}:${connection.port} during the upload; drop does not overwrite`, {
            path: finalPath,
            host: connection.host,
          }, { cause: err });
        }
        throw err;
      }
    }
  } catch (err) {
    await session.remove(tempPath);
    throw err;
  }
  return { path: finalPath, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

interface PickupDeps {
  clock: Clock;
  ledger: PickupLedger;
  token: () => string;
  onDuplicate: SftpChannelDeps['onDuplicate'];
}

async function runPickup(session: SftpSession, settings: SftpPickupSettings, handler: PickupHandler, deps: PickupDeps): Promise<PickupReport> {
  const { clock, ledger } = deps;
  for (const dir of [settings.processing, settings.archive, ...(settings.failed ? [settings.failed] : [])]) await session.ensureDir(dir);
  const recovered = await recoverStaleClaims(session, settings, clock);

  const ignore = settings.ignorePatterns.map(globToRegExp);
  const include = settings.includePatterns?.map(globToRegExp);
  const first = await session.list(settings.inbound);
  if (settings.settleMs > 0) await clock.sleep(settings.settleMs);
  const second = settings.settleMs > 0 ? await session.list(settings.inbound) : first;
  const before = new Map(first.map((f) => [f.name, f]));
  const now = clock.now().getTime();

  const items: PickupItem[] = [];
  const candidates: SftpClient.FileInfo[] = [];
  for (const f of second) {
    const skip = (reason: PickupSkipReason, detail: string) => items.push({ status: 'skipped', name: f.name, reason, detail });
    if (ignore.some((re) => re.test(f.name))) skip('ignored', 'the name matches an ignore pattern (upload temp file or hidden file)');
    else if (f.type !== '-') skip('not-a-file', `type "${f.type}" is not a regular file`);
    else if (include && !include.some((re) => re.test(f.name))) skip('not-included', 'the name matches no include pattern');
    else if (!before.has(f.name) || before.get(f.name)?.size !== f.size || before.get(f.name)?.modifyTime !== f.modifyTime) {
      skip('changing', `size or modification time changed within ${settings.settleMs} ms (still uploading?)`);
    } else if (now - f.modifyTime < settings.quietPeriodMs) {
      skip('too-recent', `modified ${Math.max(0, Math.round((now - f.modifyTime) / 1000))} s ago, quiet period is ${settings.quietPeriodMs / 1000} s`);
    } else if (f.size > settings.maxFileBytes) skip('too-large', `${f.size} bytes is more than the limit of ${settings.maxFileBytes}`);
    else candidates.push(f);
  }
  candidates.sort((a, b) => a.modifyTime - b.modifyTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of candidates.slice(settings.maxFilesPerPoll)) {
    items.push({ status: 'skipped', name: f.name, reason: 'over-poll-limit', detail: `more than ${settings.maxFilesPerPoll} files waiting; taken by a later poll` });
  }

  for (const f of candidates.slice(0, settings.maxFilesPerPoll)) {
    const tok = deps.token();
    const claimedName = `${compactTimestamp(clock.now())}_${tok}_${f.name}`;
    const claimedPath = join(settings.processing, claimedName);
    if (!(await session.renameIfPresent(join(settings.inbound, f.name), claimedPath, 'claim'))) {
      items.push({ status: 'lost', name: f.name });
      continue;
    }
    items.push(await processClaimed(session, settings, handler, deps, f, claimedName));
  }
  return { items, recovered };
}

async function processClaimed(
  session: SftpSession,
  settings: SftpPickupSettings,
  handler: PickupHandler,
  deps: PickupDeps,
  f: SftpClient.FileInfo,
  claimedName: string,
): Promise<PickupItem> {
  const claimedPath = join(settings.processing, claimedName);
  const archiveName = (kind: string) => `${compactTimestamp(deps.clock.now())}_${claimedName.split('_')[1]}_${kind}${f.name}`;
  try {
    const bytes = await session.read(claimedPath);
    if (bytes.length > settings.maxFileBytes) {
      throw new PermanentError('TL_SFTP_FILE_TOO_LARGE', `${f.name} has ${bytes.length} bytes, more than the limit of ${settings.maxFileBytes}`, { name: f.name, size: bytes.length });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file: PickedFile = { name: f.name, bytes, sha256, size: bytes.length, modifiedAt: new Date(f.modifyTime), receivedAt: deps.clock.now(), claimedPath };
    // Once handled, a failed archive move is not a failure of the file: it stays claimed, the stale-claim recovery
    // puts it back later and the ledger then reports it as a duplicate.
    const archive = async (kind: string): Promise<string> => {
      const target = join(settings.archive, archiveName(kind));
      try {
        return (await session.renameIfPresent(claimedPath, target, 'archive')) ? target : claimedPath;
      } catch {
        return claimedPath;
      }
    };
    const earlier = await deps.ledger.lookup({ name: f.name, sha256 });
    if (earlier) {
      await deps.onDuplicate?.(file, earlier);
      return { status: 'duplicate', name: f.name, sha256, size: bytes.length, archivedAs: await archive('duplicate_'), duplicateOf: earlier };
    }
    const handled = (await handler(file)) ?? {};
    await deps.ledger.remember({ name: f.name, sha256 }, { at: deps.clock.now(), reference: handled.reference });
    return { status: 'processed', name: f.name, sha256, size: bytes.length, archivedAs: await archive(''), reference: handled.reference };
  } catch (err) {
    const kind = classifyError(err);
    const target = kind === 'permanent' && settings.failed ? join(settings.failed, archiveName('')) : join(settings.inbound, f.name);
    let movedTo = target;
    try {
      if (!(await session.renameIfPresent(claimedPath, target, 'release'))) movedTo = claimedPath;
    } catch {
      movedTo = claimedPath; // left in processing: the stale-claim recovery puts it back later
    }
    return { status: 'failed', name: f.name, error: describeError(err), kind, movedTo };
  }
}

async function recoverStaleClaims(session: SftpSession, settings: SftpPickupSettings, clock: Clock): Promise<string[]> {
  const recovered: string[] = [];
  const now = clock.now().getTime();
  for (const f of await session.list(settings.processing)) {
    const m = CLAIM_NAME.exec(f.name);
    if (!m || f.type !== '-') continue;
    const claimedAt = parseCompactTimestamp(m[1] as string).getTime();
    if (!(now - claimedAt >= settings.staleClaimMs)) continue;
    const original = m[3] as string;
    const target = join(settings.inbound, original);
    if ((await session.exists(target)) !== false) continue; // a newer upload of that name waits there; leave the claim
    try {
      if (await session.renameIfPresent(join(settings.processing, f.name), target, 'recover')) recovered.push(original);
    } catch {
      // another poller recovered it, or the server refused: try again next poll
    }
  }
  return recovered;
}
