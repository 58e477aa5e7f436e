/**
 * Configuration of one partner's SFTP channel: where to connect and how to authenticate, how the server's host key is
 * checked, and the folders and rules of pickup and drop. Validated once with zod; durations in milliseconds.
 */
import { z } from 'zod';

const remoteDir = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\u0000]+$/, { error: 'a remote folder must not contain NUL' })
  .transform((p) => (p.length > 1 && p.endsWith('/') ? p.replace(/\/+$/, '') : p));

/** An OpenSSH SHA-256 fingerprint as printed by `ssh-keygen -lf key.pub`, e.g. `SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8`. */
export const sshFingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, { error: 'a host key fingerprint is "SHA256:" and 43 base64 characters, as printed by ssh-keygen -lf' })
  .transform((f) => f.replace(/=$/, ''));

/** How the client proves who it is: a password, or a private key (PEM or OpenSSH format) with its passphrase. */
export const sftpAuthSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), password: z.string().min(1) }),
  z.object({
    method: z.literal('key'),
    /** The private key text (`-----BEGIN OPENSSH PRIVATE KEY-----…`). */
    privateKey: z.string().min(1),
    passphrase: z.string().optional(),
  }),
]);

/**
 * How the server is recognised: pinned SHA-256 fingerprints (any of them may match, for key rotation), or an explicit
 * opt-out for test setups. There is no default: a channel that does not say refuses to start.
 */
export const sftpHostKeySchema = z.union([
  z.object({ fingerprints: z.array(sshFingerprintSchema).min(1).max(10) }).strict(),
  z.object({ acceptAny: z.literal(true) }).strict(),
]);

/** Where and how to connect. */
export const sftpConnectionSchema = z.object({
  host: z.string().min(1).max(255),
  /** @default 22 */
  port: z.int().min(1).max(65535).default(22),
  username: z.string().min(1).max(128),
  auth: sftpAuthSchema,
  hostKey: sftpHostKeySchema,
  /** Give up on a connection whose SSH handshake takes longer. @default 20000 */
  readyTimeoutMs: z.int().min(100).max(300_000).default(20_000),
  /** Interval of SSH keepalives on an open connection (0 = none). @default 10000 */
  keepaliveIntervalMs: z.int().min(0).max(300_000).default(10_000),
});

/** Names of files a partner's client is still uploading (or hides), skipped by pickup. */
export const defaultIgnorePatterns = ['.*', '*.part', '*.partial', '*.filepart', '*.tmp', '*.temp', '*.crdownload', '*~', '*.lock'] as const;

/** Pickup folders and rules. */
export const sftpPickupSchema = z.object({
  /** Folder the partner uploads into. */
  inbound: remoteDir,
  /** Folder a poller moves a file into (by rename, on the server) before reading it: the claim. */
  processing: remoteDir,
  /** Folder processed and duplicate files end in, under a timestamped name. */
  archive: remoteDir,
  /** Folder for files whose handler failed permanently; absent = they go back to the inbound folder. */
  failed: remoteDir.optional(),
  /** A file must be unchanged for this long (by its modification time) before it is taken. @default 30000 */
  quietPeriodMs: z.int().min(0).max(86_400_000).default(30_000),
  /** Pause between the two listings whose sizes and times must agree. 0 compares one listing with itself. @default 2000 */
  settleMs: z.int().min(0).max(600_000).default(2_000),
  /** Glob patterns (`*`, `?`) of names never taken, such as upload temp files and dotfiles. */
  ignorePatterns: z.array(z.string().min(1).max(200)).max(100).default([...defaultIgnorePatterns]),
  /** Only names matching one of these globs are taken. @default every name */
  includePatterns: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** Most files taken per poll. @default 100 */
  maxFilesPerPoll: z.int().min(1).max(10_000).default(100),
  /** Larger files are left where they are and reported. @default 104857600 (100 MiB) */
  maxFileBytes: z.int().min(1).max(1024 * 1024 * 1024).default(100 * 1024 * 1024),
  /** A claim older than this (its poller died) is put back into the inbound folder. @default 3600000 */
  staleClaimMs: z.int().min(1000).max(7 * 86_400_000).default(3_600_000),
});

/** Drop folder and rules. */
export const sftpDropSchema = z.object({
  /** Folder files for the partner are written to. */
  outbound: remoteDir,
  /** Suffix of the temporary upload name (the file is uploaded as `.<name>.<random><suffix>` and then renamed). @default '.part' */
  tempSuffix: z.string().regex(/^\.[A-Za-z0-9._-]{1,20}$/).default('.part'),
  /** Replace a file of the same name (POSIX rename) instead of failing. @default false */
  overwrite: z.boolean().default(false),
});

/** One partner's SFTP channel: connection plus pickup and/or drop. */
export const sftpConfigSchema = z
  .object({
    connection: sftpConnectionSchema,
    pickup: sftpPickupSchema.optional(),
    drop: sftpDropSchema.optional(),
  })
  .refine((c) => c.pickup !== undefined || c.drop !== undefined, { error: 'an SFTP channel needs pickup, drop or both' });

/** SFTP channel configuration as written (defaults may be omitted). */
export type SftpConfigInput = z.input<typeof sftpConfigSchema>;
/** SFTP channel configuration with defaults applied. */
export type SftpConfig = z.output<typeof sftpConfigSchema>;
/** Connection settings with defaults applied. */
export type SftpConnection = z.output<typeof sftpConnectionSchema>;
/** Pickup settings with defaults applied. */
export type SftpPickupSettings = z.output<typeof sftpPickupSchema>;
/** Drop settings with defaults applied. */
export type SftpDropSettings = z.output<typeof sftpDropSchema>;

/**
 * Parses an SFTP channel configuration; throws a ZodError listing every problem.
 * @example
 * const config = parseSftpConfig({
 *   connection: { host: 'sftp.acme.example', username: 'tradelane', auth: { method: 'key', privateKey }, hostKey: { fingerprints: ['SHA256:…'] } },
 *   pickup: { inbound: '/out/to-tradelane', processing: '/out/.tradelane-processing', archive: '/out/archive' },
 *   drop: { outbound: '/in/from-tradelane' },
 * });
 */
export function parseSftpConfig(input: SftpConfigInput): SftpConfig {
  return sftpConfigSchema.parse(input);
}
