/**
 * A pickup ledger backed by the inbound message store: a file is "seen" when the store holds a message (not itself a
 * duplicate) with the same partner, name and content. Pair it with `onDuplicate` calling `receiveInboundFile`, which
 * records the re-upload as a `duplicate` of the first arrival.
 */
import type { EdiMessageRepository, TenantContext } from '@tradelane/core';
import type { PickupLedger } from '../transport/pickup.ledger.js';

/**
 * The pickup ledger of one partner's channel, read from the message store (remembering is the store's job: the
 * handler records every file it receives).
 * @example createSftpChannel(config, { ledger: messageStoreLedger(repository, ctx, profile.id), onDuplicate: (f) => receive(f).then(() => {}) })
 */
export function messageStoreLedger(repository: EdiMessageRepository, ctx: TenantContext, partnerId: string): PickupLedger {
  return {
    async lookup(key) {
      const earlier = await repository.findByContent(ctx, { partnerId, fileName: key.name, contentSha256: key.sha256 });
      return earlier ? { at: earlier.recordedAt, reference: earlier.id } : undefined;
    },
    async remember() {
      // the pickup handler recorded the message; nothing else to keep
    },
  };
}
