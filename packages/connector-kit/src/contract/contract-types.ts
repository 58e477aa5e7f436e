import type { SalesOrder } from '@tradelane/canonical';
import type { WarehouseRelease } from '../capabilities/wms.capability.js';

export type { SalesOrder };
/** A release as the contract suite passes it on. */
export type WarehouseReleaseLike = WarehouseRelease;
