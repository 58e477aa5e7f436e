import type { ErpLineAcknowledgment } from '@tradelane/connector-kit';

/** The prefix of the line of a `purchase.line` note that holds the supplier's acknowledgment. */
export const ACK_NOTE_PREFIX = 'Supplier acknowledgment:';

const ACK_LINE = /^Supplier acknowledgment: (accepted|changed|backordered|rejected)\b.*$/m;

/** The supplier's acknowledgment a `purchase.line` note holds, if any. */
export function acknowledgmentOfNote(note: string | null | undefined): ErpLineAcknowledgment | undefined {
  const match = ACK_LINE.exec(note ?? '');
  return match ? (match[1] as ErpLineAcknowledgment) : undefined;
}

/**
 * The note with its acknowledgment line set to `state` (and the supplier's note after a dash), other lines kept;
 * the same answer gives the same text, so writing it again changes nothing.
 * @example noteWithAcknowledgment('deliver to dock 2', 'changed', 'short stock') // 'Supplier acknowledgment: changed — short stock\ndeliver to dock 2'
 */
export function noteWithAcknowledgment(note: string | null | undefined, state: ErpLineAcknowledgment, supplierNote?: string): string {
  const text = `${ACK_NOTE_PREFIX} ${state}${supplierNote ? ` — ${supplierNote.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}`;
  const rest = (note ?? '').split('\n').filter((line) => !line.startsWith(ACK_NOTE_PREFIX));
  return [text, ...rest].join('\n').replace(/\n+$/, '');
}

/** The prefix of an `account.invoice` comment line holding the hub's dispute reason. */
export const DISPUTE_COMMENT_PREFIX = 'Disputed:';

/** The dispute reason an invoice comment holds, if any. */
export function disputeOfComment(comment: string | null | undefined): string | undefined {
  const line = (comment ?? '').split('\n').find((l) => l.startsWith(DISPUTE_COMMENT_PREFIX));
  return line === undefined ? undefined : line.slice(DISPUTE_COMMENT_PREFIX.length).trim() || 'disputed';
}

/** The comment with its dispute line set to `reason`, or removed when `reason` is undefined; other lines kept. */
export function commentWithDispute(comment: string | null | undefined, reason: string | undefined): string {
  const rest = (comment ?? '').split('\n').filter((line) => !line.startsWith(DISPUTE_COMMENT_PREFIX));
  const lines = reason === undefined ? rest : [`${DISPUTE_COMMENT_PREFIX} ${reason.replace(/\s+/g, ' ').trim().slice(0, 500) || 'disputed'}`, ...rest];
  return lines.join('\n').replace(/\n+$/, '');
}
