import { z } from 'zod';
import { addressNumber, amount, code, documentNumber, julian, lnid, pagingQuerySchema, wholeQuantity } from './sim-request.schemas.js';

const positive = z.coerce.number().int().positive();

/** Purchase order create body (buyer entry). */
export const purchaseOrderRequestSchema = z.object({
  DCTO: z.literal('OP', { error: 'order type must be OP' }).optional(),
  KCOO: z.string().regex(/^\d{5}$/, { error: 'company must be 5 digits' }).optional(),
  AN8: addressNumber,
  MCU: code(12),
  EXTREF: code(64).optional(),
  DRQJ: julian.optional(),
  BUYR: code(40).optional(),
  HDTX: z.string().max(2000).optional(),
  LINES: z
    .array(
      z.object({
        LNID: lnid.optional(),
        LITM: code(25),
        UORG: wholeQuantity(false),
        UOM: code(2).optional(),
        PRRC: amount(4, 'unit cost').optional(),
        DRQJ: julian.optional(),
      }),
    )
    .min(1, { error: 'a purchase order needs at least one line' })
    .max(999),
});

/** Purchase order change body: each line changes its quantity (0 cancels it), cost or requested date. */
export const purchaseOrderChangeSchema = z.object({
  LINES: z
    .array(
      z
        .object({ LNID: lnid, UORG: wholeQuantity(true).optional(), PRRC: amount(4, 'unit cost').optional(), DRQJ: julian.optional() })
        .refine((l) => l.UORG !== undefined || l.PRRC !== undefined || l.DRQJ !== undefined, { error: 'a line change needs UORG, PRRC or DRQJ' }),
    )
    .min(1, { error: 'at least one line is required' }),
});

/** Purchase order cancel body. */
export const purchaseOrderCancelSchema = z.object({ RCCD: code(3).optional(), RSTX: z.string().max(200).optional() });

/** Acknowledgment body: the supplier's answer per line. */
export const acknowledgmentRequestSchema = z.object({
  LINES: z
    .array(
      z.object({
        LNID: lnid,
        ACKC: z.enum(['IA', 'IC', 'IB', 'IR'], { error: 'acknowledgment code must be IA (accepted), IC (changed), IB (backordered) or IR (rejected)' }),
        UORG: wholeQuantity(false).optional(),
        PRRC: amount(4, 'unit cost').optional(),
        PDDJ: julian.optional(),
        ACKT: z.string().max(200).optional(),
      }),
    )
    .min(1, { error: 'at least one line is required' }),
});

/** Expected receipt body: a supplier's ship notice (purpose `00` original, `05` replace, `01` cancel). */
export const expectedReceiptRequestSchema = z
  .object({
    AN8: addressNumber,
    VASN: code(40),
    PURP: z.enum(['00', '05', '01'], { error: 'purpose must be 00 (original), 05 (replace) or 01 (cancel)' }).optional(),
    ASNREF: code(64).optional(),
    SHPJ: julian.optional(),
    EXDJ: julian.optional(),
    CARS: code(8).optional(),
    TRKN: code(40).optional(),
    LINES: z.array(z.object({ DOCO: documentNumber, LNID: lnid, QTY: wholeQuantity(false), UOM: code(2).optional() })).max(9999).default([]),
  })
  .refine((b) => b.PURP === '01' || b.LINES.length > 0, { error: 'a ship notice needs at least one line', path: ['LINES'] });

/** Receipt body. */
export const receiptRequestSchema = z.object({
  RCTREF: code(64),
  MCU: code(12).optional(),
  RCDJ: julian.optional(),
  RCTM: z.int().min(0).max(235959).optional(),
  ERN: documentNumber.optional(),
  VASN: code(40).optional(),
  ASNREF: code(64).optional(),
  LINES: z
    .array(z.object({ LNID: lnid, UREC: wholeQuantity(true), UREJ: wholeQuantity(true).optional(), UOM: code(2).optional(), LOTN: code(40).optional() }))
    .min(1, { error: 'a receipt needs at least one line' }),
});

/** Voucher body: a supplier invoice with lines linked to purchase order lines. */
export const voucherRequestSchema = z.object({
  AN8: addressNumber,
  VINV: code(40),
  INVREF: code(64).optional(),
  DIVJ: julian,
  DDJ: julian.optional(),
  CRCD: z.string().regex(/^[A-Z]{3}$/, { error: 'currency must be three upper-case letters' }).optional(),
  STAM: amount(2, 'tax').optional(),
  FRTA: amount(2, 'freight').optional(),
  LINES: z
    .array(
      z
        .object({ DOCO: documentNumber, LNID: lnid.optional(), LITM: code(25).optional(), QTY: wholeQuantity(false), UPRC: amount(4, 'unit price'), UOM: code(2).optional() })
        .refine((l) => l.LNID !== undefined || l.LITM !== undefined, { error: 'a voucher line needs the purchase order line (LNID) or the item (LITM)' }),
    )
    .min(1, { error: 'an invoice needs at least one line' })
    .max(9999),
});

/** Match decision body. */
export const matchDecisionSchema = z
  .object({
    MTCH: z.enum(['A', 'D'], { error: 'match decision must be A (approve for payment) or D (dispute)' }),
    HRSN: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.MTCH === 'A' || b.HRSN !== undefined, { error: 'a dispute needs a reason', path: ['HRSN'] });

/** Purchase order list query. */
export const purchaseOrderQuerySchema = pagingQuerySchema.extend({
  DOCO: positive.optional(),
  EXTREF: z.string().optional(),
  AN8: positive.optional(),
  ORIG: z.enum(['B', 'R']).optional(),
  LITM: z.string().optional(),
  MCU: z.string().optional(),
});

/** Item-branch change body (admin). */
export const itemBranchChangeSchema = z
  .object({ ROPI: z.int().min(0).max(1_000_000_000), ROQI: z.int().min(0).max(1_000_000_000), VEND: addressNumber })
  .partial()
  .strict();

/** Stock count body (admin): the new on-hand quantity in the item's primary unit. */
export const stockCountSchema = z.object({ PQOH: wholeQuantity(true) }).strict();

/** Replenishment run body (admin): optionally one item and/or branch. */
export const replenishmentRequestSchema = z.object({ LITM: code(25).optional(), MCU: code(12).optional() }).strict();
