/**
 * The simulator's purchasing vocabulary: purchase orders (`OP`), expected receipts from supplier ship notices,
 * receipts (`OV`), supplier invoices entered as AP vouchers (`PV`), the supplier catalog and the item-branch
 * replenishment parameters. Same conventions as the sales side: upper-case short field names, integer quantities in
 * the line's unit, decimal-string amounts, Julian dates. See the package README for the glossary.
 */
import type { JulianDate, SimStamp, SimUom, TimeOfDay } from './sim-common.types.js';

/** Purchase order line status codes (`LTTR` last / `NXTR` next); the header carries the lowest over the open lines. */
export const simPurchaseStatus = {
  /** Entered by a buyer or by replenishment, awaiting approval. */
  entered: 220,
  /** Approved: open with the supplier. */
  approved: 280,
  /** The supplier's acknowledgment is recorded on the line. */
  acknowledged: 300,
  /** Shipped by the supplier per ship notice (expected receipt), nothing received yet. */
  inTransit: 340,
  partiallyReceived: 380,
  /** Every open unit received; waiting for the supplier's invoice. */
  received: 400,
  /** A voucher (supplier invoice) is recorded against the line, awaiting the match decision. */
  vouchered: 460,
  cancelled: 980,
  /** Received, vouchered and approved for payment. */
  closed: 999,
} as const;

/** A purchase order status code. */
export type SimPurchaseStatusCode = (typeof simPurchaseStatus)[keyof typeof simPurchaseStatus];

/** The supplier's answer recorded on a line (EDI 855 style): accepted, accepted with changes, backordered, rejected; blank = none yet. */
export type SimAckCode = '' | 'IA' | 'IC' | 'IB' | 'IR';

/** How a supplier receives purchase orders: `E` EDI, `W` web portal, `A` API, `F` file (CSV over SFTP), `M` e-mail. */
export type SimSendMethod = 'E' | 'W' | 'A' | 'F' | 'M';

/** Who created a purchase order: `B` a buyer, `R` reorder-point replenishment. */
export type SimPurchaseOrigin = 'B' | 'R';

/** A name and postal address (the company as bill-to, a branch as ship-to). */
export interface SimNameAddress {
  ALPH: string;
  ADD1: string;
  CTY1: string;
  ADDS: string;
  ADDZ: string;
  CTR: string;
}

/** Supplier catalog row: what a supplier sells us, under which number, in which unit, at which cost. */
export interface SimSupplierItemRow extends SimStamp {
  /** Supplier address number. */
  AN8: number;
  LITM: string;
  /** The supplier's own item number. */
  VITM: string;
  /** Purchasing unit. */
  UOM: SimUom;
  /** Unit cost per `UOM`, 4 decimals, in `CRCD`. */
  PRRC: string;
  CRCD: string;
  /** `Y` when this supplier is the item's primary supplier. */
  PRIM: 'Y' | 'N';
}

/** Item-branch replenishment parameters, in the item's primary unit. */
export interface SimItemBranchRow extends SimStamp {
  LITM: string;
  MCU: string;
  /** Reorder point: replenish when projected availability falls below it (0 = never). */
  ROPI: number;
  /** Reorder quantity (ordered in multiples of it). */
  ROQI: number;
  /** Primary supplier (address number). */
  VEND: number;
}

/** One piece of inbound supply on a balance row, in the item's primary unit. */
export interface SimInboundRow {
  /** `PO` open on an approved purchase order line, `ASN` shipped per supplier ship notice (in transit). */
  TYP: 'PO' | 'ASN';
  DOCO: number;
  LNID: string;
  QTY: number;
  /** Expected arrival: promised, else requested date (`PO`); expected delivery date (`ASN`). */
  DATE: JulianDate;
  /** `PO`: the supplier acknowledged the line (`Y`/`N`). */
  ACK?: 'Y' | 'N' | undefined;
  /** `ASN`: expected receipt number, supplier, the supplier's ship notice number and the caller's reference. */
  ERN?: number | undefined;
  AN8?: number | undefined;
  VASN?: string | undefined;
  ASNREF?: string | undefined;
}

/** A purchase order line. Invariant: `UORG` = open + `UREC` + `UCAN`; `UITR` is the part of the open quantity in transit. */
export interface SimPurchaseOrderLine {
  /** Line number, "1.000" style. */
  LNID: string;
  ITM: number;
  LITM: string;
  /** Supplier item number. */
  VITM?: string | undefined;
  DSC1: string;
  UOM: SimUom;
  /** Quantity ordered. */
  UORG: number;
  /** Quantity received into stock. */
  UREC: number;
  /** Quantity refused at receipt (damaged), not stocked. */
  UREJ: number;
  /** Quantity cancelled. */
  UCAN: number;
  /** Quantity in transit: shipped per active expected receipts and not received yet. */
  UITR: number;
  /** Quantity vouchered (on supplier invoices not disputed). */
  UVCH: number;
  /** Unit cost per `UOM`, 4 decimals. */
  PRRC: string;
  /** Extended cost of the ordered, not cancelled quantity, 2 decimals. */
  AEXP: string;
  MCU: string;
  /** Requested and promised (acknowledged) dates; expected delivery of what is in transit (0 = none). */
  DRQJ: JulianDate;
  PDDJ: JulianDate;
  EXDJ: JulianDate;
  /** The supplier's acknowledgment of the line. */
  ACKC: SimAckCode;
  /** Acknowledgment note or reject reason. */
  ACKT?: string | undefined;
  LTTR: SimPurchaseStatusCode;
  NXTR: SimPurchaseStatusCode;
}

/** A purchase order header with its lines (order type `OP`). */
export interface SimPurchaseOrder extends SimStamp {
  DOCO: number;
  DCTO: 'OP';
  KCOO: string;
  /** Supplier address number and name. */
  AN8: number;
  ALPH: string;
  /** How the supplier receives this order. */
  SNDM: SimSendMethod;
  /** Branch/plant receiving the goods, and its address. */
  MCU: string;
  SHTO: SimNameAddress;
  /** External reference of the creator (idempotency key of buyer entry). */
  EXTREF?: string | undefined;
  ORIG: SimPurchaseOrigin;
  /** Buyer name. */
  BUYR?: string | undefined;
  /** Order date and time of entry. */
  TRDJ: JulianDate;
  TRTM: TimeOfDay;
  DRQJ: JulianDate;
  /** Supplier payment terms and currency. */
  PTC: string;
  CRCD: string;
  /** Revision: raised by each buyer change after approval. */
  RVNO: number;
  /** Date approved (0 = awaiting approval). */
  APRJ: JulianDate;
  /** Date of the last acknowledgment recorded (0 = none). */
  ACKJ: JulianDate;
  LTTR: SimPurchaseStatusCode;
  NXTR: SimPurchaseStatusCode;
  /** Order total (sum of line `AEXP`), 2 decimals. */
  OTOT: string;
  /** Match status over the vouchers of the order: blank none, `P` pending, `D` one disputed, `A` all approved. */
  MTST: '' | 'P' | 'D' | 'A';
  RCCD?: string | undefined;
  RSTX?: string | undefined;
  /** Date closed (every line received, vouchered and approved, or cancelled), 0 = open. */
  CLSJ: JulianDate;
  HDTX?: string | undefined;
  LINES: SimPurchaseOrderLine[];
}

/** One line of an expected receipt: what the supplier shipped against a purchase order line (in the line's unit). */
export interface SimExpectedReceiptLine {
  DOCO: number;
  LNID: string;
  LITM: string;
  UOM: SimUom;
  QTY: number;
  /** Quantity that arrived against it so far (received or refused). */
  QREC: number;
}

/** An expected receipt: a supplier's ship notice recorded in the ERP (in-transit supply). */
export interface SimExpectedReceipt extends SimStamp {
  /** Expected receipt number. */
  ERN: number;
  /** Supplier and the supplier's ship notice number (unique per supplier). */
  AN8: number;
  VASN: string;
  /** The caller's reference of the ship notice. */
  ASNREF?: string | undefined;
  /** `A` active, `R` received, `C` cancelled. */
  STS: 'A' | 'R' | 'C';
  SHPJ: JulianDate;
  /** Expected delivery date. */
  EXDJ: JulianDate;
  CARS?: string | undefined;
  TRKN?: string | undefined;
  LINES: SimExpectedReceiptLine[];
}

/** One receipt line: quantity received into stock and refused, in the purchase order line's unit. */
export interface SimReceiptLine {
  LNID: string;
  LITM: string;
  UOM: SimUom;
  UREC: number;
  UREJ: number;
  /** Lot number. */
  LOTN?: string | undefined;
}

/** A purchase order receipt (document type `OV`). */
export interface SimReceipt extends SimStamp {
  /** Receipt number. */
  RCTN: number;
  DCT: 'OV';
  /** The caller's receipt reference (idempotency key). */
  RCTREF: string;
  DOCO: number;
  AN8: number;
  MCU: string;
  /** Date and time received. */
  RCDJ: JulianDate;
  RCTM: TimeOfDay;
  /** The expected receipt it arrived against, with its ship notice number and reference. */
  ERN?: number | undefined;
  VASN?: string | undefined;
  ASNREF?: string | undefined;
  LINES: SimReceiptLine[];
}

/** One voucher line: a supplier invoice line linked to a purchase order line. */
export interface SimVoucherLine {
  LNID: string;
  DOCO: number;
  /** Purchase order line billed. */
  OLNID: string;
  LITM: string;
  VITM?: string | undefined;
  DSC1: string;
  UOM: SimUom;
  QTY: number;
  UPRC: string;
  AEXP: string;
}

/** Match status of a voucher, set by the hub: `P` pending, `A` approved for payment, `D` disputed (on hold). */
export type SimMatchStatus = 'P' | 'A' | 'D';

/** A supplier invoice entered as an AP voucher (document type `PV`). */
export interface SimVoucher extends SimStamp {
  /** Voucher number. */
  DOC: number;
  DCT: 'PV';
  KCO: string;
  /** Supplier and the supplier's invoice number (unique per supplier). */
  AN8: number;
  VINV: string;
  /** The caller's reference of the invoice. */
  INVREF?: string | undefined;
  /** Invoice date and due date. */
  DIVJ: JulianDate;
  DDJ: JulianDate;
  PTC: string;
  CRCD: string;
  /** Net (sum of lines), tax, freight, gross and open amounts. */
  AEXP: string;
  STAM: string;
  FRTA: string;
  AG: string;
  AAP: string;
  /** Pay status: `H` held (pending or disputed), `A` approved for payment. */
  PST: 'H' | 'A';
  MTCH: SimMatchStatus;
  /** Hold / dispute reason and the date of the match decision (0 = none). */
  HRSN?: string | undefined;
  MTCJ: JulianDate;
  /** The company billed and the supplier to pay. */
  BLTO: SimNameAddress;
  RMIT: SimNameAddress & { AN8: number };
  LINES: SimVoucherLine[];
}

/** Purchase order create request (buyer entry). */
export interface SimPurchaseOrderRequest {
  KCOO?: string | undefined;
  AN8: number;
  MCU: string;
  EXTREF?: string | undefined;
  DRQJ?: JulianDate | undefined;
  BUYR?: string | undefined;
  HDTX?: string | undefined;
  LINES: Array<{ LNID?: string | undefined; LITM: string; UORG: number | string; UOM?: string | undefined; PRRC?: string | undefined; DRQJ?: JulianDate | undefined }>;
}

/** Purchase order change request: per line a new quantity (0 cancels the line), cost or requested date. */
export interface SimPurchaseOrderChangeRequest {
  LINES: Array<{ LNID: string; UORG?: number | string | undefined; PRRC?: string | undefined; DRQJ?: JulianDate | undefined }>;
}

/** Acknowledgment request: the supplier's answer per line, as the hub accepted it. */
export interface SimAcknowledgmentRequest {
  LINES: Array<{ LNID: string; ACKC: Exclude<SimAckCode, ''>; UORG?: number | string | undefined; PRRC?: string | undefined; PDDJ?: JulianDate | undefined; ACKT?: string | undefined }>;
}

/** Expected receipt request: purpose `00` original, `05` replace, `01` cancel (EDI 856 BSN01). */
export interface SimExpectedReceiptRequest {
  AN8: number;
  VASN: string;
  PURP?: '00' | '05' | '01' | undefined;
  ASNREF?: string | undefined;
  SHPJ?: JulianDate | undefined;
  EXDJ?: JulianDate | undefined;
  CARS?: string | undefined;
  TRKN?: string | undefined;
  LINES: Array<{ DOCO: number; LNID: string; QTY: number | string; UOM?: string | undefined }>;
}

/** Receipt request (`POST /purchase-orders/:doco/receipts`). */
export interface SimReceiptRequest {
  RCTREF: string;
  MCU?: string | undefined;
  RCDJ?: JulianDate | undefined;
  RCTM?: TimeOfDay | undefined;
  /** The expected receipt by number, by ship notice number or by the caller's ship notice reference. */
  ERN?: number | undefined;
  VASN?: string | undefined;
  ASNREF?: string | undefined;
  LINES: Array<{ LNID: string; UREC: number | string; UREJ?: number | string | undefined; UOM?: string | undefined; LOTN?: string | undefined }>;
}

/** Voucher request: a supplier invoice with lines linked to purchase order lines (by `LNID`, or by `LITM` on that order). */
export interface SimVoucherRequest {
  AN8: number;
  VINV: string;
  INVREF?: string | undefined;
  DIVJ: JulianDate;
  DDJ?: JulianDate | undefined;
  CRCD?: string | undefined;
  STAM?: string | undefined;
  FRTA?: string | undefined;
  LINES: Array<{ DOCO: number; LNID?: string | undefined; LITM?: string | undefined; QTY: number | string; UPRC: string; UOM?: string | undefined }>;
}

/** Match decision request: `A` approve for payment, `D` dispute (hold) with a reason. */
export interface SimMatchDecisionRequest {
  MTCH: 'A' | 'D';
  HRSN?: string | undefined;
}
