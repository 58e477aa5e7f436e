/**
 * Runs work in one database transaction. `Tx` is the set of transaction-bound ports the caller needs
 * (for example `{ inbox, outbox, flows }`); the store provides the implementation.
 */
export interface TransactionRunner<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}
