import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  addDecimal,
  gs1CheckDigit,
  invoiceSchema,
  multiplyDecimal,
  newId,
  advanceShipNoticeSchema,
  purchaseOrderAcknowledgmentSchema,
  type AdvanceShipNotice,
  type Invoice,
  type PurchaseOrder,
  type PurchaseOrderAcknowledgment,
} from '@tradelane/canonical';
import {
  acknowledgmentTo855,
  advanceShipNoticeTo856,
  createInterchange,
  elementValue,
  envelopeSettingsFor,
  InMemoryControlNumberSequence,
  invoiceTo810,
  parseX12,
  writeX12,
  type X12OutboundSet,
} from '@tradelane/connector-edi-x12';
import { TransientError } from '@tradelane/core';
import type { SupplierOutboundChannel } from '@tradelane/flows';
import { databaseTargets } from '@tradelane/testkit';
import { createEdi850Channel, type Sent850 } from './edi-850.channel.js';
import { resolveSupplierEdi, type ResolvedSupplierEdi } from './supplier-edi.config.js';
import { lookupSshd, startSshd, type TestSshd } from '@tradelane/connector-edi-x12/testing';
import { ediProcureToPayHarness, TENANT, type EdiProcureToPayHarness } from './supplier-edi.fixture.js';
import { createSupplierEdiInbound, type SupplierEdiInbound } from './supplier-edi.inbound.js';

const sshd = lookupSshd();
const round2 = (v: string) => (Math.round(Number(v) * 100) / 100).toFixed(2);

for (const target of databaseTargets()) {
  describe(`a supplier over EDI and SFTP through procure-to-pay, on ${target.name}`, { skip: sshd.available ? false : sshd.skip }, () => {
    let server: TestSshd;
    let h: EdiProcureToPayHarness;
    let edi: ResolvedSupplierEdi;
    let channel: SupplierOutboundChannel;
    let inbound: SupplierEdiInbound;
    let supplierId: string;
    let toSupplier: string;
    let fromSupplier: string;
    const sent: Sent850[] = [];
    const partnerSequence = new InMemoryControlNumberSequence({ interchange: 7001, group: 7001, set: 7001 });

    before(async () => {
      server = await startSshd(sshd.available ? sshd.value : '');
      toSupplier = join(server.dataDir, 'supplier', 'in');
      fromSupplier = join(server.dataDir, 'supplier', 'out');
      mkdirSync(toSupplier, { recursive: true });
      mkdirSync(fromSupplier, { recursive: true });
      h = await ediProcureToPayHarness(await target.open(), async ({ idOf, store }) => {
        supplierId = idOf(5101);
        edi = await resolveSupplierEdi(
          {
            supplierId,
            tenantId: TENANT,
            sftp: { host: server.host, port: server.port, username: server.username, auth: { method: 'key', privateKey: server.privateKey }, hostKey: { fingerprints: [server.hostFingerprint] } },
            folders: { partnerInbound: toSupplier, partnerOutbound: fromSupplier },
            profile: {
              inline: {
                id: 'fastenal-5101',
                role: 'supplier',
                interchange: { ours: { qualifier: 'ZZ', id: 'TRADELANE' }, theirs: { qualifier: 'ZZ', id: 'SUP5101' } },
                lineEnding: '\n',
                defaults: { billTo: { name: 'Tradelane Demo Distributing', code: 'HQ', address: { line1: '200 Congress Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' } } },
              },
            },
            quietPeriodMs: 0,
            settleMs: 0,
            pollIntervalMs: 100,
          },
          async () => {
            throw new Error('inline profile');
          },
        );
        // The durable record of sent files runs on server Postgres (on PGlite it would wait for the consumer's transaction).
        channel = createEdi850Channel({ suppliers: [edi], ...(target.name === 'postgres' ? { sent: store.idempotency } : {}), onSent: (s) => sent.push(s) });
        return { channels: [channel], tolerances: { suppliers: { [supplierId]: { channel: 'edi-850' } } } };
      });
      inbound = createSupplierEdiInbound({ supplier: edi, commands: h.p2p.commands, queries: h.p2p.queries, repository: h.repository });
    });
    after(async () => {
      await inbound?.stop();
      await h?.close();
      await h?.db.close();
      await server?.stop();
    });

    /** The supplier's EDI system uploads a file (written under a hidden name, then renamed, as SFTP clients do). */
    function upload(name: string, text: string): void {
      writeFileSync(join(fromSupplier, `.${name}.part`), text);
      renameSync(join(fromSupplier, `.${name}.part`), join(fromSupplier, name));
    }

    /** An X12 interchange as the supplier sends it. */
    async function asSupplier(functionalId: string, set: X12OutboundSet): Promise<string> {
      const ic = await createInterchange(envelopeSettingsFor(edi.profile, { asPartner: true }), [{ functionalId, sets: [set] }], { sequence: partnerSequence });
      return writeX12(ic, { lineEnding: '\n' });
    }

    const acksDropped = () => readdirSync(toSupplier).filter((f) => /^(997|999|TA1)_/.test(f)).sort();

    let poNumber: string;
    let erpPo: PurchaseOrder;
    let ackText: string;

    it('sends the approved purchase order as an 850 into the supplier inbound folder, once per revision', async () => {
      poNumber = await h.createPurchaseOrder(5101, [
        { LITM: 'FAS-1001', UORG: 100 },
        { LITM: 'FAS-1002', UORG: 40 },
      ]);
      await h.settle();
      const files = readdirSync(toSupplier);
      assert.deepEqual(files, [`850_${poNumber}_r0.edi`]);
      erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!.purchaseOrder;
      const doc = parseX12(readFileSync(join(toSupplier, files[0]!)));
      const ic = doc.interchanges[0]!;
      assert.equal(elementValue(ic.header, 6).trim(), 'TRADELANE');
      assert.equal(elementValue(ic.header, 8).trim(), 'SUP5101');
      assert.equal(elementValue(ic.header, 13), '000000001');
      const set = ic.groups[0]!.sets[0]!;
      assert.equal(elementValue(set.header, 1), '850');
      const beg = set.segments.find((s) => s.tag === 'BEG')!;
      assert.equal(elementValue(beg, 1), '00');
      assert.equal(elementValue(beg, 3), poNumber);
      const po1 = set.segments.filter((s) => s.tag === 'PO1').map((s) => [1, 2, 3, 4, 6, 7].map((i) => elementValue(s, i)));
      assert.deepEqual(po1, [
        ['1', '100', 'BX', '5.5328', 'BP', 'FAS-1001'],
        ['2', '40', 'BX', '9.2933', 'BP', 'FAS-1002'],
      ]);
      assert.deepEqual(
        erpPo.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit, l.unitPrice.amount]),
        [
          [1, 'FAS-1001', '100', 'BX', '5.5328'],
          [2, 'FAS-1002', '40', 'BX', '9.2933'],
        ],
      );
      const view = (await h.p2p.queries.getPurchaseOrder(await inbound.context(), poNumber))!;
      assert.equal(view.status, 'New');
      // Publishing the same revision again drops nothing.
      await channel.publish(h.system, { ...erpPo, revision: 0 }, { supplierId, revision: 0, view });
      assert.deepEqual(readdirSync(toSupplier), [`850_${poNumber}_r0.edi`]);
      assert.deepEqual(
        sent.map((s) => [s.poNumber, s.revision, s.fileName, s.dropped]),
        [
          [poNumber, 0, `850_${poNumber}_r0.edi`, true],
          [poNumber, 0, `850_${poNumber}_r0.edi`, false],
        ],
      );
      if (target.name === 'postgres') {
        // After a restart (a new channel, nothing in memory) and with the file gone from the folder, the store remembers.
        renameSync(join(toSupplier, `850_${poNumber}_r0.edi`), join(server.dataDir, `850_${poNumber}_r0.taken`));
        const restarted = createEdi850Channel({ suppliers: [edi], sent: h.store.idempotency, onSent: (s) => sent.push(s) });
        await restarted.publish(h.system, { ...erpPo, revision: 0 }, { supplierId, revision: 0, view });
        assert.deepEqual(readdirSync(toSupplier), []);
        assert.deepEqual([sent.at(-1)?.fileName, sent.at(-1)?.controlNumber, sent.at(-1)?.dropped], [`850_${poNumber}_r0.edi`, '000000001', false]);
      }
    });

    it('applies the 855 acknowledgment to the ERP and answers with a 997', async () => {
      const ack: PurchaseOrderAcknowledgment = purchaseOrderAcknowledgmentSchema.parse({
        schemaVersion: 1,
        id: newId('poa'),
        tenantId: TENANT,
        purchaseOrderId: erpPo.id,
        poNumber,
        poRevision: 0,
        supplierId,
        ackNumber: 'SO-5101-1',
        ackType: 'accepted',
        acknowledgedAt: new Date().toISOString(),
        receivedVia: 'edi',
        currency: erpPo.currency,
        lines: erpPo.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, action: 'accept', quantity: l.quantity, unit: l.unit, scheduledDate: l.requestedDate })),
        externalIds: {},
        receivedAt: new Date().toISOString(),
      });
      ackText = await asSupplier('PR', acknowledgmentTo855(ack, erpPo, edi.profile));
      upload(`855_${poNumber}.edi`, ackText);

      // A transient failure (the database is away) leaves the file for the next poll: nothing recorded, no 997 yet.
      const outage = createSupplierEdiInbound({
        supplier: edi,
        commands: { ...h.p2p.commands, acknowledge: async () => Promise.reject(new TransientError('TL_TEST_OUTAGE', 'database unavailable')) },
        queries: h.p2p.queries,
        repository: h.repository,
      });
      const failed = await outage.runOnce();
      assert.deepEqual(failed.files, []);
      assert.deepEqual(failed.pickup.items.filter((i) => i.status !== 'skipped').map((i) => [i.status, i.name, i.status === 'failed' ? i.kind : '']), [['failed', `855_${poNumber}.edi`, 'transient']]);
      assert.deepEqual(readdirSync(fromSupplier).filter((f) => f.endsWith('.edi')), [`855_${poNumber}.edi`]);
      assert.equal(acksDropped().length, 0);
      assert.equal((await h.repository.list(h.system, { partnerId: 'fastenal-5101' })).items.length, 0);

      const report = await inbound.runOnce();
      assert.equal(report.files.length, 1);
      const [file] = report.files;
      assert.equal(file!.outcome, 'accepted');
      assert.deepEqual(file!.documents.map((d) => [d.status, d.type, d.status === 'applied' ? d.command : '', d.status === 'applied' ? d.result : d.code]), [
        ['applied', 'purchase-order-acknowledgment', 'acknowledge', 'Applied'],
      ]);
      assert.ok(file!.acknowledgmentFile?.startsWith('997_fastenal-5101_'));
      const ack997 = readFileSync(join(toSupplier, file!.acknowledgmentFile!), 'utf8');
      assert.match(ack997, /ST\*997\*/);
      assert.match(ack997, /AK1\*PR\*7001/);
      assert.match(ack997, /AK5\*A/);
      assert.match(ack997, /AK9\*A\*1\*1\*1/);
      assert.deepEqual(readdirSync(fromSupplier).filter((f) => !f.startsWith('.') && f !== 'archive'), [], 'picked up and archived');

      await h.settle();
      const erp = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erp.status, 'Acknowledged');
      assert.deepEqual(erp.lines.map((l) => [l.acknowledgment, l.quantityOrdered]), [['accepted', '100'], ['accepted', '40']]);
      assert.equal(h.erpAcknowledgments.get(poNumber), 1);
      const view = (await h.p2p.queries.getPurchaseOrder(inbound.context(), poNumber))!;
      assert.equal(view.status, 'Acknowledged');
      assert.equal(view.awaitingAcknowledgment, false);
      assert.deepEqual(view.lines.map((l) => l.quantityAcknowledged), ['100', '40']);
      const stored = (await h.repository.get(h.system, file!.messageId))!;
      assert.equal(stored.outcome, 'accepted');
      assert.equal(stored.partnerId, 'fastenal-5101');
      assert.equal(Buffer.from(stored.payload).toString('utf8'), ackText);
    });

    let asnId: string;
    it('records the 856 ship notice as an expected receipt in the ERP; the receipt follows', async () => {
      const body = `0061414199${String(Number(poNumber) % 10_000_000).padStart(7, '0')}`;
      const asn: AdvanceShipNotice = advanceShipNoticeSchema.parse({
        schemaVersion: 1,
        id: newId('asn'),
        tenantId: TENANT,
        asnNumber: `SH-${poNumber}`,
        supplierId,
        purpose: 'original',
        shipFrom: { name: 'Fastenal Dallas', address: { line1: '1800 Commerce St', city: 'Dallas', region: 'TX', postalCode: '75201', country: 'US' } },
        shipToLocationId: 'M10',
        carrier: { code: 'FXFE' },
        trackingNumber: '884120377',
        shippedAt: `${new Date().toISOString().slice(0, 10)}T14:00:00Z`,
        expectedDeliveryDate: erpPo.lines[0]!.requestedDate,
        orders: [{ poNumber, packs: [{ sscc: `${body}${gs1CheckDigit(body)}`, packaging: 'pallet', items: erpPo.lines.map((l) => ({ lineNumber: l.lineNumber, sku: l.sku, quantity: l.quantity, unit: l.unit })) }] }],
        receivedVia: 'edi',
        receivedAt: new Date().toISOString(),
        externalIds: {},
      });
      upload(`856_${poNumber}.edi`, await asSupplier('SH', advanceShipNoticeTo856(asn, edi.profile)));
      const report = await inbound.runOnce();
      const [file] = report.files;
      assert.equal(file!.outcome, 'accepted');
      const [doc] = file!.documents;
      assert.ok(doc?.status === 'applied' && doc.command === 'submitAsn' && doc.result === 'InTransit', JSON.stringify(file));
      asnId = doc.reference;
      assert.match(readFileSync(join(toSupplier, file!.acknowledgmentFile!), 'utf8'), /AK1\*SH\*7002[\s\S]*AK5\*A/);

      await h.settle();
      let erp = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erp.status, 'InTransit');
      assert.deepEqual(erp.lines.map((l) => l.quantityInTransit), ['100', '40']);
      const expected = h.sim.engine.purchasing.listExpectedReceipts({ VASN: `SH-${poNumber}` });
      assert.equal(expected.length, 1);
      assert.deepEqual(expected[0]!.LINES.map((l) => [l.DOCO, l.LITM, l.QTY]), [[Number(poNumber), 'FAS-1001', 100], [Number(poNumber), 'FAS-1002', 40]]);
      assert.equal(expected[0]!.CARS, 'FXFE');
      const hubAsn = (await h.p2p.queries.getAsn(inbound.context(), asnId))!;
      assert.deepEqual(hubAsn.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unit]), [[1, 'FAS-1001', '100', 'BX'], [2, 'FAS-1002', '40', 'BX']]);
      assert.equal(hubAsn.carrierCode, 'FXFE');

      // The warehouse receives the goods against the ship notice.
      await h.p2p.receiveAsn(h.system, asnId);
      await h.settle();
      erp = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.equal(erp.status, 'Received');
      assert.deepEqual((await h.p2p.queries.getPurchaseOrder(inbound.context(), poNumber))!.lines.map((l) => l.quantityReceived), ['100', '40']);
    });

    it('matches the 810 invoice at the PO price and approves it in the ERP', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const lines = erpPo.lines.map((l) => ({
        lineNumber: l.lineNumber,
        orderLineNumber: l.lineNumber,
        sku: l.sku,
        quantity: l.quantity,
        unit: l.unit,
        unitPrice: l.unitPrice,
        lineAmount: { amount: round2(multiplyDecimal(l.quantity, l.unitPrice.amount)), currency: l.unitPrice.currency },
      }));
      const subtotal = lines.reduce((s, l) => addDecimal(s, l.lineAmount.amount), '0');
      const money = (amount: string) => ({ amount: round2(amount), currency: erpPo.currency });
      const invoice: Invoice = invoiceSchema.parse({
        schemaVersion: 1,
        id: newId('inv'),
        tenantId: TENANT,
        direction: 'payable',
        invoiceNumber: `INV-${poNumber}`,
        kind: 'invoice',
        status: 'Issued',
        partyId: supplierId,
        billTo: { name: 'Tradelane Demo Distributing', code: 'HQ', address: { line1: '200 Congress Ave', city: 'Austin', region: 'TX', postalCode: '78701', country: 'US' } },
        orderRefs: [{ kind: 'purchase_order', poNumber }],
        shipmentIds: [],
        invoiceDate: today,
        dueDate: today,
        terms: { code: 'NET30', netDays: 30 },
        currency: erpPo.currency,
        lines,
        taxes: [],
        totals: { subtotal: money(subtotal), tax: money('0'), freight: money('0'), total: money(subtotal) },
        amountDue: money(subtotal),
        externalIds: {},
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      });
      upload(`810_${poNumber}.edi`, await asSupplier('IN', invoiceTo810(invoice, edi.profile)));
      const report = await inbound.runOnce();
      const [file] = report.files;
      assert.equal(file!.outcome, 'accepted', JSON.stringify(file));
      const [doc] = file!.documents;
      assert.ok(doc?.status === 'applied' && doc.command === 'submitInvoice' && doc.result === 'Approved', JSON.stringify(file));
      const hubInvoice = (await h.p2p.queries.getInvoice(inbound.context(), doc.reference))!;
      assert.equal(hubInvoice.match?.result, 'matched');
      assert.equal(hubInvoice.total.amount, '925.01');
      assert.deepEqual(hubInvoice.match?.lines.map((l) => [l.lineNumber, l.invoicedQuantity, l.receivedQuantity, l.invoicedUnitPrice, l.variances.length]), [
        [1, '100', '100', '5.5328', 0],
        [2, '40', '40', '9.2933', 0],
      ]);

      await h.settle();
      const [voucher] = h.sim.engine.purchasing.listVouchers({ VINV: `INV-${poNumber}` });
      assert.equal(voucher?.MTCH, 'A', 'approved for payment in the ERP');
      assert.equal((await h.p2p.queries.getPurchaseOrder(inbound.context(), poNumber))!.status, 'Closed');
      assert.deepEqual(acksDropped().length, 3, 'one 997 per file');
    });

    it('records a re-uploaded 855 as a duplicate and applies nothing twice', async () => {
      upload(`855_${poNumber}.edi`, ackText);
      const report = await inbound.runOnce();
      assert.deepEqual(report.files, []);
      assert.deepEqual(report.pickup.items.filter((i) => i.status !== 'skipped').map((i) => [i.status, i.name]), [['duplicate', `855_${poNumber}.edi`]]);
      await h.settle();
      assert.equal(h.erpAcknowledgments.get(poNumber), 1, 'the ERP got one acknowledgment');
      const dups = await h.repository.list(h.system, { partnerId: 'fastenal-5101', outcome: 'duplicate' });
      assert.equal(dups.items.length, 1);
      assert.equal(dups.items[0]!.fileName, `855_${poNumber}.edi`);
      assert.equal(acksDropped().length, 3, 'a duplicate is not acknowledged again');
    });

    it('rejects a malformed 856 with a 997 AK5 R and keeps it; a ship notice the process refuses is kept as rejected', async () => {
      const good = readFileSync(join(fromSupplier, 'archive', readdirSync(join(fromSupplier, 'archive')).find((f) => f.includes(`856_${poNumber}`))!), 'utf8');
      const broken = good.replace(/SE\*(\d+)\*/, (_m, n: string) => `SE*${Number(n) + 5}*`).replace(`SH-${poNumber}`, `SH-${poNumber}-X`);
      upload(`856_${poNumber}_broken.edi`, broken);
      let report = await inbound.runOnce();
      let [file] = report.files;
      assert.equal(file!.outcome, 'rejected');
      assert.deepEqual(file!.documents, []);
      const ack997 = readFileSync(join(toSupplier, file!.acknowledgmentFile!), 'utf8');
      assert.match(ack997, /AK5\*R\*4/);
      assert.match(ack997, /AK9\*R\*1\*1\*0/);
      let stored = (await h.repository.get(h.system, file!.messageId))!;
      assert.equal(stored.outcome, 'rejected');
      assert.equal(Buffer.from(stored.payload).toString('utf8'), broken);
      assert.ok(stored.errors.some((e) => e.code === 'TL_EDI_AK5_4'), JSON.stringify(stored.errors));

      // Well-formed, but for an order that is closed by now: the process refuses it (InputError); the file is kept as rejected.
      const over = good.replace(`SH-${poNumber}`, `SH-${poNumber}-2`);
      upload(`856_${poNumber}_again.edi`, over);
      report = await inbound.runOnce();
      [file] = report.files;
      assert.equal(file!.outcome, 'rejected');
      assert.deepEqual(file!.documents.map((d) => [d.status, d.status === 'rejected' ? d.code : '']), [['rejected', 'TL_P2P_PO_CLOSED']]);
      assert.match(readFileSync(join(toSupplier, file!.acknowledgmentFile!), 'utf8'), /AK5\*A/);
      stored = (await h.repository.get(h.system, file!.messageId))!;
      assert.equal(stored.outcome, 'rejected');
      assert.ok(stored.errors.some((e) => e.code === 'TL_P2P_PO_CLOSED'));
      const rejected = await h.repository.list(h.system, { partnerId: 'fastenal-5101', outcome: 'rejected' });
      assert.equal(rejected.items.length, 2);
      // A replay reads the kept file again and is refused again for the same reason.
      const replayed = await inbound.replay(file!.messageId);
      assert.equal(replayed.outcome, 'rejected');
      assert.equal((await h.repository.get(h.system, replayed.messageId))!.replayOf, file!.messageId);
    });
  });
}
