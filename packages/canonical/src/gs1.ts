import { z } from 'zod';

/** The GS1 mod-10 check digit for a string of digits that does not yet include it. */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) {
    throw new TypeError(`GS1 check digits need digits only, got ${JSON.stringify(digits)}`);
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // Weights alternate 3, 1, 3, ... starting from the rightmost digit.
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of a GS1 key (GTIN, SSCC, GLN) is its correct check digit. */
export function hasValidGs1CheckDigit(code: string): boolean {
  return /^\d{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}

function checkDigitRefinement(label: string, shape: RegExp) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (shape.test(value) && !hasValidGs1CheckDigit(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} check digit must be ${gs1CheckDigit(value.slice(0, -1))}, got ${value.slice(-1)}`,
      });
    }
  };
}

const GTIN_SHAPE = /^(?:\d{8}|\d{12}|\d{13}|\d{14})$/;
/** GTIN-8, -12, -13 or -14 with a valid GS1 check digit. */
export const gtinSchema = z
  .string()
  .regex(GTIN_SHAPE, { error: 'GTIN must be 8, 12, 13 or 14 digits' })
  .superRefine(checkDigitRefinement('GTIN', GTIN_SHAPE));

/** SSCC-18 serial shipping container code with a valid GS1 check digit. */
export const ssccSchema = z
  .string()
  .regex(/^\d{18}$/, { error: 'SSCC must be 18 digits' })
  .superRefine(checkDigitRefinement('SSCC', /^\d{18}$/));

/** GLN (global location number): 13 digits with a valid GS1 check digit. */
export const glnSchema = z
  .string()
  .regex(/^\d{13}$/, { error: 'GLN must be 13 digits' })
  .superRefine(checkDigitRefinement('GLN', /^\d{13}$/));
