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

test('without order-to-cash the banner has no keys', () => {
  const text = startBanner({ version: '1.2.3', hubUrl: 'http://localhost:3000', simulators: [] });
  assert.doesNotMatch(text, /API key/);
  assert.match(text, /Tradelane 1\.2\.3 is running/);
});
