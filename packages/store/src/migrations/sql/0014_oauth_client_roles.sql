-- Staff OAuth clients carry their console role, like staff API keys do: a token's scopes are the role's scopes (as
-- the role grants them when the token is issued) plus the scopes stored with the client, which for a client with a
-- role are only those beyond the role's. Clients registered before keep their stored scopes and no role.
ALTER TABLE tl_oauth_clients ADD COLUMN IF NOT EXISTS role text;
ALTER TABLE tl_oauth_clients ADD CONSTRAINT tl_oauth_clients_role
  CHECK (role IS NULL OR (staff_name IS NOT NULL AND role IN ('buyer', 'customer_service', 'finance', 'integration_admin')));
