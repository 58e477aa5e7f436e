import { z } from 'zod';
import { isJulian } from '../wire/julian-date.js';
import { simReturnReasons } from '../wire/sim-wire.types.js';
import { SimError } from './sim.errors.js';

/** A whole quantity given as a JSON integer or a digit string ("12" or "12.000"). */
export function wholeQuantity(allowZero: boolean) {
  return z.unknown().transform((value, ctx) => {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}(?:\.0{1,6})?$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < (allowZero ? 0 : 1)) {
      ctx.addIssue({
        code: 'custom',
        message: `quantity ${JSON.stringify(value)} must be a ${allowZero ? 'non-negative' : 'positive'} whole number in the line's unit of measure`,
      });
      return z.NEVER;
    }
    return n;
  });
}

/** A Julian date `CYYDDD`. */
export const julian = z.int({ error: 'must be a Julian date CYYDDD such as 125032' }).refine(isJulian, { error: 'must be a Julian date CYYDDD such as 125032' });
/** An address number. */
export const addressNumber = z.int({ error: 'must be an address number (integer)' }).positive({ error: 'must be an address number (integer)' });
/** A non-empty code or text of at most `max` characters. */
export const code = (max: number) => z.string().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });
/** A line number like "1.000". */
export const lnid = z.string().regex(/^\d{1,5}(?:\.\d{1,3})?$/, { error: 'must be a line number like "1.000"' });
/** A document number (order, voucher, receipt): a positive integer. */
export const documentNumber = z.int({ error: 'must be a document number (integer)' }).positive({ error: 'must be a document number (integer)' });
/** A non-negative amount with up to `decimals` decimals, as a string. */
export const amount = (decimals: 2 | 4, what = 'amount') =>
  z.string().regex(decimals === 2 ? /^\d{1,13}(?:\.\d{1,2})?$/ : /^\d{1,11}(?:\.\d{1,4})?$/, { error: `${what} must be a decimal string with up to ${decimals} decimals` });

/** Order create body. */
export const orderRequestSchema = z.object({
  DCTO: z.literal('SO', { error: 'order type must be SO' }).optional(),
  KCOO: z.string().regex(/^\d{5}$/, { error: 'company must be 5 digits' }).optional(),
  AN8: addressNumber,
  SHAN: addressNumber.optional(),
  VR01: code(25),
  EXTREF: code(64).optional(),
  DRQJ: julian.optional(),
  MCU: code(12).optional(),
  CARS: code(8).optional(),
  HDTX: z.string().max(2000).optional(),
  LINES: z
    .array(
      z.object({
        LNID: lnid.optional(),
        LITM: code(25).optional(),
        CITM: code(48).optional(),
        UORG: wholeQuantity(false),
        UOM: code(2).optional(),
        MCU: code(12).optional(),
        DRQJ: julian.optional(),
      }),
    )
    .min(1, { error: 'an order needs at least one line' })
    .max(999),
});

/** Order change body. */
export const orderChangeSchema = z.object({
  LINES: z.array(z.object({ LNID: lnid, UORG: wholeQuantity(true) })).min(1, { error: 'at least one line is required' }),
});

/** Order cancel body. */
export const orderCancelSchema = z.object({ RCCD: code(3).optional(), RSTX: z.string().max(200).optional() });

/** Ship confirm body. */
export const shipConfirmSchema = z.object({
  SHPREF: code(64),
  CARS: code(8),
  TRKN: code(40),
  SHPJ: julian.optional(),
  SHTM: z.int().min(0).max(235959).optional(),
  LINES: z.array(z.object({ LNID: lnid, SOQS: wholeQuantity(true) })).min(1, { error: 'a shipment needs at least one line' }),
});

/** Return request body. */
export const returnRequestSchema = z.object({
  EXTREF: code(64),
  AN8: addressNumber,
  MCU: code(12).optional(),
  LINES: z
    .array(
      z.object({
        LNID: lnid.optional(),
        LITM: code(25),
        UOM: code(2).optional(),
        UORG: wholeQuantity(false),
        RCD: z.enum(simReturnReasons, { error: `reason code must be one of ${simReturnReasons.join(', ')}` }),
        ODOC: z.int().positive().optional(),
        OEXT: code(64).optional(),
        OLNID: lnid.optional(),
      }),
    )
    .min(1, { error: 'a return needs at least one line' }),
});

/** Return receipt body. */
export const returnReceiptSchema = z.object({ LINES: z.array(z.object({ LNID: lnid, QTY: wholeQuantity(true) })).min(1) });

/** Stock receipt body (admin). */
export const stockReceiptSchema = z.object({ LITM: code(25), MCU: code(12), TRQT: wholeQuantity(false) });

/** Payment body (admin). */
export const paymentRequestSchema = z.object({
  DOC: z.int().positive(),
  PAAP: z.string().regex(/^\d{1,13}(?:\.\d{1,2})?$/, { error: 'amount must be a decimal string with up to 2 decimals' }),
  CKNU: code(25).optional(),
  PYIN: z.enum(['C', 'A', 'W', 'R']).optional(),
  DMTJ: julian.optional(),
});

/** Customer credit change body (admin). */
export const creditChangeSchema = z.object({
  ACL: z.string().regex(/^\d{1,13}(?:\.\d{1,2})?$/, { error: 'credit limit must be a decimal string' }).optional(),
  HOLD: z.enum(['', 'C1', 'C2']).optional(),
  HOLDDS: z.string().max(60).optional(),
});

/** Fault change body (admin): every field optional; `downForMs` / `maintenanceForMs` are conveniences. */
export const faultsRequestSchema = z
  .object({
    down: z.boolean(),
    downForMs: z.int().min(1).max(3_600_000),
    slowMs: z.int().min(0).max(600_000),
    errorRate: z.number().min(0).max(1),
    commitThenTimeout: z.number().min(0).max(1),
    commitThenTimeoutMode: z.enum(['drop', 'hang']),
    maintenanceUntil: z.iso.datetime({ offset: true }).nullable(),
    maintenanceForMs: z.int().min(1).max(86_400_000),
  })
  .partial()
  .strict();

/** Settings body (admin). */
export const settingsRequestSchema = z
  .object({ releaseMode: z.enum(['auto', 'manual']), dedupeExternalRef: z.boolean(), autoReplenish: z.boolean(), autoApprovePurchaseOrders: z.boolean() })
  .partial()
  .strict();

/** Paging query (`start`, `max`). */
export const pagingQuerySchema = z.object({
  start: z.coerce.number().int().min(0).optional(),
  max: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Parses a body or query, turning the first problem into the simulator's 400 error naming the field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  throw new SimError(400, 'VAL001', field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}
