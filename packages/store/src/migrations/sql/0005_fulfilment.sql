-- Fulfilment of customer orders: what the hub released to the warehouse, and the shipments that came back (found by
-- carrier and tracking number when the carrier reports on them).

CREATE TABLE tl_o2c_releases (
  tenant_id text NOT NULL,
  reference text NOT NULL,
  order_id text NOT NULL,
  erp_order_number text NOT NULL,
  seq integer NOT NULL,
  warehouse_id text NOT NULL,
  wms_order_id text NOT NULL,
  lines jsonb NOT NULL,
  released_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, reference),
  UNIQUE (tenant_id, order_id, seq)
);

CREATE TABLE tl_o2c_shipments (
  tenant_id text NOT NULL,
  shipment_id text NOT NULL,
  order_id text NOT NULL,
  carrier_code text NOT NULL,
  tracking_number text NOT NULL,
  PRIMARY KEY (tenant_id, shipment_id),
  UNIQUE (tenant_id, carrier_code, tracking_number)
);
CREATE INDEX tl_o2c_shipments_order ON tl_o2c_shipments (tenant_id, order_id);
