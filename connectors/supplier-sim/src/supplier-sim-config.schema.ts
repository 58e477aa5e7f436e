import { InputError } from '@tradelane/core';
import { z } from 'zod';
import { PRESET_NAMES, presetOverrides, type PresetName } from './supplier-presets.js';

const ms = z.number().int().nonnegative();
const weight = z.number().min(0).default(0);

/** A delay drawn uniformly in `[min, max]` simulated milliseconds. */
export const delayRangeSchema = z
  .strictObject({ min: ms, max: ms })
  .refine((r) => r.min <= r.max, { message: 'min must be ≤ max', path: ['max'] });

/** Relative weights of the acknowledgment actions; each purchase order revision draws one. */
export const ackMixSchema = z
  .strictObject({
    /** Every line as ordered. */
    accept: weight,
    /** Every line's quantity lowered inside the quantity tolerance. */
    changeQuantity: weight,
    /** Every line promised later, inside the date tolerance. */
    changeDate: weight,
    /** Every line's unit price raised inside the price tolerance. */
    changePrice: weight,
    /** Every line changed beyond the tolerance (quantity, price or date, drawn per line). */
    outOfTolerance: weight,
    /** One line rejected (the whole order when it has one line), the others accepted. */
    rejectLines: weight,
    /** Every line backordered with a promised date `backorderDays` after the requested date. */
    backorder: weight,
  })
  .refine((m) => Object.values(m).some((w) => w > 0), { message: 'at least one action needs a weight > 0' });

/** One acknowledgment action of {@link ackMixSchema}. */
export type AckAction = keyof z.infer<typeof ackMixSchema>;

/** The acknowledgment actions, in a stable order. */
export const ACK_ACTIONS: readonly AckAction[] = ['accept', 'changeQuantity', 'changeDate', 'changePrice', 'outOfTolerance', 'rejectLines', 'backorder'];

/** How a simulated supplier behaves; every field has a default, so `{}` is a reliable supplier. */
export const supplierBehaviourSchema = z.strictObject({
  ack: z
    .strictObject({
      /** `fast`: after `delayMs`; `late`: `lateByMs` after the order's acknowledgment due time; `never`: no acknowledgment. */
      timing: z.enum(['fast', 'late', 'never']).default('fast'),
      delayMs: delayRangeSchema.prefault({ min: 100, max: 2_000 }),
      /** How far past `acknowledgmentDueBy` a late supplier answers. */
      lateByMs: ms.default(3_600_000),
      /** Delay of a late supplier when the order carries no due time (25 h). */
      lateDelayMs: ms.default(90_000_000),
      mix: ackMixSchema.prefault({ accept: 1 }),
      /** The supplier's tolerance profile as the buyer agreed it; changes are made inside or beyond it. */
      tolerance: z
        .strictObject({
          quantityPct: z.number().positive().default(5),
          pricePct: z.number().positive().default(2),
          dateDays: z.number().int().positive().default(3),
        })
        .prefault({}),
      backorderDays: z.number().int().positive().default(14),
    })
    .prefault({}),
  ship: z
    .strictObject({
      /** `full`: one ASN; `partial`: two ASNs (a share, then the remainder); `late`: one ASN `lateDays` late; `none`. */
      mode: z.enum(['full', 'partial', 'late', 'none']).default('full'),
      delayMs: delayRangeSchema.prefault({ min: 1_000, max: 10_000 }),
      /** Share of each line's quantity in the first ASN of a partial shipper. */
      partialFraction: z.number().gt(0).lt(1).default(0.6),
      remainderDelayMs: delayRangeSchema.prefault({ min: 5_000, max: 20_000 }),
      /** Ship date of the remainder, in days after the first shipment. */
      remainderAfterDays: z.number().int().nonnegative().default(7),
      lateDays: z.number().int().positive().default(7),
      transitDays: z.number().int().nonnegative().default(2),
      carrierCode: z.string().min(1).default('PRCL'),
    })
    .prefault({}),
  invoice: z
    .strictObject({
      /** `correct`: shipped quantities at the agreed price; `priceVariance` / `quantityVariance`: off by a percentage. */
      mode: z.enum(['correct', 'priceVariance', 'quantityVariance', 'none']).default('correct'),
      delayMs: delayRangeSchema.prefault({ min: 500, max: 5_000 }),
      priceVariancePct: z.number().positive().default(5),
      quantityVariancePct: z.number().positive().default(10),
    })
    .prefault({}),
  duplicates: z
    .strictObject({
      /** Chance that an acknowledgment, ASN or invoice is sent a second time as a new message. */
      probability: z.number().min(0).max(1).default(0),
      delayMs: delayRangeSchema.prefault({ min: 100, max: 1_000 }),
    })
    .prefault({}),
  availability: z
    .strictObject({
      /** Chance per acknowledged order that the supplier also updates the availability of its items. */
      probability: z.number().min(0).max(1).default(0),
      available: delayRangeSchema.prefault({ min: 0, max: 500 }),
      leadTimeDays: z.number().int().nonnegative().default(5),
    })
    .prefault({}),
});

/** A supplier's resolved behaviour (all defaults filled). */
export type SupplierBehaviour = z.infer<typeof supplierBehaviourSchema>;
/** A supplier's behaviour as written: any subset of {@link SupplierBehaviour}. */
export type SupplierBehaviourInput = z.input<typeof supplierBehaviourSchema>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of behaviour overrides; an `ack.mix` given in an override replaces the preset's mix as a whole. */
export function mergeBehaviour(base: unknown, override: unknown, key = ''): unknown {
  if (!isPlainObject(base) || !isPlainObject(override) || key === 'mix') return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = mergeBehaviour(base[k], v, k);
  return out;
}

/** One simulated supplier as configured: its identity at the hub, a preset and overrides. */
export const supplierConfigSchema = z
  .strictObject({
    /** The supplier's party id at the hub (what its API key resolves to). */
    supplierId: z.string().min(1),
    apiKey: z.string().min(1),
    preset: z.enum(PRESET_NAMES).optional(),
    behaviour: z.unknown().optional(),
  })
  .transform((s, ctx) => {
    const merged = mergeBehaviour(presetOverrides(s.preset ?? 'reliable'), s.behaviour ?? {});
    const parsed = supplierBehaviourSchema.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['behaviour', ...issue.path] });
      return z.NEVER;
    }
    return { supplierId: s.supplierId, apiKey: s.apiKey, preset: s.preset ?? ('reliable' as PresetName), behaviour: parsed.data };
  });

/** A supplier as written in a config. */
export type SupplierConfigInput = z.input<typeof supplierConfigSchema>;
/** A supplier with its behaviour resolved. */
export type SupplierConfig = z.output<typeof supplierConfigSchema>;

/** Weights of the presets in a generated population. */
export const presetMixSchema = z.partialRecord(z.enum(PRESET_NAMES), z.number().min(0));

/** Retry of transient failures (429, 503, other 5xx, network): a subset of the core `RetryPolicy`. */
export const retrySchema = z
  .strictObject({
    maxAttempts: z.number().int().min(1).default(6),
    initialDelayMs: ms.default(100),
    maxDelayMs: ms.default(5_000),
  })
  .prefault({});

/** The simulator's settings (without the clock, which is code). */
export const supplierSimOptionsSchema = z.strictObject({
  /** Base URL of the hub, e.g. `http://127.0.0.1:3000`. */
  hubUrl: z.url({ protocol: /^https?$/ }),
  suppliers: z.array(supplierConfigSchema),
  /** Seed of every random decision. @default 1 */
  seed: z.number().int().default(1),
  /** Pause between two polls of one supplier, simulated ms. @default 1000 */
  pollIntervalMs: ms.default(1_000),
  /** Requests in flight at most, over all suppliers. @default 16 */
  concurrency: z.number().int().positive().default(16),
  /** Orders per page when listing. @default 100 */
  pageSize: z.number().int().positive().max(500).default(100),
  /** Real-time timeout of one HTTP request. @default 10000 */
  requestTimeoutMs: z.number().int().positive().default(10_000),
  retry: retrySchema,
});

/** Settings of {@link supplierSimOptionsSchema} as written. */
export type SupplierSimOptionsInput = z.input<typeof supplierSimOptionsSchema>;
/** Settings with defaults filled. */
export type SupplierSimOptions = z.output<typeof supplierSimOptionsSchema>;

/**
 * The standalone simulator's JSON config: the simulator settings plus a generated population added after the
 * listed suppliers, and a time scale.
 */
export const supplierSimConfigSchema = supplierSimOptionsSchema.extend({
  hubUrl: supplierSimOptionsSchema.shape.hubUrl.optional(),
  suppliers: z.array(supplierConfigSchema).default([]),
  generate: z
    .strictObject({
      count: z.number().int().positive(),
      seed: z.number().int().default(1),
      mix: presetMixSchema.optional(),
      idPrefix: z.string().min(1).optional(),
      apiKeyPrefix: z.string().min(1).optional(),
    })
    .optional(),
  /** Real ms per simulated ms (see `scaledClock`); 1 runs in real time. @default 1 */
  timeScale: z.number().positive().default(1),
});

/** The standalone config as written. */
export type SupplierSimConfigInput = z.input<typeof supplierSimConfigSchema>;
/** The standalone config with defaults filled. */
export type SupplierSimConfig = z.output<typeof supplierSimConfigSchema>;

/** Formats zod issues as `path: message` lines. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/**
 * Validates `input` with `schema`; a bad value throws an `InputError` `TL_SUPPLIER_SIM_CONFIG_INVALID` whose message
 * names every bad field, e.g. `suppliers.2.behaviour.ack.mix.accept: Too small: expected number to be >=0`.
 */
export function parseSupplierSimInput<S extends z.ZodType>(schema: S, input: unknown, what = 'supplier-sim config'): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new InputError('TL_SUPPLIER_SIM_CONFIG_INVALID', `invalid ${what}: ${describeIssues(r.error.issues)}`, {
    issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}
