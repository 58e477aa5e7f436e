/** A whole hub for HTTP tests: temp PGlite folder, simulators on free ports, short poll intervals. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import type { DemoCustomer } from './demo-keys.js';
import { startServer, type RunningServer } from './server.js';

/** The environment of a test hub (overridable per test). */
export const TEST_ENV: Record<string, string> = {
  PORT: '0',
  TRADELANE_SERVER_HOST: '127.0.0.1',
  TRADELANE_SIM_PORT_BASE: '0',
  TRADELANE_SIM_WMS_ADVANCE_MS: '0',
  TRADELANE_SIM_ADVANCE_MS: '0',
  TRADELANE_BUS_POLL_INTERVAL_MS: '20',
  TRADELANE_FLOWS_POLL_INTERVAL_MS: '20',
  TRADELANE_O2C_POLL_INTERVAL_MS: '200',
  TRADELANE_ERP_TIMEOUT_MS: '2000',
  TRADELANE_LOG_LEVEL: 'warn',
};

/** A running test hub. */
export interface TestHub {
  server: RunningServer;
  dir: string;
  /** Demo customers by account number. */
  customers: Map<string, DemoCustomer>;
  /** Log lines at warn and above (for failure messages). */
  logs: string[];
  /** Stops the hub; `keepData` leaves the data folder for a restart. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts a hub on `dir` (default: a new temp folder) and waits for the demo tenant. */
export async function startTestHub(env: Record<string, string> = {}, dir = mkdtempSync(join(tmpdir(), 'tl-hub-'))): Promise<TestHub> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({ ...TEST_ENV, TRADELANE_DATA_DIR: dir, ...env });
  const server = await startServer(config, { logger: pino({ level: config.log.level }, stream) });
  let closed = false;
  const close = async (options: { keepData?: boolean } = {}) => {
    if (!closed) {
      closed = true;
      await server.shutdown('test done');
    }
    if (!options.keepData) rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!server.demo) throw new Error('the hub runs without order-to-cash');
    const demo = await server.demo;
    return { server, dir, customers: new Map(demo.customers.map((c) => [c.accountNumber, c])), logs, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A JSON answer. */
export interface JsonAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the customer API with `apiKey`. */
export async function customerCall<T = any>(hub: TestHub, apiKey: string, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  return hubCall<T>(hub, apiKey, method, `/v1/customer${path}`, body, headers);
}

/** Calls any hub route (`/v1/supplier/…`, `/v1/ops/…`) with `apiKey`. */
export async function hubCall<T = any>(hub: TestHub, apiKey: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const res = await fetch(`${hub.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** GETs a URL of a simulator (admin and list endpoints) and parses the JSON. */
export async function simGet<T = any>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Sends JSON to a simulator's admin endpoint. */
export async function simSend<T = any>(method: 'PATCH' | 'PUT' | 'POST', url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` naming `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
