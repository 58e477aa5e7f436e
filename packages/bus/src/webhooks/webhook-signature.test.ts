import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { generateWebhookSecret, signWebhook, verifyWebhookSignature, webhookSignature } from './webhook-signature.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const now = new Date(timestamp * 1000);

describe('Standard Webhooks signatures', () => {
  test('matches the Standard Webhooks reference vector', () => {
    assert.equal(webhookSignature(secret, id, timestamp, body), 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('is the plain algorithm: HMAC-SHA256 over "<id>.<timestamp>.<body>" keyed with the decoded secret', () => {
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64')).update(`${id}.${timestamp}.${body}`).digest('base64');
    assert.equal(signWebhook({ id, timestamp, body, secrets: [secret] })['webhook-signature'], `v1,${expected}`);
  });

  test('a valid signature verifies (string or bytes body)', () => {
    const headers = signWebhook({ id, timestamp, body, secrets: [secret] });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp: headers['webhook-timestamp'], body, signatureHeader: headers['webhook-signature'], secrets: secret, now }), { ok: true });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body: Buffer.from(body), signatureHeader: headers['webhook-signature'], secrets: [secret], now }), { ok: true });
  });

  test('a tampered body, id or timestamp fails', () => {
    const sig = signWebhook({ id, timestamp, body, secrets: [secret] })['webhook-signature'];
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body: body.replace('2432', '9432'), signatureHeader: sig, secrets: secret, now }), {
      ok: false,
      reason: 'signature_mismatch',
    });
    assert.equal(verifyWebhookSignature({ id: `${id}x`, timestamp, body, signatureHeader: sig, secrets: secret, now }).ok, false);
    assert.equal(verifyWebhookSignature({ id, timestamp: timestamp + 1, body, signatureHeader: sig, secrets: secret, now }).ok, false);
    const flipped = sig.slice(0, -3) + (sig.at(-3) === 'A' ? 'B' : 'A') + sig.slice(-2);
    assert.equal(verifyWebhookSignature({ id, timestamp, body, signatureHeader: flipped, secrets: secret, now }).ok, false);
  });

  test('a wrong secret fails; a missing or malformed header fails', () => {
    const sig = signWebhook({ id, timestamp, body, secrets: [secret] })['webhook-signature'];
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body, signatureHeader: sig, secrets: generateWebhookSecret(), now }), { ok: false, reason: 'signature_mismatch' });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body, signatureHeader: '', secrets: secret, now }), { ok: false, reason: 'no_signature' });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body, signatureHeader: sig.replace('v1,', 'v2,'), secrets: secret, now }), { ok: false, reason: 'no_signature' });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp: 'yesterday', body, signatureHeader: sig, secrets: secret, now }), { ok: false, reason: 'invalid_timestamp' });
  });

  test('outside the 5-minute window on either side fails; at the edges it passes', () => {
    const sig = signWebhook({ id, timestamp, body, secrets: [secret] })['webhook-signature'];
    const at = (offsetSeconds: number) => verifyWebhookSignature({ id, timestamp, body, signatureHeader: sig, secrets: secret, now: new Date((timestamp + offsetSeconds) * 1000) });
    assert.deepEqual(at(300), { ok: true });
    assert.deepEqual(at(-300), { ok: true });
    assert.deepEqual(at(301), { ok: false, reason: 'timestamp_too_old' });
    assert.deepEqual(at(-301), { ok: false, reason: 'timestamp_in_future' });
    assert.deepEqual(at(3600), { ok: false, reason: 'timestamp_too_old' });
  });

  test('during a rotation both signatures are sent and either secret verifies', () => {
    const next = generateWebhookSecret();
    const sig = signWebhook({ id, timestamp, body, secrets: [next, secret] })['webhook-signature'];
    assert.equal(sig.split(' ').length, 2);
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body, signatureHeader: sig, secrets: secret, now }), { ok: true });
    assert.deepEqual(verifyWebhookSignature({ id, timestamp, body, signatureHeader: sig, secrets: next, now }), { ok: true });
  });
});
