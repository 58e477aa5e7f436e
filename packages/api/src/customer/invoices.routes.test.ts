import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import type { InvoiceView } from '@tradelane/core';
import { KEYS, as, customerApp, customerOf } from './customer.test-support.js';
import { formatAmount, invoicePdfPageCount, renderInvoicePdf } from './invoice.pdf.js';

/** The text drawn on one page (standard fonts draw hex strings: `<48656C6C6F> Tj`). */
async function pageText(pdf: Uint8Array, index: number): Promise<string> {
  const doc = await PDFDocument.load(pdf);
  const contents = doc.getPage(index).node.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)!) : [contents!];
  let text = '';
  for (const s of streams) {
    const raw = new TextDecoder('latin1').decode(decodePDFRawStream(s as PDFRawStream).decode());
    for (const m of raw.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) text += `${Buffer.from(m[1]!, 'hex').toString('latin1')}\n`;
  }
  return text;
}

function manyLines(n: number): InvoiceView['lines'] {
  return Array.from({ length: n }, (_, i) => ({
    lineNumber: i + 1,
    sku: `SKU-${i + 1}`,
    description: `Item number ${i + 1} with a description long enough to be shortened in the table column`,
    quantity: '1',
    unit: 'EA',
    unitPrice: { amount: '1.00', currency: 'USD' },
    amount: { amount: '1.00', currency: 'USD' },
  }));
}

test('GET /invoices lists the caller\'s invoices; GET /invoices/{id}; other customers\' are 404', async () => {
  const { app, o2c } = await customerApp();
  const mine = o2c.seedInvoice(customerOf('cus_alice'), { invoiceNumber: 'INV-1001' });
  o2c.seedInvoice(customerOf('cus_alice'), { invoiceNumber: 'INV-1002', status: 'Paid', openAmount: { amount: '0.00', currency: 'USD' } });
  const theirs = o2c.seedInvoice(customerOf('cus_bob'), { invoiceNumber: 'INV-2001' });

  const list = await app.inject({ method: 'GET', url: '/v1/customer/invoices?status=Open', headers: as(KEYS.alice) });
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().items.map((i: { invoiceNumber: string }) => i.invoiceNumber), ['INV-1001']);
  assert.deepEqual(o2c.lastQuery.listInvoices, { status: 'Open', limit: 50 });

  const one = await app.inject({ method: 'GET', url: `/v1/customer/invoices/${mine.id}`, headers: as(KEYS.alice) });
  assert.equal(one.statusCode, 200);
  assert.equal(one.json().lines[0].amount.amount, '127.50');

  for (const url of [`/v1/customer/invoices/${theirs.id}`, `/v1/customer/invoices/${theirs.id}.pdf`]) {
    const nf = await app.inject({ method: 'GET', url, headers: as(KEYS.alice) });
    assert.equal(nf.statusCode, 404, url);
    assert.equal(nf.json().code, 'TL_INVOICE_NOT_FOUND');
  }
  const bad = await app.inject({ method: 'GET', url: '/v1/customer/invoices/INV-1001', headers: as(KEYS.alice) });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'params/id');
  const badStatus = await app.inject({ method: 'GET', url: '/v1/customer/invoices?status=open', headers: as(KEYS.alice) });
  assert.equal(badStatus.json().errors[0].path, 'querystring/status');
  const noScope = await app.inject({ method: 'GET', url: '/v1/customer/invoices', headers: as(KEYS.aliceReadOnly) });
  assert.equal(noScope.statusCode, 403);
  await app.close();
});

test('GET /invoices/{id}.pdf is a real PDF: header, bill-to, number and dates, lines and totals', async () => {
  const { app, o2c } = await customerApp({
    invoicePdfParties: (ctx) => ({
      issuer: { name: 'Acme Industrial Supply', addressLines: ['100 Depot Road', 'Springfield, IL 62701'] },
      billTo: { name: `Customer ${ctx.partnerId}`, addressLines: ['Accounts payable'] },
    }),
  });
  const inv = o2c.seedInvoice(customerOf('cus_alice'), {
    invoiceNumber: 'INV-1001',
    customerPoNumber: 'PO-2025-0042',
    openAmount: { amount: '27.5', currency: 'USD' },
    total: { amount: '1127.50', currency: 'USD' },
  });
  const r = await app.inject({ method: 'GET', url: `/v1/customer/invoices/${inv.id}.pdf`, headers: as(KEYS.alice) });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/pdf');
  assert.equal(r.headers['content-disposition'], 'inline; filename="invoice-INV-1001.pdf"');
  const bytes = r.rawPayload;
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const doc = await PDFDocument.load(bytes);
  assert.equal(doc.getPageCount(), 1);
  assert.equal(doc.getTitle(), 'Invoice INV-1001');
  const text = await pageText(bytes, 0);
  for (const want of ['Acme Industrial Supply', 'INVOICE', 'INV-1001', '2025-03-05', '2025-04-04', 'PO-2025-0042', 'BILL TO', 'Customer cus_alice', 'WID-100', '127.50', '1,127.50 USD', 'Paid or credited', '1,100.00 USD', 'Amount due', '27.50 USD', 'Page 1 of 1']) {
    assert.ok(text.includes(want), `PDF shows ${want}`);
  }
  await app.close();
});

test('invoice PDFs paginate long invoices, keep totals with the table, and survive text the fonts cannot show', async () => {
  const base = { id: 'inv_1', invoiceNumber: 'INV-9', kind: 'invoice', status: 'Open', invoiceDate: '2025-03-05', dueDate: '2025-04-04', total: { amount: '100.00', currency: 'USD' }, openAmount: { amount: '100.00', currency: 'USD' } } as const;
  const parties = { issuer: { name: 'Acme' }, billTo: { name: 'Zoë Müller GmbH — 東京 🚚' } };
  for (const [n, pages] of [
    [0, 1],
    [3, 1],
    [22, 1],
    [23, 2],
    [27, 2],
    [100, 4],
  ] as const) {
    assert.equal(invoicePdfPageCount(n), pages, `${n} lines`);
    const pdf = await renderInvoicePdf({ ...base, lines: manyLines(n) }, parties);
    const doc = await PDFDocument.load(pdf);
    assert.equal(doc.getPageCount(), pages, `${n} lines render on ${pages} pages`);
  }
  const pdf = await renderInvoicePdf({ ...base, lines: manyLines(100) }, parties);
  assert.match(await pageText(pdf, 0), /Zoë Müller GmbH \x97 \?\? \?\n/, "WinAnsi characters (ë, ü, —) print; others become ?");
  const last = await pageText(pdf, 3);
  assert.match(last, /Page 4 of 4/);
  assert.match(last, /Amount due/);
  assert.match(await pageText(pdf, 1), /SKU-28\n/);
  const memo = await renderInvoicePdf({ ...base, kind: 'credit_memo', lines: manyLines(1) }, parties);
  assert.match(await pageText(memo, 0), /CREDIT MEMO[\s\S]*Open credit/);
});

test('formatAmount groups thousands and pads minor units without floating point', () => {
  assert.equal(formatAmount({ amount: '1234567.5', currency: 'USD' }), '1,234,567.50');
  assert.equal(formatAmount({ amount: '-12', currency: 'EUR' }), '-12.00');
  assert.equal(formatAmount({ amount: '1500', currency: 'JPY' }), '1,500');
  assert.equal(formatAmount({ amount: '0.1234', currency: 'KWD' }), '0.1234');
  assert.equal(formatAmount({ amount: '999', currency: 'USD' }), '999.00');
});

test('GET /balance → open balance with ageing', async () => {
  const { app, o2c } = await customerApp();
  o2c.seedInvoice(customerOf('cus_alice'), { invoiceNumber: 'INV-1' });
  o2c.seedInvoice(customerOf('cus_alice'), { invoiceNumber: 'INV-2', openAmount: { amount: '10.00', currency: 'USD' } });
  o2c.seedInvoice(customerOf('cus_bob'), { invoiceNumber: 'INV-3' });
  const r = await app.inject({ method: 'GET', url: '/v1/customer/balance', headers: as(KEYS.alice) });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), {
    currency: 'USD',
    balance: '137.50',
    aging: { current: '137.50', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
    asOf: '2025-03-10T08:00:00.000Z',
  });
  await app.close();
});
