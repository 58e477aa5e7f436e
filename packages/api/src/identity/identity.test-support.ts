/**
 * In-memory OAuth client registry and signing key store for the API tests, with the same rules as the store: secrets
 * kept as SHA-256 and compared in constant time, revoked clients never authenticate.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { OAuthClient, OAuthClientRegistration, OAuthClientStore, RegisteredOAuthClient, SigningKey, SigningKeyStore, TenantContext } from '@tradelane/core';
import { buildApp, type AppOptions } from '../app.js';
import { MemoryAuditLog } from '../audit/audit.test-support.js';
import { FakeWebhookSubscriptions } from '../webhooks/webhooks.test-support.js';
import { FakeApiKeys, FakeIdempotencyStore, FakeOrderToCash, captureLogger } from '../customer/customer.test-support.js';
import { FakeExceptionDesk } from '../ops/ops.test-support.js';
import { FakeP2pApiKeys, FakeProcureToPay } from '../supplier/supplier.test-support.js';
import { createAccessTokens, type AccessTokenOptions } from './access-tokens.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();
let seq = 0;

/** OAuth clients in memory. */
export class FakeOAuthClients implements OAuthClientStore {
  readonly rows = new Map<string, { client: OAuthClient; hash: Buffer; revoked: boolean }>();
  readonly calls = { authenticate: 0, findActive: 0 };
  async register(ctx: TenantContext, registration: OAuthClientRegistration): Promise<RegisteredOAuthClient> {
    seq += 1;
    const clientId = `cli_${String(seq).padStart(26, '0')}`;
    const clientSecret = `tlcs_${randomBytes(32).toString('base64url')}`;
    const client: OAuthClient = {
      clientId,
      tenantId: ctx.tenantId,
      ...(registration.partnerId !== undefined ? { partnerId: registration.partnerId } : {}),
      ...(registration.staffName !== undefined ? { staffName: registration.staffName } : {}),
      scopes: [...registration.scopes],
      createdAt: new Date().toISOString(),
    };
    this.rows.set(clientId, { client, hash: sha256(clientSecret), revoked: false });
    return { client, clientSecret };
  }
  async authenticate(clientId: string, clientSecret: string): Promise<OAuthClient | null> {
    this.calls.authenticate += 1;
    const row = this.rows.get(clientId);
    const ok = row !== undefined && timingSafeEqual(row.hash, sha256(clientSecret));
    return ok && !row.revoked ? row.client : null;
  }
  async findActive(clientId: string): Promise<OAuthClient | null> {
    this.calls.findActive += 1;
    const row = this.rows.get(clientId);
    return row && !row.revoked ? row.client : null;
  }
  async revoke(ctx: TenantContext, clientId: string): Promise<boolean> {
    const row = this.rows.get(clientId);
    if (!row || row.revoked || row.client.tenantId !== ctx.tenantId) return false;
    row.revoked = true;
    return true;
  }
}

/** Signing keys in memory. */
export class FakeSigningKeys implements SigningKeyStore {
  readonly keys: SigningKey[] = [];
  async listUsable(now: Date): Promise<SigningKey[]> {
    return this.keys
      .filter((k) => k.retireAfter === null || Date.parse(k.retireAfter) > now.getTime())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.kid.localeCompare(a.kid));
  }
  async add(key: SigningKey): Promise<void> {
    this.keys.push(structuredClone(key));
  }
  async retireAllExcept(kid: string, retireAfter: Date): Promise<void> {
    for (let i = 0; i < this.keys.length; i += 1) {
      const k = this.keys[i]!;
      if (k.kid !== kid && (k.retireAfter === null || Date.parse(k.retireAfter) > retireAfter.getTime())) {
        this.keys[i] = { ...k, retireAfter: retireAfter.toISOString() };
      }
    }
  }
}

/** Issuer and audience of the test hub's access tokens. */
export const ISSUER = 'https://hub.test';
/** Audience of the test hub's access tokens. */
export const AUDIENCE = 'https://hub.test/v1';

/** A context to register clients of `tenantId` with. */
export function adminOf(tenantId: string): TenantContext {
  return { tenantId, actor: { kind: 'user', id: 'usr_admin' }, scopes: ['*'], correlationId: 'corr-admin' };
}

/**
 * The whole app with the customer, supplier and operations trees on their in-memory ports, and OAuth clients and
 * access tokens on in-memory stores.
 */
export async function hubApp(tokenOptions: Partial<AccessTokenOptions> = {}, appOptions: Partial<AppOptions> = {}) {
  const clients = new FakeOAuthClients();
  const keys = new FakeSigningKeys();
  const tokens = createAccessTokens({ clients, keys, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 300, keyCacheMs: 0, ...tokenOptions });
  const o2c = new FakeOrderToCash();
  const p2p = new FakeProcureToPay();
  const desk = new FakeExceptionDesk();
  const idempotency = new FakeIdempotencyStore();
  const customerKeys = new FakeApiKeys();
  const supplierKeys = new FakeP2pApiKeys();
  const webhooks = new FakeWebhookSubscriptions();
  const audit = new MemoryAuditLog();
  const { logger, lines } = captureLogger();
  const app = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    customer: { commands: o2c, queries: o2c, idempotency, apiKeys: customerKeys },
    supplier: { commands: p2p, queries: p2p, idempotency, apiKeys: supplierKeys },
    ops: { exceptions: desk, idempotency, apiKeys: supplierKeys },
    webhooks: { subscriptions: webhooks, idempotency, apiKeys: customerKeys },
    identity: { clients, tokens },
    audit,
    ...appOptions,
  });
  return { app, clients, keys, tokens, o2c, p2p, desk, webhooks, audit, customerKeys, supplierKeys, logs: lines };
}

/** Asks the token endpoint for a token with client_secret_post; returns the parsed answer and status. */
export async function fetchToken(app: FastifyInstance, clientId: string, clientSecret: string, scope?: string) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, ...(scope !== undefined ? { scope } : {}) });
  const res = await app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
  return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
}
