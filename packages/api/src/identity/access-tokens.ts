import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWTPayload, type JWTHeaderParameters } from 'jose';
import type { OAuthClient, OAuthClientStore, SigningAlgorithm, SigningKey, SigningKeyStore, TenantContext } from '@tradelane/core';

/** Algorithms a presented access token may use; anything else (none, HS256 …) is refused before any key is looked at. */
export const ACCESS_TOKEN_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'EdDSA'];
/** The JWT `typ` of access tokens (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Options of {@link createAccessTokens}. */
export interface AccessTokenOptions {
  /** Registered clients (secret check at the token endpoint, revocation check on every request). */
  clients: OAuthClientStore;
  /** Where the signing keys live. */
  keys: SigningKeyStore;
  /** `iss` of issued tokens and the only issuer accepted, e.g. `https://hub.example.com`. */
  issuer: string;
  /** `aud` of issued tokens and the only audience accepted. */
  audience: string;
  /** Lifetime of an access token in seconds. @default 600 */
  ttlSeconds?: number | undefined;
  /** Age in seconds after which the signing key is replaced by a new one. @default 86400 */
  rotateAfterSeconds?: number | undefined;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. @default 5 */
  clockToleranceSeconds?: number | undefined;
  /** Algorithm of new signing keys. @default 'ES256' */
  algorithm?: SigningAlgorithm | undefined;
  /** How long the loaded key set is reused before it is read again, in ms. @default 30000 */
  keyCacheMs?: number | undefined;
  /** The current time. @default () => new Date() */
  now?: (() => Date) | undefined;
}

/** A token response per RFC 6749 §5.1. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** Turns a presented bearer token into the caller's context, or null when it does not verify. */
export interface AccessTokenVerifier {
  verify(token: string, correlationId: string): Promise<TenantContext | null>;
}

/** Issues, verifies and publishes access tokens. */
export interface AccessTokens extends AccessTokenVerifier {
  /** The issuer's settings, for the discovery of the token endpoint and the docs. */
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  /** Signs an access token for `client` carrying `scopes` (already checked to be a subset of the client's). */
  issue(client: OAuthClient, scopes: readonly string[]): Promise<TokenResponse>;
  /** The JSON Web Key Set of every key that may have signed a token still valid (RFC 7517 §5). */
  jwks(): Promise<{ keys: Array<Record<string, unknown>> }>;
  /** Makes a new key the signing key now; the previous ones stay published until the tokens they signed expire. */
  rotate(): Promise<SigningKey>;
}

interface LoadedKey {
  record: SigningKey;
  publicKey: CryptoKey;
  privateKey?: CryptoKey;
}

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function publicOnly(jwk: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(PUBLIC_MEMBERS.filter((m) => jwk[m] !== undefined).map((m) => [m, jwk[m]]));
}

/**
 * Access tokens per RFC 9068 for the client-credentials grant: signed with the newest key of a rotating set (ES256
 * or EdDSA), verified by `kid` against that set with an algorithm allow-list, `typ: at+jwt`, issuer, audience, `exp`
 * and `nbf` checks, then the client is looked up so a revoked client's tokens stop working at once.
 * @example const tokens = createAccessTokens({ clients, keys, issuer: 'https://hub.example.com', audience: 'https://hub.example.com/v1' })
 */
export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  const ttlSeconds = options.ttlSeconds ?? 600;
  const rotateAfterMs = (options.rotateAfterSeconds ?? 86_400) * 1000;
  const tolerance = options.clockToleranceSeconds ?? 5;
  const algorithm = options.algorithm ?? 'ES256';
  const keyCacheMs = options.keyCacheMs ?? 30_000;
  const now = options.now ?? (() => new Date());
  let cache: { at: number; keys: LoadedKey[] } | undefined;
  let loading: Promise<LoadedKey[]> | undefined;
  let rotating: Promise<SigningKey> | undefined;

  const load = async (): Promise<LoadedKey[]> => {
    loading ??= (async () => {
      try {
        const records = await options.keys.listUsable(now());
        const loaded = await Promise.all(
          records.map(async (record) => ({ record, publicKey: (await importJWK(publicOnly({ ...record.publicJwk }), record.alg)) as CryptoKey })),
        );
        cache = { at: Date.now(), keys: loaded };
        return loaded;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };
  const usable = (keys: LoadedKey[]): LoadedKey[] => {
    const t = now().getTime();
    return keys.filter((k) => k.record.retireAfter === null || Date.parse(k.record.retireAfter) > t);
  };
  const keySet = async (fresh = false): Promise<LoadedKey[]> => {
    if (!fresh && cache && Date.now() - cache.at < keyCacheMs) return usable(cache.keys);
    return usable(await load());
  };

  const rotate = (): Promise<SigningKey> => {
    rotating ??= (async () => {
      try {
        const { privateKey, publicKey } = await generateKeyPair(algorithm, { extractable: true });
        const created = now();
        const kid = `${created.toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID()}`;
        const record: SigningKey = {
          kid,
          alg: algorithm,
          privateJwk: { ...(await exportJWK(privateKey)) },
          publicJwk: { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: 'sig' },
          createdAt: created.toISOString(),
          retireAfter: null,
        };
        await options.keys.add(record);
        // Tokens the previous keys signed live at most ttl (+ skew, + the verifiers' cache window).
        await options.keys.retireAllExcept(kid, new Date(created.getTime() + (ttlSeconds + tolerance) * 1000 + keyCacheMs));
        await load();
        return record;
      } finally {
        rotating = undefined;
      }
    })();
    return rotating;
  };

  const signingKey = async (): Promise<LoadedKey> => {
    let newest = (await keySet())[0];
    if (!newest || Date.parse(newest.record.createdAt) + rotateAfterMs <= now().getTime()) {
      await rotate();
      newest = (await keySet())[0];
    }
    if (!newest) throw new Error('no signing key after rotation');
    newest.privateKey ??= (await importJWK({ ...newest.record.privateJwk }, newest.record.alg)) as CryptoKey;
    return newest;
  };

  const keyFor = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
    if (typeof header.kid !== 'string' || header.kid.length > 200) throw new Error('no usable kid');
    let found = (await keySet()).find((k) => k.record.kid === header.kid);
    // An unknown kid may be a key another process has just created: read the set once more, at most once a second.
    if (!found && (!cache || Date.now() - cache.at > 1000)) found = (await keySet(true)).find((k) => k.record.kid === header.kid);
    if (!found || found.record.alg !== header.alg) throw new Error('unknown kid');
    return found.publicKey;
  };

  return {
    issuer: options.issuer,
    audience: options.audience,
    ttlSeconds,
    rotate,
    async issue(client, scopes) {
      const key = await signingKey();
      const iat = Math.floor(now().getTime() / 1000);
      const scope = scopes.join(' ');
      const payload: JWTPayload = {
        client_id: client.clientId,
        scope,
        tenant_id: client.tenantId,
        ...(client.partnerId !== undefined ? { partner_id: client.partnerId } : {}),
      };
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: key.record.alg, kid: key.record.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(client.clientId)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(key.privateKey!);
      return { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds, scope };
    },
    async jwks() {
      return { keys: (await keySet()).map((k) => ({ ...publicOnly({ ...k.record.publicJwk }), kid: k.record.kid, alg: k.record.alg, use: 'sig' })) };
    },
    async verify(token, correlationId) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keyFor, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...ACCESS_TOKEN_ALGORITHMS],
          typ: ACCESS_TOKEN_TYPE,
          clockTolerance: tolerance,
          currentDate: now(),
          requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'jti', 'client_id', 'tenant_id', 'scope'],
        }));
      } catch {
        return null;
      }
      const { client_id: clientId, tenant_id: tenantId, partner_id: partnerId, scope, sub } = payload;
      if (typeof clientId !== 'string' || sub !== clientId || typeof tenantId !== 'string' || typeof scope !== 'string') return null;
      if (partnerId !== undefined && typeof partnerId !== 'string') return null;
      const client = await options.clients.findActive(clientId);
      if (!client || client.tenantId !== tenantId || client.partnerId !== partnerId) return null;
      const granted = scope.split(' ').filter((s) => s !== '' && client.scopes.includes(s));
      const actor = client.staffName !== undefined ? { kind: 'user' as const, id: client.staffName } : { kind: 'client' as const, id: client.clientId };
      return { tenantId, ...(partnerId !== undefined ? { partnerId } : {}), actor, scopes: granted, correlationId };
    },
  };
}
