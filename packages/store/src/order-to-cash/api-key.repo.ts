import { createHash, randomBytes } from 'node:crypto';
import { newUlid } from '@tradelane/canonical';
import { InputError, type ApiKeyResolver, type TenantContext } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

/** A freshly created API key: `apiKey` is shown once and never stored (only its SHA-256 is). */
export interface CreatedApiKey {
  id: string;
  apiKey: string;
  partnerId: string;
  scopes: string[];
}

/** A freshly created staff key (no partner); `apiKey` is shown once. */
export interface CreatedStaffApiKey {
  id: string;
  apiKey: string;
  staffName: string;
  scopes: string[];
}

/** SHA-256 of an API key, hex. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** API keys of customers: create (seeding, onboarding) and resolve (the auth plugin). */
export interface ApiKeyRepo extends ApiKeyResolver {
  /** Creates a key for a partner of the context's tenant; the key itself is in the result and nowhere else. */
  createApiKey(ctx: TenantContext, input: { partnerId: string; scopes: readonly string[] }): Promise<CreatedApiKey>;
  /**
   * Creates a key for the distributor's own staff (operations, buyers, finance): it speaks for no partner, and its
   * context's actor is the user `staffName`.
   */
  createStaffApiKey(ctx: TenantContext, input: { staffName: string; scopes: readonly string[] }): Promise<CreatedStaffApiKey>;
  /** Revokes a key by id; false when it did not exist or was revoked already. */
  revokeApiKey(ctx: TenantContext, keyId: string): Promise<boolean>;
}

/** API keys kept as SHA-256 hashes in `tl_o2c_api_keys`. */
export function createApiKeyRepo(db: Sql): ApiKeyRepo {
  return {
    async createApiKey(ctx, input) {
      if (!input.partnerId) throw new InputError('TL_AUTH_BAD_PARTNER', 'an API key needs a partner id');
      const id = `key_${newUlid()}`;
      const apiKey = `tlk_${randomBytes(24).toString('base64url')}`;
      await db.query('INSERT INTO tl_o2c_api_keys (key_hash, id, tenant_id, partner_id, scopes) VALUES ($1, $2, $3, $4, $5)', [
        hashApiKey(apiKey),
        id,
        ctx.tenantId,
        input.partnerId,
        jsonParam([...input.scopes]),
      ]);
      return { id, apiKey, partnerId: input.partnerId, scopes: [...input.scopes] };
    },
    async createStaffApiKey(ctx, input) {
      const staffName = typeof input.staffName === 'string' ? input.staffName.trim() : '';
      if (!/^[A-Za-z0-9._@-]{1,100}$/.test(staffName)) throw new InputError('TL_AUTH_BAD_STAFF_NAME', 'a staff key needs a user name of letters, digits and . _ @ - (at most 100)');
      const id = `key_${newUlid()}`;
      const apiKey = `tlk_${randomBytes(24).toString('base64url')}`;
      await db.query('INSERT INTO tl_o2c_api_keys (key_hash, id, tenant_id, partner_id, staff_name, scopes) VALUES ($1, $2, $3, NULL, $4, $5)', [
        hashApiKey(apiKey),
        id,
        ctx.tenantId,
        staffName,
        jsonParam([...input.scopes]),
      ]);
      return { id, apiKey, staffName, scopes: [...input.scopes] };
    },
    async revokeApiKey(ctx, keyId) {
      const res = await db.query('UPDATE tl_o2c_api_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [ctx.tenantId, keyId]);
      return res.rowCount > 0;
    },
    async resolve(apiKey, correlationId) {
      if (typeof apiKey !== 'string' || apiKey.length < 8 || apiKey.length > 200) return null;
      const { rows } = await db.query<{ id: string; tenant_id: string; partner_id: string | null; staff_name: string | null; scopes: string[] }>(
        'SELECT id, tenant_id, partner_id, staff_name, scopes FROM tl_o2c_api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [hashApiKey(apiKey)],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.partner_id === null) return { tenantId: row.tenant_id, actor: { kind: 'user', id: row.staff_name ?? row.id }, scopes: row.scopes, correlationId };
      return { tenantId: row.tenant_id, partnerId: row.partner_id, actor: { kind: 'client', id: row.id }, scopes: row.scopes, correlationId };
    },
  };
}
