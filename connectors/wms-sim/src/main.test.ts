import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseWmsSimArgs } from './main.js';

test('the command line is read strictly', () => {
  assert.deepEqual(
    parseWmsSimArgs(['--port', '4201', '--carrier', 'PRCL=http://127.0.0.1:4101', '--carrier', 'FRLK=http://127.0.0.1:4102', '--short', 'SKU-B=2', '--auto-ms', '500', '--inbound-receive-ms', '3000']),
    {
      port: 4201,
      host: '127.0.0.1',
      seed: 1,
      carrierUrls: { PRCL: 'http://127.0.0.1:4101', FRLK: 'http://127.0.0.1:4102' },
      autoAdvanceMs: 500,
      shortPicks: { 'SKU-B': 2 },
      maxLinesPerShipment: 0,
      inboundReceiveMs: 3000,
    },
  );
  assert.throws(() => parseWmsSimArgs(['--carrier', 'parcelo']), /usage/);
  assert.throws(() => parseWmsSimArgs(['--port', '-1']), /usage/);
  assert.throws(() => parseWmsSimArgs(['--short', 'SKU-B']), /usage/);
});

test('the simulator runs alone: prints its URL and answers', async () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--carrier', 'PRCL=http://127.0.0.1:9'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    assert.deepEqual(await (await fetch(`${url}/wms/api/health`)).json(), { status: 'UP' });
  } finally {
    child.kill('SIGTERM');
  }
});
