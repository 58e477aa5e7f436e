import { z } from 'zod';

/** Configuration shared by the carrier tracking connectors. */
export const carrierConnectorConfigSchema = z.object({
  /** Base URL of the carrier's API, e.g. `http://127.0.0.1:4101`. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }),
  /** Per-request timeout in milliseconds. @default 5000 */
  timeoutMs: z.int().min(100).max(120_000).default(5000),
  /** Events per feed page when the caller does not say. @default 100 */
  pageSize: z.int().min(1).max(200).default(100),
});

/** Parsed carrier connector configuration. */
export type CarrierConnectorConfig = z.infer<typeof carrierConnectorConfigSchema>;

/** Reads a feed cursor: absent means the start; otherwise a whole number the connector handed out. */
export function parseSeqCursor(cursor: string | null | undefined): number | undefined {
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  return /^\d{1,15}$/.test(cursor) ? Number(cursor) : undefined;
}
