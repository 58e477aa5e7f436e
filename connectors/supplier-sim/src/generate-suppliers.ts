import { seededRandom } from './seeded-random.js';
import { PRESET_NAMES, type PresetName } from './supplier-presets.js';
import { parseSupplierSimInput, supplierConfigSchema, type SupplierConfig } from './supplier-sim-config.schema.js';
import { z } from 'zod';

/** Options of {@link generateSuppliers}. */
export interface GenerateSuppliersOptions {
  count: number;
  /** Same seed, same population (order of presets, ids and keys). */
  seed: number;
  /** Relative weights of presets. @default reliable 0.5, every other preset an equal share of the rest */
  mix?: Partial<Record<PresetName, number>> | undefined;
  /** Supplier ids are `<idPrefix><n>` with n from 1, zero-padded to 4 digits. @default 'sup_sim_' */
  idPrefix?: string | undefined;
  /** API keys are `<apiKeyPrefix><supplierId>`. @default 'tl_sim_' */
  apiKeyPrefix?: string | undefined;
}

/** The default population: half reliable, the other half spread over the other presets. */
export const DEFAULT_PRESET_MIX: Readonly<Record<PresetName, number>> = Object.fromEntries(
  PRESET_NAMES.map((n) => [n, n === 'reliable' ? 0.5 : 0.5 / (PRESET_NAMES.length - 1)]),
) as Record<PresetName, number>;

/**
 * Exact preset counts for `count` suppliers: each preset gets its proportional share, rounded by largest remainder
 * (so the counts always add up to `count`, and 250 × 0.2 is exactly 50).
 */
export function presetCounts(count: number, mix: Partial<Record<PresetName, number>>): Record<PresetName, number> {
  const names = PRESET_NAMES.filter((n) => (mix[n] ?? 0) > 0);
  const total = names.reduce((s, n) => s + mix[n]!, 0);
  if (total <= 0) throw new RangeError('mix needs at least one preset with a weight > 0');
  const counts = Object.fromEntries(PRESET_NAMES.map((n) => [n, 0])) as Record<PresetName, number>;
  const remainders: Array<[PresetName, number]> = [];
  let assigned = 0;
  for (const n of names) {
    const exact = (count * mix[n]!) / total;
    const rounded = Math.floor(exact + 1e-9);
    counts[n] = rounded;
    assigned += rounded;
    remainders.push([n, exact - rounded]);
  }
  remainders.sort((a, b) => b[1] - a[1] || PRESET_NAMES.indexOf(a[0]) - PRESET_NAMES.indexOf(b[0]));
  for (let i = 0; assigned < count; i++, assigned++) counts[remainders[i % remainders.length]![0]] += 1;
  return counts;
}

/**
 * Generates a population of simulated suppliers for large scenarios, deterministic from `seed`.
 * @example generateSuppliers({ count: 250, seed: 7, mix: { reliable: 0.6, 'out-of-tolerance': 0.2, 'partial-shipper': 0.2 } })
 */
export function generateSuppliers(options: GenerateSuppliersOptions): SupplierConfig[] {
  const { count, seed } = parseSupplierSimInput(
    z.strictObject({ count: z.number().int().nonnegative(), seed: z.number().int() }),
    { count: options.count, seed: options.seed },
    'generateSuppliers options',
  );
  const counts = presetCounts(count, options.mix ?? DEFAULT_PRESET_MIX);
  const presets: PresetName[] = PRESET_NAMES.flatMap((n) => Array.from({ length: counts[n] }, () => n));
  const random = seededRandom(seed, 'generate-suppliers');
  for (let i = presets.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [presets[i], presets[j]] = [presets[j]!, presets[i]!];
  }
  const idPrefix = options.idPrefix ?? 'sup_sim_';
  const keyPrefix = options.apiKeyPrefix ?? 'tl_sim_';
  return presets.map((preset, i) => {
    const supplierId = `${idPrefix}${String(i + 1).padStart(4, '0')}`;
    return parseSupplierSimInput(supplierConfigSchema, { supplierId, apiKey: `${keyPrefix}${supplierId}`, preset }, `generated supplier ${supplierId}`);
  });
}
