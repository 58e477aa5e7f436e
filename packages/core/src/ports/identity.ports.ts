import type { TenantContext } from '../context.js';
import type { StaffRole } from '../staff-roles.js';

/** An OAuth 2.0 client (client-credentials grant) of a tenant: it speaks for a partner or for a staff member. */
export interface OAuthClient {
  /** Public identifier, `cli_<ULID>`. */
  readonly clientId: string;
  readonly tenantId: string;
  /** The customer or supplier the client speaks for; absent for a staff client. */
  readonly partnerId?: string | undefined;
  /** The distributor-side user a staff client acts as; absent for a partner client. */
  readonly staffName?: string | undefined;
  /** The console role of a staff client, stored with it; its scopes are part of `scopes`. */
  readonly role?: StaffRole | undefined;
  /** The most a token of this client may carry: the stored role's scopes (as the role grants them now) plus its own. */
  readonly scopes: readonly string[];
  /** ISO timestamp of registration. */
  readonly createdAt: string;
}

/**
 * What registering a client needs: exactly one of `partnerId` and `staffName`, and its scopes; a staff client may
 * have a role instead of (or besides) scopes.
 */
export interface OAuthClientRegistration {
  partnerId?: string | undefined;
  staffName?: string | undefined;
  /** A staff client's console role; its tokens carry the role's scopes. */
  role?: StaffRole | undefined;
  /** Scopes besides the role's (at least one when there is no role). */
  scopes: readonly string[];
}

/** A freshly registered client: `clientSecret` is shown once and never stored (only its hash is). */
export interface RegisteredOAuthClient {
  client: OAuthClient;
  clientSecret: string;
}

/** OAuth 2.0 clients: registration, secret verification, revocation. */
export interface OAuthClientStore {
  /** Registers a client in the context's tenant and returns its one-time secret. */
  register(ctx: TenantContext, registration: OAuthClientRegistration): Promise<RegisteredOAuthClient>;
  /** The active client whose secret matches (compared in constant time); null when unknown, revoked or wrong. */
  authenticate(clientId: string, clientSecret: string): Promise<OAuthClient | null>;
  /** The client if it exists and is not revoked (the token verifier checks this on every request). */
  findActive(clientId: string): Promise<OAuthClient | null>;
  /** Revokes a client of the context's tenant; false when unknown or already revoked. */
  revoke(ctx: TenantContext, clientId: string): Promise<boolean>;
}

/** Algorithms access tokens may be signed with. */
export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** A key that signs access tokens; its public half is published in the JWKS until `retireAfter`. */
export interface SigningKey {
  /** Key id, the `kid` of the JWS header. */
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  /** Private JWK (includes `d`). */
  readonly privateJwk: Readonly<Record<string, unknown>>;
  /** Public JWK (no private members). */
  readonly publicJwk: Readonly<Record<string, unknown>>;
  /** ISO timestamp of creation; the newest usable key signs. */
  readonly createdAt: string;
  /** ISO timestamp after which the key neither signs nor verifies; null while it is the current key. */
  readonly retireAfter: string | null;
}

/** Persistence of signing keys; rotation policy lives with the token issuer. */
export interface SigningKeyStore {
  /** Keys not retired at `now`, newest first. */
  listUsable(now: Date): Promise<SigningKey[]>;
  /** Stores a new key. */
  add(key: SigningKey): Promise<void>;
  /** Sets `retireAfter` on every key other than `kid` that has none, or a later one. */
  retireAllExcept(kid: string, retireAfter: Date): Promise<void>;
}
