-- Tenants: one distributor each. Every other table carries tenant_id.
CREATE TABLE tl_tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
