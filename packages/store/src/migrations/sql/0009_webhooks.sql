-- Outbound webhooks (Standard Webhooks 1.0): partners' subscriptions, their signing secrets (several during a
-- rotation's overlap), the deliveries owed (one per subscription and event) and the log of every attempt.

CREATE TABLE tl_webhook_subscriptions (
  tenant_id text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  url text NOT NULL,
  event_types jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason text,
  disabled_at timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  failing_since timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_webhook_subscriptions_partner ON tl_webhook_subscriptions (tenant_id, partner_id) WHERE status = 'enabled';

-- Signing secrets are needed in clear to compute HMACs; expires_at ends a rotation's overlap.
CREATE TABLE tl_webhook_secrets (
  tenant_id text NOT NULL,
  id text NOT NULL,
  subscription_id text NOT NULL,
  secret text NOT NULL CHECK (secret LIKE 'whsec\_%'),
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES tl_webhook_subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tl_webhook_secrets_subscription ON tl_webhook_secrets (tenant_id, subscription_id, created_at);

CREATE TABLE tl_webhook_deliveries (
  tenant_id text NOT NULL,
  id text NOT NULL,
  seq bigserial NOT NULL,
  subscription_id text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  leased_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, subscription_id, event_id),
  FOREIGN KEY (tenant_id, subscription_id) REFERENCES tl_webhook_subscriptions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tl_webhook_deliveries_due ON tl_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX tl_webhook_deliveries_subscription ON tl_webhook_deliveries (tenant_id, subscription_id, seq);

CREATE TABLE tl_webhook_attempts (
  tenant_id text NOT NULL,
  delivery_id text NOT NULL,
  attempt integer NOT NULL,
  at timestamptz NOT NULL,
  status_code integer,
  duration_ms integer NOT NULL,
  error_code text,
  error text,
  next_attempt_at timestamptz,
  PRIMARY KEY (tenant_id, delivery_id, attempt),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES tl_webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
