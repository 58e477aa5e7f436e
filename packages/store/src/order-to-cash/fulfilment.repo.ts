import type { FulfilmentRepo, ShipmentRecord, TenantContext, WarehouseReleaseRecord } from '@tradelane/core';
import type { Sql } from '../driver/database.js';
import { jsonParam } from '../shared/json-param.js';

interface ReleaseRow {
  reference: string;
  order_id: string;
  erp_order_number: string;
  seq: number;
  warehouse_id: string;
  wms_order_id: string;
  lines: WarehouseReleaseRecord['lines'];
  released_at: Date | string;
}

const releaseColumns = 'reference, order_id, erp_order_number, seq, warehouse_id, wms_order_id, lines, released_at';

function toRelease(row: ReleaseRow): WarehouseReleaseRecord {
  return {
    reference: row.reference,
    orderId: row.order_id,
    erpOrderNumber: row.erp_order_number,
    seq: Number(row.seq),
    warehouseId: row.warehouse_id,
    wmsOrderId: row.wms_order_id,
    lines: row.lines,
    releasedAt: new Date(row.released_at).toISOString(),
  };
}

/** Warehouse releases and shipments bound to `sql`; every statement carries the tenant predicate. */
export function createFulfilmentRepo(sql: Sql): FulfilmentRepo {
  return {
    async recordRelease(ctx: TenantContext, r) {
      await sql.query(
        `INSERT INTO tl_o2c_releases (tenant_id, reference, order_id, erp_order_number, seq, warehouse_id, wms_order_id, lines, released_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, reference) DO NOTHING`,
        [ctx.tenantId, r.reference, r.orderId, r.erpOrderNumber, r.seq, r.warehouseId, r.wmsOrderId, jsonParam(r.lines), r.releasedAt],
      );
    },
    async releasesOf(ctx, orderId) {
      const { rows } = await sql.query<ReleaseRow>(`SELECT ${releaseColumns} FROM tl_o2c_releases WHERE tenant_id = $1 AND order_id = $2 ORDER BY seq`, [ctx.tenantId, orderId]);
      return rows.map(toRelease);
    },
    async findRelease(ctx, reference) {
      const { rows } = await sql.query<ReleaseRow>(`SELECT ${releaseColumns} FROM tl_o2c_releases WHERE tenant_id = $1 AND reference = $2`, [ctx.tenantId, reference]);
      return rows[0] ? toRelease(rows[0]) : undefined;
    },
    async recordShipment(ctx, s: ShipmentRecord) {
      await sql.query(
        `INSERT INTO tl_o2c_shipments (tenant_id, shipment_id, order_id, carrier_code, tracking_number)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, shipment_id) DO NOTHING`,
        [ctx.tenantId, s.shipmentId, s.orderId, s.carrierCode, s.trackingNumber],
      );
    },
    async findShipment(ctx, carrierCode, trackingNumber) {
      const { rows } = await sql.query<{ shipment_id: string; order_id: string; carrier_code: string; tracking_number: string }>(
        'SELECT shipment_id, order_id, carrier_code, tracking_number FROM tl_o2c_shipments WHERE tenant_id = $1 AND carrier_code = $2 AND tracking_number = $3',
        [ctx.tenantId, carrierCode, trackingNumber],
      );
      const row = rows[0];
      return row ? { shipmentId: row.shipment_id, orderId: row.order_id, carrierCode: row.carrier_code, trackingNumber: row.tracking_number } : undefined;
    },
  };
}
