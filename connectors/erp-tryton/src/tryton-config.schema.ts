import { z } from 'zod';

/** Configuration of the erp-tryton connector. */
export const trytonConfigSchema = z.strictObject({
  /** Where trytond serves JSON-RPC, e.g. `http://127.0.0.1:8000`. */
  url: z.url({ protocol: /^https?$/, error: 'url must be the http(s) address of trytond, e.g. http://127.0.0.1:8000' }),
  /** Tryton database name. */
  database: z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, { error: 'database must be a Tryton database name (letters, digits, "_", ".", "-")' }),
  /** Tryton user login the connector works as. */
  user: z.string().min(1, { error: 'user must be a Tryton login' }).max(100),
  /** That user's password. */
  password: z.string().min(1, { error: 'password must not be empty' }),
  /** Per-request timeout in milliseconds. @default 15000 */
  timeoutMs: z.int({ error: 'timeoutMs must be an integer number of milliseconds' }).min(50).max(300_000).default(15_000),
  /** Rows per master-data page and changes per feed page when the caller gives no limit. @default 100 */
  pageSize: z.int().min(1).max(1000).default(100),
  /**
   * Changes younger than this are not returned yet, so a transaction that commits late with an earlier
   * `write_date` is still seen. @default 2000
   */
  settleMs: z.int().min(0).max(600_000).default(2000),
  /** Where `commitOrder` leaves a new sale: `draft`, `quotation` or `confirmed` (Tryton then processes it). @default 'confirmed' */
  commitState: z.enum(['draft', 'quotation', 'confirmed']).default('confirmed'),
  /** Only parties in this party category are customers; all parties except companies when absent. */
  customerCategory: z.string().min(1).max(100).optional(),
  /**
   * Only parties in this party category are suppliers (`listSuppliers`); otherwise every party with a product
   * supplier record (`purchase.product_supplier`).
   */
  supplierCategory: z.string().min(1).max(100).optional(),
  /** Credit limit reported for every customer (Tryton 6.0 without `account_credit_limit` has none). @default '0' */
  defaultCreditLimit: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, { error: 'defaultCreditLimit must be a decimal string such as "5000.00"' }).default('0'),
  /**
   * Post the sale's draft customer invoices right after `confirmShipment` (for sites where the hub's ship confirm
   * is the signal to bill); otherwise they are posted in Tryton by accounting. @default false
   */
  postInvoices: z.boolean().default(false),
  /** Extra Tryton unit symbol → canonical unit code mappings, on top of the built-in table (e.g. `{ "box": "BX" }`). */
  unitMap: z.record(z.string().min(1).max(20), z.string().regex(/^[A-Z0-9]{1,4}$/)).default({}),
});

/** Parsed erp-tryton connector configuration. */
export type TrytonConfig = z.output<typeof trytonConfigSchema>;
