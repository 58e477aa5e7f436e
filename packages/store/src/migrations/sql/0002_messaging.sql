-- Messaging: transactional outbox, consumer inbox, per-consumer delivery state and dead letters;
-- plus idempotency keys for the API and a generic tenant-scoped document store.

-- Events written in the same transaction as the state change they describe. The relay selects unpublished rows
-- (never a high-water mark), so rows whose transactions commit out of sequence order are never skipped.
CREATE TABLE tl_outbox (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE, -- the event id; the message id on the wire (Nats-Msg-Id, webhook id)
  tenant_id text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  event_type text NOT NULL,
  envelope jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  published_at timestamptz,
  claimed_until timestamptz
);
-- The relay's pending scan, and its "earliest unpublished event of this aggregate" check.
CREATE INDEX tl_outbox_pending ON tl_outbox (seq) WHERE published_at IS NULL;
CREATE INDEX tl_outbox_pending_aggregate ON tl_outbox (tenant_id, aggregate_type, aggregate_id, seq) WHERE published_at IS NULL;
-- Message tracking: every event of a document.
CREATE INDEX tl_outbox_aggregate ON tl_outbox (tenant_id, aggregate_type, aggregate_id, seq);

-- Which consumer has processed which event; inserted in the same transaction as the consumer's effects.
CREATE TABLE tl_inbox (
  consumer text NOT NULL,
  event_id text NOT NULL,
  tenant_id text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX tl_inbox_processed_at ON tl_inbox (processed_at);

-- Per-consumer retry state, kept once a first attempt failed or an event had to wait behind an earlier one.
CREATE TABLE tl_deliveries (
  consumer text NOT NULL,
  event_id text NOT NULL,
  tenant_id text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  seq bigint NOT NULL,
  event_type text NOT NULL,
  envelope jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  first_failed_at timestamptz,
  claimed_until timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX tl_deliveries_due ON tl_deliveries (next_attempt_at) WHERE status = 'pending';
-- "Is an earlier event of this aggregate still pending for this consumer?" (per-aggregate ordering).
CREATE INDEX tl_deliveries_pending_aggregate ON tl_deliveries (tenant_id, aggregate_type, aggregate_id, consumer, seq) WHERE status = 'pending';
CREATE INDEX tl_deliveries_event ON tl_deliveries (event_id);

-- Messages a consumer could not process, with error, kind and attempt count, until replayed or discarded.
CREATE TABLE tl_dead_letters (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  consumer text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  envelope jsonb NOT NULL,
  error text NOT NULL,
  error_kind text NOT NULL CHECK (error_kind IN ('transient', 'permanent')),
  attempts integer NOT NULL,
  first_failed_at timestamptz NOT NULL,
  last_failed_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'replayed', 'discarded')),
  replayed_at timestamptz,
  discarded_at timestamptz,
  replay_count integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tl_dead_letters_open ON tl_dead_letters (consumer, event_id) WHERE status = 'open';
CREATE INDEX tl_dead_letters_status ON tl_dead_letters (status, id);
CREATE INDEX tl_dead_letters_tenant ON tl_dead_letters (tenant_id, status, id);

-- API idempotency keys (Stripe semantics): same key and request replays the stored response.
CREATE TABLE tl_idempotency_keys (
  tenant_id text NOT NULL,
  scope text NOT NULL, -- e.g. client id plus route
  key text NOT NULL,
  request_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_flight', 'completed')),
  response_status integer,
  response_headers jsonb,
  response_body jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz, -- an in-flight key whose process died may be claimed again after this
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, scope, key)
);
CREATE INDEX tl_idempotency_keys_expires_at ON tl_idempotency_keys (expires_at);

-- Canonical documents of every type, tenant-scoped, versioned for optimistic concurrency.
CREATE TABLE tl_documents (
  tenant_id text NOT NULL,
  doc_type text NOT NULL,
  id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  status text NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, doc_type, id)
);
CREATE INDEX tl_documents_status ON tl_documents (tenant_id, doc_type, status, id);
