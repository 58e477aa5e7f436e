-- Durable flow runs: one row per run, one row per checkpointed call (step, sleep, wait), and signals for waits.

CREATE TABLE tl_flow_runs (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  tenant_id text NOT NULL,
  flow_id text NOT NULL,
  flow_version integer NOT NULL,
  idempotency_key text NOT NULL,
  concurrency_key text,
  status text NOT NULL CHECK (status IN ('Pending', 'Running', 'Waiting', 'Completed', 'Failed', 'NeedsAttention', 'Cancelled')),
  phase text NOT NULL DEFAULT 'Forward' CHECK (phase IN ('Forward', 'Compensating', 'Cancelling')),
  input jsonb,
  output jsonb,
  error text,
  failure text,
  wake_at timestamptz,
  wait_key text,
  cancel_requested boolean NOT NULL DEFAULT false,
  partner_id text,
  correlation_id text NOT NULL,
  started_by jsonb NOT NULL,
  lease_owner text,
  lease_token text,
  lease_until timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  CONSTRAINT tl_flow_runs_idempotency UNIQUE (tenant_id, flow_id, idempotency_key)
);

-- The worker's scan: due and leased runs.
CREATE INDEX tl_flow_runs_due ON tl_flow_runs (status, wake_at) WHERE status IN ('Pending', 'Running', 'Waiting');
-- Runs sharing a concurrency key, in start order.
CREATE INDEX tl_flow_runs_concurrency ON tl_flow_runs (tenant_id, concurrency_key, seq) WHERE concurrency_key IS NOT NULL;
-- Operations views: runs of a tenant by status.
CREATE INDEX tl_flow_runs_tenant_status ON tl_flow_runs (tenant_id, status, seq);
CREATE INDEX tl_flow_runs_waiting ON tl_flow_runs (tenant_id, wait_key) WHERE status = 'Waiting' AND wait_key IS NOT NULL;

CREATE TABLE tl_flow_steps (
  run_id text NOT NULL REFERENCES tl_flow_runs (id) ON DELETE CASCADE,
  tenant_id text NOT NULL,
  step_key text NOT NULL,
  step_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('Step', 'Sleep', 'Wait')),
  seq integer NOT NULL,
  status text NOT NULL CHECK (status IN ('Running', 'Retrying', 'Waiting', 'Completed', 'Failed')),
  input jsonb,
  output jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  wake_at timestamptz,
  wait_key text,
  compensated boolean NOT NULL DEFAULT false,
  compensation_attempts integer NOT NULL DEFAULT 0,
  compensation_error text,
  compensation_next_at timestamptz,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (run_id, step_key)
);

CREATE INDEX tl_flow_steps_tenant ON tl_flow_steps (tenant_id, run_id);

CREATE TABLE tl_flow_signals (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL,
  key text NOT NULL,
  payload jsonb,
  dedupe_id text,
  created_at timestamptz NOT NULL,
  consumed_by text,
  consumed_at timestamptz
);

CREATE INDEX tl_flow_signals_open ON tl_flow_signals (tenant_id, key, id) WHERE consumed_by IS NULL;
CREATE UNIQUE INDEX tl_flow_signals_dedupe ON tl_flow_signals (tenant_id, dedupe_id) WHERE dedupe_id IS NOT NULL;
