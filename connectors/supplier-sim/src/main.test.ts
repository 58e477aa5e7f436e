import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadSupplierSimConfig } from './main.js';
import { startFakeSupplierHub } from './supplier-hub.test-support.js';

async function writeConfig(config: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'supplier-sim-'));
  const path = join(dir, 'suppliers.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

test('a config file resolves listed and generated suppliers; --hub wins; bad fields are named', async () => {
  const path = await writeConfig({ hubUrl: 'http://127.0.0.1:1', suppliers: [{ supplierId: 'a', apiKey: 'k', preset: 'rejecter' }], generate: { count: 4, mix: { reliable: 1 } }, timeScale: 0.5 });
  const loaded = await loadSupplierSimConfig(path, 'http://127.0.0.1:2');
  assert.equal(loaded.hubUrl, 'http://127.0.0.1:2');
  assert.deepEqual(loaded.suppliers.map((s) => s.preset), ['rejecter', 'reliable', 'reliable', 'reliable', 'reliable']);
  await assert.rejects(loadSupplierSimConfig(await writeConfig({ suppliers: [{ supplierId: 'a', apiKey: 'k', preset: 'nope' }] })), /suppliers\.0\.preset/);
  await assert.rejects(loadSupplierSimConfig(await writeConfig({ suppliers: [] })), /hubUrl is missing/);
  await assert.rejects(loadSupplierSimConfig(join(tmpdir(), 'does-not-exist.json')), /cannot read/);
});

test('the simulator runs alone against a hub and prints its stats', async () => {
  const hub = await startFakeSupplierHub({ keys: { 'key-a': 'sup_a' } });
  hub.addPurchaseOrder('sup_a', { poNumber: 'PO-1', lines: [{ sku: 'A', quantity: '10', unitPrice: '1.00' }] });
  const path = await writeConfig({ suppliers: [{ supplierId: 'sup_a', apiKey: 'key-a' }], timeScale: 0.001, pollIntervalMs: 20_000 });
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--config', path, '--hub', hub.url, '--until-idle', '--report-ms', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (l) => lines.push(l));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.equal(JSON.parse(lines[0]!).service, 'supplier-sim');
    const { stats } = JSON.parse(lines.at(-1)!) as { stats: { acknowledgments: { applied: number }; invoices: { approved: number } } };
    assert.deepEqual([stats.acknowledgments.applied, stats.invoices.approved], [1, 1]);
  } finally {
    child.kill('SIGTERM');
    await hub.close();
  }
});
