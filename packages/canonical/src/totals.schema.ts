import { z } from 'zod';
import { addMoney, compareMoney, moneySchema, subtractMoney, type Money } from './money.js';

/** Document totals: `total = subtotal - discount + tax + freight`, all in the document currency. */
export const documentTotalsSchema = z.object({
  subtotal: moneySchema,
  discount: moneySchema.optional(),
  tax: moneySchema,
  freight: moneySchema,
  total: moneySchema,
});

/** Document totals. */
export type DocumentTotals = z.infer<typeof documentTotalsSchema>;

/** Computes `subtotal - discount + tax + freight`; throws a RangeError when currencies differ. */
export function totalOf(totals: Omit<DocumentTotals, 'total'>): Money {
  const afterDiscount = totals.discount ? subtractMoney(totals.subtotal, totals.discount) : totals.subtotal;
  return addMoney(addMoney(afterDiscount, totals.tax), totals.freight);
}

/** Adds issues when totals are not in `currency` or do not add up. */
export function refineTotals(totals: DocumentTotals, currency: string, ctx: z.RefinementCtx, path: (string | number)[] = ['totals']): void {
  let consistent = true;
  for (const key of ['subtotal', 'discount', 'tax', 'freight', 'total'] as const) {
    const value = totals[key];
    if (value && value.currency !== currency) {
      consistent = false;
      ctx.addIssue({ code: 'custom', path: [...path, key, 'currency'], message: `must be the document currency ${currency}` });
    }
  }
  if (consistent) {
    const expected = totalOf(totals);
    if (compareMoney(expected, totals.total) !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'total', 'amount'],
        message: `total must equal subtotal - discount + tax + freight = ${expected.amount}`,
      });
    }
  }
}

/** Adds an issue for each money value (at the given paths) whose currency is not `currency`. */
export function refineCurrency(value: Money | undefined, currency: string, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (value && value.currency !== currency) {
    ctx.addIssue({ code: 'custom', path: [...path, 'currency'], message: `must be the document currency ${currency}` });
  }
}
