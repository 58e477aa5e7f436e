/** Names of the built-in supplier behaviours. */
export const PRESET_NAMES = [
  'reliable',
  'slowAcker',
  'tolerant-changer',
  'out-of-tolerance',
  'partial-shipper',
  'late-shipper',
  'price-variance-invoicer',
  'duplicate-sender',
  'rejecter',
] as const;

/** One built-in supplier behaviour. */
export type PresetName = (typeof PRESET_NAMES)[number];

/** Nested behaviour overrides, validated by `supplierBehaviourSchema` once merged. */
export type BehaviourOverrides = { readonly [key: string]: unknown };

const PRESETS: Readonly<Record<PresetName, BehaviourOverrides>> = {
  reliable: {},
  slowAcker: { ack: { timing: 'late' } },
  'tolerant-changer': { ack: { mix: { changeQuantity: 1, changeDate: 1, changePrice: 1 } } },
  'out-of-tolerance': { ack: { mix: { outOfTolerance: 1 } } },
  'partial-shipper': { ship: { mode: 'partial' } },
  'late-shipper': { ship: { mode: 'late' } },
  'price-variance-invoicer': { invoice: { mode: 'priceVariance' } },
  'duplicate-sender': { duplicates: { probability: 1 } },
  rejecter: { ack: { mix: { rejectLines: 1 } } },
};

/** What each preset does, one line each (the README table says the same). */
export const PRESET_DESCRIPTIONS: Readonly<Record<PresetName, string>> = {
  reliable: 'acknowledges fast as ordered, ships everything in one ASN, invoices at the PO price',
  slowAcker: 'like reliable, but acknowledges after the acknowledgment is due (beyond the SLA)',
  'tolerant-changer': 'changes quantity, date or price inside its tolerance profile',
  'out-of-tolerance': 'changes quantity, price or date beyond its tolerance profile',
  'partial-shipper': 'ships part of each line, then the remainder in a second ASN',
  'late-shipper': 'ships in one ASN, days after the promised date',
  'price-variance-invoicer': 'invoices every line above the agreed price (5 % by default)',
  'duplicate-sender': 'sends every acknowledgment, ASN and invoice twice as separate messages',
  rejecter: 'rejects a line of every order (the order when it has one line)',
};

/** A preset's behaviour overrides (applied on top of the behaviour defaults). */
export function presetOverrides(name: PresetName): BehaviourOverrides {
  return PRESETS[name];
}
