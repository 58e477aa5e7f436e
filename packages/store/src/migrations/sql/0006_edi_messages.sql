-- Inbound EDI messages (X12 and CSV files from trading partners): the raw bytes as received, what parsing and
-- mapping made of them, the outcome and the acknowledgment owed. Rejected files stay here to be replayed; a replay
-- is a new row pointing at the original (replay_of), a second arrival of the same file a row pointing at the first
-- (duplicate_of).

CREATE TABLE tl_edi_messages (
  tenant_id text NOT NULL,
  id text NOT NULL,
  seq bigserial NOT NULL, -- recording order, for newest-first pages
  partner_id text NOT NULL,
  channel text NOT NULL,
  file_name text NOT NULL,
  format text NOT NULL CHECK (format IN ('x12', 'csv', 'unknown')),
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  payload bytea NOT NULL,
  size_bytes integer NOT NULL,
  mapping_version text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'duplicate')),
  documents jsonb NOT NULL,
  errors jsonb NOT NULL,
  control_numbers jsonb NOT NULL,
  acknowledgment text,
  received_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  replay_of text,
  duplicate_of text,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, seq),
  FOREIGN KEY (tenant_id, replay_of) REFERENCES tl_edi_messages (tenant_id, id),
  FOREIGN KEY (tenant_id, duplicate_of) REFERENCES tl_edi_messages (tenant_id, id)
);

-- Duplicate detection: the first arrival of a file (same partner, name and content).
CREATE INDEX tl_edi_messages_content ON tl_edi_messages (tenant_id, partner_id, content_sha256, file_name, seq)
  WHERE outcome <> 'duplicate';
CREATE INDEX tl_edi_messages_partner ON tl_edi_messages (tenant_id, partner_id, seq);
CREATE INDEX tl_edi_messages_outcome ON tl_edi_messages (tenant_id, outcome, seq);
CREATE INDEX tl_edi_messages_replay ON tl_edi_messages (tenant_id, replay_of) WHERE replay_of IS NOT NULL;
