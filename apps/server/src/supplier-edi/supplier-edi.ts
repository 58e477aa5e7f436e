/**
 * Composition of the EDI suppliers: the `edi-850` outbound channel shared by all of them, one inbound poller per
 * supplier, and the tolerance overrides that put each configured supplier on the channel.
 */
import type { ControlNumberSequence } from '@tradelane/connector-edi-x12';
import type { ToleranceConfig } from '@tradelane/flows';
import type { EdiMessageRepository, IdempotencyStore, SupplierCommands, SupplierQueries } from '@tradelane/core';
import { createEdi850Channel, EDI_850_CHANNEL } from './edi-850.channel.js';
import { createSupplierEdiInbound, type SupplierEdiInbound, type SupplierEdiPollReport } from './supplier-edi.inbound.js';
import type { ResolvedSupplierEdi } from './supplier-edi.config.js';

/** The pieces of the EDI suppliers, ready to wire. */
export interface SupplierEdi {
  /** Pass in `createProcureToPay({ channels })`. */
  readonly channel: ReturnType<typeof createEdi850Channel>;
  /** Merge into the procure-to-pay `tolerances.suppliers`: every EDI supplier on channel `edi-850`. */
  readonly tolerances: NonNullable<ToleranceConfig['suppliers']>;
  /** Builds the inbound pollers once the procure-to-pay process exists (its commands and queries). */
  pollers(p2p: { commands: Pick<SupplierCommands, 'acknowledge' | 'submitAsn' | 'submitInvoice'>; queries: Pick<SupplierQueries, 'getPurchaseOrder'> }): SupplierEdiInbound[];
}

/** What {@link createSupplierEdi} needs. */
export interface SupplierEdiDeps {
  readonly suppliers: readonly ResolvedSupplierEdi[];
  /** The EDI message store (`createEdiMessageRepo(db)`). */
  readonly repository: EdiMessageRepository;
  /** Durable record of sent 850s (`store.idempotency`). */
  readonly sent?: IdempotencyStore | undefined;
  /** Our outbound control numbers (850s and acknowledgments). @default in memory */
  readonly sequence?: ControlNumberSequence | undefined;
  readonly onPoll?: ((report: SupplierEdiPollReport) => void) | undefined;
  readonly onError?: ((err: unknown) => void) | undefined;
}

/**
 * Builds the EDI supplier channel in two steps, because the outbound channel is an input of the procure-to-pay
 * process and the pollers need its commands.
 * @example
 * const edi = createSupplierEdi({ suppliers: await Promise.all(configs.map((c) => resolveSupplierEdi(c, read))), repository: createEdiMessageRepo(db), sent: store.idempotency });
 * const p2p = createProcureToPay({ ..., channels: [edi.channel], tolerances: { suppliers: edi.tolerances } });
 * for (const poller of edi.pollers(p2p)) components.push(poller);
 */
export function createSupplierEdi(deps: SupplierEdiDeps): SupplierEdi {
  const channel = createEdi850Channel({ suppliers: deps.suppliers, sent: deps.sent, sequence: deps.sequence });
  const tolerances = Object.fromEntries(deps.suppliers.map((s) => [s.config.supplierId, { channel: EDI_850_CHANNEL }]));
  return {
    channel,
    tolerances,
    pollers: (p2p) =>
      deps.suppliers.map((supplier) =>
        createSupplierEdiInbound({ supplier, commands: p2p.commands, queries: p2p.queries, repository: deps.repository, sequence: deps.sequence, onPoll: deps.onPoll, onError: deps.onError }),
      ),
  };
}
