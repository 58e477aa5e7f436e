import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type CustomerQueries, type InvoiceView, type TenantContext } from '@tradelane/core';
import { renderInvoicePdf, type InvoicePdfParties } from './invoice.pdf.js';
import {
  accountBalanceSchema,
  authHeadersSchema,
  cursorSchema,
  idParamsSchema,
  invoiceViewSchema,
  limitSchema,
  pageLimit,
  pageSchema,
  problemResponses,
  statusFilterSchema,
} from './schemas.js';

/** Who the invoice PDF names as issuer and bill-to; the default prints the tenant and the customer account ids. */
export type InvoicePdfPartiesResolver = (ctx: TenantContext, invoice: InvoiceView) => InvoicePdfParties;

/** The default {@link InvoicePdfPartiesResolver}: tenant id as issuer, customer account id as bill-to. */
export const defaultInvoicePdfParties: InvoicePdfPartiesResolver = (ctx) => ({
  issuer: { name: ctx.tenantId },
  billTo: { name: `Customer account ${ctx.partnerId ?? ''}`.trim() },
});

const invoiceParams = idParamsSchema('inv', 'Invoice');

/**
 * Invoices and balance (scope `invoices:read`): `GET /invoices`, `GET /invoices/{id}`, `GET /invoices/{id}.pdf`
 * (rendered with pdf-lib) and `GET /balance` (open balance with ageing).
 */
export function invoicesRoutes(deps: { queries: CustomerQueries; invoicePdfParties?: InvoicePdfPartiesResolver | undefined }): FastifyPluginAsync {
  const partiesFor = deps.invoicePdfParties ?? defaultInvoicePdfParties;
  return async (app) => {
    app.get<{ Querystring: { status?: string; cursor?: string; limit?: number } }>(
      '/invoices',
      {
        config: { scope: 'invoices:read', privileged: true },
        schema: {
          summary: 'List your invoices and credit memos',
          tags: ['customer'],
          headers: authHeadersSchema,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { status: statusFilterSchema, cursor: cursorSchema, limit: limitSchema },
          },
          response: { 200: pageSchema(invoiceViewSchema), ...problemResponses },
        },
      },
      async (request) => deps.queries.listInvoices(request.ctx, { ...request.query, limit: pageLimit(request.query.limit) }),
    );

    app.get<{ Params: { id: string } }>(
      '/invoices/:id',
      {
        config: { scope: 'invoices:read', privileged: true },
        schema: {
          summary: 'An invoice with its lines',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: invoiceParams,
          response: { 200: invoiceViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const invoice = await deps.queries.getInvoice(request.ctx, request.params.id);
        if (!invoice) throw new NotFoundError('TL_INVOICE_NOT_FOUND', `No invoice ${request.params.id}.`);
        return invoice;
      },
    );

    app.get<{ Params: { id: string } }>(
      '/invoices/:id.pdf',
      {
        config: { scope: 'invoices:read', privileged: true },
        schema: {
          summary: 'An invoice as PDF',
          tags: ['customer'],
          headers: authHeadersSchema,
          params: invoiceParams,
          response: { 200: { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...problemResponses },
        },
      },
      async (request, reply) => {
        const invoice = await deps.queries.getInvoice(request.ctx, request.params.id);
        if (!invoice) throw new NotFoundError('TL_INVOICE_NOT_FOUND', `No invoice ${request.params.id}.`);
        const pdf = await renderInvoicePdf(invoice, partiesFor(request.ctx, invoice));
        const filename = `${invoice.kind === 'credit_memo' ? 'credit-memo' : 'invoice'}-${invoice.invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf`;
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${filename}"`)
          .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
      },
    );

    app.get(
      '/balance',
      {
        config: { scope: 'invoices:read', privileged: true },
        schema: {
          summary: 'Your open balance with ageing buckets',
          tags: ['customer'],
          headers: authHeadersSchema,
          response: { 200: accountBalanceSchema, ...problemResponses },
        },
      },
      async (request) => deps.queries.getBalance(request.ctx),
    );
  };
}
