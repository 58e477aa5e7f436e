/**
 * SSRF protection for outbound calls: a target URL's host is resolved and every address it resolves to must be
 * public. Loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, unspecified, reserved and cloud metadata
 * addresses are refused, in IPv4 and IPv6 (IPv4-mapped and NAT64 forms included), unless allow-listed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { NotAllowedError, TransientError } from '@tradelane/core';

/** Code of a refused target. */
export const WEBHOOK_TARGET_FORBIDDEN = 'TL_WEBHOOK_TARGET_FORBIDDEN';

const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const BLOCKED_V6: ReadonlyArray<readonly [string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64 (checked on the embedded IPv4 too)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID …)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds arbitrary IPv4)
  ['fc00::', 7], // unique local (ULA), incl. AWS metadata fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];
/** Host names that name metadata services or this machine whatever they resolve to. */
const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata|metadata\.google\.internal|metadata\.goog|instance-data|instance-data\.ec2\.internal)\.?$/i;

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

function expandV6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = text.includes('::') ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array.from({ length: fill }, () => '0'), ...t].map((g) => parseInt(g || '0', 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** The IPv4 address embedded in an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address. */
export function embeddedIpv4(address: string): string | undefined {
  const g = expandV6(address);
  if (!g) return undefined;
  const mapped = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0;
  if (!mapped && !nat64) return undefined;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}

/**
 * True when an IP address (v4 or v6, without brackets) is not a public unicast address: loopback, private, ULA,
 * link-local, CGNAT, multicast, unspecified, documentation, reserved or metadata, also behind IPv4-mapped forms.
 * Anything that is not a parseable IP counts as forbidden.
 * @example isForbiddenAddress('::ffff:127.0.0.1') // true
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== undefined) return blocked.check(v4, 'ipv4') || v4 === '0.0.0.0';
    return blocked.check(bare, 'ipv6');
  }
  return true;
}

/** Hosts and networks exempt from the guard (for tests, or a partner reachable only over a private link). */
export interface SsrfAllowList {
  /** Exact host names (case-insensitive) or IP addresses allowed whatever they resolve to. */
  readonly hosts?: readonly string[] | undefined;
  /** CIDR ranges (`10.20.0.0/16`, `fd12::/64`, `127.0.0.1/32`) whose addresses are allowed. */
  readonly cidrs?: readonly string[] | undefined;
}

/** Resolves host names; the default is `dns.lookup` with `all: true`. */
export type ResolveHost = (hostname: string) => Promise<readonly LookupAddress[]>;

/** The guard used before and during every outbound webhook call. */
export interface SsrfGuard {
  /**
   * Checks a URL without resolving it: scheme http(s), no credentials, a host that is not a forbidden IP literal or
   * name. Throws a {@link NotAllowedError} `TL_WEBHOOK_TARGET_FORBIDDEN` (or `TL_WEBHOOK_BAD_URL`) otherwise.
   */
  checkUrl(url: string): URL;
  /**
   * Checks the URL and resolves its host; throws `TL_WEBHOOK_TARGET_FORBIDDEN` when any address is forbidden.
   * @returns the addresses a connection may use
   */
  resolve(url: string): Promise<readonly LookupAddress[]>;
  /** A `lookup` for `http.request` that only ever hands out checked addresses (no DNS-rebinding window). */
  readonly lookup: LookupFunction;
}

function parseCidr(cidr: string): { net: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [net = '', prefixText] = cidr.split('/');
  const family = isIP(net);
  if (family === 0) throw new TypeError(`not a CIDR range: ${cidr}`);
  const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) throw new TypeError(`not a CIDR range: ${cidr}`);
  return { net, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

function forbidden(message: string, details: Record<string, unknown>): NotAllowedError {
  return new NotAllowedError(WEBHOOK_TARGET_FORBIDDEN, message, details);
}

/**
 * Builds the SSRF guard with an allow-list.
 * @example const guard = createSsrfGuard({ cidrs: ['127.0.0.1/32'] }); await guard.resolve('http://127.0.0.1:8080/hook');
 */
export function createSsrfGuard(options: { allow?: SsrfAllowList | undefined; resolve?: ResolveHost | undefined } = {}): SsrfGuard {
  const allowedHosts = new Set((options.allow?.hosts ?? []).map((h) => h.toLowerCase().replace(/^\[|\]$/g, '')));
  const allowedNets = new BlockList();
  for (const cidr of options.allow?.cidrs ?? []) {
    const { net, prefix, family } = parseCidr(cidr);
    allowedNets.addSubnet(net, prefix, family);
  }
  const resolveHost: ResolveHost =
    options.resolve ??
    ((hostname) =>
      new Promise((resolve, reject) => {
        dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
      }));

  const addressAllowed = (address: string): boolean => {
    const family = isIP(address);
    if (family === 0) return false;
    if (allowedHosts.has(address.toLowerCase())) return true;
    if (allowedNets.check(address, family === 4 ? 'ipv4' : 'ipv6')) return true;
    const v4 = family === 6 ? embeddedIpv4(address) : undefined;
    if (v4 !== undefined && (allowedHosts.has(v4) || allowedNets.check(v4, 'ipv4'))) return true;
    return !isForbiddenAddress(address);
  };

  function checkUrl(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new NotAllowedError('TL_WEBHOOK_BAD_URL', 'the webhook URL is not an absolute URL', { url });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new NotAllowedError('TL_WEBHOOK_BAD_URL', `the webhook URL must be http or https, not ${parsed.protocol}`, { url });
    }
    if (parsed.username || parsed.password) throw new NotAllowedError('TL_WEBHOOK_BAD_URL', 'the webhook URL must not carry credentials', { url: parsed.origin });
    // WHATWG URL parsing already turned decimal, octal and hex IPv4 forms into dotted quads.
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (allowedHosts.has(host)) return parsed;
    if (isIP(host) !== 0) {
      if (!addressAllowed(host)) throw forbidden(`webhook target ${host} is a loopback, private, link-local or reserved address`, { host });
    } else if (BLOCKED_NAMES.test(host) || !host.includes('.')) {
      throw forbidden(`webhook target ${host} names a local or metadata host`, { host });
    }
    return parsed;
  }

  async function resolveUrl(url: string): Promise<readonly LookupAddress[]> {
    const parsed = checkUrl(url);
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    if (family !== 0) return [{ address: host, family }];
    let addresses: readonly LookupAddress[];
    try {
      addresses = await resolveHost(host);
    } catch (err) {
      throw new TransientError('TL_WEBHOOK_DNS_FAILED', `could not resolve ${host}: ${(err as Error).message}`, { cause: err, details: { host } });
    }
    if (addresses.length === 0) throw new TransientError('TL_WEBHOOK_DNS_FAILED', `${host} resolves to no address`, { details: { host } });
    if (allowedHosts.has(host.toLowerCase())) return addresses;
    const bad = addresses.find((a) => !addressAllowed(a.address));
    if (bad) throw forbidden(`webhook target ${host} resolves to ${bad.address}, a loopback, private, link-local or reserved address`, { host, address: bad.address });
    return addresses;
  }

  const lookup: LookupFunction = (hostname, opts, callback) => {
    resolveUrl(`http://${isIP(hostname) === 6 ? `[${hostname}]` : hostname}/`).then(
      (addresses) => {
        const wanted = typeof opts === 'object' && opts ? opts.family : undefined;
        const usable = wanted === 4 || wanted === 6 ? addresses.filter((a) => a.family === wanted) : addresses;
        if (typeof opts === 'object' && opts?.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [...usable]);
        else if (usable[0]) callback(null, usable[0].address, usable[0].family);
        else callback(Object.assign(new Error(`no usable address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      },
      (err: Error) => callback(Object.assign(err, { code: (err as { code?: string }).code ?? WEBHOOK_TARGET_FORBIDDEN }) as NodeJS.ErrnoException, '', 0),
    );
  };

  return { checkUrl, resolve: resolveUrl, lookup };
}
