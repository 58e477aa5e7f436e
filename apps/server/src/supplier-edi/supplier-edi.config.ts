/**
 * Configuration of the suppliers that trade over EDI X12 and SFTP: one entry per supplier, with the SFTP server,
 * the partner's folders, its partner profile (a file or inline) and the poll interval. A plain object validated with
 * zod, so the server configuration can produce it from files or environment variables.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import {
  parsePartnerProfile,
  parseSftpConfig,
  sftpAuthSchema,
  sftpHostKeySchema,
  type PartnerProfile,
  type PartnerProfileInput,
  type SftpConfig,
} from '@tradelane/connector-edi-x12';
import { InputError } from '@tradelane/core';
import { z } from 'zod';

const folder = z.string().min(1).max(1024);

/** Placeholders a file name pattern may use. */
export const fileNamePlaceholders = ['poNumber', 'revision', 'controlNumber', 'partner', 'timestamp'] as const;

/** One supplier on EDI over SFTP. */
export const supplierEdiConfigSchema = z.object({
  /** The supplier's party id (`pty_…`): the `partnerId` of the commands its files turn into. */
  supplierId: z.string().regex(/^pty_[0-9A-HJKMNP-TV-Z]{26}$/, { error: 'supplierId must be the supplier party id (pty_ and a ULID)' }),
  /** Tenant the supplier belongs to. */
  tenantId: z.string().min(1).max(64),
  /** The SFTP server (the partner's, or ours the partner logs into). */
  sftp: z.object({
    host: z.string().min(1).max(255),
    /** @default 22 */
    port: z.int().min(1).max(65535).default(22),
    username: z.string().min(1).max(128),
    auth: sftpAuthSchema,
    hostKey: sftpHostKeySchema,
  }),
  folders: z.object({
    /** The partner's inbound folder: our 850s and the 997s we owe go here. */
    partnerInbound: folder,
    /** The partner's outbound folder: its 855, 856 and 810 files are picked up from here. */
    partnerOutbound: folder,
    /** Where a file is claimed while it is processed. @default `<partnerOutbound>/.processing` */
    processing: folder.optional(),
    /** Where processed files are archived. @default `<partnerOutbound>/archive` */
    archive: folder.optional(),
    /** Where files the hub cannot take at all go; absent = back to the partner's outbound folder. */
    failed: folder.optional(),
  }),
  /** The partner profile: a JSON file (read at start) or the profile itself. */
  profile: z.union([z.object({ path: z.string().min(1) }).strict(), z.object({ inline: z.record(z.string(), z.unknown()) }).strict()]),
  /**
   * Name of an 850 file; `{poNumber}`, `{revision}`, `{controlNumber}` (ISA13), `{partner}` (profile id) and
   * `{timestamp}` (UTC, `YYYYMMDDHHmmss`) are replaced. Keep `{poNumber}` and `{revision}` in it: a file of that name
   * already there counts as sent. @default '850_{poNumber}_r{revision}.edi'
   */
  fileNamePattern: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\\u0000]+$/, { error: 'a file name pattern must not contain slashes' })
    .refine((p) => [...p.matchAll(/\{([^}]*)\}/g)].every((m) => (fileNamePlaceholders as readonly string[]).includes(m[1]!)), {
      error: `unknown placeholder; use ${fileNamePlaceholders.map((p) => `{${p}}`).join(', ')}`,
    })
    .default('850_{poNumber}_r{revision}.edi'),
  /** Wait between two polls of the partner's outbound folder. @default 60000 */
  pollIntervalMs: z.int().min(50).max(86_400_000).default(60_000),
  /** A file must be unchanged this long before it is taken. @default 30000 */
  quietPeriodMs: z.int().min(0).max(86_400_000).default(30_000),
  /** Pause between the two listings that must agree before a file is taken. @default 2000 */
  settleMs: z.int().min(0).max(600_000).default(2_000),
});

/** A supplier's EDI configuration as written (defaults may be omitted). */
export type SupplierEdiConfigInput = z.input<typeof supplierEdiConfigSchema>;
/** A supplier's EDI configuration with defaults applied. */
export type SupplierEdiConfig = z.output<typeof supplierEdiConfigSchema>;

/** Every EDI supplier of a hub (supplier ids unique per tenant). */
export const supplierEdiConfigsSchema = z.array(supplierEdiConfigSchema).max(1000).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const key = `${c.tenantId}/${c.supplierId}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'supplierId'], message: `supplier ${c.supplierId} is configured twice` });
    seen.add(key);
  });
});

/** A supplier's configuration resolved for running: its partner profile and its SFTP channel settings. */
export interface ResolvedSupplierEdi {
  readonly config: SupplierEdiConfig;
  readonly profile: PartnerProfile;
  readonly sftp: SftpConfig;
}

/**
 * Validates a supplier's configuration, reads its partner profile (file or inline) and builds the SFTP channel
 * settings: pickup from the partner's outbound folder, drop into its inbound folder. The profile must be a supplier's
 * and name the same party as `supplierId` (its `partyId` is set to it when absent).
 * @example const edi = await resolveSupplierEdi(input, (p) => readFile(p, 'utf8'));
 */
export async function resolveSupplierEdi(input: SupplierEdiConfigInput, readText: (path: string) => Promise<string>): Promise<ResolvedSupplierEdi> {
  const config = supplierEdiConfigSchema.parse(input);
  let raw: unknown;
  if ('path' in config.profile) {
    const text = await readText(config.profile.path);
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InputError('TL_EDI_PROFILE_NOT_JSON', `partner profile ${config.profile.path} is not JSON: ${(err as Error).message}`, { path: config.profile.path });
    }
  } else raw = config.profile.inline;
  const given = raw as { partyId?: unknown; role?: unknown };
  if (given.partyId !== undefined && given.partyId !== config.supplierId) {
    throw new InputError('TL_EDI_PROFILE_PARTY_MISMATCH', `partner profile names party ${String(given.partyId)}, the configuration supplier ${config.supplierId}`, { supplierId: config.supplierId });
  }
  const profile = parsePartnerProfile({ ...(raw as PartnerProfileInput), partyId: config.supplierId });
  if (profile.role !== 'supplier') {
    throw new InputError('TL_EDI_PROFILE_NOT_SUPPLIER', `partner profile ${profile.id} is a ${profile.role} profile; a supplier channel needs role "supplier"`, { profileId: profile.id });
  }
  const out = config.folders.partnerOutbound.replace(/\/+$/, '') || '/';
  const sftp = parseSftpConfig({
    connection: config.sftp,
    pickup: {
      inbound: out,
      processing: config.folders.processing ?? `${out}/.processing`,
      archive: config.folders.archive ?? `${out}/archive`,
      ...(config.folders.failed ? { failed: config.folders.failed } : {}),
      quietPeriodMs: config.quietPeriodMs,
      settleMs: config.settleMs,
    },
    drop: { outbound: config.folders.partnerInbound },
  });
  return { config, profile, sftp };
}

/** Fills a file name pattern (see {@link supplierEdiConfigSchema}); characters unsafe in a file name become `_`. */
export function fileNameFor(pattern: string, values: { poNumber: string; revision: number; controlNumber: string; partner: string; at: Date }): string {
  const stamp = values.at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const table: Record<string, string> = { poNumber: values.poNumber, revision: String(values.revision), controlNumber: values.controlNumber, partner: values.partner, timestamp: stamp };
  return pattern.replace(/\{([^}]*)\}/g, (_m, key: string) => (table[key] ?? '').replace(/[^A-Za-z0-9._-]/g, '_'));
}

/**
 * Reads the EDI suppliers file (a JSON array of {@link supplierEdiConfigSchema} objects; profile paths relative to
 * the file) and resolves each supplier. A bad file is an `InputError` naming the file and the field.
 * @example const suppliers = await loadEdiSuppliers('config/edi-suppliers.json');
 */
export async function loadEdiSuppliers(file: string): Promise<ResolvedSupplierEdi[]> {
  const base = dirname(resolvePath(file));
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError('TL_EDI_SUPPLIERS_FILE', `${file}: ${(err as Error).message}`);
  }
  const parsed = supplierEdiConfigsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError('TL_EDI_SUPPLIERS_FILE', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return Promise.all(parsed.data.map((c) => resolveSupplierEdi(c, (p) => readFile(isAbsolute(p) ? p : join(base, p), 'utf8'))));
}
