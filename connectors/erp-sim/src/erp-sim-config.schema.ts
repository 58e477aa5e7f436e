import { z } from 'zod';

/** Configuration of the erp-sim connector. */
export const erpSimConfigSchema = z.strictObject({
  /** Where the simulator listens, e.g. `http://127.0.0.1:4101`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL such as http://127.0.0.1:4101' }),
  /** Per-request timeout in milliseconds. @default 10000 */
  timeoutMs: z.int({ error: 'timeoutMs must be an integer number of milliseconds' }).min(50).max(300_000).default(10_000),
  /** Company number orders are entered in (`KCOO`). @default '00010' */
  company: z.string().regex(/^\d{5}$/, { error: 'company must be the 5-digit company number, e.g. "00010"' }).default('00010'),
  /** Branch/plant (`MCU`) to allocate from when neither the order nor the ship-to names one. */
  defaultWarehouse: z.string().regex(/^[A-Za-z0-9]{1,12}$/, { error: 'defaultWarehouse must be a branch/plant code such as "M10"' }).optional(),
  /** Rows per master-data page and changes per feed page when the caller gives no limit. @default 100 */
  pageSize: z.int().min(1).max(1000).default(100),
});

/** Parsed erp-sim connector configuration. */
export type ErpSimConfig = z.output<typeof erpSimConfigSchema>;
