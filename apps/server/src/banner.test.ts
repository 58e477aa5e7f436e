import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reachableUrl, startBanner } from './banner.js';

test('a wildcard listen address is shown as localhost', () => {
  assert.equal(reachableUrl('http://0.0.0.0:3000'), 'http://localhost:3000');
  assert.equal(reachableUrl('http://[::]:3000'), 'http://localhost:3000');
  assert.equal(reachableUrl('http://127.0.0.1:3000'), 'http://127.0.0.1:3000');
});

test('the banner lists simulators, demo keys and curl commands for a customer not on hold', () => {
  const text = startBanner({
    version: '1.2.3',
    hubUrl: 'http://localhost:3000',
    simulators: [{ name: 'ERP', url: 'http://127.0.0.1:4101', admin: ['GET /admin/stats'] }],
    configured: [{ name: 'WMS', url: 'http://wms.internal:8080' }],
    demo: {
      tenantId: 'demo',
      catalog: { parties: 1, items: 1, prices: 1, inventory: 1 },
      suppliers: [],
      customers: [
        { accountNumber: '4244', name: 'Held Co', partnerId: 'pty_1', onHold: true, apiKey: 'tlk_held' },
        { accountNumber: '4245', name: 'Good Co', partnerId: 'pty_2', onHold: false, apiKey: 'tlk_good' },
      ],
    },
  });
  assert.match(text, /ERP simulator +http:\/\/127\.0\.0\.1:4101 +admin: GET \/admin\/stats/);
  assert.match(text, /WMS +http:\/\/wms\.internal:8080 +\(configured\)/);
  assert.match(text, /4244 +Held Co +tlk_held +\(on credit hold/);
  assert.match(text, /export TL=http:\/\/localhost:3000\/v1\/customer KEY=tlk_good/);
  assert.match(text, /Idempotency-Key: po-1001/);
});

test('the banner lists supplier keys, marks the simulated ones, and shows how to play one that is not', () => {
  const text = startBanner({
    version: '1.2.3',
    hubUrl: 'http://localhost:3000',
    simulators: [],
    demo: {
      tenantId: 'demo',
      catalog: { parties: 1, items: 1, prices: 1, inventory: 1 },
      customers: [],
      suppliers: [
        { accountNumber: '5101', name: 'Midwest', partnerId: 'pty_m', onHold: false, apiKey: 'tlk_mid' },
        { accountNumber: '5105', name: 'CleanPro', partnerId: 'pty_c', onHold: false, apiKey: 'tlk_clean' },
      ],
      staff: { accountNumber: 'ops', name: 'Operations', partnerId: '', onHold: false, apiKey: 'tlk_ops' },
    },
  });
  assert.match(text, /5101 +Midwest +tlk_mid +\(simulated: reliable\)/);
  assert.match(text, /5105 +CleanPro +tlk_clean\n/);
  assert.match(text, /export SUP=http:\/\/localhost:3000\/v1\/supplier SKEY=tlk_clean/);
  assert.match(text, /OKEY=tlk_ops/);
});

test('without order-to-cash the banner has no keys', () => {
  const text = startBanner({ version: '1.2.3', hubUrl: 'http://localhost:3000', simulators: [] });
  assert.doesNotMatch(text, /API key/);
  assert.match(text, /Tradelane 1\.2\.3 is running/);
});
