import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, type SupplierCommands, type SupplierInvoiceSubmission, type SupplierQueries } from '@tradelane/core';
import { authHeadersSchema, idempotentHeadersSchema, problemResponses } from '../customer/schemas.js';
import { uniqueLineNumbers } from './field-rules.js';
import { supplierInvoiceParamsSchema, supplierInvoiceSubmissionSchema, supplierInvoiceViewSchema } from './schemas.js';

/**
 * Supplier invoices: `POST /invoices` (idempotent; scope `supplier-invoices:write`; 201 + Location, or 200 with
 * `duplicate: true` for an invoice number the hub already had) and `GET /invoices/{id}` (scope
 * `supplier-invoices:read`) with the 3-way match of PO, receipts and invoice.
 */
export function supplierInvoicesRoutes(deps: { commands: SupplierCommands; queries: SupplierQueries }): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: SupplierInvoiceSubmission }>(
      '/invoices',
      {
        config: { scope: 'supplier-invoices:write', idempotent: true },
        preValidation: uniqueLineNumbers('lines'),
        schema: {
          summary: 'Send an invoice for goods of one purchase order',
          description: 'Matched against the PO and the receipts: approved for payment, waiting for the goods, or disputed with the variances found.',
          tags: ['supplier'],
          headers: idempotentHeadersSchema,
          body: supplierInvoiceSubmissionSchema,
          response: { 200: supplierInvoiceViewSchema, 201: supplierInvoiceViewSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const invoice = await deps.commands.submitInvoice(request.ctx, request.body);
        return reply
          .code(invoice.duplicate ? 200 : 201)
          .header('location', `${app.prefix}/invoices/${encodeURIComponent(invoice.id)}`)
          .send(invoice);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/invoices/:id',
      {
        config: { scope: 'supplier-invoices:read', privileged: true },
        schema: {
          summary: 'An invoice with its status and 3-way match',
          tags: ['supplier'],
          headers: authHeadersSchema,
          params: supplierInvoiceParamsSchema,
          response: { 200: supplierInvoiceViewSchema, ...problemResponses },
        },
      },
      async (request) => {
        const invoice = await deps.queries.getInvoice(request.ctx, request.params.id);
        if (!invoice) throw new NotFoundError('TL_SUPPLIER_INVOICE_NOT_FOUND', `No invoice ${request.params.id}.`);
        return invoice;
      },
    );
  };
}
