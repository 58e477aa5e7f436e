import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DemoCustomer } from './demo-keys.js';
import { eventually, hubCall, simGet, simSend, startTestHub, type TestHub } from './hub.test-support.js';

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** Enters and approves a purchase order in the ERP simulator; resolves its number. */
async function approvedPurchaseOrder(erp: string, supplier: number, lines: Array<{ LITM: string; UORG: number }>): Promise<string> {
  const po = await simSend<{ ORDER: { DOCO: number } }>('POST', `${erp}/purchase-orders`, { AN8: supplier, MCU: 'M10', LINES: lines });
  await simSend('POST', `${erp}/purchase-orders/${po.ORDER.DOCO}/approve`, {});
  return String(po.ORDER.DOCO);
}

/** The first item the ERP buys from `supplier`. */
async function itemOf(erp: string, supplier: number): Promise<string> {
  const items = await simGet<{ ROWS: Array<{ LITM: string }> }>(`${erp}/supplier-items?AN8=${supplier}`);
  return items.ROWS[0]!.LITM;
}

describe('procure-to-pay over HTTP: supplier API, operations API and the simulators', () => {
  let hub: TestHub;
  let erp: string;
  let suppliers: Map<string, DemoCustomer>;
  let ops: DemoCustomer;
  before(async () => {
    hub = await startTestHub({ TRADELANE_SIM_SUPPLIERS: 'false', TRADELANE_SIM_WMS_INBOUND_MS: '300', TRADELANE_P2P_SWEEP_INTERVAL_MS: '200' });
    const demo = await hub.server.demo!;
    suppliers = new Map(demo.suppliers.map((s) => [s.accountNumber, s]));
    ops = demo.staff!;
    erp = hub.server.simulators.endpoints.erp!;
  });
  after(() => hub?.close());

  it('a supplier acknowledges, ships and invoices a purchase order; the warehouse receives it and the invoice is matched in the ERP', async () => {
    const supplier = suppliers.get('5105')!;
    const sku = await itemOf(erp, 5105);
    const poNumber = await approvedPurchaseOrder(erp, 5105, [{ LITM: sku, UORG: 10 }]);
    const call = (method: 'GET' | 'POST', path: string, body?: unknown, key?: string) =>
      hubCall(hub, supplier.apiKey, method, `/v1/supplier${path}`, body, key ? { 'idempotency-key': key } : {});

    const listed = await eventually('the purchase order awaiting acknowledgment', async () => {
      const r = await call('GET', '/purchase-orders?awaitingAcknowledgment=true');
      return r.body.items.find((po: { poNumber: string }) => po.poNumber === poNumber);
    });
    assert.equal(listed.status, 'New');
    assert.equal(listed.lines[0].sku, sku);
    assert.equal(listed.lines[0].quantity, '10');
    const other = await hubCall(hub, suppliers.get('5106')!.apiKey, 'GET', `/v1/supplier/purchase-orders/${listed.id}`);
    assert.equal(other.status, 404, 'another supplier does not see it');

    const ack = { acknowledgmentNumber: `ACK-${poNumber}`, lines: [{ lineNumber: 1, action: 'accept' }] };
    const acked = await call('POST', `/purchase-orders/${listed.id}/acknowledgments`, ack, `ack-${poNumber}`);
    assert.equal(acked.status, 201, JSON.stringify(acked.body));
    assert.equal(acked.body.outcome, 'Applied');
    const replay = await call('POST', `/purchase-orders/${listed.id}/acknowledgments`, ack, `ack-${poNumber}`);
    assert.deepEqual([replay.status, replay.body.id, replay.headers.get('idempotent-replayed')], [201, acked.body.id, 'true']);
    const again = await call('POST', `/purchase-orders/${listed.id}/acknowledgments`, ack, `ack-${poNumber}-resent`);
    assert.deepEqual([again.status, again.body.outcome], [200, 'Duplicate'], 'the same acknowledgment sent again is a duplicate');
    await eventually('the acknowledgment in the ERP', async () => {
      const order = (await simGet(`${erp}/purchase-orders/${poNumber}`)).ORDER;
      return order.ACKJ > 0 ? order : undefined;
    });

    const unit = listed.lines[0].unit;
    const asn = { asnNumber: `SN-${poNumber}`, shipDate: today(), expectedDeliveryDate: inDays(2), lines: [{ poNumber, lineNumber: 1, sku, quantity: '10', unit }] };
    const shipped = await call('POST', '/asns', asn, `asn-${poNumber}`);
    assert.equal(shipped.status, 201, JSON.stringify(shipped.body));
    assert.equal(shipped.body.status, 'InTransit');
    const expected = await eventually('the expected receipt in the ERP', async () => {
      const rows = (await simGet(`${erp}/expected-receipts?VASN=${asn.asnNumber}`)).EXPECTED;
      return rows?.length ? rows : undefined;
    });
    assert.equal(expected.length, 1);
    const received = await eventually('the purchase order received (the WMS received the ship notice)', async () => {
      const po = (await call('GET', `/purchase-orders/${listed.id}`)).body;
      return po.status === 'Received' ? po : undefined;
    });
    assert.equal(received.lines[0].quantityReceived, '10');

    const invoice = { invoiceNumber: `INV-${poNumber}`, invoiceDate: today(), poNumber, currency: 'USD', lines: [{ lineNumber: 1, sku, quantity: '10', unit, unitPrice: listed.lines[0].unitPrice.amount }] };
    const invoiced = await call('POST', '/invoices', invoice, `inv-${poNumber}`);
    assert.equal(invoiced.status, 201, JSON.stringify(invoiced.body));
    const approved = await eventually('the invoice approved', async () => {
      const r = (await call('GET', `/invoices/${invoiced.body.id}`)).body;
      return r.status === 'Approved' ? r : undefined;
    });
    assert.equal(approved.match.result, 'matched');
    const vouchers = await eventually('the voucher approved in the ERP', async () => {
      const rows = (await simGet(`${erp}/vouchers?VINV=${invoice.invoiceNumber}`)).VOUCHERS;
      return rows?.[0]?.MTCH === 'A' ? rows : undefined;
    });
    assert.equal(vouchers.length, 1, 'one voucher');

    const scorecard = (await call('GET', '/scorecard')).body;
    assert.equal(scorecard.supplierId, supplier.partnerId);
    assert.equal(scorecard.invoiceFirstPassMatchRate, 1);
    assert.equal(scorecard.acknowledgmentLatency.count, 1);
  });

  it('an acknowledgment outside tolerance becomes an exception that operations claim and resolve; the ERP then takes the change', async () => {
    const supplier = suppliers.get('5106')!;
    const sku = await itemOf(erp, 5106);
    const poNumber = await approvedPurchaseOrder(erp, 5106, [{ LITM: sku, UORG: 20 }]);
    const po = await eventually('the purchase order at the supplier', async () => {
      const r = await hubCall(hub, supplier.apiKey, 'GET', `/v1/supplier/purchase-orders/${poNumber}`);
      return r.status === 200 ? r.body : undefined;
    });
    const ack = await hubCall(hub, supplier.apiKey, 'POST', `/v1/supplier/purchase-orders/${po.id}/acknowledgments`, { lines: [{ lineNumber: 1, action: 'change', quantity: '12' }] }, { 'idempotency-key': `ack-${poNumber}` });
    assert.equal(ack.body.outcome, 'Exception', JSON.stringify(ack.body));
    assert.equal(ack.body.lines[0].outcome, 'out_of_tolerance');
    const exceptionId: string = ack.body.exceptionId;

    const forbidden = await hubCall(hub, supplier.apiKey, 'GET', '/v1/ops/exceptions');
    assert.equal(forbidden.status, 403, 'a supplier key cannot reach operations');
    const listed = await hubCall(hub, ops.apiKey, 'GET', '/v1/ops/exceptions?type=acknowledgment_out_of_tolerance&status=Open');
    const found = listed.body.items.find((e: { id: string }) => e.id === exceptionId);
    assert.ok(found, 'listed for operations');
    assert.equal(found.ownerRole, 'buyer');
    assert.deepEqual(found.actions.sort(), ['accept_change', 'counter', 'reject_change']);
    const claimed = await hubCall(hub, ops.apiKey, 'POST', `/v1/ops/exceptions/${exceptionId}/claim`);
    assert.deepEqual([claimed.status, claimed.body.status, claimed.body.claimedBy], [200, 'Claimed', 'ops.demo']);
    const resolved = await hubCall(hub, ops.apiKey, 'POST', `/v1/ops/exceptions/${exceptionId}/resolve`, { action: 'accept_change', note: 'short stock accepted' }, { 'idempotency-key': `resolve-${exceptionId}` });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    assert.equal(resolved.body.status, 'Resolved');
    assert.deepEqual(
      resolved.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor]).slice(-2),
      [
        ['claimed', 'ops.demo'],
        ['accept_change', 'ops.demo'],
      ],
    );
    const line = await eventually('the accepted quantity in the ERP', async () => {
      const order = (await simGet(`${erp}/purchase-orders/${poNumber}`)).ORDER;
      const first = order.LINES[0];
      return Number(first.UORG) === 12 ? first : undefined;
    });
    assert.equal(Number(line.UORG), 12);
  });
});

describe('procure-to-pay with the supplier simulator playing the demo suppliers', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ TRADELANE_SIM_SUPPLIER_POLL_MS: '100', TRADELANE_SIM_WMS_INBOUND_MS: '300' });
    await hub.server.demo;
  });
  after(() => hub?.close());

  it('a purchase order to a simulated reliable supplier is acknowledged, shipped, received and its invoice approved without anyone', async () => {
    const erp = hub.server.simulators.endpoints.erp!;
    const sku = await itemOf(erp, 5101);
    const poNumber = await approvedPurchaseOrder(erp, 5101, [{ LITM: sku, UORG: 5 }]);
    const voucher = await eventually(
      'the simulated supplier invoice approved in the ERP',
      async () => {
        const rows = (await simGet(`${erp}/vouchers?DOCO=${poNumber}`)).VOUCHERS;
        return rows?.[0]?.MTCH === 'A' ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    assert.equal(voucher.AN8, 5101);
    const order = (await simGet(`${erp}/purchase-orders/${poNumber}`)).ORDER;
    assert.ok(order.ACKJ > 0, 'acknowledged in the ERP');
    const receipts = (await simGet(`${erp}/receipts?DOCO=${poNumber}`)).RECEIPTS;
    assert.equal(receipts.length, 1, 'received once');
  });
});
