/**
 * Built-in translations between X12 code lists and canonical values; partner profiles override them.
 */
import type { TrackingStatus, UnitOfMeasure } from '@tradelane/canonical';
import type { AckCodeReading } from './partner-profile.schema.js';

type TrackingException = 'address_issue' | 'damaged' | 'delayed' | 'weather' | 'refused' | 'customs' | 'lost' | 'recipient_unavailable' | 'other';

/** X12 unit of measure codes (355) and the canonical unit each means; the first pair per unit is what we write. */
export const unitPairs: ReadonlyArray<readonly [string, UnitOfMeasure]> = [
  ['EA', 'EA'], ['PC', 'EA'], ['UN', 'EA'],
  ['CA', 'CS'], ['CS', 'CS'],
  ['BX', 'BX'], ['CT', 'CT'], ['PK', 'PK'], ['DZ', 'DZ'], ['PR', 'PR'], ['BG', 'BG'], ['BD', 'BD'], ['RL', 'RL'],
  ['DR', 'DR'], ['ST', 'ST'], ['KT', 'KT'], ['PL', 'PL'], ['PF', 'PL'],
  ['GR', 'G'], ['KG', 'KG'], ['OZ', 'OZ'], ['LB', 'LB'],
  ['MM', 'MM'], ['CM', 'CM'], ['MR', 'M'], ['IN', 'IN'], ['FT', 'FT'], ['YD', 'YD'],
  ['ML', 'ML'], ['LT', 'L'], ['GA', 'GAL'], ['CR', 'M3'], ['SM', 'M2'], ['SF', 'FT2'],
  ['HR', 'HR'],
];

/** 855 ACK01 line item status codes (668) and how we read them. */
export const ackCodeReadings: Readonly<Record<string, AckCodeReading>> = {
  IA: 'accept', // item accepted
  AC: 'accept', // item accepted and shipped
  AR: 'accept', // item accepted and released for shipment
  IE: 'accept', // item accepted, price pending
  IS: 'accept', // item accepted, substitution made
  SP: 'accept', // item accepted, schedule date pending
  IC: 'change', // item accepted, changes made
  IQ: 'change', // item accepted, quantity changed
  DR: 'change', // item accepted, date rescheduled
  IP: 'change', // item accepted, price changed
  IB: 'backorder', // item backordered
  BP: 'backorder', // item accepted, partial shipment, balance backordered
  IH: 'backorder', // item on hold
  IW: 'backorder', // item on hold, waiver required
  IR: 'reject', // item rejected
  ID: 'reject', // item deleted
  R1: 'reject', // not a contract item
  R2: 'reject', // invalid item product number
  R3: 'reject', // invalid unit of issue
  R4: 'reject', // contract item not available
  R5: 'reject',
  R6: 'reject',
  R7: 'reject',
  R8: 'reject',
};

/** Rejection reason per ACK01 code. */
export const ackRejectReasons: Readonly<Record<string, 'discontinued' | 'unknown_item' | 'price' | 'no_capacity' | 'duplicate' | 'other'>> = {
  R1: 'other',
  R2: 'unknown_item',
  R3: 'other',
  R4: 'no_capacity',
  ID: 'discontinued',
};

/** The ACK01 code we write for each canonical acknowledgment action. */
export const ackCodeForAction: Readonly<Record<string, string>> = {
  accept: 'IA',
  change_quantity: 'IQ',
  change_date: 'DR',
  change_price: 'IP',
  reject: 'IR',
  backorder: 'IB',
};

/** 214 AT701 shipment status codes (1650) and the normalised status each means. */
export const trackingStatusByCode: Readonly<Record<string, TrackingStatus>> = {
  XB: 'InfoReceived', // shipment acknowledged
  AA: 'InfoReceived', // pick-up appointment date and/or time
  X3: 'InfoReceived', // arrived at pick-up location
  X8: 'InfoReceived', // arrived at pick-up location loading dock
  AF: 'InTransit', // carrier departed pick-up location with shipment
  CP: 'InTransit', // completed loading at pick-up location
  L1: 'InTransit', // loading
  AM: 'InTransit', // loaded on truck
  X6: 'InTransit', // en route to delivery location
  X4: 'InTransit', // arrived at terminal location
  P1: 'InTransit', // departed terminal location
  I1: 'InTransit', // in-gate
  OA: 'InTransit', // out-gate
  AR: 'InTransit', // rail arrival at destination intermodal ramp
  B6: 'InTransit', // estimated to arrive at carrier terminal
  X2: 'InTransit', // estimated date and/or time of arrival at consignee's location
  AG: 'InTransit', // estimated delivery
  AI: 'InTransit', // shipment has been reconsigned
  J1: 'InTransit', // delivered to connecting line
  AB: 'OutForDelivery', // delivery appointment date and/or time
  AV: 'OutForDelivery', // available for delivery
  AJ: 'OutForDelivery', // tendered for delivery
  OD: 'OutForDelivery', // out for delivery
  X1: 'OutForDelivery', // arrived at delivery location
  X5: 'OutForDelivery', // arrived at delivery location loading dock
  S1: 'OutForDelivery', // trailer spotted at consignee's location
  D1: 'Delivered', // completed unloading at delivery location
  CD: 'Delivered', // carrier departed delivery location
  SD: 'Exception', // shipment delayed
  A7: 'Exception', // refused by consignee
  A9: 'Exception', // shipment damaged
  AP: 'Exception', // delivery not completed
  CA: 'Exception', // shipment cancelled
  K1: 'Exception', // arrived at customs
  PR: 'Exception', // U.S. customs hold at in-bond location
  A3: 'ReturnedToSender', // shipment returned to shipper
};

/** Exception code per AT701 status (or AT702 reason) for events that are exceptions. */
export const trackingExceptionByCode: Readonly<Record<string, TrackingException>> = {
  SD: 'delayed',
  A7: 'refused',
  A9: 'damaged',
  AP: 'recipient_unavailable',
  K1: 'customs',
  PR: 'customs',
  CA: 'other',
};

/** 214 AT707 time codes (623) and their UTC offsets. */
export const utcOffsetByTimeCode: Readonly<Record<string, string>> = {
  UT: 'Z', GM: 'Z', LT: '', // local time: the profile's default offset
  ES: '-05:00', ED: '-04:00', ET: '-05:00',
  CS: '-06:00', CD: '-05:00', CT: '-06:00',
  MS: '-07:00', MD: '-06:00', MT: '-07:00',
  PS: '-08:00', PD: '-07:00', PT: '-08:00',
  AS: '-04:00', AD: '-03:00', AT: '-04:00',
  HS: '-10:00', HT: '-10:00',
  NS: '-03:30', ND: '-02:30', NT: '-03:30',
};

/** 810 BIG07 transaction type (640) → invoice kind. */
export const invoiceKindByCode: Readonly<Record<string, 'invoice' | 'credit_memo' | 'debit_memo'>> = {
  DI: 'invoice',
  CN: 'credit_memo',
  CR: 'credit_memo',
  DR: 'debit_memo',
};

/** 810 TXI01 tax type (963) → canonical tax type. */
export const taxTypeByCode: Readonly<Record<string, 'sales' | 'vat' | 'gst' | 'excise' | 'other'>> = {
  ST: 'sales',
  SP: 'sales', // state/provincial
  CT: 'sales', // county
  LS: 'sales', // state and local
  VA: 'vat',
  GS: 'gst',
  EV: 'excise',
  FT: 'excise',
};
