import { gs1CheckDigit } from '@tradelane/canonical';
import type { SimItemBranchRow, SimSendMethod, SimSupplierItemRow } from '../wire/sim-purchasing.types.js';
import type {
  SimAddressRow,
  SimBalanceRow,
  SimCompany,
  SimCrossReference,
  SimItemRow,
  SimPaymentTerms,
  SimPriceBreak,
  SimPriceRow,
  SimUom,
  SimUomConversion,
} from '../wire/sim-wire.types.js';
import { formatUnits, roundUnits, toUnits } from './sim-amount.js';
import { seededRandom } from './seeded-random.js';

/**
 * Everything the simulator starts with for one seed: company, terms, address book (customers, ship-tos, suppliers),
 * items, prices, balances, the supplier catalog and the item-branch replenishment parameters.
 */
export interface SimMasterData {
  company: SimCompany;
  terms: SimPaymentTerms[];
  addresses: SimAddressRow[];
  items: SimItemRow[];
  prices: SimPriceRow[];
  balances: SimBalanceRow[];
  supplierItems: SimSupplierItemRow[];
  itemBranches: SimItemBranchRow[];
}

/** Stamp of seeded master data: 2024-12-15 08:00:00 UTC. */
const SEED_STAMP = { UPMJ: 124350, TDAY: 80000 } as const;

/** The two branch/plants (warehouses). */
export const simBranchCodes = ['M10', 'M20'] as const;

const COMPANY: SimCompany = {
  KCOO: '00010',
  NAME: 'Tradelane Demo Distribution Co.',
  ADD1: '233 S Wacker Dr',
  CTY1: 'Chicago',
  ADDS: 'IL',
  ADDZ: '60606',
  CTR: 'US',
  CRCD: 'USD',
  BRANCHES: [
    { MCU: 'M10', DL01: 'Chicago Distribution Center', ADD1: '2800 S Ashland Ave', CTY1: 'Chicago', ADDS: 'IL', ADDZ: '60608', CTR: 'US' },
    { MCU: 'M20', DL01: 'Dallas Distribution Center', ADD1: '4500 Irving Blvd', CTY1: 'Dallas', ADDS: 'TX', ADDZ: '75247', CTR: 'US' },
  ],
};

const TERMS: SimPaymentTerms[] = [
  { PTC: 'N30', PTDS: 'Net 30 days', NDTP: 30, DSPT: '0', DSDY: 0 },
  { PTC: 'N45', PTDS: 'Net 45 days', NDTP: 45, DSPT: '0', DSDY: 0 },
  { PTC: '210', PTDS: '2% 10 days, net 30', NDTP: 30, DSPT: '2', DSDY: 10 },
];

interface CustomerSeed {
  an8: number;
  name: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  terms: string;
  /** Credit limit in whole dollars before the seed's variation. */
  limit: number;
  hold?: { code: 'C1'; text: string };
  branch: 'M10' | 'M20';
  tax: string;
  contact: [string, string, string];
  taxId: string;
  partPrefix: string;
  shipTos: Array<{ an8: number; name: string; street: string; city: string; state: string; zip: string; branch: 'M10' | 'M20'; tax: string; note?: string }>;
}

const CUSTOMERS: CustomerSeed[] = [
  {
    an8: 4242, name: 'Northwind Hardware Supply', street: '1200 W Fulton St', city: 'Chicago', state: 'IL', zip: '60607', terms: '210',
    limit: 250_000, branch: 'M10', tax: '10.25', contact: ['Dana Whitfield', '+1 312 555 0142', 'purchasing@northwind-hw.example'],
    taxId: '36-4102277', partPrefix: 'NW-',
    shipTos: [
      { an8: 14242, name: 'Northwind Hardware - Chicago DC', street: '4400 S Kedzie Ave', city: 'Chicago', state: 'IL', zip: '60632', branch: 'M10', tax: '10.25', note: 'Dock 4, receiving 7am-3pm' },
      { an8: 24242, name: 'Northwind Hardware - Milwaukee', street: '2100 W Florist Ave', city: 'Milwaukee', state: 'WI', zip: '53209', branch: 'M10', tax: '5.50' },
    ],
  },
  {
    an8: 4243, name: 'Blue Ridge Builders Inc.', street: '45 Sweeten Creek Rd', city: 'Asheville', state: 'NC', zip: '28803', terms: 'N30',
    limit: 60_000, branch: 'M20', tax: '7.00', contact: ['Marcus Ellery', '+1 828 555 0177', 'ap@blueridgebuilders.example'],
    taxId: '56-2219034', partPrefix: 'BRB',
    shipTos: [
      { an8: 14243, name: 'Blue Ridge Builders - Asheville Yard', street: '90 Thompson St', city: 'Asheville', state: 'NC', zip: '28803', branch: 'M20', tax: '7.00' },
      { an8: 24243, name: 'Blue Ridge Builders - Greenville Site', street: '300 S Main St', city: 'Greenville', state: 'SC', zip: '29601', branch: 'M20', tax: '6.00', note: 'Call site lead on arrival' },
    ],
  },
  {
    an8: 4244, name: 'Lakeside Facilities Group', street: '1500 Lakeside Ave E', city: 'Cleveland', state: 'OH', zip: '44114', terms: 'N45',
    limit: 40_000, hold: { code: 'C1', text: 'Past-due balance over 90 days' }, branch: 'M10', tax: '8.00',
    contact: ['Priya Raman', '+1 216 555 0190', 'facilities@lakeside-fg.example'], taxId: '34-1187650', partPrefix: 'LFG-',
    shipTos: [{ an8: 14244, name: 'Lakeside Facilities - Cleveland', street: '2200 Superior Ave', city: 'Cleveland', state: 'OH', zip: '44114', branch: 'M10', tax: '8.00' }],
  },
  {
    an8: 4245, name: 'Cedar Point Plumbing LLC', street: '1 Cedar Point Dr', city: 'Sandusky', state: 'OH', zip: '44870', terms: 'N30',
    limit: 3_000, branch: 'M10', tax: '7.25', contact: ['Tom Brandt', '+1 419 555 0123', 'office@cedarpointplumbing.example'],
    taxId: '31-1650092', partPrefix: 'CPP',
    shipTos: [
      { an8: 14245, name: 'Cedar Point Plumbing - Sandusky Shop', street: '410 Columbus Ave', city: 'Sandusky', state: 'OH', zip: '44870', branch: 'M10', tax: '7.25' },
      { an8: 24245, name: 'Cedar Point Plumbing - Toledo', street: '600 Jefferson Ave', city: 'Toledo', state: 'OH', zip: '43604', branch: 'M10', tax: '7.75' },
    ],
  },
];

interface SupplierSeed {
  an8: number;
  name: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  terms: string;
  currency: string;
  /** Days from purchase order to receipt. */
  leadDays: number;
  send: SimSendMethod;
  contact: [string, string, string];
  taxId: string;
  /** Item families this supplier is the primary supplier of (bought in the item's first pack unit). */
  families: string[];
  /** Prefix of the supplier's item numbers. */
  prefix: string;
  edi?: [string, string];
  /** Cost as a percentage range of list price. */
  costPercent: [number, number];
}

/** Suppliers: one primary supplier per item family (each on another channel, one billing in CAD) and a broad-line wholesaler. */
const SUPPLIERS: SupplierSeed[] = [
  {
    an8: 5101, name: 'Midwest Fastener Corp.', street: '2750 S Kilbourn Ave', city: 'Chicago', state: 'IL', zip: '60623', country: 'US', terms: 'N30',
    currency: 'USD', leadDays: 5, send: 'E', contact: ['Rita Kowalski', '+1 773 555 0110', 'orders@midwestfastener.example'], taxId: '36-2845510',
    families: ['FAS'], prefix: 'MF-', edi: ['ZZ', 'MIDWESTFAST'], costPercent: [55, 65],
  },
  {
    an8: 5102, name: 'Great Lakes Plumbing Supply Co.', street: '1800 E 30th St', city: 'Cleveland', state: 'OH', zip: '44114', country: 'US', terms: 'N45',
    currency: 'USD', leadDays: 7, send: 'W', contact: ['Owen Mercer', '+1 216 555 0133', 'sales@glplumbing.example'], taxId: '34-1920077',
    families: ['PLB'], prefix: 'GLP', costPercent: [58, 68],
  },
  {
    an8: 5103, name: 'Lone Star Electrical Distributors', street: '5601 Maple Ave', city: 'Dallas', state: 'TX', zip: '75235', country: 'US', terms: '210',
    currency: 'USD', leadDays: 4, send: 'A', contact: ['Lucia Ortega', '+1 214 555 0188', 'api-orders@lonestarelectric.example'], taxId: '75-3310294',
    families: ['ELC'], prefix: 'LSE', costPercent: [55, 66],
  },
  {
    an8: 5104, name: 'Northern Safety Products Ltd.', street: '6800 Millcreek Dr', city: 'Mississauga', state: 'ON', zip: 'L5N 4J9', country: 'CA', terms: 'N30',
    currency: 'CAD', leadDays: 10, send: 'F', contact: ['Graham Lindqvist', '+1 905 555 0164', 'edi@northernsafety.example'], taxId: '84712 3390 RT0001',
    families: ['SAF'], prefix: 'NSP-', costPercent: [52, 62],
  },
  {
    an8: 5105, name: 'CleanPro Manufacturing Inc.', street: '400 Industrial Pkwy', city: 'Elkhart', state: 'IN', zip: '46516', country: 'US', terms: 'N30',
    currency: 'USD', leadDays: 6, send: 'E', contact: ['Beth Yoder', '+1 574 555 0101', 'customerservice@cleanpro.example'], taxId: '35-1467702',
    families: ['JAN'], prefix: 'CP', edi: ['01', '078945612'], costPercent: [50, 60],
  },
  {
    an8: 5106, name: 'Allied Industrial Wholesale', street: '1 Commerce Way', city: 'Memphis', state: 'TN', zip: '38118', country: 'US', terms: 'N30',
    currency: 'USD', leadDays: 3, send: 'M', contact: ['Dwayne Pruitt', '+1 901 555 0150', 'quotes@alliedindustrial.example'], taxId: '62-1044389',
    families: [], prefix: 'AIW-', costPercent: [72, 82],
  },
];

/** Canadian dollars per US dollar the CAD supplier's costs are quoted at (ten-thousandths). */
const CAD_PER_USD = 13_600n;

/** Item template: description, primary unit, conversions to the primary unit, list price range (ten-thousandths), taxable. */
type ItemTemplate = [string, SimUom, Array<[SimUom, number]>, [number, number], boolean?];

const FAMILIES: Array<{ code: string; category: string; onHand: [number, number]; items: ItemTemplate[] }> = [
  {
    code: 'FAS', category: 'FASTENERS', onHand: [2_000, 20_000],
    items: [
      ['Hex Bolt 1/4-20 x 1 in Zinc', 'EA', [['BX', 100], ['CA', 1000]], [400, 1_200]],
      ['Hex Bolt 3/8-16 x 2 in Grade 5', 'EA', [['BX', 50], ['CA', 500]], [1_800, 4_500]],
      ['Carriage Bolt 5/16-18 x 3 in', 'EA', [['BX', 50]], [1_500, 3_800]],
      ['Lag Screw 1/4 x 2 in', 'EA', [['BX', 100]], [900, 2_400]],
      ['Wood Screw #8 x 1-1/4 in', 'EA', [['BX', 100], ['CA', 2000]], [300, 900]],
      ['Drywall Screw #6 x 1-5/8 in', 'EA', [['BX', 1000]], [200, 600]],
      ['Machine Screw 10-24 x 1/2 in', 'EA', [['BX', 100]], [500, 1_400]],
      ['Hex Nut 1/4-20 Zinc', 'EA', [['BX', 100], ['CA', 1000]], [200, 700]],
      ['Flat Washer 3/8 in SAE', 'EA', [['BX', 100]], [300, 800]],
      ['Split Lock Washer 1/4 in', 'EA', [['BX', 100]], [200, 600]],
      ['Wedge Anchor 3/8 x 3 in', 'EA', [['BX', 50]], [4_500, 9_500]],
      ['Sheet Metal Screw #10 x 3/4 in', 'EA', [['BX', 100]], [400, 1_100]],
    ],
  },
  {
    code: 'PLB', category: 'PLUMBING', onHand: [50, 600],
    items: [
      ['Copper Elbow 1/2 in 90 Degree', 'EA', [['CA', 25]], [9_000, 18_000]],
      ['Copper Tee 3/4 in', 'EA', [['CA', 25]], [18_000, 32_000]],
      ['PVC Pipe 2 in x 10 ft Sch 40', 'EA', [['PA', 50]], [95_000, 160_000]],
      ['PVC Coupling 1-1/2 in', 'EA', [['CA', 50]], [6_000, 12_000]],
      ['Ball Valve 3/4 in Brass', 'EA', [['CA', 12]], [120_000, 210_000]],
      ['Gate Valve 1 in Bronze', 'EA', [['CA', 6]], [280_000, 420_000]],
      ['PEX Tubing 1/2 in x 100 ft', 'RL', [['CA', 4]], [350_000, 520_000]],
      ['PTFE Thread Tape 1/2 in x 520 in', 'EA', [['CA', 48]], [8_000, 16_000]],
      ['Toilet Wax Ring with Horn', 'EA', [['CA', 12]], [25_000, 45_000]],
      ['Braided Supply Line 3/8 x 12 in', 'EA', [['CA', 24]], [42_000, 78_000]],
      ['P-Trap 1-1/2 in PVC', 'EA', [['CA', 12]], [38_000, 69_000]],
      ['Pipe Strap 1/2 in Galvanized', 'EA', [['BX', 100]], [2_500, 6_000]],
    ],
  },
  {
    code: 'ELC', category: 'ELECTRICAL', onHand: [50, 500],
    items: [
      ['THHN Wire 12 AWG Black', 'FT', [['RL', 500]], [1_100, 1_900]],
      ['THHN Wire 10 AWG Red', 'FT', [['RL', 500]], [1_700, 2_900]],
      ['NM-B Cable 14/2 with Ground', 'FT', [['RL', 250]], [4_500, 7_500]],
      ['NM-B Cable 12/2 with Ground', 'FT', [['RL', 250]], [6_500, 9_800]],
      ['Duplex Receptacle 15A White', 'EA', [['CA', 10]], [9_900, 19_000]],
      ['GFCI Receptacle 20A White', 'EA', [['CA', 10]], [140_000, 220_000]],
      ['Single Pole Switch 15A Ivory', 'EA', [['CA', 10]], [8_500, 16_000]],
      ['Twist-On Wire Connector Yellow', 'EA', [['BX', 100]], [400, 1_200]],
      ['Steel Outlet Box 4 in Square', 'EA', [['CA', 25]], [22_000, 39_000]],
      ['EMT Conduit 1/2 in x 10 ft', 'EA', [['PA', 100]], [55_000, 89_000]],
      ['LED A19 Bulb 60W Equivalent', 'EA', [['CA', 24]], [18_000, 36_000]],
      ['Cable Tie 8 in Black', 'EA', [['BX', 100], ['CA', 1000]], [200, 600]],
    ],
  },
  {
    code: 'SAF', category: 'SAFETY', onHand: [50, 600],
    items: [
      ['Nitrile Disposable Gloves Large', 'EA', [['BX', 100], ['CA', 1000]], [700, 1_500]],
      ['Safety Glasses Clear Anti-Fog', 'EA', [['CA', 12]], [28_000, 55_000]],
      ['Hard Hat Type I White', 'EA', [['CA', 12]], [95_000, 160_000]],
      ['Hi-Vis Vest Class 2 Large', 'EA', [['CA', 25]], [45_000, 85_000]],
      ['Foam Ear Plugs NRR 32', 'PR', [['BX', 200]], [900, 2_000]],
      ['N95 Respirator', 'EA', [['BX', 20]], [9_000, 18_000]],
      ['Leather Work Gloves Large', 'PR', [['CA', 72]], [42_000, 79_000]],
      ['Cut-Resistant Gloves A4 Large', 'PR', [['CA', 72]], [85_000, 140_000]],
      ['First Aid Kit 50 Person', 'EA', [['CA', 4]], [420_000, 690_000], false],
      ['Traffic Cone 28 in Orange', 'EA', [['PA', 100]], [120_000, 190_000], false],
      ['Face Shield Clear', 'EA', [['CA', 12]], [38_000, 72_000]],
      ['Gel Knee Pads', 'PR', [['CA', 12]], [150_000, 260_000]],
    ],
  },
  {
    code: 'JAN', category: 'JANITORIAL', onHand: [20, 300],
    items: [
      ['All-Purpose Cleaner Concentrate', 'GA', [['CA', 4], ['PA', 144]], [120_000, 210_000]],
      ['Floor Finish High Gloss', 'GA', [['CA', 4]], [180_000, 290_000]],
      ['Glass Cleaner Ready-to-Use', 'GA', [['CA', 4]], [70_000, 130_000]],
      ['Quaternary Disinfectant', 'GA', [['CA', 4]], [160_000, 260_000]],
      ['Trash Liner 33 gal Black', 'EA', [['CA', 250]], [1_100, 2_200]],
      ['Paper Towel Roll 800 ft', 'RL', [['CA', 6]], [28_000, 48_000]],
      ['Toilet Tissue 2-Ply 500 Sheets', 'RL', [['CA', 96]], [5_500, 9_900]],
      ['Microfiber Cloth 16 in', 'EA', [['PK', 12], ['CA', 144]], [6_000, 12_000]],
      ['Cotton Mop Head 24 oz', 'EA', [['CA', 12]], [55_000, 95_000]],
      ['Foam Hand Soap 1000 mL', 'EA', [['CA', 6]], [75_000, 120_000]],
      ['Wet Floor Sign Yellow', 'EA', [['CA', 6]], [110_000, 190_000]],
      ['Angle Broom 12 in', 'EA', [['CA', 12]], [65_000, 110_000]],
    ],
  },
];

/** Items with this index pattern are short in both warehouses (to force backorders); the last two are obsolete. */
function stockProfile(index: number, total: number): 'normal' | 'short' | 'none' | 'obsolete' {
  if (index >= total - 2) return 'obsolete';
  if (index % 8 === 3) return 'short';
  if (index % 8 === 6) return 'none';
  return 'normal';
}

function gtin(digits11: string, indicator?: string): string {
  const body = indicator === undefined ? digits11 : `${indicator}0${digits11}`;
  return `${body}${gs1CheckDigit(body)}`;
}

function breaks(list: bigint, thresholds: number[], stepsPercent: number[]): SimPriceBreak[] {
  return thresholds.map((mnq, i) => ({ MNQ: mnq, UPRC: formatUnits(roundUnits((list * BigInt(100 - stepsPercent[i]!)) / 100n, 4), 4) }));
}

/**
 * Builds the simulator's master data for a seed: the same seed always gives the same company, customers, items,
 * prices and stock; another seed varies prices, credit limits, stock levels and cross-references.
 */
export function buildMasterData(seed: number): SimMasterData {
  const rnd = seededRandom(seed, 1);
  const addresses: SimAddressRow[] = [];
  for (const c of CUSTOMERS) {
    const limit = c.limit + c.limit * rnd.int(0, 4) * 0.05;
    addresses.push({
      AN8: c.an8, AT1: 'C', ALPH: c.name, ADD1: c.street, CTY1: c.city, ADDS: c.state, ADDZ: c.zip, CTR: 'US',
      WHO: c.contact[0], PH1: c.contact[1], EMAL: c.contact[2], MCU: c.branch, TXR1: c.tax,
      ACL: `${Math.round(limit)}.00`, HOLD: c.hold?.code ?? '', HOLDDS: c.hold?.text, TRAR: c.terms, CRCD: 'USD', TAX: c.taxId,
      ...SEED_STAMP,
    });
    for (const s of c.shipTos) {
      addresses.push({
        AN8: s.an8, AT1: 'ST', ALPH: s.name, ADD1: s.street, CTY1: s.city, ADDS: s.state, ADDZ: s.zip, CTR: 'US', PA8: c.an8,
        MCU: s.branch, TXR1: s.tax, DEL1: s.note, ...SEED_STAMP,
      });
    }
  }

  const items: SimItemRow[] = [];
  const prices: SimPriceRow[] = [];
  const balances: SimBalanceRow[] = [];
  const total = FAMILIES.reduce((n, f) => n + f.items.length, 0);
  const listPrice = new Map<string, bigint>();
  let index = 0;
  for (const family of FAMILIES) {
    family.items.forEach(([description, uom, conversions, [low, high], taxable], i) => {
      const itm = 60_001 + index;
      const litm = `${family.code}-${1001 + i}`;
      const ref = String(itm - 60_000).padStart(5, '0');
      const umcv: SimUomConversion[] = conversions.map(([um, conv]) => ({ UM: um, RUM: uom, CONV: String(conv) }));
      const xref: SimCrossReference[] = [{ XRT: 'UP', CITM: gtin(`614141${ref}`), UOM: uom }];
      if (conversions[0]) xref.push({ XRT: 'UP', CITM: gtin(`614141${ref}`, '1'), UOM: conversions[0][0] });
      const profile = stockProfile(index, total);
      items.push({
        ITM: itm, LITM: litm, DSC1: description, DSC2: `${family.category.toLowerCase()} / ${litm}`, SRP1: family.category, UOM1: uom,
        STKT: profile === 'obsolete' ? 'O' : 'S', TAX1: taxable === false ? 'N' : 'Y',
        WTLB: formatUnits(BigInt(rnd.int(5, 4_000)) * 10n, 3), UMCV: umcv, XREF: xref, ...SEED_STAMP,
      });
      const list = BigInt(rnd.int(low, high));
      listPrice.set(litm, list);
      const thresholds = uom === 'FT' ? [1, 500, 2500] : [1, 50, 250];
      prices.push({
        PRBK: 'LIST', LITM: litm, UOM: uom, CRCD: 'USD', EFTJ: 124001, EXDJ: 0,
        BRKS: index % 3 === 0 ? breaks(list, thresholds, [0, 4, 8]) : breaks(list, [1], [0]),
        ...SEED_STAMP,
      });
      for (const mcu of ['M10', 'M20'] as const) {
        const [stockLow, stockHigh] = uom === 'FT' ? [2_000, 12_000] : family.onHand;
        const onHand = profile === 'normal' ? rnd.int(stockLow, stockHigh) : profile === 'short' ? rnd.int(0, mcu === 'M10' ? 6 : 12) : 0;
        balances.push({ LITM: litm, MCU: mcu, UOM: uom, PQOH: onHand, PCOM: 0, PBCK: 0, PAVL: onHand, PQOO: 0, PQIT: 0, INBD: [], ...SEED_STAMP });
      }
      index += 1;
    });
  }

  const orderable = items.filter((it) => it.STKT === 'S');
  for (const c of CUSTOMERS) {
    const shuffled = orderable.map((it) => ({ it, key: rnd.next() })).sort((a, b) => a.key - b.key).map((x) => x.it);
    shuffled.slice(0, 12).forEach((it, k) => {
      it.XREF.push({ XRT: 'C', AN8: c.an8, CITM: `${c.partPrefix}${String(rnd.int(10_000, 99_999))}${String.fromCharCode(65 + k)}`, UOM: it.UOM1 });
    });
    for (const it of shuffled.slice(12, 34)) {
      const list = listPrice.get(it.LITM)!;
      const discount = BigInt(rnd.int(5, 25));
      const contract = roundUnits((list * (100n - discount)) / 100n, 4);
      prices.push({
        PRBK: `C${c.an8}`, AN8: c.an8, KNO: `K${c.an8}-${2025 + rnd.int(0, 1)}`, LITM: it.LITM, UOM: it.UOM1, CRCD: 'USD', EFTJ: 124001, EXDJ: 0,
        BRKS: breaks(contract, it.UOM1 === 'FT' ? [1, 1000, 5000] : [1, 100, 500], [0, 3, 6]),
        ...SEED_STAMP,
      });
    }
  }
  const { supplierItems, itemBranches } = buildPurchasing(seed, addresses, items, listPrice);
  return { company: structuredClone(COMPANY), terms: structuredClone(TERMS), addresses, items, prices, balances, supplierItems, itemBranches };
}

/**
 * Suppliers (appended to the address book), the supplier catalog (also as `VN` item cross-references) and the
 * item-branch reorder points, from their own random stream so that the sales-side data of a seed stays as it was.
 */
function buildPurchasing(
  seed: number,
  addresses: SimAddressRow[],
  items: SimItemRow[],
  listPrice: ReadonlyMap<string, bigint>,
): { supplierItems: SimSupplierItemRow[]; itemBranches: SimItemBranchRow[] } {
  const rnd = seededRandom(seed, 2);
  for (const s of SUPPLIERS) {
    addresses.push({
      AN8: s.an8, AT1: 'V', ALPH: s.name, ADD1: s.street, CTY1: s.city, ADDS: s.state, ADDZ: s.zip, CTR: s.country,
      WHO: s.contact[0], PH1: s.contact[1], EMAL: s.contact[2], MCU: 'M10', TXR1: '0', CRCD: s.currency, TAX: s.taxId,
      TRAP: s.terms, LTDT: s.leadDays, SNDM: s.send, ...(s.edi ? { EDIQ: s.edi[0], EDID: s.edi[1] } : {}),
      ...SEED_STAMP,
    });
  }
  const broadLine = SUPPLIERS.find((s) => s.families.length === 0)!;
  const supplierItems: SimSupplierItemRow[] = [];
  const itemBranches: SimItemBranchRow[] = [];
  const cost = (s: SupplierSeed, list: bigint, perUnit: number): string => {
    const usd = (list * BigInt(perUnit) * BigInt(rnd.int(s.costPercent[0], s.costPercent[1]))) / 100n;
    return formatUnits(roundUnits(s.currency === 'CAD' ? (usd * CAD_PER_USD) / 10_000n : usd, 4), 4);
  };
  items.forEach((item, index) => {
    const family = item.LITM.slice(0, 3);
    const primary = SUPPLIERS.find((s) => s.families.includes(family))!;
    const pack = item.UMCV[0]!;
    const packFactor = Number(pack.CONV);
    const list = listPrice.get(item.LITM)!;
    for (const [supplier, uom, perUnit, prim] of [
      [primary, pack.UM, packFactor, 'Y'],
      [broadLine, item.UOM1, 1, 'N'],
    ] as const) {
      const vitm = `${supplier.prefix}${1000 + index * 7 + rnd.int(0, 6)}`;
      supplierItems.push({ AN8: supplier.an8, LITM: item.LITM, VITM: vitm, UOM: uom, PRRC: cost(supplier, list, perUnit), CRCD: supplier.currency, PRIM: prim, ...SEED_STAMP });
      item.XREF.push({ XRT: 'VN', AN8: supplier.an8, CITM: vitm, UOM: uom, PRIM: prim });
    }
    const familySeed = FAMILIES.find((f) => f.code === family)!;
    const low = item.UOM1 === 'FT' ? 2_000 : familySeed.onHand[0];
    const packs = Math.max(1, Math.ceil(low / packFactor));
    for (const mcu of simBranchCodes) {
      const stocked = item.STKT === 'S';
      itemBranches.push({
        LITM: item.LITM, MCU: mcu,
        ROPI: stocked ? rnd.int(Math.ceil(low / 4), Math.floor(low / 2)) : 0,
        ROQI: stocked ? packFactor * rnd.int(packs, 2 * packs) : 0,
        VEND: primary.an8,
        ...SEED_STAMP,
      });
    }
  });
  return { supplierItems, itemBranches };
}

/** Address number of the first generated supplier; the n-th (from 0) is `GENERATED_SUPPLIER_BASE + n`. */
export const GENERATED_SUPPLIER_BASE = 5201;

/** Generated suppliers at most (address numbers 5201–9999 stay clear of the customers' ship-tos). */
export const GENERATED_SUPPLIERS_MAX = 4799;

/** Items a generated supplier sells. */
const GENERATED_ITEMS_PER_SUPPLIER = 6;

/** Generated suppliers buy items up to this list price (ten-thousandths), so that 1 % of their cost stays under 0.50. */
const GENERATED_MAX_LIST = 600_000n;

const NAME_PARTS: [string[], string[], string[]] = [
  ['Summit', 'Harbor', 'Prairie', 'Granite', 'Keystone', 'Riverside', 'Pioneer', 'Redwood', 'Atlas', 'Beacon', 'Cascade', 'Frontier', 'Ironwood', 'Liberty', 'Meridian', 'Northgate'],
  ['Industrial', 'Trade', 'Supply', 'Components', 'Distribution', 'Products', 'Source', 'Parts'],
  ['Inc.', 'LLC', 'Co.', 'Corp.', 'Ltd.'],
];

/**
 * Suppliers `GENERATED_SUPPLIER_BASE + from` … `+ to - 1` for large purchasing scenarios, deterministic per seed and
 * address number (the n-th supplier is the same whatever was generated before): an address book row (USD, `N30`, API
 * channel) and a catalog of six stocked items sold by the each (`EA`) at 55–70 % of the list price.
 */
export function buildGeneratedSuppliers(
  seed: number,
  from: number,
  to: number,
  master: Pick<SimMasterData, 'items' | 'prices'>,
): { addresses: SimAddressRow[]; supplierItems: SimSupplierItemRow[] } {
  const listOf = new Map(master.prices.filter((p) => p.PRBK === 'LIST').map((p) => [p.LITM, toUnits(p.BRKS[0]!.UPRC)]));
  const eligible = master.items.filter((it) => it.STKT === 'S' && it.UOM1 === 'EA' && (listOf.get(it.LITM) ?? GENERATED_MAX_LIST + 1n) <= GENERATED_MAX_LIST);
  const addresses: SimAddressRow[] = [];
  const supplierItems: SimSupplierItemRow[] = [];
  for (let n = from; n < to; n++) {
    const an8 = GENERATED_SUPPLIER_BASE + n;
    const rnd = seededRandom(seed, an8);
    const name = `${rnd.pick(NAME_PARTS[0])} ${rnd.pick(NAME_PARTS[1])} ${String(n + 1).padStart(4, '0')} ${rnd.pick(NAME_PARTS[2])}`;
    addresses.push({
      AN8: an8, AT1: 'V', ALPH: name, ADD1: `${100 + rnd.int(0, 8_899)} Commerce Dr`, CTY1: 'Columbus', ADDS: 'OH', ADDZ: '43215', CTR: 'US',
      WHO: 'Order Desk', PH1: `+1 614 555 ${String(1_000 + (n % 9_000)).padStart(4, '0')}`, EMAL: `orders@supplier-${an8}.example`, MCU: 'M10',
      TXR1: '0', CRCD: 'USD', TAX: `31-${String(1_000_000 + an8).slice(1)}`, TRAP: 'N30', LTDT: rnd.int(3, 10), SNDM: 'W', ...SEED_STAMP,
    });
    const picked = new Set<number>();
    while (picked.size < Math.min(GENERATED_ITEMS_PER_SUPPLIER, eligible.length)) picked.add(rnd.int(0, eligible.length - 1));
    for (const index of [...picked].sort((a, b) => a - b)) {
      const item = eligible[index]!;
      const cost = (listOf.get(item.LITM)! * BigInt(rnd.int(55, 70))) / 100n;
      supplierItems.push({ AN8: an8, LITM: item.LITM, VITM: `G${an8}-${item.LITM}`, UOM: item.UOM1, PRRC: formatUnits(roundUnits(cost, 4), 4), CRCD: 'USD', PRIM: 'N', ...SEED_STAMP });
    }
  }
  return { addresses, supplierItems };
}

