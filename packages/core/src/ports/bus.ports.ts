/** Ports of the bus layer, implemented by @tradelane/store. */
export {};
