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
  }));

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
