/**
 * Test harness: a real OpenSSH `sshd` on loopback, started by the test as the current user with its own host key,
 * authorized key and config in a temporary folder, and stopped (by its process id) afterwards. The first port serves
 * SFTP read-write, the second one read-only (`internal-sftp -R`, every write is "permission denied").
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupService, requireServices, type ServiceLookup } from '@tradelane/testkit';

/** Where sshd is looked for when `TRADELANE_TEST_SSHD` is not set. */
export const DEFAULT_SSHD = '/usr/sbin/sshd';

/**
 * Finds the sshd binary: `TRADELANE_TEST_SSHD`, else `/usr/sbin/sshd` when it exists. Absent: the suite is skipped
 * with a printed reason, or fails when `TRADELANE_REQUIRE_SERVICES=1`.
 */
export function lookupSshd(): ServiceLookup {
  if (!process.env.TRADELANE_TEST_SSHD && existsSync(DEFAULT_SSHD)) return { available: true, value: DEFAULT_SSHD };
  const found = lookupService('TRADELANE_TEST_SSHD', 'OpenSSH SFTP');
  if (!found.available) return found;
  if (!existsSync(found.value)) {
    const reason = `OpenSSH SFTP tests skipped: TRADELANE_TEST_SSHD=${found.value} does not exist`;
    if (requireServices) throw new Error(`${reason}, and TRADELANE_REQUIRE_SERVICES=1 requires it`);
    console.log(`# ${reason}`);
    return { available: false, skip: reason };
  }
  return found;
}

/** A running test sshd. */
export interface TestSshd {
  readonly host: '127.0.0.1';
  /** Read-write SFTP. */
  readonly port: number;
  /** Read-only SFTP (writes are denied). */
  readonly readOnlyPort: number;
  /** The user sshd runs as (and accepts). */
  readonly username: string;
  /** A private key sshd accepts. */
  readonly privateKey: string;
  /** A well-formed private key sshd does not accept. */
  readonly unknownPrivateKey: string;
  /** SHA-256 fingerprint of the host key, `SHA256:…`. */
  readonly hostFingerprint: string;
  /** A folder for the test's files (readable over SFTP by its absolute path). */
  readonly dataDir: string;
  /** Process id of the listening sshd. */
  readonly pid: number;
  /** Stops sshd (SIGTERM to its process id, SIGKILL after 5 s) and removes the temporary folder. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function keygen(path: string): void {
  const run = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tradelane-test', '-f', path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ssh-keygen failed for ${path}: ${run.stderr || run.error?.message}`);
}

function fingerprintOf(pubPath: string): string {
  const run = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath], { encoding: 'utf8' });
  const m = /SHA256:[A-Za-z0-9+/]{43}/.exec(run.stdout);
  if (run.status !== 0 || !m) throw new Error(`ssh-keygen -l failed for ${pubPath}: ${run.stderr}`);
  return m[0];
}

/** Process ids whose parent is `pid` (Linux /proc; empty elsewhere). */
function childrenOf(pid: number): number[] {
  if (!existsSync('/proc')) return [];
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * Starts sshd on two free loopback ports and waits until it listens.
 * @example const sshd = await startSshd(lookup.value); after(() => sshd.stop());
 */
export async function startSshd(sshdPath: string): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-sshd-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  keygen(join(dir, 'host_ed25519'));
  keygen(join(dir, 'user_ed25519'));
  keygen(join(dir, 'other_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_ed25519.pub')));
  // sshd running as root insists on its privilege separation folder.
  if (process.getuid?.() === 0 && !existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const readOnlyPort = await freePort();
  const config = join(dir, 'sshd_config');
  const lines = [
    `Port ${port}`,
    `Port ${readOnlyPort}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'LogLevel INFO',
    'Subsystem sftp internal-sftp',
    `Match LocalPort ${readOnlyPort}`,
    '  ForceCommand internal-sftp -R',
  ];
  // OpenSSH 9.8+ penalises sources with failed logins; the bad-credential tests must not lock the others out.
  writeFileSync(config, ['PerSourcePenalties no', ...lines].join('\n') + '\n');
  if (spawnSync(sshdPath, ['-t', '-f', config], { encoding: 'utf8' }).status !== 0) writeFileSync(config, lines.join('\n') + '\n');
  const check = spawnSync(sshdPath, ['-t', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd refuses the test config: ${check.stderr}`);

  const child: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start listening within 10 s:\n${log}`)), 10_000);
    const listening = new Set<number>();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
      for (const m of chunk.matchAll(/Server listening on 127\.0\.0\.1 port (\d+)/g)) listening.add(Number(m[1]));
      if (listening.has(port) && listening.has(readOnlyPort)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code} before listening:\n${log}`));
    });
  });
  const pid = child.pid as number;
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    readOnlyPort,
    username: (await import('node:os')).userInfo().username,
    privateKey: readFileSync(join(dir, 'user_ed25519'), 'utf8'),
    unknownPrivateKey: readFileSync(join(dir, 'other_ed25519'), 'utf8'),
    hostFingerprint: fingerprintOf(join(dir, 'host_ed25519.pub')),
    dataDir,
    pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        // Let the per-connection sshd processes end first (their clients have disconnected), so the listener reaps them.
        for (let i = 0; i < 50 && childrenOf(pid).length > 0; i += 1) await new Promise((r) => setTimeout(r, 20));
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
