import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseCarrierSimArgs } from './main.js';

test('the command line is read strictly', () => {
  assert.deepEqual(parseCarrierSimArgs(['--carrier', 'freightlink', '--port', '4102', '--seed', '5', '--scenario', 'REF-9=return_to_sender']), {
    kind: 'freightlink',
    port: 4102,
    host: '127.0.0.1',
    seed: 5,
    scenarios: { 'REF-9': 'return_to_sender' },
  });
  assert.throws(() => parseCarrierSimArgs(['--carrier', 'ups']), /usage/);
  assert.throws(() => parseCarrierSimArgs(['--carrier', 'parcelo', '--port', 'x']), /usage/);
  assert.throws(() => parseCarrierSimArgs(['--carrier', 'parcelo', '--scenario', 'REF=lost']), /usage/);
});

test('the simulator runs alone: prints its URL and answers', async () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--carrier', 'parcelo', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const { url, scac } = JSON.parse(line) as { url: string; scac: string };
    assert.equal(scac, 'PRCL');
    assert.deepEqual(await (await fetch(`${url}/health`)).json(), { ok: true, carrier: 'Parcelo' });
  } finally {
    child.kill('SIGTERM');
  }
});
