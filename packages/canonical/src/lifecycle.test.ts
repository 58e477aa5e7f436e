/// <reference types="node" />
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { purchaseOrderArb, salesOrderArb } from './arbitraries.test-support.js';
import { defineLifecycle, type Lifecycle } from './lifecycle.js';
import { purchaseOrderLifecycle, purchaseOrderStates, type PurchaseOrderLifecycleContext } from './purchase-order.lifecycle.js';
import {
  releasedLineStatuses,
  salesOrderLifecycle,
  salesOrderLineStatuses,
  salesOrderStates,
  type SalesOrderLifecycleContext,
} from './sales-order.lifecycle.js';

/** Contexts under which every guard of the lifecycle passes. */
const passingSalesOrder: SalesOrderLifecycleContext = {
  lines: [{ lineNumber: 1, status: 'Allocated' }],
  holds: [{ code: 'credit_hold', releasedAt: '2025-03-01T10:00:00Z' }],
  trackingNumber: '1Z999AA10123456784',
};
const passingPurchaseOrder: PurchaseOrderLifecycleContext = { lines: [{ lineNumber: 1, quantityReceived: '0' }] };

function checkTable<S extends string, C>(lifecycle: Lifecycle<S, C>, passing: C): void {
  const legal = new Set(lifecycle.edges().map(([from, to]) => `${from}>${to}`));
  let illegalCount = 0;
  for (const from of lifecycle.states) {
    for (const to of lifecycle.states) {
      const result = lifecycle.check(from, to, passing);
      if (legal.has(`${from}>${to}`)) {
        assert.deepEqual(result, { ok: true }, `${from} → ${to} should be allowed`);
        assert.equal(lifecycle.can(from, to, passing), true);
      } else {
        illegalCount += 1;
        assert.equal(result.ok, false, `${from} → ${to} should be refused`);
        assert.equal(!result.ok && result.code, 'TL_LIFECYCLE_ILLEGAL_TRANSITION', `${from} → ${to}`);
        assert.equal(lifecycle.can(from, to, passing), false);
      }
    }
  }
  assert.equal(illegalCount + legal.size, lifecycle.states.length ** 2);
}

function reachable<S extends string, C>(lifecycle: Lifecycle<S, C>): Set<S> {
  const seen = new Set<S>([lifecycle.initial]);
  const queue = [lifecycle.initial];
  while (queue.length > 0) {
    for (const next of lifecycle.allowedFrom(queue.shift()!)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('defineLifecycle', () => {
  const door = defineLifecycle<'Open' | 'Closed' | 'Gone', { locked: boolean }>({
    name: 'door',
    states: ['Open', 'Closed', 'Gone'],
    initial: 'Closed',
    transitions: {
      Closed: { Open: (d) => (d.locked ? 'door is locked' : true), Gone: true },
      Open: { Closed: true },
    },
  });

  it('answers can/check/allowedFrom/isTerminal', () => {
    assert.deepEqual(door.check('Closed', 'Open', { locked: false }), { ok: true });
    assert.deepEqual(door.check('Closed', 'Open', { locked: true }), {
      ok: false,
      code: 'TL_LIFECYCLE_GUARD_REFUSED',
      reason: 'door is locked',
    });
    assert.deepEqual(door.check('Open', 'Gone'), { ok: false, code: 'TL_LIFECYCLE_ILLEGAL_TRANSITION', reason: 'not an allowed transition (from Open: Closed)' });
    assert.deepEqual(door.check('Gone', 'Open'), { ok: false, code: 'TL_LIFECYCLE_ILLEGAL_TRANSITION', reason: 'Gone is final' });
    assert.deepEqual(door.allowedFrom('Closed'), ['Open', 'Gone']);
    assert.equal(door.isTerminal('Gone'), true);
    assert.equal(door.isTerminal('Open'), false);
    assert.equal(door.isState('Open'), true);
    assert.equal(door.isState('Ajar'), false);
  });

  it('refuses unknown states, guarded transitions without context and throwing guards, without throwing', () => {
    assert.equal(door.check('Ajar' as 'Open', 'Closed').ok, false);
    assert.equal(door.check('Open', 'Ajar' as 'Open').ok, false);
    const noContext = door.check('Closed', 'Open');
    assert.equal(!noContext.ok && noContext.code, 'TL_LIFECYCLE_GUARD_REFUSED');
    const broken = defineLifecycle<'A' | 'B', object>({
      name: 'broken',
      states: ['A', 'B'],
      initial: 'A',
      transitions: { A: { B: () => { throw new Error('boom'); } } },
    });
    assert.deepEqual(broken.check('A', 'B', {}), { ok: false, code: 'TL_LIFECYCLE_GUARD_REFUSED', reason: 'guard failed: boom' });
  });

  it('rejects broken definitions when they are declared', () => {
    assert.throws(() => defineLifecycle<'A' | 'B', undefined>({ name: 'x', states: ['A', 'B'], initial: 'C' as 'A', transitions: {} }), /initial/);
    assert.throws(() => defineLifecycle<'A' | 'B', undefined>({ name: 'x', states: ['A', 'B'], initial: 'A', transitions: { A: { C: true } as never } }), /unknown state/);
    assert.throws(() => defineLifecycle<'A' | 'B', undefined>({ name: 'x', states: ['A', 'B'], initial: 'A', transitions: { A: { A: true } } }), /self-transition/);
  });

  it('renders a Mermaid diagram', () => {
    assert.match(door.toMermaid(), /\[\*\] --> Closed\n {2}Closed --> Open : guarded/);
  });
});

describe('sales order lifecycle', () => {
  it('allows every declared transition when guards pass and refuses every other pair', () => {
    checkTable(salesOrderLifecycle, passingSalesOrder);
  });

  it('reaches every state from Received, and ends only in Closed, Cancelled and Rejected', () => {
    assert.deepEqual([...reachable(salesOrderLifecycle)].sort(), [...salesOrderStates].sort());
    assert.deepEqual(salesOrderStates.filter((s) => salesOrderLifecycle.isTerminal(s)).sort(), ['Cancelled', 'Closed', 'Rejected']);
  });

  it('allows cancelling only before release', () => {
    const cancellable = salesOrderStates.filter((s) => salesOrderLifecycle.allowedFrom(s).includes('Cancelled'));
    assert.deepEqual(cancellable, ['Received', 'Validated', 'Accepted', 'Committed', 'Acknowledged', 'Allocated', 'Backordered', 'OnHold']);
  });

  it('refuses cancellation when any line is already released, whatever the other lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...salesOrderLineStatuses), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('Allocated' as const, 'Backordered' as const, 'Acknowledged' as const),
        (statuses, from) => {
          const lines = statuses.map((status, i) => ({ lineNumber: i + 1, status }));
          const result = salesOrderLifecycle.check(from, 'Cancelled', { lines });
          const released = lines.filter((l) => (releasedLineStatuses as readonly string[]).includes(l.status));
          if (released.length === 0) {
            assert.deepEqual(result, { ok: true });
          } else {
            assert.equal(!result.ok && result.code, 'TL_LIFECYCLE_GUARD_REFUSED');
            assert.match(!result.ok ? result.reason : '', new RegExp(`line\\(s\\) ${released.map((l) => l.lineNumber).join(', ')} already released`));
          }
        },
      ),
    );
  });

  it('requires a tracking number to ship', () => {
    const refused = salesOrderLifecycle.check('Packed', 'Shipped', { lines: [] });
    assert.deepEqual(refused, { ok: false, code: 'TL_LIFECYCLE_GUARD_REFUSED', reason: 'a tracking number is required to ship' });
    assert.equal(salesOrderLifecycle.can('Packed', 'PartiallyShipped', { trackingNumber: '' }), false);
    assert.equal(salesOrderLifecycle.can('Packed', 'Shipped', { trackingNumber: '1Z999' }), true);
    assert.equal(salesOrderLifecycle.can('PartiallyShipped', 'Shipped', { shipments: [{ trackingNumber: '1Z999' }] }), true);
  });

  it('takes a SalesOrder document as its guard context', () => {
    fc.assert(
      fc.property(salesOrderArb, (order) => {
        const context: SalesOrderLifecycleContext = order;
        const anyReleased = order.lines.some((l) => (releasedLineStatuses as readonly string[]).includes(l.status));
        assert.equal(salesOrderLifecycle.can('Allocated', 'Cancelled', context), !anyReleased);
      }),
      { numRuns: 50 },
    );
  });

  it('leaves OnHold only once every hold is released', () => {
    const held = { holds: [{ code: 'credit_hold' }, { code: 'manual', releasedAt: '2025-03-01T10:00:00Z' }] };
    assert.deepEqual(salesOrderLifecycle.check('OnHold', 'Accepted', held), {
      ok: false,
      code: 'TL_LIFECYCLE_GUARD_REFUSED',
      reason: 'order still has active hold(s): credit_hold',
    });
    assert.equal(salesOrderLifecycle.can('OnHold', 'Rejected', held), true);
    assert.equal(salesOrderLifecycle.can('Accepted', 'OnHold'), true);
  });
});

describe('purchase order lifecycle', () => {
  it('allows every declared transition when guards pass and refuses every other pair', () => {
    checkTable(purchaseOrderLifecycle, passingPurchaseOrder);
  });

  it('reaches every state from Draft and ends only in Closed and Cancelled', () => {
    assert.deepEqual([...reachable(purchaseOrderLifecycle)].sort(), [...purchaseOrderStates].sort());
    assert.deepEqual(purchaseOrderStates.filter((s) => purchaseOrderLifecycle.isTerminal(s)).sort(), ['Cancelled', 'Closed']);
  });

  it('cannot be cancelled once shipped, nor after anything was received', () => {
    for (const state of ['Shipped', 'PartiallyReceived', 'Received', 'Invoiced', 'Matched', 'Disputed', 'Closed'] as const) {
      assert.equal(purchaseOrderLifecycle.check(state, 'Cancelled', passingPurchaseOrder).ok, false, state);
    }
    const received = purchaseOrderLifecycle.check('Acknowledged', 'Cancelled', { lines: [{ lineNumber: 2, quantityReceived: '5' }] });
    assert.deepEqual(received, { ok: false, code: 'TL_LIFECYCLE_GUARD_REFUSED', reason: 'line(s) 2 already received' });
  });

  it('takes a PurchaseOrder document as its guard context', () => {
    fc.assert(
      fc.property(purchaseOrderArb, (po) => {
        const context: PurchaseOrderLifecycleContext = po;
        const anyReceived = po.lines.some((l) => l.quantityReceived !== undefined && !/^0+(?:\.0+)?$/.test(l.quantityReceived));
        assert.equal(purchaseOrderLifecycle.can('Published', 'Cancelled', context), !anyReceived);
        assert.equal(purchaseOrderLifecycle.can('Draft', 'Approved', context), true);
      }),
      { numRuns: 50 },
    );
  });

  it('cannot approve an empty purchase order', () => {
    assert.equal(purchaseOrderLifecycle.check('Draft', 'Approved', { lines: [] }).ok, false);
  });

  it('random walks only ever take allowed steps', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (choices) => {
        let state = purchaseOrderLifecycle.initial;
        for (const choice of choices) {
          const next = purchaseOrderLifecycle.allowedFrom(state);
          if (next.length === 0) break;
          const to = next[choice % next.length]!;
          assert.deepEqual(purchaseOrderLifecycle.check(state, to, passingPurchaseOrder), { ok: true });
          state = to;
        }
      }),
    );
  });
});
