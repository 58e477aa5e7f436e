import type { UnitOfMeasure } from '@tradelane/canonical';
import { simUnitCodes, type SimUom } from '../wire/sim-wire.types.js';
import { simMappingError } from '../errors.js';

const TO_CANONICAL: Record<SimUom, UnitOfMeasure> = { EA: 'EA', CA: 'CS', BX: 'BX', PA: 'PL', FT: 'FT', RL: 'RL', GA: 'GAL', PR: 'PR', PK: 'PK' };
const TO_SIM = new Map<string, SimUom>(Object.entries(TO_CANONICAL).map(([sim, canonical]) => [canonical, sim as SimUom]));

/** The canonical unit for a simulator unit code (`CA` → `CS`, `PA` → `PL`, `GA` → `GAL`). */
export function unitFromSim(uom: string): UnitOfMeasure {
  const unit = (simUnitCodes as readonly string[]).includes(uom) ? TO_CANONICAL[uom as SimUom] : undefined;
  if (!unit) throw simMappingError('unit of measure', [{ path: 'UOM', message: `unknown simulator unit ${JSON.stringify(uom)}` }]);
  return unit;
}

/** The simulator's code for a canonical unit; a unit it has no code for is passed on as is (the simulator refuses it, naming the line). */
export function unitToSim(unit: string): string {
  return TO_SIM.get(unit) ?? unit;
}
