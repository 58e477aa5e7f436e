-- Procure-to-pay read models: purchase orders as suppliers see them, acknowledgments, ship notices, supplier invoices
-- with their 3-way match, exceptions with their audit history, supplier tolerance overrides and item availability,
-- inbound supply (availability-to-promise), promise links of customer order lines and scorecard facts.

CREATE TABLE tl_p2p_purchase_orders (
  tenant_id text NOT NULL,
  id text NOT NULL,
  po_number text NOT NULL,
  supplier_id text NOT NULL,
  status text NOT NULL,
  awaiting_ack boolean NOT NULL,
  ack_due_at timestamptz,
  reminder_at timestamptz,
  reminder_sent boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, po_number)
);
CREATE INDEX tl_p2p_po_supplier ON tl_p2p_purchase_orders (tenant_id, supplier_id, updated_at, id);
CREATE INDEX tl_p2p_po_awaiting ON tl_p2p_purchase_orders (tenant_id, awaiting_ack, ack_due_at);

CREATE TABLE tl_p2p_acknowledgments (
  tenant_id text NOT NULL,
  id text NOT NULL,
  purchase_order_id text NOT NULL,
  revision integer NOT NULL,
  ack_number text,
  content_hash text NOT NULL,
  doc jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX tl_p2p_ack_number ON tl_p2p_acknowledgments (tenant_id, purchase_order_id, ack_number) WHERE ack_number IS NOT NULL;
CREATE INDEX tl_p2p_ack_content ON tl_p2p_acknowledgments (tenant_id, purchase_order_id, revision, content_hash);

CREATE TABLE tl_p2p_asns (
  tenant_id text NOT NULL,
  id text NOT NULL,
  supplier_id text NOT NULL,
  asn_number text NOT NULL,
  po_numbers jsonb NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, supplier_id, asn_number)
);

CREATE TABLE tl_p2p_invoices (
  tenant_id text NOT NULL,
  id text NOT NULL,
  supplier_id text NOT NULL,
  invoice_number text NOT NULL,
  purchase_order_id text NOT NULL,
  status text NOT NULL,
  waiting boolean NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, supplier_id, invoice_number)
);
CREATE INDEX tl_p2p_invoices_po ON tl_p2p_invoices (tenant_id, purchase_order_id, waiting);

CREATE TABLE tl_p2p_exceptions (
  tenant_id text NOT NULL,
  id text NOT NULL,
  seq bigserial NOT NULL,
  type text NOT NULL,
  owner_role text NOT NULL,
  status text NOT NULL,
  subject_id text NOT NULL,
  created_at timestamptz NOT NULL,
  due_at timestamptz NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_p2p_exceptions_list ON tl_p2p_exceptions (tenant_id, status, seq);
CREATE INDEX tl_p2p_exceptions_subject ON tl_p2p_exceptions (tenant_id, subject_id, type);

CREATE TABLE tl_p2p_supplier_tolerances (
  tenant_id text NOT NULL,
  supplier_id text NOT NULL,
  profile jsonb NOT NULL,
  PRIMARY KEY (tenant_id, supplier_id)
);

CREATE TABLE tl_p2p_supplier_items (
  tenant_id text NOT NULL,
  supplier_id text NOT NULL,
  sku text NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, supplier_id, sku)
);
CREATE INDEX tl_p2p_supplier_items_sku ON tl_p2p_supplier_items (tenant_id, sku);

-- Inbound supply of one purchase order line (availability-to-promise).
CREATE TABLE tl_p2p_inbound (
  tenant_id text NOT NULL,
  purchase_order_id text NOT NULL,
  line_number integer NOT NULL,
  sku text NOT NULL,
  expected_date date NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, purchase_order_id, line_number)
);
CREATE INDEX tl_p2p_inbound_sku ON tl_p2p_inbound (tenant_id, sku, expected_date);

-- Which supply a customer order line's promise rests on.
CREATE TABLE tl_p2p_promises (
  tenant_id text NOT NULL,
  order_id text NOT NULL,
  line_number integer NOT NULL,
  promised_date date NOT NULL,
  missed_raised_for date,
  doc jsonb NOT NULL,
  PRIMARY KEY (tenant_id, order_id, line_number)
);
CREATE INDEX tl_p2p_promises_due ON tl_p2p_promises (tenant_id, promised_date);

CREATE TABLE tl_p2p_facts (
  tenant_id text NOT NULL,
  supplier_id text NOT NULL,
  key text NOT NULL,
  kind text NOT NULL,
  at timestamptz NOT NULL,
  value jsonb NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX tl_p2p_facts_supplier ON tl_p2p_facts (tenant_id, supplier_id, at);
