import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newId } from '@tradelane/canonical';
import {
  elementValue,
  parsePartnerProfile,
  parseX12,
  x12810ToInvoice,
  x12850ToPurchaseOrder,
  x12855ToAcknowledgment,
  x12856ToAdvanceShipNotice,
  type PartnerProfileInput,
} from '@tradelane/connector-edi-x12';
import { EDI_EXIT, runEdiCommand } from './edi.command.js';

const FIXTURES = fileURLToPath(new URL('../../../connectors/edi-x12/src/__fixtures__/', import.meta.url));
const fixture = (name: string) => `${FIXTURES}${name}`;

const acme: PartnerProfileInput = {
  id: 'acme-supply',
  partyId: newId('pty'),
  role: 'supplier',
  interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: 'ZZ', id: 'ACMESUPPLY' } },
  lineEnding: '\n',
  defaults: {
    billTo: { name: 'Tradelane Demo Distributing', code: 'HQ', address: { line1: '200 Congress Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' } },
  },
};
const northwind: PartnerProfileInput = {
  id: 'northwind',
  partyId: newId('pty'),
  role: 'customer',
  interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: 'ZZ', id: 'NORTHWIND' } },
  defaults: { orderBillTo: { name: 'Northwind Foods AP', address: { line1: '1 Harbor Plaza', city: 'Galveston', region: 'TX', postalCode: '77550', country: 'US' } } },
};

async function firstSet(name: string) {
  const doc = parseX12(await readFile(fixture(name)));
  const set = doc.interchanges[0]?.groups[0]?.sets[0];
  if (!set) throw new Error(`${name} has no set`);
  return set;
}

/** Canonical documents of the fixtures, as a partner onboarding would have them in JSON. */
async function canonicalFiles(): Promise<Map<string, unknown>> {
  const profile = parsePartnerProfile(acme);
  const ctx = { tenantId: 'demo', profile };
  const po = x12850ToPurchaseOrder(await firstSet('po-850.edi'), ctx, { itemIdForSku: () => newId('itm') });
  return new Map<string, unknown>([
    ['mem/po.json', po],
    ['mem/asn.json', x12856ToAdvanceShipNotice(await firstSet('asn-856.edi'), ctx)],
    ['mem/invoice.json', x12810ToInvoice(await firstSet('invoice-810.edi'), ctx)],
    ['mem/ack.json', x12855ToAcknowledgment(await firstSet('poa-855.edi'), ctx, po)],
    ['mem/acme.json', acme],
    ['mem/northwind.json', northwind],
    ['mem/bad-profile.json', { id: 'Not A Key', role: 'vendor' }],
    ['mem/not-an-asn.json', { asnNumber: 42 }],
  ]);
}

async function run(argv: string[], files = new Map<string, unknown>()) {
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  const code = await runEdiCommand(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readFile: async (path) => (files.has(path) ? Buffer.from(JSON.stringify(files.get(path))) : readFile(path)),
  });
  return { code, stdout, stderr, ms: Date.now() - started };
}

describe('tradelane edi parse', () => {
  it('prints canonical JSON, one entry per transaction set', async () => {
    const r = await run(['parse', fixture('asn-856.edi')]);
    assert.equal(r.code, EDI_EXIT.ok, r.stderr);
    const entries = JSON.parse(r.stdout) as Array<{ transaction: string; controlNumber: string; interchange: string; type: string; documents: Array<{ asnNumber: string }> }>;
    assert.equal(entries.length, 1);
    assert.deepEqual([entries[0]?.transaction, entries[0]?.controlNumber, entries[0]?.interchange, entries[0]?.type], ['856', '0001', '000000517', 'advance-ship-notice']);
    assert.equal(entries[0]?.documents[0]?.asnNumber, 'SH-778120');
  });

  it('reads 855 (against a stand-in order), 846, 214 and 850 without a profile', async () => {
    const expect = { 'poa-855.edi': 'purchase-order-acknowledgment', 'inventory-846.edi': 'inventory-position', 'tracking-214.edi': 'tracking-event', 'po-850.edi': 'sales-order' };
    for (const [file, type] of Object.entries(expect)) {
      const r = await run(['edi', 'parse', fixture(file)]);
      assert.equal(r.code, EDI_EXIT.ok, `${file}: ${r.stderr}`);
      assert.equal((JSON.parse(r.stdout) as Array<{ type: string }>)[0]?.type, type, file);
    }
    const ack = JSON.parse((await run(['parse', fixture('poa-855.edi')])).stdout) as Array<{ documents: Array<{ lines: Array<{ action: string }> }> }>;
    assert.deepEqual(ack[0]?.documents[0]?.lines.map((l) => l.action), ['accept', 'change_quantity', 'backorder', 'change_price']);
  });

  it('reports a set it cannot map (exit 1) and maps it with a profile that fills the gap', async () => {
    const files = await canonicalFiles();
    const without = await run(['parse', fixture('multi-isa.edi')]);
    assert.equal(without.code, EDI_EXIT.invalid);
    assert.match(without.stderr, /850 0001 \(interchange 000000731\): TL_EDI_MAPPING_FAILED: .*no bill-to/);
    const entries = JSON.parse(without.stdout) as Array<{ transaction: string; error?: { code: string }; type?: string }>;
    assert.deepEqual(entries.map((e) => `${e.transaction}:${e.error?.code ?? e.type}`), ['850:TL_EDI_MAPPING_FAILED', '855:purchase-order-acknowledgment']);

    const invoice = await run(['parse', fixture('invoice-810.edi'), '--profile', 'mem/acme.json'], files);
    assert.equal(invoice.code, EDI_EXIT.ok, invoice.stderr);
    assert.equal((JSON.parse(invoice.stdout) as Array<{ documents: Array<{ invoiceNumber: string }> }>)[0]?.documents[0]?.invoiceNumber, 'INV-90331');
    const order = await run(['parse', fixture('crlf-bom.edi'), '--profile', 'mem/northwind.json'], files);
    assert.equal(order.code, EDI_EXIT.ok, order.stderr);
  });

  it('says why a file is not X12', async () => {
    const r = await run(['parse', 'mem/acme.json'], await canonicalFiles());
    assert.equal(r.code, EDI_EXIT.invalid);
    assert.match(r.stderr, /cannot be read as X12: TL_EDI_ISA_EXPECTED/);
  });
});

describe('tradelane edi validate', () => {
  it('prints the 997 it would send and exits 0 for a valid file', async () => {
    const r = await run(['validate', fixture('asn-856.edi')]);
    assert.equal(r.code, EDI_EXIT.ok, r.stderr);
    assert.match(r.stdout, /^ISA\*00\*.*\*ZZ\*TLDEMO {9}\*ZZ\*ACMESUPPLY {5}\*/);
    assert.match(r.stdout, /\nST\*997\*0001~\nAK1\*SH\*517~\nAK2\*856\*0001~\nAK5\*A~\nAK9\*A\*1\*1\*1~\n/);
    assert.match(r.stderr, /valid/);
  });

  it('answers a 005010 group with a 999', async () => {
    const r = await run(['validate', fixture('inventory-846.edi')]);
    assert.equal(r.code, EDI_EXIT.ok, r.stderr);
    assert.match(r.stdout, /ST\*999\*0001\*005010X231A1~\nAK1\*IB\*515\*005010~/);
    assert.match((await run(['validate', fixture('inventory-846.edi'), '--ack', '997'])).stdout, /ST\*997\*0001~/);
  });

  it('exits 1 and prints the rejecting 997 or TA1 for invalid files', async () => {
    const se = await run(['validate', fixture('se-count-mismatch.edi')]);
    assert.equal(se.code, EDI_EXIT.invalid);
    assert.match(se.stdout, /AK5\*R\*4~\nAK9\*R\*1\*1\*0~/);
    assert.match(se.stderr, /TL_EDI_AK5_4 \(interchange 000000518, set 0001, segment 20\): SE01 says 17 segments/);
    const iea = await run(['validate', fixture('control-number-mismatch.edi')]);
    assert.equal(iea.code, EDI_EXIT.invalid);
    assert.match(iea.stdout, /TA1\*000000512\*250302\*1105\*R\*001~/);
    assert.doesNotMatch(iea.stdout, /ST\*997/, 'a rejected interchange gets a TA1 only');
    const cut = await run(['validate', fixture('truncated.edi')]);
    assert.equal(cut.code, EDI_EXIT.invalid);
    assert.match(cut.stdout, /TA1\*000000517\*250305\*1415\*R\*023~/);
  });
});

describe('tradelane edi translate', () => {
  it('writes an 850 with the given control numbers that reads back to the same order', async () => {
    const files = await canonicalFiles();
    const r = await run(['translate', '--to', '850', 'mem/po.json', '--control-number', '42'], files);
    assert.equal(r.code, EDI_EXIT.ok, r.stderr);
    assert.match(r.stdout, /^ISA\*00\*.*\*ZZ\*TRADELANE {6}\*ZZ\*PARTNER {8}\*\d{6}\*\d{4}\*U\*00401\*000000042\*0\*P\*>~\n/);
    assert.match(r.stdout, /\nGS\*PO\*TRADELANE\*PARTNER\*\d{8}\*\d{4}\*42\*X\*004010~\nST\*850\*0042~\n/);
    const set = parseX12(r.stdout).interchanges[0]?.groups[0]?.sets[0];
    const beg = set?.segments.find((s) => s.tag === 'BEG');
    assert.equal(beg && elementValue(beg, 3), 'PO-2025-0042');
    assert.equal(set?.segments.filter((s) => s.tag === 'PO1').length, 3);
  });

  it('writes 856 and 810 as the partner sends them, and 855 against the purchase order', async () => {
    const files = await canonicalFiles();
    const asn = await run(['translate', '--to', '856', 'mem/asn.json', '--profile', 'mem/acme.json'], files);
    assert.equal(asn.code, EDI_EXIT.ok, asn.stderr);
    assert.match(asn.stdout, /^ISA\*00\*.*\*ZZ\*ACMESUPPLY {5}\*ZZ\*TLDEMO {9}\*.*\*000000001\*/);
    assert.match(asn.stdout, /\nST\*856\*0001~\nBSN\*00\*SH-778120\*/);
    const invoice = await run(['translate', '--to', '810', 'mem/invoice.json'], files);
    assert.equal(invoice.code, EDI_EXIT.ok, invoice.stderr);
    assert.match(invoice.stdout, /\nST\*810\*0001~\nBIG\*20250306\*INV-90331\*/);
    const ack = await run(['translate', '--to', '855', 'mem/ack.json', '--purchase-order', 'mem/po.json'], files);
    assert.equal(ack.code, EDI_EXIT.ok, ack.stderr);
    assert.match(ack.stdout, /\nST\*855\*0001~\nBAK\*00\*AC\*PO-2025-0042\*/);
  });

  it('refuses documents that are not the canonical kind asked for', async () => {
    const r = await run(['translate', '--to', '856', 'mem/not-an-asn.json'], await canonicalFiles());
    assert.equal(r.code, EDI_EXIT.invalid);
    assert.match(r.stderr, /mem\/not-an-asn.json is not a canonical advance ship notice:\n {2}schemaVersion: /);
  });
});

describe('tradelane edi usage', () => {
  it('prints usage on stderr with exit 64 for unknown subcommands, missing files and bad options', async () => {
    const files = await canonicalFiles();
    const cases: Array<[string[], RegExp]> = [
      [[], /a subcommand is required/],
      [['frobnicate', 'x.edi'], /unknown subcommand "frobnicate"/],
      [['parse'], /edi parse needs a file/],
      [['validate', '/no/such/file.edi'], /cannot read file \/no\/such\/file.edi: no such file/],
      [['translate', 'mem/po.json'], /translate needs --to 850, 855, 856 or 810/],
      [['translate', '--to', '997', 'mem/po.json'], /--to 997 is not supported/],
      [['translate', '--to', '855', 'mem/ack.json'], /needs --purchase-order/],
      [['translate', '--to', '850', 'mem/po.json', '--control-number', 'x'], /--control-number must be a whole number/],
      [['parse', fixture('asn-856.edi'), '--verbose'], /Unknown option '--verbose'/],
      [['parse', fixture('asn-856.edi'), 'extra.edi'], /unexpected arguments: extra.edi/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, files);
      assert.equal(r.code, EDI_EXIT.usage, `${argv.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, argv.join(' '));
      assert.match(r.stderr, /Usage:\n {2}tradelane edi parse <file>/, argv.join(' '));
      assert.equal(r.stdout, '');
    }
    const help = await run(['--help']);
    assert.equal(help.code, EDI_EXIT.ok);
    assert.match(help.stdout, /tradelane edi validate <file>/);
  });

  it('exits 78 for a partner profile that is not valid, naming the fields', async () => {
    const r = await run(['parse', fixture('asn-856.edi'), '--profile', 'mem/bad-profile.json'], await canonicalFiles());
    assert.equal(r.code, EDI_EXIT.config);
    assert.match(r.stderr, /partner profile mem\/bad-profile.json is not valid:\n {2}id: profile id is a lower-case key/);
  });
});
