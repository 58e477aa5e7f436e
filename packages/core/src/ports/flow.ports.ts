/** Ports of the flow layer, implemented by @tradelane/store. */
export {};
