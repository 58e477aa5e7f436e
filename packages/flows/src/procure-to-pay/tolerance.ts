import { compareDecimal, subtractDecimal } from '@tradelane/canonical';
import type { AcknowledgmentLineSubmission, MatchLineView, PurchaseOrderLineView, ToleranceProfile } from '@tradelane/core';

/** The profile every supplier gets unless configured otherwise. */
export const defaultToleranceProfile: ToleranceProfile = {
  quantityUnderPct: 5,
  quantityOverPct: 5,
  pricePct: 2,
  priceAbs: '0.50',
  dateEarlyDays: 3,
  dateLateDays: 2,
  substitutionsAllowed: false,
  ackReminderHours: 24,
  ackDueHours: 48,
  channel: 'api',
};

/** Tolerance configuration: the default profile and per-supplier overrides (by supplier party id or ERP number). */
export interface ToleranceConfig {
  default?: Partial<ToleranceProfile> | undefined;
  suppliers?: Record<string, Partial<ToleranceProfile>> | undefined;
}

/** The profile of one supplier: built-in default ← configured default ← configured supplier ← stored override. */
export function resolveTolerance(config: ToleranceConfig | undefined, supplierId: string, stored?: Partial<ToleranceProfile>, supplierNumber?: string): ToleranceProfile {
  return {
    ...defaultToleranceProfile,
    ...config?.default,
    ...(supplierNumber ? config?.suppliers?.[supplierNumber] : undefined),
    ...config?.suppliers?.[supplierId],
    ...stored,
  };
}

const pct = (from: string, to: string): number => {
  const base = Number(from);
  if (base === 0) return Number(to) === 0 ? 0 : Infinity;
  return ((Number(to) - base) / base) * 100;
};
const fmtPct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;
const absDecimal = (v: string) => (v.startsWith('-') ? v.slice(1) : v);

/** Days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Adds days to a date (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Reasons a price differs beyond the profile (percent or absolute, whichever is tighter). */
export function priceVariances(ordered: string, offered: string, profile: ToleranceProfile): string[] {
  if (compareDecimal(ordered, offered) === 0) return [];
  const p = pct(ordered, offered);
  const diff = subtractDecimal(offered, ordered);
  const reasons: string[] = [];
  if (Math.abs(p) > profile.pricePct) reasons.push(`price ${fmtPct(p)} exceeds ${profile.pricePct}%`);
  else if (compareDecimal(absDecimal(diff), profile.priceAbs) > 0) reasons.push(`price ${diff.startsWith('-') ? '' : '+'}${diff} exceeds ${profile.priceAbs}`);
  return reasons;
}

/**
 * Checks one acknowledged line against the ordered line and the supplier's profile: quantity (under/over %), price
 * (% and absolute), promised date against requested (± days) and substitutions.
 */
export function checkAcknowledgmentLine(line: PurchaseOrderLineView, ack: AcknowledgmentLineSubmission, profile: ToleranceProfile): { outcome: 'as_ordered' | 'within_tolerance' | 'out_of_tolerance' | 'rejected'; reasons: string[] } {
  if (ack.action === 'reject') return { outcome: 'rejected', reasons: [ack.note ? `rejected: ${ack.note}` : 'rejected by the supplier'] };
  const out: string[] = [];
  const within: string[] = [];
  if (ack.quantity !== undefined && compareDecimal(ack.quantity, line.quantity) !== 0) {
    const p = pct(line.quantity, ack.quantity);
    const limit = p < 0 ? profile.quantityUnderPct : profile.quantityOverPct;
    (Math.abs(p) > limit ? out : within).push(`quantity ${fmtPct(p)} ${Math.abs(p) > limit ? 'exceeds' : 'within'} ${p < 0 ? '-' : '+'}${limit}%`);
  }
  if (ack.unitPrice !== undefined && compareDecimal(ack.unitPrice, line.unitPrice.amount) !== 0) {
    const reasons = priceVariances(line.unitPrice.amount, ack.unitPrice, profile);
    if (reasons.length) out.push(...reasons);
    else within.push(`price ${fmtPct(pct(line.unitPrice.amount, ack.unitPrice))} within ${profile.pricePct}%`);
  }
  if (ack.promisedDate !== undefined && ack.promisedDate !== line.requestedDate) {
    const d = daysBetween(line.requestedDate, ack.promisedDate);
    const limit = d < 0 ? profile.dateEarlyDays : profile.dateLateDays;
    (Math.abs(d) > limit ? out : within).push(`date ${d > 0 ? '+' : ''}${d} days ${Math.abs(d) > limit ? 'exceeds' : 'within'} ${d < 0 ? '-' : '+'}${limit} days`);
  }
  if (ack.substituteSku !== undefined && ack.substituteSku !== line.sku) out.push(`substitute ${ack.substituteSku} offered for ${line.sku}`);
  if (out.length) return { outcome: 'out_of_tolerance', reasons: [...out, ...within] };
  if (within.length || ack.action === 'backorder') return { outcome: 'within_tolerance', reasons: within.length ? within : ['backordered'] };
  return { outcome: 'as_ordered', reasons: [] };
}

/**
 * The 3-way match of one invoice line: ordered (committed) quantity, received quantity, invoiced quantity and price.
 * `waiting` when the invoice bills more than is received while more is still expected.
 */
export function matchLine(
  line: PurchaseOrderLineView,
  invoiced: { quantity: string; unitPrice: string },
  profile: ToleranceProfile,
): { view: MatchLineView; waiting: boolean } {
  const ordered = line.quantityAcknowledged ?? line.quantity;
  const received = line.quantityReceived;
  const variances: string[] = [...priceVariances(line.unitPrice.amount, invoiced.unitPrice, profile)];
  const over = (limit: string) => Number(invoiced.quantity) > Number(limit) * (1 + profile.quantityOverPct / 100);
  let waiting = false;
  if (over(ordered)) variances.push(`invoiced ${invoiced.quantity} > ordered ${ordered}`);
  else if (over(received)) {
    if (compareDecimal(received, ordered) < 0) waiting = true;
    else variances.push(`invoiced ${invoiced.quantity} > received ${received}`);
  }
  return {
    view: {
      lineNumber: line.lineNumber,
      sku: line.sku,
      orderedQuantity: ordered,
      receivedQuantity: received,
      invoicedQuantity: invoiced.quantity,
      poUnitPrice: line.unitPrice.amount,
      invoicedUnitPrice: invoiced.unitPrice,
      variances,
    },
    waiting: waiting && variances.length === 0,
  };
}
