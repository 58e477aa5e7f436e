-- Order-to-cash read models: customer orders with their timeline, the catalog (parties, items, prices, stock) synced
-- from the ERP, invoices, returns, API keys of customers and the durable cursors of the feed pollers.

-- One row per customer order; `view` is the OrderView without its timeline, `sales_order` the validated document.
CREATE TABLE tl_o2c_orders (
  tenant_id text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  seq bigserial NOT NULL, -- submission order
  status text NOT NULL,
  customer_po text NOT NULL,
  order_number text,
  ordered_at timestamptz NOT NULL,
  submission jsonb NOT NULL,
  view jsonb NOT NULL,
  sales_order jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_o2c_orders_partner ON tl_o2c_orders (tenant_id, partner_id, seq);
CREATE INDEX tl_o2c_orders_number ON tl_o2c_orders (tenant_id, order_number);

-- Timeline entries; `key` makes each fact land once even when its producer runs again.
CREATE TABLE tl_o2c_timeline (
  tenant_id text NOT NULL,
  order_id text NOT NULL,
  seq integer NOT NULL,
  key text NOT NULL,
  entry jsonb NOT NULL,
  PRIMARY KEY (tenant_id, order_id, seq),
  UNIQUE (tenant_id, order_id, key)
);

-- Catalog read models (idempotent upserts from the ERP's master data).
CREATE TABLE tl_o2c_parties (
  tenant_id text NOT NULL,
  id text NOT NULL,
  kind text NOT NULL,
  code text NOT NULL,
  parent_id text,
  doc jsonb NOT NULL,
  synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_o2c_parties_parent ON tl_o2c_parties (tenant_id, parent_id, code);

CREATE TABLE tl_o2c_items (
  tenant_id text NOT NULL,
  id text NOT NULL,
  sku text NOT NULL,
  doc jsonb NOT NULL,
  synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX tl_o2c_items_sku ON tl_o2c_items (tenant_id, sku);

CREATE TABLE tl_o2c_prices (
  tenant_id text NOT NULL,
  id text NOT NULL,
  item_id text NOT NULL,
  customer_id text, -- null for a list price
  doc jsonb NOT NULL,
  synced_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_o2c_prices_item ON tl_o2c_prices (tenant_id, item_id);

CREATE TABLE tl_o2c_inventory (
  tenant_id text NOT NULL,
  item_id text NOT NULL,
  location_id text NOT NULL,
  doc jsonb NOT NULL,
  as_of timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, item_id, location_id)
);

-- Invoices and credit memos as the customer sees them.
CREATE TABLE tl_o2c_invoices (
  tenant_id text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  order_id text,
  status text NOT NULL,
  invoice_date date NOT NULL,
  due_date date NOT NULL,
  view jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX tl_o2c_invoices_partner ON tl_o2c_invoices (tenant_id, partner_id, invoice_date, id);

-- Returns (RMAs).
CREATE TABLE tl_o2c_returns (
  tenant_id text NOT NULL,
  id text NOT NULL,
  partner_id text NOT NULL,
  order_id text NOT NULL,
  status text NOT NULL,
  view jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- API keys of customers: only the SHA-256 of the key is kept; the key itself is shown once.
CREATE TABLE tl_o2c_api_keys (
  key_hash text PRIMARY KEY,
  id text NOT NULL UNIQUE,
  tenant_id text NOT NULL,
  partner_id text NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Durable cursors of feed pollers, written in the same transaction as the events of the page they read.
CREATE TABLE tl_o2c_feed_cursors (
  tenant_id text NOT NULL,
  name text NOT NULL,
  cursor text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);
