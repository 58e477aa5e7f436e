import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { OrderView } from '@tradelane/core';
import { customerCall, eventually, simGet, simSend, startTestHub, type TestHub } from './hub.test-support.js';

const A = '4242';
const B = '4243';

interface SimOrderRow {
  DOCO: number;
  EXTREF?: string;
  AN8: number;
}

const order = (po: string, sku = 'FAS-1001', quantity = '2') => ({ customerPoNumber: po, lines: [{ sku, quantity, unit: 'EA' }] });

describe('order-to-cash over HTTP with the simulators', () => {
  let hub: TestHub;
  let erpUrl: string;
  const key = (account: string) => {
    const c = hub.customers.get(account);
    assert.ok(c, `demo customer ${account} has a key`);
    return c.apiKey;
  };
  const getOrder = async (account: string, id: string) => {
    const res = await customerCall<OrderView>(hub, key(account), 'GET', `/orders/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const committed = (account: string, id: string) => async () => {
    const o = await getOrder(account, id);
    return o.orderNumber !== undefined ? o : undefined;
  };
  const erpOrders = async (query: string) => (await simGet<{ ORDERS: SimOrderRow[] }>(`${erpUrl}/orders?${query}`)).ORDERS;
  const noDeadLetters = () => assert.deepEqual(hub.logs.filter((l) => l.includes('"msg":"event dead-lettered"')), [], 'no event was dead-lettered');
  const erpStats = () => simGet<{ ordersByExternalRef: Record<string, number>; duplicateExternalRefs: string[]; faults: { commitThenTimeout: number } }>(`${erpUrl}/admin/stats`);

  before(async () => {
    hub = await startTestHub();
    erpUrl = hub.server.simulators.endpoints.erp!;
  });
  after(async () => {
    await hub?.close();
  });

  it('seeds a demo key per ERP customer; contract prices differ between customers', async () => {
    assert.ok(hub.customers.size >= 3, `at least 3 demo customers, got ${hub.customers.size}`);
    const prices = async (account: string) => {
      const out = new Map<string, { amount: string; source: string }>();
      let cursor: string | null = null;
      do {
        const res: { status: number; body: any } = await customerCall(hub, key(account), 'GET', `/items?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        for (const i of res.body.items) out.set(i.sku, { amount: i.price.amount, source: i.priceSource });
        cursor = res.body.nextCursor;
      } while (cursor);
      return out;
    };
    const [a, b] = [await prices(A), await prices(B)];
    assert.ok(a.size > 50, 'the catalog is synced');
    const differing = [...a].filter(([sku, p]) => b.get(sku) && b.get(sku)!.amount !== p.amount);
    assert.ok(differing.length > 0, 'some item costs customer A something else than customer B');
    assert.ok(differing.some(([sku, p]) => p.source === 'contract' || b.get(sku)!.source === 'contract'), 'the difference comes from a contract price');
  });

  it('places an order with an Idempotency-Key, shows it committed on the timeline, and a replay changes nothing', async () => {
    const body = order('PO-HTTP-1');
    const headers = { 'idempotency-key': 'http-order-1' };
    const placed = await customerCall<OrderView>(hub, key(A), 'POST', '/orders', body, headers);
    assert.equal(placed.status, 202, JSON.stringify(placed.body));
    assert.equal(placed.body.status, 'Received');
    assert.equal(placed.headers.get('location'), `/v1/customer/orders/${placed.body.id}`);

    const view = await eventually('the order committed in the ERP', committed(A, placed.body.id));
    const statuses = view.timeline.map((e) => e.status);
    assert.deepEqual(statuses.slice(0, 4), ['Received', 'Accepted', 'Committed', 'Acknowledged']);
    assert.match(view.orderNumber!, /^\d+$/);

    const again = await customerCall<OrderView>(hub, key(A), 'POST', '/orders', body, headers);
    assert.equal(again.status, 202);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, placed.body, 'the replay is the first answer');

    const inErp = await erpOrders(`EXTREF=${placed.body.id}`);
    assert.equal(inErp.length, 1, 'the ERP holds the order once');
    assert.equal(String(inErp[0]!.DOCO), view.orderNumber);

    const other = await customerCall(hub, key(B), 'GET', `/orders/${placed.body.id}`);
    assert.equal(other.status, 404, 'another customer does not see it');

    const controller = new AbortController();
    const stream = await fetch(`${hub.server.url}/v1/customer/orders/${placed.body.id}/events`, { headers: { authorization: `Bearer ${key(A)}` }, signal: controller.signal });
    assert.equal(stream.status, 200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('"status":"Acknowledged"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    assert.match(text, /event: timeline\ndata: \{"seq":1,"status":"Received"/);
    assert.match(text, /"status":"Committed"/);
  });

  it('buffers orders of two customers while the ERP is down, then commits each once in submission order', async () => {
    // The admin endpoint answers, then closes the ERP's port; it stays closed until the handle reopens it.
    await simSend('PATCH', `${erpUrl}/admin/faults`, { down: true });
    await eventually('the ERP port to close', async () => (await fetch(`${erpUrl}/status`).then(() => false, () => true)) || undefined);

    const placed: Array<{ account: string; id: string }> = [];
    for (let i = 0; i < 8; i += 1) {
      const account = i % 2 === 0 ? A : B;
      const res = await customerCall<OrderView>(hub, key(account), 'POST', '/orders', order(`PO-DOWN-${i}`, i % 3 ? 'FAS-1001' : 'FAS-1002'), { 'idempotency-key': `down-${i}` });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.body.status, 'Received');
      placed.push({ account, id: res.body.id });
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const p of placed) assert.equal((await getOrder(p.account, p.id)).orderNumber, undefined, 'nothing reaches the ERP while it is down');

    await hub.server.simulators.erp!.setFaults({ down: false });
    const views: Array<{ account: string; id: string; view: OrderView }> = [];
    for (const p of placed) views.push({ ...p, view: await eventually(`order ${p.id} committed after the outage`, committed(p.account, p.id)) });

    const stats = await erpStats();
    assert.deepEqual(stats.duplicateExternalRefs, []);
    for (const p of placed) assert.equal(stats.ordersByExternalRef[p.id], 1, `order ${p.id} is in the ERP exactly once`);
    for (const account of [A, B]) {
      const mine = views.filter((v) => v.account === account);
      const numbers = mine.map((v) => Number(v.view.orderNumber));
      assert.deepEqual([...numbers].sort((x, y) => x - y), numbers, `customer ${account}: ERP order numbers follow submission order`);
      const erpSide = (await erpOrders(`AN8=${account}`)).filter((o) => mine.some((m) => m.id === o.EXTREF)).sort((x, y) => x.DOCO - y.DOCO);
      assert.deepEqual(erpSide.map((o) => o.EXTREF), mine.map((m) => m.id), `customer ${account}: the ERP entered them in submission order`);
    }
    noDeadLetters();
  });

  it('with 30% of ERP commits losing their answer and clients retrying with the same key, nothing is duplicated', async () => {
    await simSend('PATCH', `${erpUrl}/admin/faults`, { commitThenTimeout: 0.3 });
    try {
      const placed: Array<{ account: string; id: string }> = [];
      for (let i = 0; i < 12; i += 1) {
        const account = i % 2 === 0 ? A : B;
        const body = order(`PO-RETRY-${i}`);
        const headers = { 'idempotency-key': `retry-${i}` };
        // The client does not trust its first answer: two attempts at once, then one more.
        const first = await Promise.all([0, 1].map(() => customerCall<OrderView>(hub, key(account), 'POST', '/orders', body, headers)));
        const last = await customerCall<OrderView>(hub, key(account), 'POST', '/orders', body, headers);
        for (const res of [...first, last]) {
          assert.ok(res.status === 202 || (res.status === 409 && (res.body as any).code === 'TL_IDEMPOTENCY_IN_FLIGHT'), `unexpected ${res.status} ${JSON.stringify(res.body)}`);
        }
        assert.equal(last.status, 202);
        for (const res of first.filter((r) => r.status === 202)) assert.equal(res.body.id, last.body.id, 'every attempt answers the same order');
        placed.push({ account, id: last.body.id });
      }
      for (const p of placed) await eventually(`order ${p.id} committed`, committed(p.account, p.id));

      const stats = await erpStats();
      assert.ok(stats.faults.commitThenTimeout > 0, 'the fault fired');
      assert.deepEqual(stats.duplicateExternalRefs, []);
      for (const p of placed) assert.equal(stats.ordersByExternalRef[p.id], 1, `order ${p.id} is in the ERP exactly once`);
      for (const account of [A, B]) {
        const list = await customerCall<{ items: Array<{ id: string }> }>(hub, key(account), 'GET', '/orders?q=PO-RETRY&limit=200');
        assert.equal(list.body.items.length, placed.filter((p) => p.account === account).length, `customer ${account}: one hub order per logical request`);
      }
      noDeadLetters();
    } finally {
      await simSend('PUT', `${erpUrl}/admin/faults`, {});
    }
  });

  it('keeps the demo keys across a restart on the same data folder', async () => {
    const before = [...hub.customers.values()].map((c) => [c.accountNumber, c.apiKey]);
    await hub.close({ keepData: true });
    hub = await startTestHub({}, hub.dir);
    assert.deepEqual([...hub.customers.values()].map((c) => [c.accountNumber, c.apiKey]), before);
    const res = await customerCall(hub, key(A), 'GET', '/orders?limit=1');
    assert.equal(res.status, 200, 'the same key still works');
  });
});
