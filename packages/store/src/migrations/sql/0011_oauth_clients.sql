-- OAuth 2.0 clients (client-credentials grant) and the keys that sign their access tokens.
-- A client speaks for a partner or for a staff member, never both; only the SHA-256 of its secret is kept.
CREATE TABLE tl_oauth_clients (
  client_id text PRIMARY KEY,
  tenant_id text NOT NULL,
  partner_id text,
  staff_name text,
  scopes jsonb NOT NULL,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CONSTRAINT tl_oauth_clients_owner CHECK ((partner_id IS NULL) <> (staff_name IS NULL))
);
CREATE INDEX tl_oauth_clients_tenant ON tl_oauth_clients (tenant_id);

-- Signing keys of the hub's issuer: the newest usable key signs; older ones stay published until retire_after.
CREATE TABLE tl_oauth_signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('ES256', 'EdDSA')),
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  retire_after timestamptz
);
