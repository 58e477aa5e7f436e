import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: `must be ≥ ${min}` }).max(max, { message: `must be ≤ ${max}` }));
const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'must be an http:// or https:// URL such as http://127.0.0.1:4101' })
  .transform((v) => v.replace(/\/+$/, ''));
/** `name=value` pairs separated by commas, e.g. `gold=6000,silver=1200`. */
const pairs = <V extends z.ZodType<unknown, string>>(value: V, what: string) =>
  z
    .string()
    .transform((v, c) => {
      const out: Record<string, z.output<V>> = {};
      for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
        const m = /^([A-Za-z0-9_.:-]{1,200})=(.+)$/.exec(part);
        const parsed = m ? value.safeParse(m[2]!.trim()) : undefined;
        if (!m || !parsed?.success) {
          c.addIssue({ code: 'custom', message: `must be comma-separated name=${what} pairs; "${part}" is not` });
          return z.NEVER;
        }
        out[m[1]!] = parsed.data as z.output<V>;
      }
      return out;
    });
const perMinute = z.string().regex(/^[1-9]\d{0,8}$/).transform(Number);
const trustProxy = z.string().transform((v, c): boolean | number | string[] => {
  const t = v.trim().toLowerCase();
  if (['true', 'false', '1', '0', 'yes', 'no'].includes(t)) return t === 'true' || t === 'yes' || t === '1';
  if (/^hops:\d{1,2}$/.test(t)) return Number(t.slice(5));
  const list = t.split(',').map((p) => p.trim()).filter(Boolean);
  if (list.length > 0 && list.every((p) => /^[0-9a-f:.]+(\/\d{1,3})?$/.test(p) || ['loopback', 'linklocal', 'uniquelocal'].includes(p))) return list;
  c.addIssue({ code: 'custom', message: 'must be true, false, hops:<n>, or comma-separated proxy addresses/CIDRs (e.g. 10.0.0.0/8,loopback)' });
  return z.NEVER;
});
const tenantId = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: 'must be 1-63 lower-case letters, digits or "-", not starting or ending with "-"',
});

/** Every environment variable the server reads, validated once at boot. */
export const serverConfigSchema = z
  .object({
    PORT: int(0, 65535).default(3000),
    TRADELANE_SERVER_HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    TRADELANE_DATA_DIR: z.string().min(1).default('./.tradelane/data'),
    TRADELANE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRADELANE_LOG_PRETTY: bool.default(false),
    TRADELANE_SERVER_BODY_LIMIT: int(1024, 64 * 1024 * 1024).default(1_048_576),
    TRADELANE_SERVER_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
    TRADELANE_RATE_LIMIT_ENABLED: bool.default(true),
    TRADELANE_RATE_LIMIT_DEFAULT: int(1, 1_000_000).default(600),
    TRADELANE_RATE_LIMIT_ANONYMOUS: int(1, 1_000_000).default(120),
    TRADELANE_RATE_LIMIT_TIERS: pairs(perMinute, '<requests per minute>').default({}),
    TRADELANE_RATE_LIMIT_CLIENT_TIERS: pairs(z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/), '<tier>').default({}),
    TRADELANE_TRUST_PROXY: trustProxy.default(false),
    TRADELANE_SERVER_SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
    TRADELANE_STORE_MIGRATE_ON_START: bool.default(true),
    TRADELANE_BUS_POLL_INTERVAL_MS: int(5, 60_000).default(200),
    TRADELANE_BUS_CONCURRENCY: int(1, 64).optional(),
    TRADELANE_FLOWS_POLL_INTERVAL_MS: int(5, 60_000).default(200),
    TRADELANE_FLOWS_WORKER_ID: z.string().min(1).optional(),
    TRADELANE_O2C_POLL_INTERVAL_MS: int(5, 600_000).default(2000),
    TRADELANE_P2P_SWEEP_INTERVAL_MS: int(10, 3_600_000).default(30_000),
    TRADELANE_EDI_SUPPLIERS_FILE: z.string().min(1).optional(),
    TRADELANE_ERP_URL: httpUrl.optional(),
    TRADELANE_ERP_TIMEOUT_MS: int(50, 300_000).default(10_000),
    TRADELANE_ERP_KIND: z.enum(['sim', 'tryton'], { message: 'must be sim (the ERP simulator or TRADELANE_ERP_URL) or tryton' }).default('sim'),
    TRADELANE_TRYTON_URL: httpUrl.optional(),
    TRADELANE_TRYTON_DATABASE: z.string().regex(/^[A-Za-z0-9_.-]{1,63}$/, { message: 'must be a Tryton database name (letters, digits, "_", ".", "-")' }).optional(),
    TRADELANE_TRYTON_USER: z.string().min(1).max(100).default('admin'),
    TRADELANE_TRYTON_PASSWORD: z.string().min(1).optional(),
    TRADELANE_TRYTON_POST_INVOICES: bool.default(false),
    TRADELANE_WMS_URL: httpUrl.optional(),
    TRADELANE_PARCELO_URL: httpUrl.optional(),
    TRADELANE_FREIGHTLINK_URL: httpUrl.optional(),
    TRADELANE_SIMULATORS: bool.default(true),
    TRADELANE_SIM_PORT_BASE: int(0, 65_532).default(4101),
    TRADELANE_SIM_SEED: int(0, 2_147_483_647).default(1),
    TRADELANE_SIM_WMS_ADVANCE_MS: int(0, 3_600_000).default(3000),
    TRADELANE_SIM_ADVANCE_MS: int(0, 3_600_000).default(5000),
    TRADELANE_SIM_WMS_INBOUND_MS: int(0, 3_600_000).default(10_000),
    TRADELANE_SIM_SUPPLIERS: bool.default(true),
    TRADELANE_SIM_SUPPLIER_POLL_MS: int(10, 600_000).default(2000),
    TRADELANE_DEMO_TENANT: tenantId.default('demo'),
    TRADELANE_DEMO_KEYS: bool.default(true),
    TRADELANE_OAUTH_ISSUER: httpUrl.optional(),
    TRADELANE_OAUTH_AUDIENCE: z.string().min(1).max(500).optional(),
    TRADELANE_OAUTH_TOKEN_TTL_S: int(60, 3600).default(600),
    TRADELANE_OAUTH_KEY_ROTATION_S: int(3600, 7_776_000).default(86_400),
    TRADELANE_AUTH_CACHE_TTL_MS: int(0, 30_000).default(5000),
  })
  .superRefine((e, c) => {
    if (e.TRADELANE_ERP_KIND === 'tryton') {
      for (const key of ['TRADELANE_TRYTON_URL', 'TRADELANE_TRYTON_DATABASE', 'TRADELANE_TRYTON_PASSWORD'] as const) {
        if (!e[key]) c.addIssue({ code: 'custom', path: [key], message: 'must be set when TRADELANE_ERP_KIND=tryton' });
      }
      if (e.TRADELANE_ERP_URL) c.addIssue({ code: 'custom', path: ['TRADELANE_ERP_URL'], message: 'is the ERP simulator\'s address; leave it unset when TRADELANE_ERP_KIND=tryton (use TRADELANE_TRYTON_URL)' });
    }
    for (const [client, tier] of Object.entries(e.TRADELANE_RATE_LIMIT_CLIENT_TIERS)) {
      if (!(tier in e.TRADELANE_RATE_LIMIT_TIERS)) {
        c.addIssue({ code: 'custom', path: ['TRADELANE_RATE_LIMIT_CLIENT_TIERS'], message: `names tier "${tier}" for ${client}, which TRADELANE_RATE_LIMIT_TIERS does not define` });
      }
    }
  })
  .transform((e) => ({
    server: {
      port: e.PORT,
      host: e.TRADELANE_SERVER_HOST,
      bodyLimit: e.TRADELANE_SERVER_BODY_LIMIT,
      requestTimeoutMs: e.TRADELANE_SERVER_REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: e.TRADELANE_SERVER_SHUTDOWN_TIMEOUT_MS,
      trustProxy: e.TRADELANE_TRUST_PROXY,
    },
    rateLimit: {
      enabled: e.TRADELANE_RATE_LIMIT_ENABLED,
      windowMs: 60_000,
      limit: e.TRADELANE_RATE_LIMIT_DEFAULT,
      anonymousLimit: e.TRADELANE_RATE_LIMIT_ANONYMOUS,
      tiers: e.TRADELANE_RATE_LIMIT_TIERS,
      clientTiers: e.TRADELANE_RATE_LIMIT_CLIENT_TIERS,
    },
    database: { url: e.DATABASE_URL, dataDir: e.TRADELANE_DATA_DIR, migrateOnStart: e.TRADELANE_STORE_MIGRATE_ON_START },
    log: { level: e.TRADELANE_LOG_LEVEL, pretty: e.TRADELANE_LOG_PRETTY },
    // Events of different aggregates are delivered side by side; the embedded database runs one transaction at a time.
    bus: { pollIntervalMs: e.TRADELANE_BUS_POLL_INTERVAL_MS, concurrency: e.TRADELANE_BUS_CONCURRENCY ?? (e.DATABASE_URL ? 4 : 1) },
    flows: { pollIntervalMs: e.TRADELANE_FLOWS_POLL_INTERVAL_MS, workerId: e.TRADELANE_FLOWS_WORKER_ID },
    orderToCash: { pollIntervalMs: e.TRADELANE_O2C_POLL_INTERVAL_MS },
    procureToPay: { sweepIntervalMs: e.TRADELANE_P2P_SWEEP_INTERVAL_MS, ediSuppliersFile: e.TRADELANE_EDI_SUPPLIERS_FILE },
    connectors: {
      erp: erpSettings(e),
      wms: { url: e.TRADELANE_WMS_URL },
      parcelo: { url: e.TRADELANE_PARCELO_URL },
      freightLink: { url: e.TRADELANE_FREIGHTLINK_URL },
    },
    simulators: {
      enabled: e.TRADELANE_SIMULATORS,
      host: '127.0.0.1',
      portBase: e.TRADELANE_SIM_PORT_BASE,
      seed: e.TRADELANE_SIM_SEED,
      wmsAdvanceMs: e.TRADELANE_SIM_WMS_ADVANCE_MS,
      carrierAdvanceMs: e.TRADELANE_SIM_ADVANCE_MS,
      wmsInboundReceiveMs: e.TRADELANE_SIM_WMS_INBOUND_MS,
      suppliers: e.TRADELANE_SIM_SUPPLIERS,
      supplierPollMs: e.TRADELANE_SIM_SUPPLIER_POLL_MS,
    },
    demo: { tenantId: e.TRADELANE_DEMO_TENANT, keys: e.TRADELANE_DEMO_KEYS },
    auth: { credentialCacheMs: e.TRADELANE_AUTH_CACHE_TTL_MS },
    oauth: oauthSettings(e.TRADELANE_OAUTH_ISSUER ?? `http://localhost:${e.PORT}`, e.TRADELANE_OAUTH_AUDIENCE, e.TRADELANE_OAUTH_TOKEN_TTL_S, e.TRADELANE_OAUTH_KEY_ROTATION_S),
  }));

/**
 * The ERP settings: the simulator's (`TRADELANE_ERP_URL`, or one started in process) or Tryton's. With Tryton, `url`
 * is its JSON-RPC address, so no ERP simulator is started for it.
 */
function erpSettings(e: {
  TRADELANE_ERP_KIND: 'sim' | 'tryton';
  TRADELANE_ERP_URL?: string | undefined;
  TRADELANE_ERP_TIMEOUT_MS: number;
  TRADELANE_TRYTON_URL?: string | undefined;
  TRADELANE_TRYTON_DATABASE?: string | undefined;
  TRADELANE_TRYTON_USER: string;
  TRADELANE_TRYTON_PASSWORD?: string | undefined;
  TRADELANE_TRYTON_POST_INVOICES: boolean;
}) {
  const tryton =
    e.TRADELANE_ERP_KIND === 'tryton' && e.TRADELANE_TRYTON_URL && e.TRADELANE_TRYTON_DATABASE && e.TRADELANE_TRYTON_PASSWORD
      ? { url: e.TRADELANE_TRYTON_URL, database: e.TRADELANE_TRYTON_DATABASE, user: e.TRADELANE_TRYTON_USER, password: e.TRADELANE_TRYTON_PASSWORD, postInvoices: e.TRADELANE_TRYTON_POST_INVOICES }
      : undefined;
  return { kind: e.TRADELANE_ERP_KIND, url: tryton ? tryton.url : e.TRADELANE_ERP_URL, timeoutMs: e.TRADELANE_ERP_TIMEOUT_MS, tryton };
}

/** The token issuer's settings: issuer URL, audience (default `<issuer>/v1`), token lifetime and key rotation age. */
function oauthSettings(issuer: string, audience: string | undefined, tokenTtlSeconds: number, keyRotationSeconds: number) {
  return { issuer, audience: audience ?? `${issuer}/v1`, tokenTtlSeconds, keyRotationSeconds };
}

/** The validated server configuration. */
export type ServerConfig = z.output<typeof serverConfigSchema>;

/** Raised for bad configuration; printed as a problem document with code `TL_CONFIG_INVALID`. */
export class ConfigError extends Error {
  readonly code = 'TL_CONFIG_INVALID';
  constructor(readonly errors: Array<{ path: string; message: string }>) {
    super(`Invalid configuration: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
  /** The RFC 9457 problem document for this error. */
  toProblem(): Record<string, unknown> {
    return {
      type: 'https://tradelane.dev/problems/tl-config-invalid',
      title: 'Invalid configuration',
      code: this.code,
      detail: this.message,
      errors: this.errors,
    };
  }
}

/**
 * Parses the environment into a {@link ServerConfig}; throws a {@link ConfigError} naming every bad variable.
 * Empty strings count as unset. This is the only place that reads `process.env`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const known = Object.keys(serverConfigSchema.in.shape);
  const input = Object.fromEntries(known.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = serverConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
  }
  return parsed.data;
}

/**
 * The process environment with `defaults` under it and `overrides` over it, for starting the hub as a child process
 * (`npm run start:tryton`).
 * @example spawn(process.execPath, args, { env: environmentWith({ TRADELANE_DATA_DIR: dir }, { TRADELANE_ERP_KIND: 'tryton' }) })
 */
export function environmentWith(defaults: Record<string, string>, overrides: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...defaults };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && value !== '') env[key] = value;
  return { ...env, ...overrides };
}
