import { z } from 'zod';

/** Every id prefix in use, one per document kind. */
export const idPrefixes = [
  'so', // sales order
  'po', // purchase order
  'poa', // purchase order acknowledgment
  'asn', // advance ship notice
  'shp', // shipment
  'trk', // tracking event
  'inv', // invoice
  'pay', // payment
  'rma', // return authorization
  'exc', // exception
  'evt', // event
  'pty', // party
  'itm', // item
  'prc', // price
  'flow', // flow run
] as const;

/** A known id prefix, e.g. 'so' or 'asn'. */
export type IdPrefix = (typeof idPrefixes)[number];

/** A prefixed ULID such as `so_01J9Z3K4M5N6P7Q8R9S0T1V2W3`. */
export type Id<P extends IdPrefix = IdPrefix> = `${P}_${string}`;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_BODY = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const MAX_TIME = 2 ** 48 - 1;
const RANDOM_LIMIT = 1n << 80n;

let lastTime = -1;
let lastRandom = 0n;

function randomBits80(): bigint {
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  let value = 0n;
  for (const byte of bytes) {
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

function encode(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    out = CROCKFORD[Number(rest & 31n)] + out;
    rest >>= 5n;
  }
  return out;
}

/**
 * A new ULID (26 Crockford base32 characters), monotonic within one millisecond in this JavaScript realm.
 * @example newUlid() // '01J9Z3K4M5N6P7Q8R9S0T1V2W3'
 */
export function newUlid(now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(`ULID time must be an integer millisecond from 0 to 2^48-1, got ${now}`);
  }
  let random: bigint;
  if (now === lastTime && lastRandom + 1n < RANDOM_LIMIT) {
    random = lastRandom + 1n;
  } else {
    random = randomBits80();
  }
  lastTime = now;
  lastRandom = random;
  return encode(BigInt(now), 10) + encode(random, 16);
}

/**
 * A new prefixed id.
 * @example newId('so') // 'so_01J9Z3K4M5N6P7Q8R9S0T1V2W3'
 */
export function newId<P extends IdPrefix>(prefix: P, now?: number): Id<P> {
  return `${prefix}_${newUlid(now)}`;
}

/** Zod schema for an id with the given prefix, e.g. `idSchema('so')` accepts `so_<ULID>` only. */
export function idSchema<P extends IdPrefix>(prefix: P) {
  return z.templateLiteral([`${prefix}_`, z.string().regex(ULID_BODY)], {
    // A missing id keeps zod's own "expected string, received undefined".
    error: (issue) => (issue.input === undefined ? undefined : `must be an id of the form ${prefix}_<26-character ULID>`),
  });
}

/** True when `value` is a well-formed id with the given prefix. */
export function isId<P extends IdPrefix>(value: unknown, prefix: P): value is Id<P> {
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) {
    return false;
  }
  return ULID_BODY.test(value.slice(prefix.length + 1));
}

/** The millisecond timestamp encoded in an id or bare ULID; undefined when it is not one. */
export function idTime(value: string): number | undefined {
  const body = value.slice(value.lastIndexOf('_') + 1);
  if (!ULID_BODY.test(body)) {
    return undefined;
  }
  let time = 0;
  for (const char of body.slice(0, 10)) {
    time = time * 32 + CROCKFORD.indexOf(char);
  }
  return time;
}
