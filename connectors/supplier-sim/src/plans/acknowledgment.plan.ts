import type { AcknowledgmentLineSubmission, AcknowledgmentSubmission, SupplierPurchaseOrderView } from '@tradelane/core';
import type { SeededRandom } from '../seeded-random.js';
import type { AckAction, SupplierBehaviour } from '../supplier-sim-config.schema.js';
import { addDays, decimalsOf, formatDecimal, parseDecimal } from './decimal.js';

/** What the supplier committed to on one line once it acknowledged (the basis of its ASNs and invoice). */
export interface CommittedLine {
  lineNumber: number;
  sku: string;
  unit: string;
  /** Quantity the supplier will ship (decimal string, the order's notation). */
  quantity: string;
  /** Unit price the supplier will invoice when it invoices correctly. */
  unitPrice: string;
  /** Date the goods are due (promised or requested, YYYY-MM-DD). */
  dueDate: string;
}

/** An acknowledgment the supplier is about to send, with the lines it will ship if the hub applies it. */
export interface AcknowledgmentPlan {
  action: AckAction;
  submission: AcknowledgmentSubmission;
  committed: CommittedLine[];
}

const CLOSED_LINE = new Set(['Cancelled', 'Rejected']);

/** The lines of an order a supplier answers (cancelled and rejected lines are left out). */
export function openLines(po: SupplierPurchaseOrderView): SupplierPurchaseOrderView['lines'] {
  return po.lines.filter((l) => !CLOSED_LINE.has(l.status));
}

/**
 * Builds the acknowledgment of one purchase order revision: draws the action from the behaviour's mix and applies
 * it line by line, inside or beyond the behaviour's tolerance profile. Deterministic for a given `random`.
 */
export function planAcknowledgment(
  po: SupplierPurchaseOrderView,
  behaviour: SupplierBehaviour,
  random: SeededRandom,
  acknowledgmentNumber: string,
): AcknowledgmentPlan {
  const action = random.weighted(behaviour.ack.mix);
  const tol = behaviour.ack.tolerance;
  const lines = openLines(po);
  const rejectedIndex = action === 'rejectLines' ? random.int(0, Math.max(0, lines.length - 1)) : -1;
  const out: AcknowledgmentLineSubmission[] = [];
  const committed: CommittedLine[] = [];
  lines.forEach((line, index) => {
    const q = parseDecimal(line.quantity);
    const qd = decimalsOf(line.quantity);
    const price = parseDecimal(line.unitPrice.amount);
    const base: CommittedLine = { lineNumber: line.lineNumber, sku: line.sku, unit: line.unit, quantity: line.quantity, unitPrice: line.unitPrice.amount, dueDate: line.requestedDate };
    const accept = () => {
      out.push({ lineNumber: line.lineNumber, action: 'accept' });
      committed.push(base);
    };
    switch (action) {
      case 'accept':
        return accept();
      case 'changeQuantity': {
        const delta = Math.floor((q * tol.quantityPct) / 200);
        if (delta < 1) return accept();
        const quantity = formatDecimal(q - delta, qd);
        out.push({ lineNumber: line.lineNumber, action: 'change', quantity, note: 'quantity within tolerance' });
        committed.push({ ...base, quantity });
        return;
      }
      case 'changeDate': {
        const promisedDate = addDays(line.requestedDate, Math.max(1, Math.floor(tol.dateDays / 2)));
        out.push({ lineNumber: line.lineNumber, action: 'change', promisedDate, note: 'date within tolerance' });
        committed.push({ ...base, dueDate: promisedDate });
        return;
      }
      case 'changePrice': {
        const unitPrice = formatDecimal(price * (1 + tol.pricePct / 200), 4);
        if (parseDecimal(unitPrice) === price) return accept();
        out.push({ lineNumber: line.lineNumber, action: 'change', unitPrice, note: 'price within tolerance' });
        committed.push({ ...base, unitPrice });
        return;
      }
      case 'outOfTolerance': {
        const dimension = price > 0 ? random.weighted({ quantity: 1, price: 1, date: 1 }) : random.weighted({ quantity: 1, date: 1 });
        if (dimension === 'quantity') {
          const delta = Math.max(1, Math.ceil((q * tol.quantityPct * 2) / 100));
          const quantity = formatDecimal(q - delta > 0 ? q - delta : q + delta, qd);
          out.push({ lineNumber: line.lineNumber, action: 'change', quantity, note: 'quantity beyond tolerance' });
          committed.push({ ...base, quantity });
        } else if (dimension === 'price') {
          const unitPrice = formatDecimal(price * (1 + (tol.pricePct * 2) / 100), 4);
          out.push({ lineNumber: line.lineNumber, action: 'change', unitPrice, note: 'price beyond tolerance' });
          committed.push({ ...base, unitPrice });
        } else {
          const promisedDate = addDays(line.requestedDate, tol.dateDays * 2);
          out.push({ lineNumber: line.lineNumber, action: 'change', promisedDate, note: 'date beyond tolerance' });
          committed.push({ ...base, dueDate: promisedDate });
        }
        return;
      }
      case 'rejectLines':
        if (index !== rejectedIndex) return accept();
        out.push({ lineNumber: line.lineNumber, action: 'reject', note: 'item discontinued' });
        return;
      case 'backorder': {
        const promisedDate = addDays(line.requestedDate, behaviour.ack.backorderDays);
        out.push({ lineNumber: line.lineNumber, action: 'backorder', quantity: line.quantity, promisedDate, note: 'backordered' });
        committed.push({ ...base, dueDate: promisedDate });
        return;
      }
    }
  });
  return { action, submission: { acknowledgmentNumber, revision: po.revision, lines: out }, committed };
}

/**
 * The lines an order commits the supplier to as the hub now shows it (after a buyer decided on an exception):
 * acknowledged quantities and promised dates where present, cancelled and rejected lines left out.
 */
export function committedFromView(po: SupplierPurchaseOrderView): CommittedLine[] {
  return openLines(po)
    .map((l) => ({
      lineNumber: l.lineNumber,
      sku: l.sku,
      unit: l.unit,
      quantity: l.quantityAcknowledged ?? l.quantity,
      unitPrice: l.unitPrice.amount,
      dueDate: l.promisedDate ?? l.requestedDate,
    }))
    .filter((l) => parseDecimal(l.quantity) > 0);
}
