import type { CustomerCredit } from '@tradelane/connector-kit';
import { compareDecimal } from '@tradelane/canonical';
import { decimalOf } from '../codec/tryton-json.codec.js';
import { moneyOf } from './item.from-tryton.js';

/** A customer's credit figures as Tryton's `account_credit_limit` / `sale_credit_limit` keep them on the party. */
export interface TrytonCreditRecord {
  /** `party.party.credit_limit_amount` (null: no limit set). */
  credit_limit_amount: unknown;
  /** `party.party.credit_amount`: receivable balance plus what confirmed and processing sales still have to bill. */
  credit_amount: unknown;
}

/**
 * A customer's credit standing: limit = `credit_limit_amount` (else `defaultLimit`, and then never on hold), exposure =
 * `credit_amount`; on hold when the exposure has reached the limit (Tryton refuses to confirm any further sale then).
 */
export function customerCreditFromTryton(customerRef: string, record: TrytonCreditRecord, context: { currency: string; defaultLimit: string }): CustomerCredit {
  const exposure = moneyOf(decimalOf(record.credit_amount));
  if (record.credit_limit_amount === null || record.credit_limit_amount === undefined || record.credit_limit_amount === false) {
    return { customerRef, onHold: false, creditLimit: moneyOf(context.defaultLimit), exposure, currency: context.currency };
  }
  const limit = moneyOf(decimalOf(record.credit_limit_amount));
  const onHold = compareDecimal(exposure, limit) >= 0;
  return { customerRef, onHold, ...(onHold ? { holdReason: `credit limit ${limit} ${context.currency} reached (exposure ${exposure})` } : {}), creditLimit: limit, exposure, currency: context.currency };
}
