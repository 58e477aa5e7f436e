/**
 * Test harness of the EDI supplier channel: a real OpenSSH sshd on loopback (the partner's SFTP server, its folders
 * on the local disk), and procure-to-pay wired as in the worker — a real database, the ERP simulator over HTTP, the
 * outbox relay and the flow engine — with the `edi-850` channel and the EDI message store.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, createLocalTransport, createRelay, defineConsumers, type Relay } from '@tradelane/bus';
import { erpSimConnector, startErpSim, type ErpSim } from '@tradelane/connector-erp-sim';
import { silentLog } from '@tradelane/connector-kit';
import { systemClock, type TenantContext } from '@tradelane/core';
import { createFlowEngine, createOrderToCash, createProcureToPay, type FlowEngine, type ProcureToPay, type ProcureToPayDeps } from '@tradelane/flows';
import { createEdiMessageRepo, createFlowStore, createOrderToCashStore, createProcureToPayStore, createStore, type Database, type EdiMessageRepo, type ProcureToPayStoreTx, type Store } from '@tradelane/store';
import { lookupService, manualClock, requireServices, type ManualClock, type ServiceLookup } from '@tradelane/testkit';

/** The sshd binary from `TRADELANE_TEST_SSHD` (skip with the reason printed when absent; fail when services are required). */
export function lookupTestSshd(): ServiceLookup {
  const found = lookupService('TRADELANE_TEST_SSHD', 'OpenSSH SFTP');
  if (!found.available || existsSync(found.value)) return found;
  const reason = `OpenSSH SFTP tests skipped: TRADELANE_TEST_SSHD=${found.value} does not exist`;
  if (requireServices) throw new Error(`${reason}, and TRADELANE_REQUIRE_SERVICES=1 requires it`);
  console.log(`# ${reason}`);
  return { available: false, skip: reason };
}

/** A running test sshd. */
export interface TestSftpServer {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly hostFingerprint: string;
  /** A local folder the server serves by its absolute path. */
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function keygen(path: string): void {
  const run = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tradelane-test', '-f', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ssh-keygen failed for ${path}: ${run.stderr || run.error?.message}`);
}

/** Starts sshd (key login, internal-sftp) on a free loopback port and waits until it listens. */
export async function startTestSftpServer(sshdPath: string): Promise<TestSftpServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-edi-sshd-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'user_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_ed25519.pub')));
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  const lines = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'MaxStartups 100:30:200',
    'LogLevel INFO',
    'Subsystem sftp internal-sftp',
  ];
  writeFileSync(config, ['PerSourcePenalties no', ...lines].join('\n') + '\n');
  if (spawnSync(sshdPath, ['-t', '-f', config], { encoding: 'utf8' }).status !== 0) writeFileSync(config, lines.join('\n') + '\n');
  const check = spawnSync(sshdPath, ['-t', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd refuses the test config: ${check.stderr}`);
  const child: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start listening within 10 s:\n${log}`)), 10_000);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
      if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code} before listening:\n${log}`));
    });
  });
  const fp = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')], { encoding: 'utf8' });
  const hostFingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(fp.stdout)?.[0] ?? '';
  const pid = child.pid as number;
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    privateKey: readFileSync(join(dir, 'user_ed25519'), 'utf8'),
    hostFingerprint,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, 'SIGTERM');
        const killer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
        }, 5_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The tenant of the suite. */
export const TENANT = 'acme';

/** Procure-to-pay as the worker runs it, with what the EDI suite inspects. */
export interface EdiProcureToPayHarness {
  db: Database;
  store: Store;
  p2p: ProcureToPay;
  sim: ErpSim;
  erp: Awaited<ReturnType<typeof erpSimConnector.instantiate>>;
  repository: EdiMessageRepo;
  relay: Relay;
  clock: ManualClock;
  system: TenantContext;
  /** Calls the ERP connector made to record supplier acknowledgments, by PO number. */
  erpAcknowledgments: Map<string, number>;
  /** A supplier's party id, by ERP address number (e.g. 5101). */
  supplierId(an8: number): string;
  /** Creates and approves a purchase order in the ERP; resolves its number. */
  createPurchaseOrder(an8: number, lines: Array<{ LITM: string; UORG: number }>, mcu?: string): Promise<string>;
  /** Reads the ERP feed, publishes every outbox event and works off flow runs until nothing is left to do now. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds procure-to-pay on an open, migrated database with the given extra dependencies (`channels`, `tolerances`),
 * which may depend on the supplier party ids (read from the ERP before the process is built).
 */
export async function ediProcureToPayHarness(
  db: Database,
  p2pOptions: (wiring: { idOf(an8: number): string; store: Store }) => Partial<ProcureToPayDeps> | Promise<Partial<ProcureToPayDeps>>,
): Promise<EdiProcureToPayHarness> {
  const clock = manualClock(new Date(), { yieldOnSleep: true });
  const store = createStore(db, { clock });
  const o2cStore = createOrderToCashStore(store);
  const p2pStore = createProcureToPayStore(store, { watchers: o2cStore.watchers });
  const sim = await startErpSim({ port: 0, seed: 1, autoReplenish: false });
  const erp = await erpSimConnector.instantiate({ clock: systemClock, log: silentLog }, { baseUrl: sim.url, timeoutMs: 3000 });
  const erpAcknowledgments = new Map<string, number>();
  const target = erp.erpPurchasing;
  const countedAcknowledgment: typeof target.applyAcknowledgment = async (ctx, poNumber, lines) => {
    const result = await target.applyAcknowledgment(ctx, poNumber, lines);
    erpAcknowledgments.set(poNumber, (erpAcknowledgments.get(poNumber) ?? 0) + 1);
    return result;
  };
  const erpPurchasing = new Proxy(target, {
    get(t, prop) {
      if (prop === 'applyAcknowledgment') return countedAcknowledgment;
      const value: unknown = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
  const system: TenantContext = { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, scopes: ['*'], correlationId: 'corr-test' };
  const parties = (await erp.erpPurchasing.listSuppliers(system, { limit: 100 })).items;
  const idOf = (an8: number): string => {
    const party = parties.find((s) => s.code === String(an8));
    if (!party) throw new Error(`no supplier ${an8} in the ERP`);
    return party.id;
  };
  let engine: FlowEngine | undefined;
  const o2c = createOrderToCash({
    transactions: o2cStore.transactions,
    erp,
    engine: () => {
      if (!engine) throw new Error('engine not built yet');
      return engine;
    },
    tenantIds: [TENANT],
    clock,
    erpBreaker: { failureThreshold: 3, coolDownMs: 5000 },
  });
  const p2p = createProcureToPay({ transactions: p2pStore.transactions, erpPurchasing, tenantIds: [TENANT], clock, ...(await p2pOptions({ idOf, store })) });
  engine = createFlowEngine({ store: createFlowStore(db), flows: [...o2c.flows], clock, workerId: 'edi-test', pollIntervalMs: 20, maxConcurrentRuns: 4 });
  const consumers = defineConsumers<ProcureToPayStoreTx, any>({ ...o2c.consumerDefinitions, ...p2p.consumerDefinitions } as never);
  const dispatcher = createDispatcher({ consumers, transactions: p2pStore.transactions, deliveries: store.messaging.deliveries, deadLetters: store.messaging.deadLetters, clock, random: () => 0.5 });
  const relay = createRelay({ outbox: store.messaging.outbox, transport: createLocalTransport(dispatcher), dispatcher, clock, pollIntervalMs: 20 });
  await o2c.syncCatalog(system);
  const built = engine;
  return {
    db,
    store,
    p2p,
    sim,
    erp,
    repository: createEdiMessageRepo(db, clock),
    relay,
    clock,
    system,
    erpAcknowledgments,
    supplierId: idOf,
    async createPurchaseOrder(an8, lines, mcu = 'M10') {
      const { order } = sim.engine.purchasing.createPurchaseOrder({ AN8: an8, MCU: mcu, LINES: lines });
      sim.engine.purchasing.approvePurchaseOrder(order.DOCO);
      return String(order.DOCO);
    },
    async settle() {
      for (let round = 0; round < 200; round += 1) {
        let work = 0;
        for (const poller of o2c.pollers) if (poller.name === 'erp-changes') work += await poller.runOnce();
        work += await relay.runOnce();
        work += await built.drain();
        if (work === 0) return;
      }
      throw new Error('procure-to-pay did not settle');
    },
    async close() {
      await built.stop();
      await relay.stop();
      await erp.close();
      await sim.close();
    },
  };
}
