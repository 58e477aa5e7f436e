/**
 * Standard Webhooks 1.0 signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed
 * with the base64-decoded part of a `whsec_<base64>` secret; several space-separated signatures during a rotation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every signing secret. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** Default tolerance of {@link verifyWebhookSignature}: five minutes either side. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * A new random signing secret, `whsec_` plus base64 of 32 bytes.
 * @example const secret = generateWebhookSecret(); // whsec_3q2+7w…
 */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new TypeError('a webhook secret must be "whsec_" followed by base64');
  return key;
}

function toBuffer(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * The base64 HMAC-SHA256 of `<id>.<timestamp>.<body>` under one secret (without the `v1,` prefix).
 * @example webhookSignature('whsec_…', 'evt_01…', 1700000000, '{"type":"…"}')
 */
export function webhookSignature(secret: string, id: string, timestamp: number | string, body: string | Uint8Array): string {
  return createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(toBuffer(body))
    .digest('base64');
}

/** Headers of one signed webhook message. */
export interface WebhookSignatureHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/**
 * Signs a message with every given secret (current first; older ones during a rotation's overlap) and returns the
 * three Standard Webhooks headers.
 * @example const headers = signWebhook({ id: event.id, timestamp: Math.floor(Date.now() / 1000), body, secrets: [secret] });
 */
export function signWebhook(input: { id: string; timestamp: number; body: string | Uint8Array; secrets: readonly string[] }): WebhookSignatureHeaders {
  if (input.secrets.length === 0) throw new TypeError('at least one signing secret is needed');
  const timestamp = String(Math.floor(input.timestamp));
  return {
    'webhook-id': input.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': input.secrets.map((s) => `v1,${webhookSignature(s, input.id, timestamp, input.body)}`).join(' '),
  };
}

/** Input of {@link verifyWebhookSignature}: the three header values, the raw body and the partner's secret(s). */
export interface VerifyWebhookInput {
  /** `webhook-id` header. */
  readonly id: string;
  /** `webhook-timestamp` header (seconds since the epoch). */
  readonly timestamp: string | number;
  /** The raw request body, exactly as received. */
  readonly body: string | Uint8Array;
  /** `webhook-signature` header: one or more space-separated `v1,<base64>`. */
  readonly signatureHeader: string;
  /** The secret(s) the receiver holds, `whsec_…`. */
  readonly secrets: string | readonly string[];
  /** Allowed clock difference either side. @default 300 */
  readonly toleranceSeconds?: number | undefined;
  /** The receiver's time. @default new Date() */
  readonly now?: Date | number | undefined;
}

/** Outcome of {@link verifyWebhookSignature}. */
export type VerifyWebhookResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'invalid_timestamp' | 'timestamp_too_old' | 'timestamp_in_future' | 'no_signature' | 'signature_mismatch' };

/**
 * Verifies a Standard Webhooks message: the timestamp is within the tolerance of `now` (replays outside the window
 * are refused) and one of the `v1` signatures matches one of the secrets (constant-time comparison).
 * @example
 * const result = verifyWebhookSignature({ id: req.headers['webhook-id'], timestamp: req.headers['webhook-timestamp'],
 *   signatureHeader: req.headers['webhook-signature'], body: rawBody, secrets: mySecret });
 * if (!result.ok) return reply.code(400).send();
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyWebhookResult {
  const text = String(input.timestamp).trim();
  if (!/^\d{1,15}$/.test(text)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(text);
  const nowMs = input.now === undefined ? Date.now() : typeof input.now === 'number' ? input.now : input.now.getTime();
  const tolerance = input.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor(nowMs / 1000);
  if (timestamp < nowSeconds - tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (timestamp > nowSeconds + tolerance) return { ok: false, reason: 'timestamp_in_future' };
  const given = String(input.signatureHeader ?? '')
    .split(' ')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  if (given.length === 0) return { ok: false, reason: 'no_signature' };
  const secrets = typeof input.secrets === 'string' ? [input.secrets] : input.secrets;
  for (const secret of secrets) {
    let expected: Buffer;
    try {
      expected = Buffer.from(webhookSignature(secret, input.id, text, input.body), 'base64');
    } catch {
      continue;
    }
    for (const candidate of given) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
    }
  }
  return { ok: false, reason: 'signature_mismatch' };
}
