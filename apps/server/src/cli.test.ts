import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'apps/server/bin/tradelane.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

test('tradelane --help lists the commands', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /tradelane serve/);
  assert.match(r.stdout, /tradelane migrate/);
});

test('an unknown command exits 64 with a problem document', async () => {
  const r = await run(['launch']);
  assert.equal(r.code, 64);
  const p = JSON.parse(r.stderr.trim());
  assert.equal(p.code, 'TL_CLI_USAGE');
  assert.match(p.detail, /launch/);
});

test('tradelane edi validates a file: the 997 on stdout, exit 0 when valid and 1 with the error when not', async () => {
  const fixtures = join(ROOT, 'connectors/edi-x12/src/__fixtures__');
  const ok = await run(['edi', 'validate', join(fixtures, 'po-850.edi')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^ISA\*/);
  assert.match(ok.stdout, /AK5\*A~/);
  const bad = await run(['edi', 'validate', join(fixtures, 'se-count-mismatch.edi')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /SE01 says 17 segments, the set has 19/);
  assert.match(bad.stdout, /AK5\*R/);
  const usage = await run(['edi']);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /subcommand is required/);
});

test('bad configuration exits 78 with a problem+json naming each variable', async () => {
  const r = await run(['serve'], { PORT: 'abc', DATABASE_URL: 'mysql://nope' });
  assert.equal(r.code, 78);
  const p = JSON.parse(r.stderr.trim());
  assert.equal(p.code, 'TL_CONFIG_INVALID');
  assert.equal(p.type, 'https://tradelane.dev/problems/tl-config-invalid');
  assert.deepEqual(p.errors.map((e: { path: string }) => e.path).sort(), ['DATABASE_URL', 'PORT']);
});

test('tradelane migrate applies migrations once and reports status', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-cli-'));
  try {
    const first = await run(['migrate'], { TRADELANE_DATA_DIR: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied migrations: 1/);
    const second = await run(['migrate'], { TRADELANE_DATA_DIR: dir });
    assert.match(second.stdout, /up to date/);
    const status = await run(['migrate', '--status'], { TRADELANE_DATA_DIR: dir });
    assert.deepEqual(JSON.parse(status.stdout).pending, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tradelane serve answers /health within 30 s, prints the demo keys and exits 0 on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TRADELANE_DATA_DIR: dir, PORT: '0', TRADELANE_SERVER_HOST: '127.0.0.1', TRADELANE_SIM_PORT_BASE: '0' },
  });
  try {
    const started = Date.now();
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not listening after 30 s:\n${out}`)), 30_000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /"url":"(http:\/\/[^"]+)","msg":"listening"/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.ok(Date.now() - started < 30_000);
    const ready = await fetch(`${url}/ready`);
    assert.equal(ready.status, 200);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner after 30 s:\n${out}`)), 30_000);
      const check = () => {
        if (!/Stop with Ctrl-C/.test(out)) return;
        clearTimeout(t);
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });
    assert.match(out, /ERP simulator +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /Demo tenant "demo"/);
    assert.match(out, /4242 +Northwind Hardware Supply +tlk_\S+/);
    assert.match(out, /curl -sN "\$TL\/orders\/\$ORDER\/events"/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(out, /shutdown complete/);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
