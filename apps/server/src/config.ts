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
    TRADELANE_SERVER_SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
    TRADELANE_STORE_MIGRATE_ON_START: bool.default(true),
    TRADELANE_BUS_POLL_INTERVAL_MS: int(5, 60_000).default(200),
    TRADELANE_FLOWS_POLL_INTERVAL_MS: int(5, 60_000).default(200),
    TRADELANE_FLOWS_WORKER_ID: z.string().min(1).optional(),
    TRADELANE_O2C_POLL_INTERVAL_MS: int(5, 600_000).default(2000),
    TRADELANE_P2P_SWEEP_INTERVAL_MS: int(10, 3_600_000).default(30_000),
    TRADELANE_EDI_SUPPLIERS_FILE: z.string().min(1).optional(),
    TRADELANE_ERP_URL: httpUrl.optional(),
    TRADELANE_ERP_TIMEOUT_MS: int(50, 300_000).default(10_000),
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
  })
  .transform((e) => ({
    server: {
      port: e.PORT,
      host: e.TRADELANE_SERVER_HOST,
      bodyLimit: e.TRADELANE_SERVER_BODY_LIMIT,
      requestTimeoutMs: e.TRADELANE_SERVER_REQUEST_TIMEOUT_MS,
      shutdownTimeoutMs: e.TRADELANE_SERVER_SHUTDOWN_TIMEOUT_MS,
    },
    database: { url: e.DATABASE_URL, dataDir: e.TRADELANE_DATA_DIR, migrateOnStart: e.TRADELANE_STORE_MIGRATE_ON_START },
    log: { level: e.TRADELANE_LOG_LEVEL, pretty: e.TRADELANE_LOG_PRETTY },
    bus: { pollIntervalMs: e.TRADELANE_BUS_POLL_INTERVAL_MS },
    flows: { pollIntervalMs: e.TRADELANE_FLOWS_POLL_INTERVAL_MS, workerId: e.TRADELANE_FLOWS_WORKER_ID },
    orderToCash: { pollIntervalMs: e.TRADELANE_O2C_POLL_INTERVAL_MS },
    procureToPay: { sweepIntervalMs: e.TRADELANE_P2P_SWEEP_INTERVAL_MS, ediSuppliersFile: e.TRADELANE_EDI_SUPPLIERS_FILE },
    connectors: {
      erp: { url: e.TRADELANE_ERP_URL, timeoutMs: e.TRADELANE_ERP_TIMEOUT_MS },
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
    oauth: oauthSettings(e.TRADELANE_OAUTH_ISSUER ?? `http://localhost:${e.PORT}`, e.TRADELANE_OAUTH_AUDIENCE, e.TRADELANE_OAUTH_TOKEN_TTL_S, e.TRADELANE_OAUTH_KEY_ROTATION_S),
  }));

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
