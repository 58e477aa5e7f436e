import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, systemClock, systemContext, TransientError, type TenantContext } from '@tradelane/core';
import type { SalesOrder, WarehouseReleaseLike } from './contract-types.js';
import type { CapabilityName, ErpChange, Page } from '../capabilities/index.js';
import { silentLog, type ConnectorDefinition, type ConnectorDeps, type ConnectorInstance } from '../connector.js';

const REQUIRED_METHODS: Record<CapabilityName, string[]> = {
  erpMasterData: ['listCustomers', 'listItems', 'listPrices', 'listInventory', 'getCustomerCredit'],
  erpSalesOrders: ['commitOrder', 'findOrder', 'changeOrder', 'cancelOrder', 'confirmShipment'],
  erpChangeFeed: ['fetchChanges'],
  erpReturns: ['requestReturn', 'receiveReturn'],
  erpPurchasing: [
    'listSuppliers',
    'listPurchaseOrders',
    'findPurchaseOrder',
    'applyAcknowledgment',
    'recordExpectedReceipt',
    'recordReceipt',
    'recordSupplierInvoice',
    'setInvoiceMatchDecision',
  ],
  wmsFulfilment: ['releaseOrder', 'fetchEvents'],
  carrierTracking: ['track', 'fetchEvents'],
};

/** What the contract suite needs from a connector's own test. */
export interface ContractOptions<C> {
  /** A valid configuration pointing at a running instance of the external system (or its simulator). */
  config: () => C | Promise<C>;
  /** An invalid configuration and the field the error must name. */
  badConfig: { config: unknown; field: string };
  deps?: Partial<ConnectorDeps>;
  ctx?: TenantContext;
  /** A valid order for `erpSalesOrders` (known customer and items). */
  sampleOrder?: (reference: string) => SalesOrder;
  /** A release for `wmsFulfilment`. */
  sampleRelease?: (reference: string) => WarehouseReleaseLike;
  /** A tracking number the carrier knows, for `carrierTracking`. */
  knownTrackingNumber?: () => Promise<string> | string;
  /** Makes the system unreachable (stop it, point at a closed port); restored by the returned function. */
  makeUnreachable?: () => Promise<() => Promise<void>>;
}

/**
 * The shared contract every connector passes: configuration is validated with specific errors, declared
 * capabilities exist, creates are idempotent on the hub's reference, feeds page without repeats, failures are
 * classified. Call it inside the connector's own test file.
 */
export function connectorContract<C, K extends CapabilityName>(definition: ConnectorDefinition<C, K>, options: ContractOptions<C>): void {
  const deps: ConnectorDeps = { clock: systemClock, log: silentLog, ...options.deps };
  const ctx = options.ctx ?? systemContext('contract-test', 'contract');
  const open = async () => definition.instantiate(deps, await options.config()) as Promise<ConnectorInstance<K>>;
  const has = (c: CapabilityName) => (definition.capabilities as readonly CapabilityName[]).includes(c);

  describe(`connector contract: ${definition.id}`, () => {
    test('bad configuration is refused with TL_CONNECTOR_CONFIG_INVALID naming the field', async () => {
      await assert.rejects(definition.instantiate(deps, options.badConfig.config), (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.code, 'TL_CONNECTOR_CONFIG_INVALID');
        const errors = (e.details?.errors ?? []) as Array<{ path: string }>;
        assert.ok(errors.some((x) => x.path === options.badConfig.field), `error names ${options.badConfig.field}: ${JSON.stringify(errors)}`);
        return true;
      });
    });

    test('every declared capability is present with its methods; health answers; close is idempotent', async () => {
      const inst = await open();
      try {
        for (const cap of definition.capabilities) {
          const obj = (inst as unknown as Record<string, Record<string, unknown>>)[cap];
          for (const m of REQUIRED_METHODS[cap]) assert.equal(typeof obj?.[m], 'function', `${cap}.${m}`);
        }
        const h = await inst.health();
        assert.equal(h.ok, true, h.detail);
      } finally {
        await inst.close();
        await inst.close();
      }
    });

    if (has('erpSalesOrders') && options.sampleOrder) {
      test('commitOrder is idempotent on the reference: a retry returns the same ERP order, flagged duplicate', async () => {
        const inst = (await open()) as unknown as ConnectorInstance<'erpSalesOrders'>;
        try {
          const reference = `so_contract${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
          const order = options.sampleOrder!(reference);
          const first = await inst.erpSalesOrders.commitOrder(ctx, order, reference);
          assert.equal(first.duplicate, false);
          const again = await inst.erpSalesOrders.commitOrder(ctx, order, reference);
          assert.equal(again.duplicate, true);
          assert.equal(again.record.erpOrderNumber, first.record.erpOrderNumber);
          const found = await inst.erpSalesOrders.findOrder(ctx, reference);
          assert.equal(found?.erpOrderNumber, first.record.erpOrderNumber);
          assert.equal(await inst.erpSalesOrders.findOrder(ctx, `${reference}x`), null);
        } finally {
          await inst.close();
        }
      });
    }

    if (has('erpChangeFeed')) {
      test('the change feed pages forward without repeating a change', async () => {
        const inst = (await open()) as unknown as ConnectorInstance<'erpChangeFeed'>;
        try {
          const seen = new Set<string>();
          let cursor: string | null = null;
          for (let i = 0; i < 50; i++) {
            const page: Page<ErpChange> = await inst.erpChangeFeed.fetchChanges(ctx, { cursor, limit: 25 });
            for (const c of page.items) {
              const key = JSON.stringify(c);
              assert.ok(!seen.has(key), 'no change is returned twice');
              seen.add(key);
            }
            if (page.items.length === 0 || page.nextCursor === null) break;
            cursor = page.nextCursor;
          }
        } finally {
          await inst.close();
        }
      });
    }

    if (has('wmsFulfilment') && options.sampleRelease) {
      test('releaseOrder is idempotent on the reference', async () => {
        const inst = (await open()) as unknown as ConnectorInstance<'wmsFulfilment'>;
        try {
          const reference = `rel_contract${Date.now().toString(36)}`;
          const first = await inst.wmsFulfilment.releaseOrder(ctx, options.sampleRelease!(reference) as never);
          const again = await inst.wmsFulfilment.releaseOrder(ctx, options.sampleRelease!(reference) as never);
          assert.equal(first.duplicate, false);
          assert.equal(again.duplicate, true);
          assert.equal(again.record.wmsOrderId, first.record.wmsOrderId);
        } finally {
          await inst.close();
        }
      });
    }

    if (has('carrierTracking') && options.knownTrackingNumber) {
      test('tracking events come back normalised and in time order', async () => {
        const inst = (await open()) as unknown as ConnectorInstance<'carrierTracking'>;
        try {
          const events = await inst.carrierTracking.track(ctx, await options.knownTrackingNumber!());
          assert.ok(events.length > 0);
          const statuses = new Set(['InfoReceived', 'InTransit', 'OutForDelivery', 'Delivered', 'Exception', 'ReturnedToSender']);
          for (const e of events) assert.ok(statuses.has(e.status), e.status);
          for (let i = 1; i < events.length; i++) assert.ok(Date.parse(events[i - 1]!.occurredAt) <= Date.parse(events[i]!.occurredAt));
        } finally {
          await inst.close();
        }
      });
    }

    if (options.makeUnreachable) {
      test('an unreachable system is a transient failure (retried, never dead-lettered at once)', async () => {
        const inst = await open();
        const restore = await options.makeUnreachable!();
        try {
          const h = await inst.health();
          assert.equal(h.ok, false);
          const firstCap = definition.capabilities[0]!;
          const all = inst as unknown as ConnectorInstance<CapabilityName>;
          const probes: Record<CapabilityName, () => Promise<unknown>> = {
            erpMasterData: () => all.erpMasterData.listItems(ctx, { limit: 1 }),
            erpSalesOrders: () => all.erpSalesOrders.findOrder(ctx, 'so_x'),
            erpChangeFeed: () => all.erpChangeFeed.fetchChanges(ctx, { limit: 1 }),
            erpReturns: () => all.erpMasterData.listItems(ctx, { limit: 1 }),
            erpPurchasing: () => all.erpPurchasing.listPurchaseOrders(ctx, { limit: 1 }),
            wmsFulfilment: () => all.wmsFulfilment.fetchEvents(ctx, { limit: 1 }),
            carrierTracking: () => all.carrierTracking.fetchEvents(ctx, { limit: 1 }),
          };
          const call = probes[firstCap];
          await assert.rejects(call(), (e: unknown) => e instanceof TransientError);
        } finally {
          await restore();
          await inst.close();
        }
      });
    }
  });
}
