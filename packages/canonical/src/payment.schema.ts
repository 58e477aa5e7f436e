import { z } from 'zod';
import {
  afterFieldChecks,
  auditFields,
  documentNumberSchema,
  externalIdsSchema,
  isoDateSchema,
  isoDateTimeSchema,
  tenantIdSchema,
  textSchema,
} from './common.schema.js';
import { idSchema } from './ids.js';
import { compareMoney, moneySchema, nonNegativeMoneySchema, sumMoney } from './money.js';
import { refineCurrency } from './totals.schema.js';

/** How a payment was made. */
export const paymentMethods = ['ach', 'wire', 'check', 'card', 'virtual_card', 'sepa', 'other'] as const;

/** Part of a payment applied to one invoice. */
export const paymentAllocationSchema = z.object({
  invoiceId: idSchema('inv'),
  invoiceNumber: documentNumberSchema.optional(),
  amount: nonNegativeMoneySchema,
  /** Early-payment discount taken on this invoice. */
  discountTaken: nonNegativeMoneySchema.optional(),
});

/** A payment allocation. */
export type PaymentAllocation = z.infer<typeof paymentAllocationSchema>;

/** Money received from a customer (incoming) or paid to a supplier (outgoing), with its remittance advice. */
export const paymentSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: idSchema('pay'),
    tenantId: tenantIdSchema,
    direction: z.enum(['incoming', 'outgoing']),
    /** The customer (incoming) or supplier (outgoing). */
    partyId: idSchema('pty'),
    method: z.enum(paymentMethods),
    /** Check number, ACH trace number, wire reference. */
    reference: textSchema(60),
    amount: moneySchema,
    status: z.enum(['Pending', 'Completed', 'Failed', 'Reversed']),
    paidAt: isoDateTimeSchema,
    valueDate: isoDateSchema.optional(),
    allocations: z.array(paymentAllocationSchema).max(1000),
    note: textSchema(500).optional(),
    externalIds: externalIdsSchema,
    ...auditFields,
  })
  .superRefine((payment, ctx) => {
    if (payment.amount.amount.startsWith('-') || /^0+(?:\.0+)?$/.test(payment.amount.amount)) {
      ctx.addIssue({ code: 'custom', path: ['amount', 'amount'], message: 'a payment amount must be positive' });
    }
    let consistent = true;
    payment.allocations.forEach((a, i) => {
      for (const key of ['amount', 'discountTaken'] as const) {
        if (a[key] && a[key].currency !== payment.amount.currency) {
          consistent = false;
        }
        refineCurrency(a[key], payment.amount.currency, ctx, ['allocations', i, key]);
      }
    });
    if (consistent) {
      const applied = sumMoney(payment.allocations.map((a) => a.amount), payment.amount.currency);
      if (compareMoney(applied, payment.amount) > 0) {
        ctx.addIssue({ code: 'custom', path: ['allocations'], message: `allocations (${applied.amount}) exceed the payment amount` });
      }
    }
  }, afterFieldChecks);

/** A payment. */
export type Payment = z.infer<typeof paymentSchema>;
