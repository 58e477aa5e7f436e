import type { UnitOfMeasure } from '@tradelane/canonical';
import { trytonMappingError } from '../errors.js';

/** Tryton 6.0 `product.uom` symbols (its standard data) → canonical unit codes. */
export const TRYTON_UNIT_SYMBOLS: Readonly<Record<string, UnitOfMeasure>> = {
  u: 'EA',
  g: 'G',
  kg: 'KG',
  oz: 'OZ',
  lb: 'LB',
  mm: 'MM',
  cm: 'CM',
  m: 'M',
  in: 'IN',
  ft: 'FT',
  yd: 'YD',
  l: 'L',
  'cm³': 'ML',
  'm³': 'M3',
  gal: 'GAL',
  'm²': 'M2',
  'ft²': 'FT2',
  h: 'HR',
};

/** Canonical unit of a Tryton uom symbol (configured extras first); unknown symbols are a permanent mapping error. */
export function unitFromTryton(symbol: string, extra: Readonly<Record<string, string>> = {}): UnitOfMeasure {
  const unit = extra[symbol] ?? TRYTON_UNIT_SYMBOLS[symbol];
  if (!unit) throw trytonMappingError(`unit ${JSON.stringify(symbol)}`, [{ path: 'uom.symbol', message: `no canonical unit for Tryton unit ${JSON.stringify(symbol)}; add it to unitMap` }]);
  return unit as UnitOfMeasure;
}

/** The Tryton uom symbol of a canonical unit (configured extras first), or undefined. */
export function unitToTryton(unit: string, extra: Readonly<Record<string, string>> = {}): string | undefined {
  for (const [symbol, code] of Object.entries(extra)) if (code === unit) return symbol;
  for (const [symbol, code] of Object.entries(TRYTON_UNIT_SYMBOLS)) if (code === unit) return symbol;
  return undefined;
}
