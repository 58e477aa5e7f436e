/**
 * EDI 810 (invoice) from a supplier to a canonical payable Invoice. Totals are recomputed from the lines, taxes
 * (TXI), allowances and charges (SAC) and must agree with TDS01.
 */
import {
  type Id,
  type Invoice,
  type Money,
  addMoney,
  compareMoney,
  invoiceSchema,
  money,
  multiplyMoney,
  roundMoney,
  subtractMoney,
  sumMoney,
} from '@tradelane/canonical';
import type { X12Segment, X12TransactionSet } from '../codec/x12.types.js';
import { productIdsOf, readTerms } from './po-850.to-canonical.js';
import { documentParty, readPartyLoops } from './x12-party.reader.js';
import { invoiceKindByCode, taxTypeByCode } from './x12-code.maps.js';
import { type X12MappingContext, X12SetReader, contextTools, externalIdsFor, isoInstant } from './x12-set.reader.js';

/** Extra inputs for the 810 mapping. */
export interface Invoice810Options {
  /** Our purchase order id for a PO number, when known. */
  purchaseOrderIdFor?: ((poNumber: string) => Id<'po'> | undefined) | undefined;
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * A supplier's 810 as a payable invoice (status `Received`).
 * @example const invoice = x12810ToInvoice(set, { tenantId, profile: supplierProfile });
 */
export function x12810ToInvoice(set: X12TransactionSet, ctx: X12MappingContext, options: Invoice810Options = {}): Invoice {
  const r: X12SetReader = new X12SetReader(set, '810');
  const profile = ctx.profile;
  const { now, id, partyId } = contextTools(ctx);
  const big = r.require('BIG');
  const invoiceDate = r.requireDate(big, 1, 'invoice date');
  const invoiceNumber = r.requireText(big, 2, 'invoice number');
  const poNumber = r.text(big, 4);
  const kindCode = r.text(big, 7);
  const kind = kindCode ? invoiceKindByCode[kindCode] : 'invoice';
  if (!kind) r.fail(big, 7, `transaction type "${kindCode}" is not an invoice (DI), credit memo (CR/CN) or debit memo (DR)`);
  const header = r.before('IT1');
  const cur = r.first('CUR', header);
  const currency = cur ? r.requireText(cur, 2, 'currency') : profile.defaults.currency;
  if (!/^[A-Z]{3}$/.test(currency)) r.fail(cur, 2, `currency "${currency}" is not an ISO 4217 code`);

  const parties = readPartyLoops(r, header, profile);
  const bt = parties.find((p) => p.entity === 'BT');
  const billTo = bt?.address ? documentParty(r, bt) : profile.defaults.billTo;
  if (!billTo) r.fail(bt?.segment ?? 'N1', undefined, 'no bill-to address: send N1*BT with N3/N4, or set defaults.billTo in the partner profile');
  const re = parties.find((p) => p.entity === 'RE');
  const remitTo = re?.address ? documentParty(r, re) : undefined;

  const itd = r.first('ITD', header);
  const terms = readTerms(r, itd, profile.defaults.paymentTerms);
  if (!terms) r.fail(itd ?? 'ITD', 7, 'no payment terms (ITD with net days) and no defaults.paymentTerms in the partner profile');
  const dueDate = (itd ? r.date(itd, 6) : undefined) ?? addDays(invoiceDate, terms.netDays);

  const loops = r.loops('IT1', ['TDS', 'CTT', 'AMT']);
  if (loops.length === 0) r.fail('IT1', undefined, 'an 810 needs at least one IT1 line');
  const lines: Invoice['lines'] = loops.map((loop, i) => {
    const it1 = loop[0] as X12Segment;
    const ids = productIdsOf(r, it1, 6, profile);
    const quantity = r.quantity(it1, 2, 'quantity invoiced');
    const unitPrice = money(r.price(it1, 4, 'unit price'), currency);
    const assigned = r.text(it1, 1);
    const pid = r.all('PID', loop).find((p) => r.text(p, 5));
    return {
      lineNumber: i + 1,
      ...(/^\d{1,5}$/.test(assigned) && Number(assigned) > 0 ? { orderLineNumber: Number(assigned) } : {}),
      ...(ids.sku ? { sku: ids.sku } : {}),
      ...(ids.partnerPart ? { partNumber: ids.partnerPart.slice(0, 48) } : {}),
      ...(pid ? { description: r.text(pid, 5).slice(0, 200) } : {}),
      quantity,
      unit: r.unit(it1, 3, profile),
      unitPrice,
      lineAmount: roundMoney(multiplyMoney(unitPrice, quantity)),
    };
  });

  const taxes: Invoice['taxes'] = [];
  for (const txi of r.all('TXI')) {
    const amount = r.decimal(txi, 2);
    if (amount === undefined) continue;
    const type = taxTypeByCode[r.text(txi, 1)] ?? 'other';
    const rate = r.decimal(txi, 3);
    taxes.push({
      type,
      ...(r.text(txi, 5) ? { jurisdiction: r.text(txi, 5).slice(0, 60) } : {}),
      ...(rate !== undefined && /^(?:0|[1-9]\d{0,2})(?:\.\d{1,4})?$/.test(rate) ? { rate } : {}),
      amount: money(amount, currency),
    });
  }
  const zero = money('0', currency);
  let discount: Money = zero;
  let freight: Money = zero;
  for (const sac of r.all('SAC')) {
    const flag = r.requireText(sac, 1, 'allowance or charge indicator');
    const amount = r.implied(sac, 5);
    if (amount === undefined || flag === 'N') continue;
    if (flag === 'A') discount = addMoney(discount, money(amount, currency));
    else if (flag === 'C') freight = addMoney(freight, money(amount, currency));
    else r.fail(sac, 1, `"${flag}" is not A (allowance), C (charge) or N`);
  }
  const subtotal = roundMoney(sumMoney(lines.map((l) => l.lineAmount), currency));
  const tax = roundMoney(sumMoney(taxes.map((t) => t.amount), currency));
  const hasDiscount = compareMoney(discount, zero) !== 0;
  const total = roundMoney(addMoney(addMoney(subtractMoney(subtotal, discount), tax), freight));
  const tds = r.require('TDS');
  const stated = r.implied(tds, 1);
  if (stated === undefined) r.fail(tds, 1, 'total invoice amount is missing');
  if (compareMoney(money(stated, currency), total) !== 0) {
    r.fail(tds, 1, `total ${stated} does not match lines ${subtotal.amount} - allowances ${discount.amount} + tax ${tax.amount} + charges ${freight.amount} = ${total.amount}`);
  }
  const poId = poNumber ? options.purchaseOrderIdFor?.(poNumber) : undefined;
  const at = isoInstant(now);
  const doc = {
    schemaVersion: 1 as const,
    id: id('inv'),
    tenantId: ctx.tenantId,
    direction: 'payable' as const,
    invoiceNumber,
    kind,
    status: 'Received' as const,
    partyId,
    billTo,
    ...(remitTo ? { remitTo } : {}),
    orderRefs: poNumber ? [{ kind: 'purchase_order' as const, ...(poId ? { purchaseOrderId: poId } : {}), poNumber }] : [],
    shipmentIds: [],
    invoiceDate,
    dueDate,
    terms,
    currency,
    lines,
    taxes,
    totals: { subtotal, ...(hasDiscount ? { discount } : {}), tax, freight, total },
    amountDue: total,
    receivedVia: 'edi' as const,
    externalIds: externalIdsFor(ctx, r),
    createdAt: at,
    updatedAt: at,
  };
  const parsed = invoiceSchema.safeParse(doc);
  if (!parsed.success) r.schemaFailure('invoice', parsed.error.issues);
  return parsed.data;
}
