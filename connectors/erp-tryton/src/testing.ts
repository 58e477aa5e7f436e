/**
 * Test and development support of the Tryton connector: a real trytond on loopback with the seeded demo database.
 * Not for production code paths.
 */
export { lookupTryton, startTryton, TRYTON_MODULES, type StartTrytonOptions, type TestTryton } from './tryton.fixture.js';
export { createTrytonRpc, type TrytonRpc } from './transport/tryton-rpc.transport.js';
export { confirmPurchase, type PurchaseLineInput } from './tryton-purchase.fixture.js';
export { payInvoice } from './tryton-receivables.fixture.js';
