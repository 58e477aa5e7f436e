import type { ErpReturn } from '@tradelane/connector-kit';

/** A Tryton return sale as the connector reads it: the sale, its customer return shipments and its credit notes. */
export interface TrytonReturnRecord {
  /** `sale.sale.reference`: the hub's return reference. */
  reference: string;
  /** `sale.sale.number` (the id while the sale has no number). */
  number: string;
  state: string;
  /** States of its `stock.shipment.out.return`s. */
  shipmentStates: string[];
  /** Its customer invoices (credit notes): number and state. */
  invoices: Array<{ number: string | null; state: string }>;
}

/**
 * A return sale as an {@link ErpReturn}: cancelled → `Rejected`; a posted (or paid) credit note → `Credited` with its
 * number; a return shipment received (`received` or `done`) → `Received`; otherwise `Authorized` (the sale is
 * confirmed and its return shipment waits for the goods).
 */
export function returnFromTryton(record: TrytonReturnRecord): ErpReturn {
  const base = { reference: record.reference, erpReturnNumber: record.number };
  if (record.state === 'cancelled') return { ...base, status: 'Rejected' };
  const credit = record.invoices.find((i) => (i.state === 'posted' || i.state === 'paid') && i.number);
  if (credit) return { ...base, status: 'Credited', creditMemoNumber: credit.number! };
  if (record.shipmentStates.some((s) => s === 'received' || s === 'done')) return { ...base, status: 'Received' };
  return { ...base, status: 'Authorized' };
}
