/**
 * Pure helpers of the audit log: canonical JSON, the entry hash, redaction of secrets, and chain verification over
 * entries already read. No I/O.
 */
import { createHash } from 'node:crypto';
import type { TenantContext } from './context.js';
import { AuthenticationError, NotAllowedError } from './errors.js';
import type { AuditBreakReason, AuditEntry, AuditEntryFields, AuditLog, AuditOutcome, AuditResource } from './ports/audit.ports.js';

/** `prevHash` of the first entry of every chain. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always serialise to equal bytes.
 * `undefined` members are dropped (as JSON.stringify does); non-finite numbers become null.
 * @example canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 (lower-case hex) over the canonical JSON of an entry's fields, its `prevHash` included.
 * @example const hash = auditEntryHash({ ...fields, prevHash: AUDIT_GENESIS_HASH });
 */
export function auditEntryHash(fields: AuditEntryFields): string {
  const material = {
    v: 1,
    seq: fields.seq,
    tenantId: fields.tenantId,
    actor: { kind: fields.actor.kind, id: fields.actor.id },
    action: fields.action,
    resource: { kind: fields.resource.kind, id: fields.resource.id },
    outcome: fields.outcome,
    correlationId: fields.correlationId,
    detail: fields.detail ?? null,
    at: fields.at.toISOString(),
    prevHash: fields.prevHash,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]';

const SECRET_KEY = /pass(word|wd|phrase)?$|^pwd$|secret|token|api[-_]?key|apikey|authori[sz]ation|^auth$|cookie|credential|private[-_]?key|signature|^x[-_]api[-_]key$/i;
const SECRET_VALUES: readonly RegExp[] = [
  /\btlk_[A-Za-z0-9_-]{8,}/g, // Tradelane API keys
  /\bwhsec_[A-Za-z0-9+/=_-]{8,}/g, // webhook signing secrets
  /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, // JWT (JWS compact) shapes
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // authorization header values
];

/** True when a key names a secret: password, secret, token, apiKey, authorization, cookie, credential, private key. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.replace(/[\s]/g, ''));
}

/** Masks secret-shaped substrings (API keys `tlk_…`, `whsec_…`, JWTs, Bearer/Basic credentials) in a string. */
export function redactSecretsInText(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, (match) => (/^(bearer|basic)\s/i.test(match) ? `${match.split(/\s+/)[0]} ${REDACTED}` : REDACTED));
  return out;
}

/**
 * Deep copy of a JSON-like value with secrets removed: members whose key names a secret are masked, strings that
 * look like API keys, webhook secrets, JWTs or authorization values are masked. Used on every audit detail.
 * @example redactAuditDetail({ apiKey: 'tlk_abc…', note: 'Bearer eyJ…' }) // { apiKey: '[REDACTED]', note: 'Bearer [REDACTED]' }
 */
export function redactAuditDetail<T>(value: T, depth = 0): T {
  if (depth > 32) return REDACTED as T;
  if (typeof value === 'string') return redactSecretsInText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => redactAuditDetail(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[redactSecretsInText(key)] = isSecretKey(key) ? REDACTED : redactAuditDetail(v, depth + 1);
  }
  return out as T;
}

/** Where a chain breaks, as found by {@link verifyAuditEntries}. */
export interface AuditChainBreak {
  readonly seq: number;
  readonly reason: AuditBreakReason;
}

/**
 * Checks one entry against the position it should hold: the expected sequence number and the previous entry's hash.
 * A link to the wrong hash is reported as `prev_hash_mismatch`; the caller may refine it to `reordered` when the hash
 * belongs to another entry of the chain.
 * @returns undefined when the entry fits, else why it does not
 */
export function checkAuditEntry(entry: AuditEntry, expected: { readonly seq: number; readonly prevHash: string }): AuditChainBreak | undefined {
  if (entry.seq !== expected.seq) return { seq: Math.min(entry.seq, expected.seq), reason: entry.seq > expected.seq ? 'sequence_gap' : 'reordered' };
  if (entry.prevHash !== expected.prevHash) return { seq: entry.seq, reason: 'prev_hash_mismatch' };
  if (auditEntryHash(entry) !== entry.hash) return { seq: entry.seq, reason: 'hash_mismatch' };
  return undefined;
}

/**
 * Checks the end of a chain against the head the store keeps (last sequence number and hash), so deleted or forged
 * entries at the end are detected too.
 */
export function checkAuditHead(last: { readonly seq: number; readonly hash: string }, head: { readonly lastSeq: number; readonly lastHash: string }): AuditChainBreak | undefined {
  if (head.lastSeq !== last.seq) return { seq: Math.min(head.lastSeq, last.seq) + 1, reason: 'sequence_gap' };
  if (head.lastHash !== last.hash) return { seq: last.seq, reason: 'hash_mismatch' };
  return undefined;
}

/**
 * Verifies one tenant's entries, given in sequence order, against each other and against the chain head the store
 * keeps (the last sequence number and hash). Detects altered rows (hash), deleted rows (gap or head mismatch),
 * inserted rows (hash, link or head mismatch) and reordered rows (a link pointing at another entry of the chain).
 * @returns undefined when the chain holds, else the first break
 */
export function verifyAuditEntries(entries: readonly AuditEntry[], head?: { readonly lastSeq: number; readonly lastHash: string }): AuditChainBreak | undefined {
  const known = new Set(entries.map((e) => e.hash));
  let last = { seq: 0, hash: AUDIT_GENESIS_HASH };
  for (const entry of entries) {
    const broken = checkAuditEntry(entry, { seq: last.seq + 1, prevHash: last.hash });
    if (broken) return broken.reason === 'prev_hash_mismatch' && known.has(entry.prevHash) ? { ...broken, reason: 'reordered' } : broken;
    last = { seq: entry.seq, hash: entry.hash };
  }
  return head ? checkAuditHead(last, head) : undefined;
}

/** What {@link audited} records: the action and its resource (known up front, or from the command's result). */
export interface AuditedAction<T> {
  readonly action: string;
  /** The resource, or how to read it from the result (e.g. the id of what was created). */
  readonly resource: AuditResource | ((result: T) => AuditResource);
  /** Used when `resource` is a function and the command failed before producing one. @default { kind: <action's first segment>, id: '-' } */
  readonly resourceOnFailure?: AuditResource | undefined;
  readonly detail?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Runs a command and appends its outcome to the audit log: `success`, `denied` (an {@link AuthenticationError} or
 * {@link NotAllowedError}) or `failure` (anything else, rethrown after it is recorded). Needs no HTTP framework: route
 * handlers, CLI commands and workers call it the same way. The entry is appended after the command, on the log it
 * is given (bind the log to the command's transaction to commit both together).
 * @example const order = await audited(auditLog, ctx, { action: 'sales_order.create', resource: (o) => ({ kind: 'sales_order', id: o.id }) }, () => commands.submit(ctx, body));
 */
export async function audited<T>(log: AuditLog, ctx: TenantContext, what: AuditedAction<T>, run: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const outcome: AuditOutcome = err instanceof NotAllowedError || err instanceof AuthenticationError ? 'denied' : 'failure';
    const resource = typeof what.resource === 'function' ? (what.resourceOnFailure ?? { kind: what.action.split('.')[0]!, id: '-' }) : what.resource;
    const code = (err as { code?: unknown })?.code;
    await log.append(ctx, { action: what.action, resource, outcome, detail: { ...what.detail, ...(typeof code === 'string' ? { errorCode: code } : {}) } });
    throw err;
  }
  const resource = typeof what.resource === 'function' ? what.resource(result) : what.resource;
  await log.append(ctx, { action: what.action, resource, outcome: 'success', detail: what.detail });
  return result;
}
