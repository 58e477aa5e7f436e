-- Audit log: an append-only, hash-chained record per tenant of who did what to which resource, with which outcome.
-- Each entry's hash is SHA-256 over the canonical JSON of its fields and the previous entry's hash. The head row
-- holds the last sequence number and hash of each chain: appends lock it (serialising one tenant's appends), and
-- verification compares the chain's end with it, so deleting or forging entries at the end is detected too.

CREATE TABLE tl_audit_heads (
  tenant_id text PRIMARY KEY,
  last_seq bigint NOT NULL,
  last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
  updated_at timestamptz NOT NULL
);

CREATE TABLE tl_audit_log (
  tenant_id text NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  actor_kind text NOT NULL,
  actor_id text NOT NULL,
  action text NOT NULL,
  resource_kind text NOT NULL,
  resource_id text NOT NULL,
  outcome text NOT NULL,
  correlation_id text NOT NULL,
  detail jsonb,
  at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);

CREATE INDEX tl_audit_log_resource ON tl_audit_log (tenant_id, resource_kind, resource_id, seq);
CREATE INDEX tl_audit_log_action ON tl_audit_log (tenant_id, action, seq);

-- Append-only: updates, deletes and truncation are refused (an owner can still disable the trigger; the hash chain
-- is what proves nothing changed).
CREATE FUNCTION tl_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'tl_audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER tl_audit_log_no_update BEFORE UPDATE OR DELETE ON tl_audit_log
  FOR EACH ROW EXECUTE FUNCTION tl_audit_log_append_only();
CREATE TRIGGER tl_audit_log_no_truncate BEFORE TRUNCATE ON tl_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION tl_audit_log_append_only();
