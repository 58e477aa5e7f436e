/**
 * What pickup remembers about files it has processed, so that a partner re-uploading the same file (same name, same
 * content) gets it reported as a duplicate instead of processed again.
 */

/** Identifies one file's content: its name and the SHA-256 of its bytes. */
export interface PickupFileKey {
  readonly name: string;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** What the ledger knows about an earlier pickup of a file. */
export interface PickupLedgerEntry {
  /** When it was processed. */
  readonly at: Date;
  /** What the handler made of it, e.g. the id of the stored inbound message. */
  readonly reference?: string | undefined;
}

/** Remembers processed files per channel (one ledger per partner's pickup). */
export interface PickupLedger {
  /** The earlier pickup of a file with this name and content, if any. */
  lookup(key: PickupFileKey): Promise<PickupLedgerEntry | undefined>;
  /** Records that a file was processed (called after its handler succeeded). */
  remember(key: PickupFileKey, entry: PickupLedgerEntry): Promise<void>;
}

/**
 * A ledger in memory: forgets on restart. Production wires one backed by the inbound message store
 * (`messageStorePickupLedger`).
 */
export class InMemoryPickupLedger implements PickupLedger {
  private readonly entries = new Map<string, PickupLedgerEntry>();

  /** The earlier pickup of this name and content. */
  async lookup(key: PickupFileKey): Promise<PickupLedgerEntry | undefined> {
    return this.entries.get(`${key.sha256}\u0000${key.name}`);
  }

  /** Records a processed file. */
  async remember(key: PickupFileKey, entry: PickupLedgerEntry): Promise<void> {
    this.entries.set(`${key.sha256}\u0000${key.name}`, entry);
  }
}
