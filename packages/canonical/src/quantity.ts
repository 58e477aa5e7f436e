import { z } from 'zod';

/** Most decimals a quantity may carry (enough for grams expressed in kilograms, or metres in kilometres). */
export const QUANTITY_MAX_SCALE = 6;

const notANumber = (what: string) => (issue: { input?: unknown }) =>
  typeof issue.input === 'number' ? `${what} must be a decimal string such as "12.5", never a JSON number` : undefined;

/** A non-negative decimal string with up to 6 decimals, e.g. "12", "0.5", "1250.125". */
export const quantitySchema = z
  .string({ error: notANumber('quantity') })
  .regex(/^(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?$/, {
    error: 'quantity must be a non-negative decimal string with up to 6 decimals, e.g. "12" or "0.5"',
  });

/** A strictly positive decimal string with up to 6 decimals (order lines, pack contents). */
export const positiveQuantitySchema = z
  .string({ error: notANumber('quantity') })
  .regex(/^(?!0+(?:\.0+)?$)(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?$/, {
    error: 'quantity must be a positive decimal string with up to 6 decimals, e.g. "12" or "0.5"',
  });

/** A decimal string with up to 6 decimals that may be negative (adjustments, net available). */
export const signedQuantitySchema = z
  .string({ error: notANumber('quantity') })
  .regex(/^(?!-0+(?:\.0+)?$)-?(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?$/, {
    error: 'quantity must be a decimal string with up to 6 decimals and an optional leading "-", e.g. "-3" or "0.5"',
  });

/** A quantity: decimal string, never a float. */
export type Quantity = z.infer<typeof quantitySchema>;
