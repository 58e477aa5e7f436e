import type { TenantContext } from '@tradelane/core';
import type { TrytonRpc } from './transport/tryton-rpc.transport.js';

/**
 * Pays a posted customer invoice in Tryton as accounting would, with the invoice's Pay button (the
 * `account.invoice.pay` wizard) and the first payment method: the full amount to pay, or part of it (`amount`, a
 * decimal string), which stays a partial payment. Resolves the invoice's state and amount to pay afterwards.
 * @example await payInvoice(rpc, ctx, invoiceId, { amount: '10.00', description: 'check 1001' });
 */
export async function payInvoice(rpc: TrytonRpc, ctx: TenantContext, invoiceId: number, options: { amount?: string; description?: string } = {}): Promise<{ state: string; amountToPay: string }> {
  type Row = Record<string, any> & { id: number };
  const [invoice] = await rpc.call<Row[]>(ctx, 'model.account.invoice.read', [[invoiceId], ['currency', 'company', 'account', 'amount_to_pay']]);
  const [method] = await rpc.call<number[]>(ctx, 'model.account.invoice.payment.method.search', [[], 0, 1, [['id', 'ASC']]]);
  if (!invoice || !method) throw new Error(`Tryton has no invoice ${invoiceId} or no payment method`);
  const amount = options.amount ?? String(invoice.amount_to_pay.decimal);
  const now = new Date();
  const date = { __class__: 'date', year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
  const decimal = (d: string) => ({ __class__: 'Decimal', decimal: d });
  const start = { amount: decimal(amount), currency: invoice.currency, currency_digits: 2, payment_method: method, date, description: options.description ?? 'payment', company: invoice.company, invoice_account: invoice.account };
  const context = { active_id: invoiceId, active_ids: [invoiceId], active_model: 'account.invoice' };
  const [session] = await rpc.call<[number]>(ctx, 'wizard.account.invoice.pay.create', []);
  try {
    const answer = await rpc.call<{ view?: unknown }>(ctx, 'wizard.account.invoice.pay.execute', [session, { start }, 'choice'], context);
    if (answer.view) {
      // less than what is left to pay: the wizard asks what to do with the rest; keep it open (a partial payment)
      const ask = { type: 'partial', amount: decimal(amount), currency: invoice.currency, currency_digits: 2, company: invoice.company, invoice: invoiceId, lines_to_pay: [], lines: [], payment_lines: [], amount_writeoff: decimal('0'), date };
      await rpc.call(ctx, 'wizard.account.invoice.pay.execute', [session, { start, ask }, 'pay'], context);
    }
  } finally {
    await rpc.call(ctx, 'wizard.account.invoice.pay.delete', [session]);
  }
  const [after] = await rpc.call<Row[]>(ctx, 'model.account.invoice.read', [[invoiceId], ['state', 'amount_to_pay']]);
  return { state: String(after?.state), amountToPay: String(after?.amount_to_pay?.decimal ?? '0') };
}
