/**
 * In-memory exception desk for the operations API tests: claims, resolutions and an audit history, with the
 * conflicts the real desk raises (claimed by someone else, already resolved) and the actions each exception allows.
 */
import type { FastifyInstance } from 'fastify';
import {
  ConflictError,
  InputError,
  NotFoundError,
  type ExceptionDesk,
  type ExceptionQuery,
  type ExceptionResolution,
  type ExceptionView,
  type ResultPage,
  type TenantContext,
} from '@tradelane/core';
import { buildApp } from '../app.js';
import { MemoryAuditLog } from '../audit/audit.test-support.js';
import { FakeIdempotencyStore, captureLogger } from '../customer/customer.test-support.js';
import { FakeP2pApiKeys, FakeProcureToPay, NOW, TENANT, fakeId } from '../supplier/supplier.test-support.js';
import type { OpsRoutesDeps } from './ops.routes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exception desk in memory (one tenant's exceptions, keyed by id). */
export class FakeExceptionDesk implements ExceptionDesk {
  readonly exceptions = new Map<string, { tenantId: string; value: ExceptionView }>();
  readonly calls = { list: 0, claim: 0, resolve: 0 };
  /** The last query the listing received. */
  lastQuery: ExceptionQuery | undefined;
  /** Delay of resolve, to make concurrent requests overlap. */
  resolveDelayMs = 0;
  private seq = 100;

  /** Stores an exception (what the process would have raised): an out-of-tolerance acknowledgment by default. */
  seed(view: Partial<ExceptionView> = {}): ExceptionView {
    this.seq += 1;
    const e: ExceptionView = {
      id: fakeId('exc', this.seq),
      type: 'acknowledgment_out_of_tolerance',
      ownerRole: 'buyer',
      status: 'Open',
      subject: { kind: 'purchase_order', id: fakeId('po', 1), number: 'PO-7001' },
      supplierId: 'pty_supplier_a',
      summary: 'PO-7001 line 1: quantity -12.0% exceeds -5%',
      evidence: { ordered: [{ lineNumber: 1, quantity: '100', unitPrice: '4.25' }], acknowledged: [{ lineNumber: 1, quantity: '88', unitPrice: '4.25' }] },
      actions: ['accept_change', 'reject_change', 'counter'],
      sla: { dueAt: '2026-03-11T08:00:00.000Z', state: 'ok' },
      createdAt: '2026-03-10T07:00:00.000Z',
      history: [{ at: '2026-03-10T07:00:00.000Z', actor: 'system', action: 'raised' }],
      ...view,
    };
    this.exceptions.set(e.id, { tenantId: TENANT, value: e });
    return e;
  }

  private find(ctx: TenantContext, id: string): ExceptionView | null {
    const row = this.exceptions.get(id);
    return row && row.tenantId === ctx.tenantId ? row.value : null;
  }

  private require(ctx: TenantContext, id: string): ExceptionView {
    const e = this.find(ctx, id);
    if (!e) throw new NotFoundError('TL_EXCEPTION_NOT_FOUND', `No exception ${id}.`);
    if (e.status === 'Resolved') throw new ConflictError('TL_EXCEPTION_RESOLVED', `Exception ${id} is already resolved.`);
    if (e.status === 'Claimed' && e.claimedBy !== ctx.actor.id) {
      throw new ConflictError('TL_EXCEPTION_CLAIMED', `Exception ${id} is claimed by ${e.claimedBy}.`, { claimedBy: e.claimedBy });
    }
    return e;
  }

  async list(ctx: TenantContext, query: ExceptionQuery): Promise<ResultPage<ExceptionView>> {
    this.calls.list += 1;
    this.lastQuery = query;
    const all = [...this.exceptions.values()]
      .filter((r) => r.tenantId === ctx.tenantId)
      .map((r) => r.value)
      .filter((e) => (!query.type || e.type === query.type) && (!query.ownerRole || e.ownerRole === query.ownerRole))
      .filter((e) => (!query.slaState || e.sla.state === query.slaState) && (!query.status || e.status === query.status));
    const start = query.cursor ? Number(query.cursor) : 0;
    const n = query.limit ?? 50;
    return { items: all.slice(start, start + n), nextCursor: start + n < all.length ? String(start + n) : null };
  }

  async get(ctx: TenantContext, exceptionId: string): Promise<ExceptionView | null> {
    return this.find(ctx, exceptionId);
  }

  async claim(ctx: TenantContext, exceptionId: string): Promise<ExceptionView> {
    this.calls.claim += 1;
    const e = this.require(ctx, exceptionId);
    if (e.status === 'Claimed') return e;
    e.status = 'Claimed';
    e.claimedBy = ctx.actor.id;
    e.history.push({ at: NOW, actor: ctx.actor.id, action: 'claimed' });
    return e;
  }

  async resolve(ctx: TenantContext, exceptionId: string, resolution: ExceptionResolution): Promise<ExceptionView> {
    this.calls.resolve += 1;
    if (this.resolveDelayMs) await sleep(this.resolveDelayMs);
    const e = this.require(ctx, exceptionId);
    if (!e.actions.includes(resolution.action)) {
      throw new InputError('TL_EXCEPTION_ACTION_UNKNOWN', `"${resolution.action}" is not an action of this exception.`, { allowed: e.actions });
    }
    e.status = 'Resolved';
    e.claimedBy ??= ctx.actor.id;
    e.resolvedAt = NOW;
    e.resolution = { action: resolution.action, by: ctx.actor.id, ...(resolution.note ? { note: resolution.note } : {}) };
    e.history.push({ at: NOW, actor: ctx.actor.id, action: resolution.action, ...(resolution.note ? { note: resolution.note } : {}) });
    return e;
  }
}

/** The whole app with the operations tree (and the supplier tree, to show they stay apart) wired to in-memory ports. */
export async function opsApp(overrides: Partial<OpsRoutesDeps> = {}): Promise<{
  app: FastifyInstance;
  desk: FakeExceptionDesk;
  idempotency: FakeIdempotencyStore;
  audit: MemoryAuditLog;
  apiKeys: FakeP2pApiKeys;
}> {
  const audit = new MemoryAuditLog();
  const desk = new FakeExceptionDesk();
  const idempotency = new FakeIdempotencyStore();
  const apiKeys = new FakeP2pApiKeys();
  const p2p = new FakeProcureToPay();
  const { logger } = captureLogger();
  const app = await buildApp({
    logger,
    version: '0.0.0-test',
    readiness: { check: async () => ({}) },
    supplier: { commands: p2p, queries: p2p, idempotency, apiKeys },
    ops: { exceptions: desk, idempotency, apiKeys, ...overrides },
    audit,
  });
  return { app, desk, idempotency, audit, apiKeys };
}
