/**
 * The `edi-850` supplier outbound channel: a purchase order revision becomes an X12 850 with the supplier's partner
 * profile and our control numbers, dropped atomically into the partner's inbound folder over SFTP — once per PO
 * number and revision.
 */
import type { PurchaseOrder } from '@tradelane/canonical';
import {
  createInterchange,
  createSftpChannel,
  elementValue,
  envelopeSettingsFor,
  InMemoryControlNumberSequence,
  purchaseOrderTo850,
  sftpErrorCodes,
  writeX12,
  type ControlNumberSequence,
  type SftpChannel,
} from '@tradelane/connector-edi-x12';
import type { SupplierOutboundChannel } from '@tradelane/flows';
import { PermanentError, TransientError, type IdempotencyStore, type TenantContext } from '@tradelane/core';
import { fileNameFor, type ResolvedSupplierEdi } from './supplier-edi.config.js';

/** The channel name a supplier's tolerance profile names to receive its orders as EDI 850 over SFTP. */
export const EDI_850_CHANNEL = 'edi-850';

/** How long the record of a sent 850 is kept (it answers re-publications of the same revision). */
const SENT_RETENTION_MS = 400 * 86_400_000;

/** One 850 the channel dropped. */
export interface Sent850 {
  readonly supplierId: string;
  readonly poNumber: string;
  readonly revision: number;
  readonly fileName: string;
  /** ISA13 of the interchange. */
  readonly controlNumber: string;
  /** False when an earlier publication of this revision had sent it already. */
  readonly dropped: boolean;
}

/** What {@link createEdi850Channel} needs. */
export interface Edi850ChannelDeps {
  /** The EDI suppliers (resolved configurations). */
  readonly suppliers: readonly ResolvedSupplierEdi[];
  /** Our outbound control numbers (ISA13, GS06, ST02). @default an in-memory sequence (wire a durable one) */
  readonly sequence?: ControlNumberSequence | undefined;
  /**
   * Durable record of the files sent, so a re-publication after a restart sends nothing (the store's idempotency
   * keys on server Postgres). `publish` runs inside the outbound consumer's transaction: on PGlite (one connection)
   * a store outside that transaction would wait for it forever, so leave this out there. @default in memory, plus
   * the file name: a file of the same name still in the partner's folder counts as sent
   */
  readonly sent?: IdempotencyStore | undefined;
  /** The SFTP channel of a supplier. @default createSftpChannel(supplier.sftp) */
  readonly channelFor?: ((supplier: ResolvedSupplierEdi) => Pick<SftpChannel, 'drop'>) | undefined;
  /** Clock of envelope dates and file names. @default () => new Date() */
  readonly now?: (() => Date) | undefined;
  /** Told about every 850 handled. */
  readonly onSent?: ((sent: Sent850) => void) | undefined;
}

/**
 * Builds the `edi-850` outbound channel for `createProcureToPay({ channels: [...] })`: the supplier's partner profile
 * shapes the 850 (qualifiers, separators, version), the interchange carries our control numbers, the file name comes
 * from the supplier's `fileNamePattern`, and the drop is atomic (temporary name, then rename). Publishing a PO number
 * and revision already sent does nothing.
 * @example
 * const channel = createEdi850Channel({ suppliers: resolved, sent: store.idempotency });
 * createProcureToPay({ ..., channels: [channel], tolerances: { suppliers: { [supplierId]: { channel: 'edi-850' } } } });
 */
export function createEdi850Channel(deps: Edi850ChannelDeps): SupplierOutboundChannel {
  const sequence = deps.sequence ?? new InMemoryControlNumberSequence();
  const now = deps.now ?? (() => new Date());
  const sentInMemory = new Map<string, string>();
  const channels = new Map<ResolvedSupplierEdi, Pick<SftpChannel, 'drop'>>();
  const channelOf = (s: ResolvedSupplierEdi) => {
    let c = channels.get(s);
    if (!c) {
      c = deps.channelFor ? deps.channelFor(s) : createSftpChannel(s.sftp);
      channels.set(s, c);
    }
    return c;
  };

  return {
    name: EDI_850_CHANNEL,
    async publish(ctx: TenantContext, po: PurchaseOrder, supplier: { supplierId: string; revision: number }): Promise<void> {
      const edi = deps.suppliers.find((s) => s.config.supplierId === supplier.supplierId && s.config.tenantId === ctx.tenantId);
      if (!edi) {
        throw new PermanentError('TL_EDI_SUPPLIER_NOT_CONFIGURED', `supplier ${supplier.supplierId} is on channel ${EDI_850_CHANNEL} but has no EDI configuration`, { supplierId: supplier.supplierId });
      }
      const scope = `${EDI_850_CHANNEL}:${edi.profile.id}`;
      const key = `${po.poNumber}#${supplier.revision}`;
      const memoryKey = `${ctx.tenantId}\u0000${scope}\u0000${key}`;
      const base = { supplierId: supplier.supplierId, poNumber: po.poNumber, revision: supplier.revision };
      const already = sentInMemory.get(memoryKey);
      if (already) {
        deps.onSent?.({ ...base, fileName: already, controlNumber: '', dropped: false });
        return;
      }
      if (deps.sent) {
        const begun = await deps.sent.begin(ctx, { scope, key, requestHash: key }, { ttlMs: SENT_RETENTION_MS, lockMs: 120_000 });
        if (begun === 'in_flight') throw new TransientError('TL_EDI_850_IN_FLIGHT', `850 for PO ${po.poNumber} revision ${supplier.revision} is being sent by another worker`, { retryAfterMs: 5_000 });
        if (begun !== 'started') {
          const body = (typeof begun === 'object' ? begun.replay.body : undefined) as { fileName?: string; controlNumber?: string } | undefined;
          sentInMemory.set(memoryKey, body?.fileName ?? '');
          deps.onSent?.({ ...base, fileName: body?.fileName ?? '', controlNumber: body?.controlNumber ?? '', dropped: false });
          return;
        }
      }
      try {
        const set = purchaseOrderTo850(po, edi.profile);
        const at = now();
        const interchange = await createInterchange(envelopeSettingsFor(edi.profile), [{ functionalId: 'PO', sets: [set] }], { sequence, now: () => at });
        const controlNumber = elementValue(interchange.header, 13);
        const fileName = fileNameFor(edi.config.fileNamePattern, { poNumber: po.poNumber, revision: supplier.revision, controlNumber, partner: edi.profile.id, at });
        const text = writeX12(interchange, { lineEnding: edi.profile.lineEnding });
        let dropped = true;
        try {
          await channelOf(edi).drop(fileName, text);
        } catch (err) {
          // The same name is there already: an earlier attempt dropped it and stopped before recording it.
          const sameName = edi.config.fileNamePattern.includes('{poNumber}') && edi.config.fileNamePattern.includes('{revision}');
          if (!(sameName && (err as { code?: string }).code === sftpErrorCodes.targetExists)) throw err;
          dropped = false;
        }
        if (deps.sent) await deps.sent.complete(ctx, { scope, key }, { status: 201, headers: {}, body: { fileName, controlNumber } });
        sentInMemory.set(memoryKey, fileName);
        deps.onSent?.({ ...base, fileName, controlNumber, dropped });
      } catch (err) {
        if (deps.sent) await deps.sent.release(ctx, { scope, key }).catch(() => {});
        throw err;
      }
    },
  };
}
