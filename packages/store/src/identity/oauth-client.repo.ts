import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newUlid } from '@tradelane/canonical';
import { InputError, STAFF_ROLES, STAFF_ROLE_SCOPES, isStaffRole, staffScopes, type OAuthClient, type OAuthClientStore, type TenantContext } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';
import { createCredentialCache, type CredentialCacheOptions } from './credential-cache.js';

/** SHA-256 of a client secret, hex (secrets carry 256 random bits, so a fast hash is enough). */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

const CLIENT_ID = /^cli_[0-9A-HJKMNP-TV-Z]{26}$/;
const STAFF_NAME = /^[A-Za-z0-9._@-]{1,100}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

interface ClientRow {
  client_id: string;
  tenant_id: string;
  partner_id: string | null;
  staff_name: string | null;
  role: string | null;
  scopes: string[];
  secret_hash: string;
  created_at: Date;
  revoked_at?: Date | null;
}

const SELECT = 'SELECT client_id, tenant_id, partner_id, staff_name, role, scopes, secret_hash, created_at, revoked_at FROM tl_oauth_clients';

function toClient(row: ClientRow): OAuthClient {
  const role = isStaffRole(row.role) ? row.role : undefined;
  return {
    clientId: row.client_id,
    tenantId: row.tenant_id,
    ...(row.partner_id !== null ? { partnerId: row.partner_id } : {}),
    ...(row.staff_name !== null ? { staffName: row.staff_name } : {}),
    ...(role !== undefined ? { role } : {}),
    // the role's scopes as the role grants them now, then the client's own
    scopes: staffScopes(role, row.scopes),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** A client as the listing shows it: the client and when it was revoked, if it was. */
export interface OAuthClientListing extends OAuthClient {
  /** ISO timestamp of the revocation; absent while the client is active. */
  readonly revokedAt?: string | undefined;
}

/** The OAuth client store of the database, with a listing for the `clients list` command. */
export interface OAuthClientRepo extends OAuthClientStore {
  /** The tenant's clients, oldest first; revoked ones too with `includeRevoked`. */
  list(ctx: TenantContext, options?: { includeRevoked?: boolean | undefined }): Promise<OAuthClientListing[]>;
}

/** Options of {@link createOAuthClientRepo}. */
export interface OAuthClientRepoOptions {
  /**
   * Reuse `findActive` answers (the revocation check on every token-authenticated request) for a few seconds.
   * Revoking a client through any repository of this process drops it at once; another process's revocation takes
   * effect within `ttlMs`. The secret check at the token endpoint always reads the table.
   * @default no cache
   */
  cache?: CredentialCacheOptions | undefined;
}

/**
 * OAuth clients in `tl_oauth_clients`: the secret is shown once at registration and kept as its SHA-256.
 * @example const clients = createOAuthClientRepo(db, { cache: { ttlMs: 5000 } })
 */
export function createOAuthClientRepo(db: Sql, options: OAuthClientRepoOptions = {}): OAuthClientRepo {
  const cache = createCredentialCache<OAuthClient>(options.cache);
  const active = async (clientId: string): Promise<ClientRow | null> => {
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) return null;
    const { rows } = await db.query<ClientRow>(`${SELECT} WHERE client_id = $1 AND revoked_at IS NULL`, [clientId]);
    return rows[0] ?? null;
  };
  return {
    async register(ctx, registration) {
      const partnerId = registration.partnerId?.trim() || undefined;
      const staffName = registration.staffName?.trim() || undefined;
      if ((partnerId === undefined) === (staffName === undefined)) {
        throw new InputError('TL_AUTH_BAD_CLIENT_OWNER', 'a client speaks for exactly one of a partner or a staff member');
      }
      if (staffName !== undefined && !STAFF_NAME.test(staffName)) {
        throw new InputError('TL_AUTH_BAD_STAFF_NAME', 'a staff client needs a user name of letters, digits and . _ @ - (at most 100)');
      }
      const role = registration.role;
      if (role !== undefined && (staffName === undefined || !isStaffRole(role))) {
        throw new InputError('TL_AUTH_BAD_ROLE', `a role belongs to a staff client and is one of ${STAFF_ROLES.join(', ')}`);
      }
      // Stored: the scopes beyond the role's, so the role's scopes always come from the role.
      const granted = role === undefined ? [] : STAFF_ROLE_SCOPES[role];
      const scopes = [...new Set(registration.scopes)].filter((s) => !granted.includes(s));
      if ((scopes.length === 0 && role === undefined) || scopes.some((s) => !SCOPE.test(s))) {
        throw new InputError('TL_AUTH_BAD_SCOPES', 'a client needs a role or at least one scope of printable characters without spaces, quotes or backslashes');
      }
      const clientId = `cli_${newUlid()}`;
      const clientSecret = `tlcs_${randomBytes(32).toString('base64url')}`;
      const { rows } = await db.query<ClientRow>(
        `INSERT INTO tl_oauth_clients (client_id, tenant_id, partner_id, staff_name, role, scopes, secret_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING client_id, tenant_id, partner_id, staff_name, role, scopes, secret_hash, created_at`,
        [clientId, ctx.tenantId, partnerId ?? null, staffName ?? null, role ?? null, jsonParam(scopes), hashClientSecret(clientSecret)],
      );
      const client = toClient(rows[0]!);
      return { client, clientSecret };
    },
    async authenticate(clientId, clientSecret) {
      if (typeof clientSecret !== 'string' || clientSecret.length < 8 || clientSecret.length > 200) return null;
      const row = await active(clientId);
      const presented = Buffer.from(hashClientSecret(clientSecret), 'hex');
      const stored = Buffer.from(row?.secret_hash ?? hashClientSecret('no client'), 'hex');
      const match = stored.length === presented.length && timingSafeEqual(stored, presented);
      return row && match ? toClient(row) : null;
    },
    async findActive(clientId) {
      const client = await cache.get(clientId, async () => {
        const row = await active(clientId);
        return row ? { id: row.client_id, value: toClient(row), expiresAt: null } : null;
      });
      return client ? { ...client, scopes: [...client.scopes] } : null;
    },
    async list(ctx, listOptions = {}) {
      const { rows } = await db.query<ClientRow>(
        `${SELECT} WHERE tenant_id = $1 ${listOptions.includeRevoked ? '' : 'AND revoked_at IS NULL'} ORDER BY created_at, client_id`,
        [ctx.tenantId],
      );
      return rows.map((row) => ({ ...toClient(row), ...(row.revoked_at ? { revokedAt: new Date(row.revoked_at).toISOString() } : {}) }));
    },
    async revoke(ctx, clientId) {
      const res = await db.query('UPDATE tl_oauth_clients SET revoked_at = now() WHERE tenant_id = $1 AND client_id = $2 AND revoked_at IS NULL', [ctx.tenantId, clientId]);
      if (res.rowCount > 0) cache.invalidate(clientId);
      return res.rowCount > 0;
    },
  };
}
