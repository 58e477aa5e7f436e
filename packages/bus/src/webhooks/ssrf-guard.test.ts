import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotAllowedError, TransientError } from '@tradelane/core';
import { createSsrfGuard, embeddedIpv4, isForbiddenAddress } from './ssrf-guard.js';

describe('SSRF guard', () => {
  test('forbids loopback, private, ULA, link-local, CGNAT, multicast, unspecified, reserved and metadata addresses', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.100.100.200',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fc00::1',
      'fd00:ec2::254',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '2001:db8::1',
      'not-an-ip',
    ]) {
      assert.equal(isForbiddenAddress(address), true, address);
    }
  });

  test('allows public unicast addresses, also IPv4-mapped ones', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2a00:1450:4001::200e']) {
      assert.equal(isForbiddenAddress(address), false, address);
    }
    assert.equal(embeddedIpv4('::ffff:7f00:1'), '127.0.0.1');
  });

  test('refuses forbidden targets in every spelling, before any DNS or connection', async () => {
    const guard = createSsrfGuard({ resolve: async () => assert.fail('no DNS for IP literals') });
    for (const url of [
      'http://127.0.0.1/',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://localhost/',
      'http://metadata.google.internal/',
      'http://intranet/',
    ]) {
      await assert.rejects(guard.resolve(url), (err: unknown) => err instanceof NotAllowedError && err.code === 'TL_WEBHOOK_TARGET_FORBIDDEN', url);
    }
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'http://user:pw@example.com/', 'not a url']) {
      assert.throws(() => guard.checkUrl(url), (err: unknown) => err instanceof NotAllowedError && err.code === 'TL_WEBHOOK_BAD_URL', url);
    }
  });

  test('refuses a host name that resolves to a forbidden address (any of its addresses)', async () => {
    const guard = createSsrfGuard({
      resolve: async (host) =>
        host === 'rebind.example.com'
          ? [
              { address: '93.184.216.34', family: 4 },
              { address: '127.0.0.1', family: 4 },
            ]
          : [{ address: '93.184.216.34', family: 4 }],
    });
    await assert.rejects(guard.resolve('https://rebind.example.com/hook'), /resolves to 127\.0\.0\.1/);
    assert.deepEqual(await guard.resolve('https://partner.example.com/hook'), [{ address: '93.184.216.34', family: 4 }]);
    const failing = createSsrfGuard({ resolve: async () => Promise.reject(new Error('ENOTFOUND')) });
    await assert.rejects(failing.resolve('https://gone.example.com/'), TransientError);
  });

  test('allow-listed hosts and CIDR ranges pass', async () => {
    const guard = createSsrfGuard({ allow: { cidrs: ['127.0.0.1/32', '10.20.0.0/16'], hosts: ['receiver.internal'] }, resolve: async () => [{ address: '192.168.9.9', family: 4 }] });
    assert.deepEqual(await guard.resolve('http://127.0.0.1:9999/'), [{ address: '127.0.0.1', family: 4 }]);
    assert.deepEqual(await guard.resolve('http://10.20.3.4/'), [{ address: '10.20.3.4', family: 4 }]);
    assert.equal((await guard.resolve('http://receiver.internal/')).length, 1);
    await assert.rejects(guard.resolve('http://127.0.0.2/'), /TL_WEBHOOK_TARGET_FORBIDDEN|loopback/);
    await assert.rejects(guard.resolve('http://10.21.0.1/'));
  });
});
