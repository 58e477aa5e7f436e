import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TenantContext } from '@tradelane/core';
import { databaseTargets } from '@tradelane/testkit';
import { procureToPayHarness, type ProcureToPayHarness } from './procure-to-pay.fixture.js';

for (const target of databaseTargets()) {
  describe(`procure-to-pay with the warehouse simulator, on ${target.name}`, () => {
    let h: ProcureToPayHarness;
    let supplier: TenantContext;
    before(async () => {
      h = await procureToPayHarness(await target.open(), { warehouse: true });
      supplier = await h.supplier(5101);
    });
    after(async () => {
      await h.close();
      await h.db.close();
    });

    it('announces a ship notice to the warehouse; its short receipt reaches the ERP and the order, and the rest stays inbound', async () => {
      const poNumber = await h.createPurchaseOrder(5101, [{ LITM: 'FAS-1006', UORG: 30 }]);
      await h.settle();
      const po = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      await h.p2p.commands.acknowledge(supplier, po.id, { lines: [{ lineNumber: 1, action: 'accept' }] });
      const date = po.lines[0]!.requestedDate;
      const asn = await h.p2p.commands.submitAsn(supplier, { asnNumber: 'ASN-WMS-1', shipDate: date, expectedDeliveryDate: date, lines: [{ poNumber, lineNumber: 1, sku: 'FAS-1006', quantity: '30', unit: 'BX' }] });
      await h.settle();
      const inbound = h.wms!.inbound(asn.id);
      assert.ok(inbound, 'announced to the warehouse under the hub ASN id');
      h.wms!.receiveInbound(asn.id, { lines: [{ poNo: poNumber, poLineNo: 1, qtyReceived: 24 }] } as never);
      await h.settle();
      const erpPo = (await h.erp.erpPurchasing.findPurchaseOrder(h.system, poNumber))!;
      assert.deepEqual([erpPo.status, erpPo.lines[0]!.quantityReceived], ['PartiallyReceived', '24']);
      assert.equal(h.sim.engine.purchasing.listReceipts({ DOCO: Number(poNumber) }).length, 1);
      const view = (await h.p2p.queries.getPurchaseOrder(supplier, poNumber))!;
      assert.deepEqual([view.status, view.lines[0]!.quantityReceived], ['PartiallyReceived', '24']);
      const asnView = (await h.p2p.queries.getAsn(supplier, asn.id))!;
      assert.deepEqual([asnView.status, asnView.lines[0]!.quantityReceived], ['PartiallyReceived', '24']);
      const atp = await h.p2p.atp(h.system, 'FAS-1006');
      assert.deepEqual(atp.locations.find((l) => l.warehouseId === 'M10')!.inbound.filter((i) => i.poNumber === poNumber).map((i) => i.quantity), ['6']);
      // Reading the warehouse feed again records nothing twice.
      await h.settle();
      assert.equal(h.sim.engine.purchasing.listReceipts({ DOCO: Number(poNumber) }).length, 1);
    });
  });
}
