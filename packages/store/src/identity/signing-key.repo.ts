import type { SigningAlgorithm, SigningKey, SigningKeyStore } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

interface KeyRow {
  kid: string;
  alg: SigningAlgorithm;
  private_jwk: Record<string, unknown>;
  public_jwk: Record<string, unknown>;
  created_at: Date;
  retire_after: Date | null;
}

/** Signing keys of the token issuer in `tl_oauth_signing_keys` (hub-wide, not per tenant). */
export function createSigningKeyRepo(db: Sql): SigningKeyStore {
  return {
    async listUsable(now) {
      const { rows } = await db.query<KeyRow>(
        'SELECT kid, alg, private_jwk, public_jwk, created_at, retire_after FROM tl_oauth_signing_keys WHERE retire_after IS NULL OR retire_after > $1 ORDER BY created_at DESC, kid DESC',
        [now],
      );
      return rows.map((r) => ({
        kid: r.kid,
        alg: r.alg,
        privateJwk: r.private_jwk,
        publicJwk: r.public_jwk,
        createdAt: new Date(r.created_at).toISOString(),
        retireAfter: r.retire_after === null ? null : new Date(r.retire_after).toISOString(),
      }));
    },
    async add(key: SigningKey) {
      await db.query('INSERT INTO tl_oauth_signing_keys (kid, alg, private_jwk, public_jwk, created_at, retire_after) VALUES ($1, $2, $3, $4, $5, $6)', [
        key.kid,
        key.alg,
        jsonParam(key.privateJwk),
        jsonParam(key.publicJwk),
        new Date(key.createdAt),
        key.retireAfter === null ? null : new Date(key.retireAfter),
      ]);
    },
    async retireAllExcept(kid, retireAfter) {
      await db.query('UPDATE tl_oauth_signing_keys SET retire_after = $2 WHERE kid <> $1 AND (retire_after IS NULL OR retire_after > $2)', [kid, retireAfter]);
    },
  };
}
