/**
 * `tradelane edi …`: EDI tools for operators and partner onboarding, on files (no database, no network).
 *
 *   edi parse <file>                      canonical JSON, one entry per transaction set (or per CSV document)
 *   edi validate <file>                   the TA1 / 997 / 999 we would send; exit 0 when valid, 1 when not
 *   edi translate --to 850 <canonical>    X12 from a canonical document (850, 855, 856, 810)
 */
import { parseArgs } from 'node:util';
import {
  advanceShipNoticeSchema,
  formatDecimal,
  invoiceSchema,
  newId,
  parseDecimal,
  purchaseOrderAcknowledgmentSchema,
  purchaseOrderSchema,
  skuSchema,
  type Id,
  type PurchaseOrder,
} from '@tradelane/canonical';
import {
  InMemoryControlNumberSequence,
  acknowledgmentTo855,
  advanceShipNoticeTo856,
  buildAcknowledgments,
  createInterchange,
  detectInboundFormat,
  elementValue,
  envelopeSettingsFor,
  groupVersionNumber,
  interpretInboundFile,
  invoiceTo810,
  mapX12Set,
  parsePartnerProfile,
  purchaseOrderTo850,
  readTransactionSets,
  unitFromX12,
  validateX12,
  validationOptionsFor,
  writeX12,
  type AcknowledgedPurchaseOrder,
  type DocumentLookups,
  type PartnerProfile,
  type PartnerProfileInput,
  type X12EnvelopedSet,
  type X12OutboundSet,
} from '@tradelane/connector-edi-x12';

/** Where the command writes and reads; the CLI passes process streams and the file system, tests pass fakes. */
export interface EdiCommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile(path: string): Promise<Buffer>;
}

/** Exit codes (sysexits): 0 ok, 1 invalid or unmappable content, 64 bad usage, 78 bad partner profile. */
export const EDI_EXIT = { ok: 0, invalid: 1, usage: 64, config: 78 } as const;

/** Usage text of `tradelane edi`. */
export const EDI_USAGE = `Usage:
  tradelane edi parse <file> [--profile <profile.json>] [--purchase-order <po.json>] [--tenant <id>]
      X12 (or CSV with a profile that maps it) to canonical JSON: one entry per transaction set
  tradelane edi validate <file> [--profile <profile.json>] [--ack 997|999]
      prints the TA1 / 997 / 999 we would send (999 for 005010 groups); exit 0 when valid, 1 when not
  tradelane edi translate --to 850|855|856|810 <canonical.json> [--control-number <n>] [--profile <profile.json>]
                          [--purchase-order <po.json>]   (855: the order being acknowledged)
      X12 from a canonical document, with control numbers <n> (default 1)

Without --profile, parse reads each set as coming from the ISA sender (850: a customer; 214: a carrier; others:
a supplier) and translate writes from ZZ:TRADELANE to ZZ:PARTNER.
`;

const SUBCOMMANDS = ['parse', 'validate', 'translate'] as const;
const TRANSLATABLE = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN' } as const;

class UsageError extends Error {}
class ProfileError extends Error {}

async function readInput(io: EdiCommandIo, path: string, what: string): Promise<Buffer> {
  try {
    return await io.readFile(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message}`);
  }
}

async function readJson(io: EdiCommandIo, path: string, what: string): Promise<unknown> {
  const bytes = await readInput(io, path, what);
  try {
    return JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${what} ${path} is not JSON: ${(err as Error).message}`);
  }
}

async function loadProfile(io: EdiCommandIo, path: string | undefined): Promise<PartnerProfile | undefined> {
  if (path === undefined) return undefined;
  const json = await readJson(io, path, 'partner profile');
  try {
    return parsePartnerProfile(json as PartnerProfileInput);
  } catch (err) {
    const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues ?? [];
    throw new ProfileError(`partner profile ${path} is not valid:\n${issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n') || `  ${(err as Error).message}`}`);
  }
}

function issuesOf(err: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return err.issues
    .slice(0, 20)
    .map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('\n');
}

const ROLE_BY_SET: Readonly<Record<string, PartnerProfile['role']>> = { '850': 'customer', '214': 'carrier' };

/** A profile for a set read without --profile: the ISA sender is the partner, the receiver is us. */
function envelopeProfile(s: X12EnvelopedSet, partyId: Id<'pty'>): PartnerProfile {
  const party = (p: { qualifier: string; id: string }) => ({
    qualifier: /^[A-Z0-9]{2}$/.test(p.qualifier.trim()) ? p.qualifier.trim() : 'ZZ',
    id: p.id.trim() || 'UNKNOWN',
  });
  return parsePartnerProfile({
    id: 'cli',
    partyId,
    role: ROLE_BY_SET[elementValue(s.set.header, 1)] ?? 'supplier',
    interchange: { ours: party(s.interchange.receiver), theirs: party(s.interchange.sender) },
  });
}

function decimalOr(text: string, fallback: string): string {
  try {
    return /^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(text) ? formatDecimal(parseDecimal(text.replace(/^\+/, '').replace(/^(-?)\./, '$10.').replace(/\.$/, ''))) : fallback;
  } catch {
    return fallback;
  }
}

/** The order an 855 answers, rebuilt from the 855's own PO1 lines (used when no --purchase-order is given). */
function standInPurchaseOrder(s: X12EnvelopedSet, profile: PartnerProfile): AcknowledgedPurchaseOrder {
  const segs = s.set.segments;
  const bak = segs.find((x) => x.tag === 'BAK');
  const cur = segs.find((x) => x.tag === 'CUR');
  const currency = cur && /^[A-Z]{3}$/.test(elementValue(cur, 2)) ? elementValue(cur, 2) : profile.defaults.currency;
  const d = bak ? elementValue(bak, 4) : '';
  const requestedDate = /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : new Date().toISOString().slice(0, 10);
  const lines = segs
    .filter((x) => x.tag === 'PO1')
    .map((po1, i) => {
      const assigned = elementValue(po1, 1);
      const lineNumber = /^\d{1,5}$/.test(assigned) && Number(assigned) > 0 ? Number(assigned) : i + 1;
      const ids: string[] = [];
      for (let n = 7; n <= po1.elements.length; n += 2) ids.push(elementValue(po1, n));
      const sku = ids.find((v) => skuSchema.safeParse(v).success) ?? `LINE-${lineNumber}`;
      const unitCode = elementValue(po1, 3);
      return {
        lineNumber,
        itemId: newId('itm'),
        sku,
        quantity: decimalOr(elementValue(po1, 2), '1'),
        unit: profile.codes.units[unitCode] ?? unitFromX12(unitCode) ?? 'EA',
        unitPrice: { amount: decimalOr(elementValue(po1, 4), '0'), currency },
        requestedDate,
        status: 'Open' as const,
      };
    });
  return { id: newId('po'), poNumber: (bak ? elementValue(bak, 3) : '') || 'UNKNOWN', revision: 0, currency, lines };
}

async function parseCommand(file: string, values: Record<string, string | undefined>, io: EdiCommandIo): Promise<number> {
  const bytes = await readInput(io, file, 'file');
  const profile = await loadProfile(io, values.profile);
  const tenantId = values.tenant ?? 'cli';
  let purchaseOrder: PurchaseOrder | undefined;
  if (values['purchase-order'] !== undefined) {
    const parsed = purchaseOrderSchema.safeParse(await readJson(io, values['purchase-order'], 'purchase order'));
    if (!parsed.success) throw new UsageError(`purchase order ${values['purchase-order']} is not a canonical purchase order:\n${issuesOf(parsed.error)}`);
    purchaseOrder = parsed.data;
  }
  const fileName = file.split(/[\\/]/).pop() ?? file;

  if (profile && detectInboundFormat({ name: fileName, bytes }, profile) === 'csv') {
    const result = await interpretInboundFile({ name: fileName, bytes, channel: 'cli' }, { profile, sequence: new InMemoryControlNumberSequence() }, tenantId);
    io.stdout(`${JSON.stringify(result.documents.map((d) => ({ source: d.source, type: d.type, documents: [d.document] })), null, 2)}\n`);
    for (const e of result.errors) io.stderr(`${e.code} ${e.row !== undefined ? `line ${e.row}` : ''}${e.column ? ` column ${e.column}` : ''}: ${e.message}\n`);
    return result.errors.length === 0 ? EDI_EXIT.ok : EDI_EXIT.invalid;
  }

  const partyId = newId('pty');
  const itemIds = new Map<string, Id<'itm'>>();
  const entries: unknown[] = [];
  let failed = 0;
  let placeholders = false;
  try {
    for await (const s of readTransactionSets(bytes)) {
      const setId = elementValue(s.set.header, 1);
      const setProfile = profile ?? envelopeProfile(s, partyId);
      const lookups: DocumentLookups = {
        purchaseOrder: () => purchaseOrder ?? ((placeholders = true), standInPurchaseOrder(s, setProfile)),
        itemId: (sku) => {
          placeholders = true;
          if (!itemIds.has(sku)) itemIds.set(sku, newId('itm'));
          return itemIds.get(sku);
        },
      };
      const entry = { interchange: s.interchange.controlNumber, group: s.group.controlNumber, transaction: setId, controlNumber: elementValue(s.set.header, 2) };
      try {
        const docs = await mapX12Set(s, { tenantId, profile: setProfile, envelope: { interchange: s.interchange, group: s.group } }, lookups);
        entries.push({ ...entry, type: docs[0]?.type ?? (setId === '997' || setId === '999' ? 'functional-acknowledgment' : 'none'), documents: docs.map((d) => d.document) });
      } catch (err) {
        failed += 1;
        const e = err as { code?: string; message?: string };
        entries.push({ ...entry, error: { code: e.code ?? 'TL_EDI_MAPPING_FAILED', message: e.message ?? String(err) } });
        io.stderr(`${setId} ${entry.controlNumber} (interchange ${entry.interchange}): ${e.code ?? 'error'}: ${e.message ?? String(err)}\n`);
      }
    }
  } catch (err) {
    const e = err as { code?: string; message?: string };
    io.stderr(`${file} cannot be read as X12: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return EDI_EXIT.invalid;
  }
  if (entries.length === 0) {
    io.stderr(`${file} holds no transaction set\n`);
    return EDI_EXIT.invalid;
  }
  if (placeholders) io.stderr('note: purchase orders and item ids not given are stand-ins built from the file itself (pass --purchase-order for 855s)\n');
  io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
  return failed === 0 ? EDI_EXIT.ok : EDI_EXIT.invalid;
}

async function validateCommand(file: string, values: Record<string, string | undefined>, io: EdiCommandIo): Promise<number> {
  const bytes = await readInput(io, file, 'file');
  const profile = await loadProfile(io, values.profile);
  if (values.ack !== undefined && values.ack !== '997' && values.ack !== '999') throw new UsageError(`--ack must be 997 or 999, got ${values.ack}`);
  const report = await validateX12(bytes, profile ? validationOptionsFor(profile) : {});
  const groups = report.interchanges.flatMap((ic) => ic.groups);
  const functionalAck = (values.ack as '997' | '999' | undefined) ?? (groups.length > 0 && groups.every((g) => groupVersionNumber(g.version) >= 5010) ? '999' : '997');
  const acks = await buildAcknowledgments(report, { sequence: new InMemoryControlNumberSequence(), functionalAck, ta1: profile?.ta1 ?? 'requested-or-error' });
  if (acks.length > 0) io.stdout(writeX12(acks, { lineEnding: '\n' }));
  for (const e of report.errors) {
    const where = [e.interchangeControlNumber && `interchange ${e.interchangeControlNumber}`, e.setControlNumber && `set ${e.setControlNumber}`, `segment ${e.position.index}`].filter(Boolean).join(', ');
    io.stderr(`${e.code} (${where}${e.element ? `, ${e.element}` : ''}): ${e.message}\n`);
  }
  if (report.fatal && !report.errors.some((e) => e.code === report.fatal?.code)) io.stderr(`${report.fatal.code}: ${report.fatal.message}\n`);
  io.stderr(report.ok ? `${file}: valid\n` : `${file}: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}\n`);
  return report.ok ? EDI_EXIT.ok : EDI_EXIT.invalid;
}

async function translateCommand(file: string, values: Record<string, string | undefined>, io: EdiCommandIo): Promise<number> {
  const to = values.to;
  if (to === undefined) throw new UsageError('translate needs --to 850, 855, 856 or 810');
  if (!(to in TRANSLATABLE)) throw new UsageError(`--to ${to} is not supported; the writer handles 850, 855, 856 and 810`);
  const kind = to as keyof typeof TRANSLATABLE;
  const raw = values['control-number'] ?? '1';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new UsageError(`--control-number must be a whole number from 1 to 999999999, got ${raw}`);
  const controlNumber = Number(raw);
  if (kind === '855' && values['purchase-order'] === undefined) throw new UsageError('translate --to 855 needs --purchase-order <po.json>, the canonical purchase order being acknowledged');
  const json = await readJson(io, file, 'canonical document');
  const profile =
    (await loadProfile(io, values.profile)) ??
    parsePartnerProfile({ id: 'cli', role: 'supplier', interchange: { ours: { qualifier: 'ZZ', id: 'TRADELANE' }, theirs: { qualifier: 'ZZ', id: 'PARTNER' } }, lineEnding: '\n' });

  const invalid = (what: string, err: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): number => {
    io.stderr(`${file} is not a canonical ${what}:\n${issuesOf(err)}\n`);
    return EDI_EXIT.invalid;
  };
  let set: X12OutboundSet;
  try {
    switch (kind) {
      case '850': {
        const po = purchaseOrderSchema.safeParse(json);
        if (!po.success) return invalid('purchase order', po.error);
        set = purchaseOrderTo850(po.data, profile);
        break;
      }
      case '855': {
        const ack = purchaseOrderAcknowledgmentSchema.safeParse(json);
        if (!ack.success) return invalid('purchase order acknowledgment', ack.error);
        const po = purchaseOrderSchema.safeParse(await readJson(io, values['purchase-order'] as string, 'purchase order'));
        if (!po.success) {
          io.stderr(`${values['purchase-order']} is not a canonical purchase order:\n${issuesOf(po.error)}\n`);
          return EDI_EXIT.invalid;
        }
        set = acknowledgmentTo855(ack.data, po.data, profile);
        break;
      }
      case '856': {
        const asn = advanceShipNoticeSchema.safeParse(json);
        if (!asn.success) return invalid('advance ship notice', asn.error);
        set = advanceShipNoticeTo856(asn.data, profile);
        break;
      }
      case '810': {
        const invoice = invoiceSchema.safeParse(json);
        if (!invoice.success) return invalid('invoice', invoice.error);
        set = invoiceTo810(invoice.data, profile);
        break;
      }
    }
    // Our purchase orders go from us to the partner; 855, 856 and 810 are written as the partner would send them.
    const settings = envelopeSettingsFor(profile, { asPartner: kind !== '850' });
    const sequence = new InMemoryControlNumberSequence({ interchange: controlNumber, group: controlNumber, set: controlNumber });
    const interchange = await createInterchange(settings, [{ functionalId: TRANSLATABLE[kind], sets: [set] }], { sequence });
    const text = writeX12(interchange, { lineEnding: profile.lineEnding || '\n' });
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
    return EDI_EXIT.ok;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    io.stderr(`cannot write ${kind}: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return EDI_EXIT.invalid;
  }
}

/**
 * Runs `tradelane edi <subcommand> …` (`argv` after `edi`; a leading `edi` is accepted too) and returns the exit
 * code: 0 done / valid, 1 invalid or unmappable content, 64 usage (unknown subcommand, missing or unreadable file,
 * bad option), 78 invalid partner profile.
 * @example process.exitCode = await runEdiCommand(['validate', 'in.edi'], { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), readFile: (p) => readFile(p) });
 */
export async function runEdiCommand(argv: string[], io: EdiCommandIo): Promise<number> {
  const args = argv[0] === 'edi' ? argv.slice(1) : argv;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        profile: { type: 'string' },
        'purchase-order': { type: 'string' },
        tenant: { type: 'string' },
        ack: { type: 'string' },
        to: { type: 'string' },
        'control-number': { type: 'string' },
      },
    });
  } catch (err) {
    io.stderr(`tradelane edi: ${(err as Error).message}\n\n${EDI_USAGE}`);
    return EDI_EXIT.usage;
  }
  const [subcommand, file, ...extra] = parsed.positionals;
  if (parsed.values.help || subcommand === 'help') {
    io.stdout(EDI_USAGE);
    return EDI_EXIT.ok;
  }
  const usage = (message: string): number => {
    io.stderr(`tradelane edi: ${message}\n\n${EDI_USAGE}`);
    return EDI_EXIT.usage;
  };
  if (!subcommand) return usage('a subcommand is required: parse, validate or translate');
  if (!(SUBCOMMANDS as readonly string[]).includes(subcommand)) return usage(`unknown subcommand "${subcommand}"; expected parse, validate or translate`);
  if (!file) return usage(`edi ${subcommand} needs a file`);
  if (extra.length > 0) return usage(`unexpected arguments: ${extra.join(' ')}`);
  const values = parsed.values as Record<string, string | undefined>;
  try {
    if (subcommand === 'parse') return await parseCommand(file, values, io);
    if (subcommand === 'validate') return await validateCommand(file, values, io);
    return await translateCommand(file, values, io);
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    if (err instanceof ProfileError) {
      io.stderr(`tradelane edi: ${err.message}\n`);
      return EDI_EXIT.config;
    }
    throw err;
  }
}
