import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { currencyMinorUnits, subtractMoney } from '@tradelane/canonical';
import type { InvoiceView, MoneyView } from '@tradelane/core';

/** A party block printed on the invoice (issuer letterhead, bill-to). */
export interface PdfParty {
  name: string;
  addressLines?: readonly string[] | undefined;
}

/** What the PDF shows besides the invoice itself. */
export interface InvoicePdfParties {
  /** The distributor issuing the invoice (letterhead). */
  issuer: PdfParty;
  /** Who is billed. */
  billTo: PdfParty;
}

const PAGE: [number, number] = [612, 792]; // US Letter
const MARGIN = 50;
const RIGHT = PAGE[0] - MARGIN;
const ROW = 16;
const FIRST_TABLE_TOP = 560;
const NEXT_TABLE_TOP = 712;
const TABLE_BOTTOM = 96;
const TOTALS_HEIGHT = 70;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.4, 0.4, 0.45);
const RULE = rgb(0.75, 0.75, 0.78);

/** Rows that fit below a table header starting at `top`. */
function rowsFrom(top: number): number {
  return Math.floor((top - 22 - TABLE_BOTTOM) / ROW);
}

/** How many lines go on each page: the table fills pages, the totals block stays with the last rows. */
function planPages(lineCount: number): number[] {
  const pages: number[] = [];
  let left = lineCount;
  let capacity = rowsFrom(FIRST_TABLE_TOP);
  for (;;) {
    const here = Math.min(left, capacity);
    pages.push(here);
    left -= here;
    const spaceAfter = capacity - here;
    if (left === 0) {
      if (spaceAfter * ROW < TOTALS_HEIGHT) pages.push(0);
      return pages;
    }
    capacity = rowsFrom(NEXT_TABLE_TOP);
  }
}

/** Number of pages the invoice PDF has for an invoice with `lineCount` lines. */
export function invoicePdfPageCount(lineCount: number): number {
  return planPages(lineCount).length;
}

/** Groups thousands and pads to the currency's minor units, without floating point: `1234.5 USD` → `1,234.50`. */
export function formatAmount(money: MoneyView): string {
  const negative = money.amount.startsWith('-');
  const [int = '0', frac = ''] = (negative ? money.amount.slice(1) : money.amount).split('.');
  const digits = Math.max(currencyMinorUnits(money.currency), frac.length);
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${digits > 0 ? `.${frac.padEnd(digits, '0')}` : ''}`;
}

/**
 * Renders an invoice or credit memo as a PDF: letterhead, bill-to, number and dates, a lines table over as many pages
 * as needed (with page numbers), and totals. Standard fonts only; characters they cannot show print as `?`.
 */
export async function renderInvoicePdf(invoice: InvoiceView, parties: InvoicePdfParties): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const printable = new Set(regular.getCharacterSet());
  const clean = (s: string | undefined): string =>
    Array.from((s ?? '').replace(/\s+/g, ' ').trim())
      .map((ch) => (printable.has(ch.codePointAt(0)!) ? ch : '?'))
      .join('');
  const fit = (s: string | undefined, font: PDFFont, size: number, width: number): string => {
    let t = clean(s);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 0 && font.widthOfTextAtSize(`${t}...`, size) > width) t = t.slice(0, -1);
    return `${t}...`;
  };
  const text = (page: PDFPage, s: string, x: number, y: number, size = 9, font = regular, color = INK) =>
    page.drawText(s, { x, y, size, font, color });
  const textRight = (page: PDFPage, s: string, right: number, y: number, size = 9, font = regular, color = INK) =>
    page.drawText(s, { x: right - font.widthOfTextAtSize(s, size), y, size, font, color });

  const title = invoice.kind === 'credit_memo' ? 'CREDIT MEMO' : 'INVOICE';
  const created = new Date(`${invoice.invoiceDate}T00:00:00Z`);
  doc.setTitle(`${title === 'INVOICE' ? 'Invoice' : 'Credit memo'} ${clean(invoice.invoiceNumber)}`);
  doc.setAuthor(clean(parties.issuer.name));
  doc.setSubject(`Bill to ${clean(parties.billTo.name)}`);
  doc.setCreator('Tradelane');
  doc.setProducer('Tradelane');
  if (!Number.isNaN(created.getTime())) {
    doc.setCreationDate(created);
    doc.setModificationDate(created);
  }

  const cols = {
    line: { x: MARGIN, label: '#' },
    sku: { x: MARGIN + 26, width: 92, label: 'SKU' },
    description: { x: MARGIN + 124, width: 160, label: 'Description' },
    quantity: { right: 392, label: 'Qty' },
    unit: { x: 400, label: 'Unit' },
    unitPrice: { right: 480, label: 'Unit price' },
    amount: { right: RIGHT, label: `Amount (${clean(invoice.total.currency)})` },
  };
  const tableHeader = (page: PDFPage, top: number): number => {
    page.drawRectangle({ x: MARGIN, y: top - 6, width: RIGHT - MARGIN, height: 18, color: rgb(0.93, 0.93, 0.95) });
    text(page, cols.line.label, cols.line.x + 2, top, 8, bold);
    text(page, cols.sku.label, cols.sku.x, top, 8, bold);
    text(page, cols.description.label, cols.description.x, top, 8, bold);
    textRight(page, cols.quantity.label, cols.quantity.right, top, 8, bold);
    text(page, cols.unit.label, cols.unit.x, top, 8, bold);
    textRight(page, cols.unitPrice.label, cols.unitPrice.right, top, 8, bold);
    textRight(page, cols.amount.label, cols.amount.right - 2, top, 8, bold);
    return top - 22;
  };

  const plan = planPages(invoice.lines.length);
  const pages: PDFPage[] = [];
  let next = 0;
  let y = 0;
  for (let p = 0; p < plan.length; p += 1) {
    const page = doc.addPage(PAGE);
    pages.push(page);
    if (p === 0) {
      // Letterhead and title
      text(page, fit(parties.issuer.name, bold, 16, 300), MARGIN, 742, 16, bold);
      let ay = 726;
      for (const l of (parties.issuer.addressLines ?? []).slice(0, 4)) {
        text(page, fit(l, regular, 9, 300), MARGIN, ay, 9, regular, MUTED);
        ay -= 12;
      }
      textRight(page, title, RIGHT, 740, 20, bold);
      const meta: Array<[string, string | undefined]> = [
        [invoice.kind === 'credit_memo' ? 'Credit memo no.' : 'Invoice no.', invoice.invoiceNumber],
        ['Invoice date', invoice.invoiceDate],
        ['Due date', invoice.dueDate],
        ['Your PO', invoice.customerPoNumber],
        ['Status', invoice.status],
      ];
      let my = 712;
      for (const [label, value] of meta) {
        if (!value) continue;
        text(page, label, 380, my, 9, regular, MUTED);
        textRight(page, fit(value, bold, 9, 100), RIGHT, my, 9, bold);
        my -= 14;
      }
      // Bill-to
      text(page, 'BILL TO', MARGIN, 650, 8, bold, MUTED);
      text(page, fit(parties.billTo.name, bold, 11, 280), MARGIN, 635, 11, bold);
      let by = 621;
      for (const l of (parties.billTo.addressLines ?? []).slice(0, 4)) {
        text(page, fit(l, regular, 9, 280), MARGIN, by, 9);
        by -= 12;
      }
      y = tableHeader(page, FIRST_TABLE_TOP);
    } else {
      text(page, fit(`${title} ${invoice.invoiceNumber} (continued)`, bold, 11, RIGHT - MARGIN), MARGIN, 742, 11, bold);
      y = plan[p]! > 0 ? tableHeader(page, NEXT_TABLE_TOP) : NEXT_TABLE_TOP;
    }
    for (let i = 0; i < plan[p]!; i += 1) {
      const line = invoice.lines[next]!;
      next += 1;
      text(page, String(line.lineNumber), cols.line.x + 2, y);
      text(page, fit(line.sku, regular, 9, cols.sku.width), cols.sku.x, y);
      text(page, fit(line.description, regular, 9, cols.description.width), cols.description.x, y);
      textRight(page, clean(line.quantity), cols.quantity.right, y);
      text(page, clean(line.unit), cols.unit.x, y);
      textRight(page, formatAmount(line.unitPrice), cols.unitPrice.right, y);
      textRight(page, formatAmount(line.amount), cols.amount.right - 2, y);
      page.drawLine({ start: { x: MARGIN, y: y - 5 }, end: { x: RIGHT, y: y - 5 }, thickness: 0.3, color: RULE });
      y -= ROW;
    }
  }

  // Totals under the last row.
  const last = pages[pages.length - 1]!;
  let ty = y - 8;
  const totals: Array<[string, MoneyView, boolean]> = [[invoice.kind === 'credit_memo' ? 'Credit total' : 'Total', invoice.total, true]];
  if (invoice.total.currency === invoice.openAmount.currency) {
    totals.push(['Paid or credited', subtractMoney(invoice.total, invoice.openAmount), false]);
  }
  totals.push([invoice.kind === 'credit_memo' ? 'Open credit' : 'Amount due', invoice.openAmount, true]);
  for (const [label, amount, strong] of totals) {
    const font = strong ? bold : regular;
    text(last, label, 380, ty, 10, font);
    textRight(last, `${formatAmount(amount)} ${clean(amount.currency)}`, RIGHT - 2, ty, 10, font);
    ty -= 16;
  }

  pages.forEach((page, i) => {
    page.drawLine({ start: { x: MARGIN, y: 60 }, end: { x: RIGHT, y: 60 }, thickness: 0.5, color: RULE });
    text(page, fit(`${parties.issuer.name} - ${title.toLowerCase()} ${invoice.invoiceNumber}`, regular, 8, 400), MARGIN, 46, 8, regular, MUTED);
    textRight(page, `Page ${i + 1} of ${pages.length}`, RIGHT, 46, 8, regular, MUTED);
  });
  return doc.save();
}
