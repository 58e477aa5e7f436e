/**
 * The simulator's wire vocabulary: classic-ERP record layouts with upper-case short field names. Both the simulator
 * (which serves them) and the connector (which maps them to canonical documents) use these types; nothing here is
 * canonical. Quantities are JSON integers in the record's unit of measure, amounts are decimal strings, dates are
 * Julian `CYYDDD` numbers and times of day are `HHMMSS` numbers (UTC). See the package README for the field glossary.
 */

import type { JulianDate, SimStamp, SimUom, TimeOfDay } from './sim-common.types.js';
import type { SimInboundRow, SimPurchaseOrder, SimReceipt, SimSendMethod, SimVoucher } from './sim-purchasing.types.js';

export { simUnitCodes, type JulianDate, type SimStamp, type SimUom, type TimeOfDay } from './sim-common.types.js';

/** Order line and header status codes. */
export const simOrderStatus = {
  entered: 520,
  creditHold: 540,
  allocated: 560,
  backordered: 565,
  released: 570,
  partiallyShipped: 575,
  shipConfirmed: 580,
  invoiced: 600,
  closed: 620,
  cancelled: 980,
  done: 999,
} as const;

/** A status code of an order line (`LTTR` last status, `NXTR` next status). */
export type SimOrderStatusCode = (typeof simOrderStatus)[keyof typeof simOrderStatus];

/** Return (credit order `CO`) status codes. */
export const simReturnStatus = { authorized: 910, rejected: 915, received: 930, credited: 940 } as const;

/** A return status code. */
export type SimReturnStatusCode = (typeof simReturnStatus)[keyof typeof simReturnStatus];

/** Order hold codes: `C1` customer on credit hold, `C2` over credit limit; blank = no hold. */
export type SimHoldCode = '' | 'C1' | 'C2';

/** Company record. */
export interface SimCompany {
  /** Company number, 5 digits. */
  KCOO: string;
  NAME: string;
  /** Head office address (bill-to of purchase orders and supplier invoices). */
  ADD1: string;
  CTY1: string;
  ADDS: string;
  ADDZ: string;
  CTR: string;
  /** Currency code. */
  CRCD: string;
  BRANCHES: SimBranch[];
}

/** A branch/plant (warehouse). */
export interface SimBranch {
  /** Branch/plant code. */
  MCU: string;
  /** Description. */
  DL01: string;
  /** Street, city, state, postal code, country (ship-to of purchase orders). */
  ADD1: string;
  CTY1: string;
  ADDS: string;
  ADDZ: string;
  CTR: string;
}

/** Payment terms record. */
export interface SimPaymentTerms {
  /** Terms code. */
  PTC: string;
  /** Description. */
  PTDS: string;
  /** Net days until due. */
  NDTP: number;
  /** Discount percent, decimal string ("0" when none). */
  DSPT: string;
  /** Days the discount applies. */
  DSDY: number;
}

/** Address book row: a customer (`AT1` = `C`), a ship-to (`AT1` = `ST`, with parent `PA8`) or a supplier (`AT1` = `V`). */
export interface SimAddressRow extends SimStamp {
  /** Address number. */
  AN8: number;
  /** Search type: `C` customer (sold-to), `ST` ship-to, `V` supplier (vendor). */
  AT1: 'C' | 'ST' | 'V';
  /** Alpha name. */
  ALPH: string;
  ADD1: string;
  ADD2?: string | undefined;
  CTY1: string;
  /** State / region. */
  ADDS: string;
  /** Postal code. */
  ADDZ: string;
  /** Country. */
  CTR: string;
  /** Parent address number (ship-to → customer). */
  PA8?: number | undefined;
  /** Contact name, phone and e-mail. */
  WHO?: string | undefined;
  PH1?: string | undefined;
  EMAL?: string | undefined;
  /** Default branch/plant for orders. */
  MCU: string;
  /** Sales tax rate percent for deliveries to this address, decimal string. */
  TXR1: string;
  /** Delivery instructions (ship-to). */
  DEL1?: string | undefined;
  /** Customer master fields (AT1 `C` only): credit limit, hold code and text, terms, currency, tax id. */
  ACL?: string | undefined;
  HOLD?: SimHoldCode | undefined;
  HOLDDS?: string | undefined;
  TRAR?: string | undefined;
  CRCD?: string | undefined;
  TAX?: string | undefined;
  /** Supplier master fields (AT1 `V` only): payables terms, lead time in days, purchase order send method, EDI identity. */
  TRAP?: string | undefined;
  LTDT?: number | undefined;
  SNDM?: SimSendMethod | undefined;
  EDIQ?: string | undefined;
  EDID?: string | undefined;
}

/** Unit of measure conversion: 1 `UM` = `CONV` `RUM`. */
export interface SimUomConversion {
  UM: SimUom;
  RUM: SimUom;
  /** Factor, whole number as a string. */
  CONV: string;
}

/**
 * Item cross-reference: `C` customer item number (with `AN8`), `UP` GTIN at a packaging level (`UOM`), `VN` supplier
 * item number (with the supplier's `AN8`, its purchasing `UOM`, and `PRIM` `Y` for the item's primary supplier).
 */
export interface SimCrossReference {
  XRT: 'C' | 'UP' | 'VN';
  AN8?: number | undefined;
  /** Cross-reference item number. */
  CITM: string;
  UOM?: SimUom | undefined;
  PRIM?: 'Y' | 'N' | undefined;
}

/** Item master row. */
export interface SimItemRow extends SimStamp {
  /** Short item number. */
  ITM: number;
  /** Second item number (the distributor's SKU). */
  LITM: string;
  DSC1: string;
  DSC2?: string | undefined;
  /** Category code. */
  SRP1: string;
  /** Primary (stocking) unit of measure. */
  UOM1: SimUom;
  /** Stocking type: `S` stocked, `O` obsolete (cannot be ordered). */
  STKT: 'S' | 'O';
  /** Sales-taxable: `Y`/`N`. */
  TAX1: 'Y' | 'N';
  /** Shipping weight per primary unit in pounds, decimal string. */
  WTLB: string;
  UMCV: SimUomConversion[];
  XREF: SimCrossReference[];
}

/** One quantity break: from `MNQ` units (in the row's `UOM`) the unit price is `UPRC`. */
export interface SimPriceBreak {
  MNQ: number;
  UPRC: string;
}

/** Price book row: book `LIST` (everyone) or a customer contract book (`AN8` set, contract number `KNO`). */
export interface SimPriceRow extends SimStamp {
  PRBK: string;
  AN8?: number | undefined;
  KNO?: string | undefined;
  LITM: string;
  UOM: SimUom;
  CRCD: string;
  /** Effective from / through (Julian, inclusive); `EXDJ` 0 = open-ended. */
  EFTJ: JulianDate;
  EXDJ: JulianDate;
  BRKS: SimPriceBreak[];
}

/** Item balance at a branch/plant, in the item's primary unit. */
export interface SimBalanceRow extends SimStamp {
  LITM: string;
  MCU: string;
  UOM: SimUom;
  /** On hand. */
  PQOH: number;
  /** Hard-committed to order lines. */
  PCOM: number;
  /** Backordered by order lines waiting for stock. */
  PBCK: number;
  /** Available = on hand - committed. */
  PAVL: number;
  /** On purchase order: open quantity of purchase order lines not cancelled (in transit included). */
  PQOO: number;
  /** In transit: shipped per supplier ship notices, not received yet. */
  PQIT: number;
  /** Inbound supply of approved purchase orders, line by line (open, and in transit per ship notice). */
  INBD: SimInboundRow[];
}

/** A sales order line. Invariant: `UORG` = open + `QCOM` + `SOBK` + `SOQS` + `SOCN`. */
export interface SimOrderLine {
  /** Line number, "1.000" style. */
  LNID: string;
  ITM: number;
  LITM: string;
  /** Customer item number, when the line was entered with it. */
  CITM?: string | undefined;
  DSC1: string;
  UOM: SimUom;
  /** Quantity ordered. */
  UORG: number;
  /** Quantity committed (allocated, not yet shipped). */
  QCOM: number;
  /** Quantity backordered. */
  SOBK: number;
  /** Quantity shipped. */
  SOQS: number;
  /** Quantity cancelled. */
  SOCN: number;
  /** Unit price per `UOM`, 4 decimals. */
  UPRC: string;
  /** Extended price of the ordered (not cancelled) quantity, 2 decimals. */
  AEXP: string;
  MCU: string;
  /** Requested and promised delivery dates (Julian; 0 = none). */
  DRQJ: JulianDate;
  PDDJ: JulianDate;
  /** Date released to the warehouse (pick release), 0 = not released. */
  RLSJ: JulianDate;
  LTTR: SimOrderStatusCode;
  NXTR: SimOrderStatusCode;
}

/** A shipment confirmed against the order. */
export interface SimShipment {
  /** Shipment number. */
  SHPN: number;
  /** Caller's shipment reference (idempotency key). */
  SHPREF: string;
  /** Carrier code. */
  CARS: string;
  /** Tracking number. */
  TRKN: string;
  SHPJ: JulianDate;
  SHTM: TimeOfDay;
  /** Invoice issued for this shipment. */
  DOC: number;
  LINES: Array<{ LNID: string; SOQS: number }>;
}

/** Sales order header with its lines and shipments. */
export interface SimOrder extends SimStamp {
  /** Order number. */
  DOCO: number;
  /** Order type. */
  DCTO: 'SO';
  KCOO: string;
  /** Sold-to and ship-to address numbers. */
  AN8: number;
  SHAN: number;
  /** Customer PO number. */
  VR01: string;
  /** External reference (the calling system's order id); unique while reference dedupe is on. */
  EXTREF?: string | undefined;
  /** Order date and time of entry. */
  TRDJ: JulianDate;
  TRTM: TimeOfDay;
  DRQJ: JulianDate;
  MCU: string;
  PTC: string;
  CRCD: string;
  CARS?: string | undefined;
  /** Header text (notes). */
  HDTX?: string | undefined;
  HOLD: SimHoldCode;
  /** Hold reason text. */
  HLDS?: string | undefined;
  /** Lowest last/next status over the open lines (980 when every line is cancelled). */
  LTTR: SimOrderStatusCode;
  NXTR: SimOrderStatusCode;
  /** Order total (sum of line `AEXP`), 2 decimals. */
  OTOT: string;
  /** Cancel reason code and text. */
  RCCD?: string | undefined;
  RSTX?: string | undefined;
  /** Date closed (every line invoiced and every invoice paid), 0 = open. */
  CLSJ: JulianDate;
  LINES: SimOrderLine[];
  SHIPMENTS: SimShipment[];
}

/** Address block printed on an invoice. */
export interface SimAddressBlock {
  AN8: number;
  ALPH: string;
  ADD1: string;
  CTY1: string;
  ADDS: string;
  ADDZ: string;
  CTR: string;
}

/** One invoice or credit memo line. */
export interface SimInvoiceLine {
  LNID: string;
  /** The order line billed (invoices) or returned (credit memos). */
  OLNID?: string | undefined;
  LITM: string;
  DSC1: string;
  UOM: SimUom;
  QTY: number;
  UPRC: string;
  /** Extended amount; negative on credit memos. */
  AEXP: string;
}

/** An invoice (`DCT` `RI`) or credit memo (`DCT` `RM`); credit memo amounts are negative. */
export interface SimInvoice extends SimStamp {
  DOC: number;
  DCT: 'RI' | 'RM';
  KCO: string;
  AN8: number;
  SHAN: number;
  /** Sales order billed and its external reference and customer PO. */
  DOCO?: number | undefined;
  DCTO?: 'SO' | undefined;
  EXTREF?: string | undefined;
  VR01?: string | undefined;
  /** Shipment reference (invoices) or return number and its external reference (credit memos). */
  SHPREF?: string | undefined;
  RMAN?: number | undefined;
  RMAEXT?: string | undefined;
  /** Invoice date and due date (Julian). */
  DIVJ: JulianDate;
  DDJ: JulianDate;
  PTC: string;
  CRCD: string;
  /** Tax rate percent applied. */
  TXR1: string;
  /** Net amount (sum of lines), taxable part of it, tax amount, gross amount, open amount. */
  AEXP: string;
  ATXA: string;
  STAM: string;
  AG: string;
  AAP: string;
  /** Pay status: `A` open, `P` paid. */
  PST: 'A' | 'P';
  BLTO: SimAddressBlock;
  LINES: SimInvoiceLine[];
}

/** Payment instrument: `C` check, `A` ACH, `W` wire, `R` card. */
export type SimPaymentInstrument = 'C' | 'A' | 'W' | 'R';

/** A receipt (payment) applied to one invoice. */
export interface SimPayment extends SimStamp {
  /** Payment id. */
  PYID: number;
  AN8: number;
  DOC: number;
  DCT: 'RI';
  /** Check / trace number. */
  CKNU: string;
  PYIN: SimPaymentInstrument;
  /** Amount applied. */
  PAAP: string;
  CRCD: string;
  /** Payment date. */
  DMTJ: JulianDate;
}

/** Return reason codes. */
export const simReturnReasons = ['DMG', 'DEF', 'WRG', 'NOR', 'OVS', 'EXP', 'NLN', 'RCL', 'OTH'] as const;

/** A return reason code. */
export type SimReturnReason = (typeof simReturnReasons)[number];

/** One return line. */
export interface SimReturnLine {
  LNID: string;
  LITM: string;
  UOM: SimUom;
  /** Quantity authorised and quantity received. */
  UORG: number;
  QRCV: number;
  RCD: SimReturnReason;
  /** Original order and line, when known. */
  ODOC?: number | undefined;
  OLNID?: string | undefined;
  /** Credit price per unit. */
  UPRC: string;
}

/** A return authorisation (credit order `CO`). */
export interface SimReturn extends SimStamp {
  /** Return number. */
  RMAN: number;
  DCTO: 'CO';
  EXTREF: string;
  AN8: number;
  /** Branch goods come back to. */
  MCU: string;
  TRDJ: JulianDate;
  LTTR: SimReturnStatusCode;
  /** Reject reason when `LTTR` = 915. */
  RJRS?: string | undefined;
  /** Credit memo number once credited. */
  CMDOC?: number | undefined;
  LINES: SimReturnLine[];
}

/**
 * Change feed record types: sales order, invoice, credit memo, payment, inventory, purchase order (`OP`), purchase
 * order receipt (`OV`) and supplier invoice voucher (`PV`).
 */
export type SimChangeType = 'SO' | 'RI' | 'RM' | 'PY' | 'IV' | 'OP' | 'OV' | 'PV';

/** One change: a snapshot of the record right after the change. */
export type SimChange = SimStamp & { SEQ: number; KEY: string } & (
    | { TYP: 'SO'; DATA: SimOrder }
    | { TYP: 'RI'; DATA: SimInvoice }
    | { TYP: 'RM'; DATA: SimInvoice }
    | { TYP: 'PY'; DATA: SimPayment }
    | { TYP: 'IV'; DATA: SimBalanceRow[] }
    | { TYP: 'OP'; DATA: SimPurchaseOrder }
    | { TYP: 'OV'; DATA: SimReceipt }
    | { TYP: 'PV'; DATA: SimVoucher }
  );


/** A page of master data rows; `NEXT` is the `start` of the next page, null at the end. */
export interface SimRowsPage<T> {
  ROWS: T[];
  NEXT: number | null;
}

/** The change feed's answer: changes after the requested sequence, and the highest sequence so far. */
export interface SimChangesPage {
  CHANGES: SimChange[];
  LASTSEQ: number;
}

/** Credit standing of a customer. */
export interface SimCreditStanding {
  AN8: number;
  ACL: string;
  HOLD: SimHoldCode;
  HOLDDS?: string | undefined;
  /** Open receivables, open (uninvoiced) order value, and their sum (exposure). */
  OPAR: string;
  OPOR: string;
  EXPO: string;
  CRCD: string;
}

/** The simulator's error answer. */
export interface SimErrorBody {
  ERROR: { CODE: string; MSG: string; FIELD?: string | undefined };
}

/** Order create request. */
export interface SimOrderRequest {
  DCTO?: 'SO' | undefined;
  KCOO?: string | undefined;
  AN8: number;
  SHAN?: number | undefined;
  VR01: string;
  EXTREF?: string | undefined;
  DRQJ?: JulianDate | undefined;
  MCU?: string | undefined;
  CARS?: string | undefined;
  HDTX?: string | undefined;
  LINES: Array<{
    LNID?: string | undefined;
    LITM?: string | undefined;
    CITM?: string | undefined;
    UORG: number | string;
    UOM?: string | undefined;
    MCU?: string | undefined;
    DRQJ?: JulianDate | undefined;
  }>;
}

/** Order change request: new ordered quantities (0 cancels the line). */
export interface SimOrderChangeRequest {
  LINES: Array<{ LNID: string; UORG: number | string }>;
}

/** Order cancel request. */
export interface SimOrderCancelRequest {
  RCCD?: string | undefined;
  RSTX?: string | undefined;
}

/** Ship confirm request. */
export interface SimShipConfirmRequest {
  SHPREF: string;
  CARS: string;
  TRKN: string;
  SHPJ?: JulianDate | undefined;
  SHTM?: TimeOfDay | undefined;
  LINES: Array<{ LNID: string; SOQS: number | string }>;
}

/** Return request. */
export interface SimReturnRequest {
  EXTREF: string;
  AN8: number;
  MCU?: string | undefined;
  LINES: Array<{
    LNID?: string | undefined;
    LITM: string;
    UOM?: string | undefined;
    UORG: number | string;
    RCD: string;
    /** Original order by number or by its external reference, and its line. */
    ODOC?: number | undefined;
    OEXT?: string | undefined;
    OLNID?: string | undefined;
  }>;
}

/** Return receipt request. */
export interface SimReturnReceiptRequest {
  LINES: Array<{ LNID: string; QTY: number | string }>;
}

/** Stock receipt (admin): stock arrives at a branch. */
export interface SimStockReceiptRequest {
  LITM: string;
  MCU: string;
  /** Quantity in the item's primary unit. */
  TRQT: number | string;
}

/** Payment (admin): a receipt against an invoice. */
export interface SimPaymentRequest {
  DOC: number;
  PAAP: string;
  CKNU?: string | undefined;
  PYIN?: SimPaymentInstrument | undefined;
  DMTJ?: JulianDate | undefined;
}
