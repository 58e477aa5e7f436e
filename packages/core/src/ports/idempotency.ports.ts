/** Ports of the idempotency layer, implemented by @tradelane/store. */
export {};
