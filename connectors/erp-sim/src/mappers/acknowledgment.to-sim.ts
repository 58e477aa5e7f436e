import type { ErpAcknowledgmentLine } from '@tradelane/connector-kit';
import { isoToJulian } from '../wire/julian-date.js';
import { formatLnid } from '../wire/line-number.js';
import type { SimAcknowledgmentRequest } from '../wire/sim-purchasing.types.js';

const CODES = { accept: 'IA', change: 'IC', backorder: 'IB', reject: 'IR' } as const;

/**
 * The supplier's answer per line as the simulator's acknowledgment request: `accept` → `IA`, `change` → `IC`,
 * `backorder` → `IB`, `reject` → `IR` (the ERP cancels what is open; new values are not sent); quantity, cost and
 * promised date where given.
 */
export function acknowledgmentToSim(lines: ErpAcknowledgmentLine[]): SimAcknowledgmentRequest {
  return {
    LINES: lines.map((l) => ({
      LNID: formatLnid(l.lineNumber),
      ACKC: CODES[l.action],
      ...(l.action !== 'reject' && l.quantity !== undefined ? { UORG: l.quantity } : {}),
      ...(l.action !== 'reject' && l.unitPrice !== undefined ? { PRRC: l.unitPrice } : {}),
      ...(l.action !== 'reject' && l.promisedDate !== undefined ? { PDDJ: isoToJulian(l.promisedDate) } : {}),
      ...(l.note ? { ACKT: l.note.slice(0, 200) } : {}),
    })),
  };
}
