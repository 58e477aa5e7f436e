import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { orderFromSim, orderStatusFromSim } from './order.from-sim.js';

test('order status codes and quantities map to the hub order statuses', () => {
  const engine = new ErpSimEngine({ seed: 1, releaseMode: 'manual' });
  const make = (an8: number, lines: Array<{ LITM: string; UORG: number; UOM?: string }>) => engine.createOrder({ AN8: an8, VR01: 'PO', LINES: lines }).order;

  const held = make(4244, [{ LITM: 'FAS-1001', UORG: 1 }]);
  assert.equal(orderStatusFromSim(held), 'OnHold');
  assert.match(orderFromSim(held).holdReason ?? '', /^C1: Past-due/);
  const allocated = make(4242, [{ LITM: 'FAS-1001', UORG: 1 }]);
  assert.equal(orderStatusFromSim(allocated), 'Allocated');
  assert.equal(orderStatusFromSim(make(4242, [{ LITM: 'FAS-1007', UORG: 3 }])), 'Backordered');
  assert.equal(orderStatusFromSim(make(4242, [{ LITM: 'FAS-1007', UORG: 3 }, { LITM: 'FAS-1001', UORG: 1 }])), 'PartiallyAllocated');
  const released = engine.releaseOrder(allocated.DOCO);
  assert.equal(orderStatusFromSim(released), 'Released');
  const twoLines = engine.releaseOrder(make(4242, [{ LITM: 'FAS-1001', UORG: 4 }]).DOCO);
  const partly = engine.confirmShipment(twoLines.DOCO, { SHPREF: 'a', CARS: 'UPSN', TRKN: '1', LINES: [{ LNID: '1.000', SOQS: 1 }] }).order;
  assert.equal(orderStatusFromSim(partly), 'PartiallyShipped');
  assert.deepEqual(
    { released: orderFromSim(partly).lines[0]!.quantityReleased, shipped: orderFromSim(partly).lines[0]!.quantityShipped },
    { released: '4', shipped: '1' },
    'released counts what shipped plus what is released and unshipped',
  );
  assert.equal(orderFromSim(make(4242, [{ LITM: 'FAS-1001', UORG: 2 }])).lines[0]!.quantityReleased, '0', 'manual mode: nothing released yet');
  const all = engine.confirmShipment(twoLines.DOCO, { SHPREF: 'b', CARS: 'UPSN', TRKN: '2', LINES: [{ LNID: '1.000', SOQS: 3 }] }).order;
  assert.equal(orderStatusFromSim(all), 'Invoiced');
  for (const inv of engine.listInvoices({ DOCO: twoLines.DOCO })) engine.postPayment({ DOC: inv.DOC, PAAP: inv.AAP });
  assert.equal(orderStatusFromSim(engine.getOrder(twoLines.DOCO)), 'Closed');
  assert.equal(orderStatusFromSim(engine.cancelOrder(make(4242, [{ LITM: 'FAS-1001', UORG: 1 }]).DOCO, {}).order), 'Cancelled');
  assert.equal(orderStatusFromSim({ ...allocated, LINES: allocated.LINES.map((l) => ({ ...l, QCOM: 0, LTTR: 520 })) }), 'Entered');

  const mapped = orderFromSim(engine.createOrder({ AN8: 4242, VR01: 'PO', EXTREF: 'so_ref', LINES: [{ LNID: '3.000', LITM: 'PLB-1001', UORG: 2, UOM: 'CA' }] }).order);
  assert.equal(mapped.reference, 'so_ref');
  assert.match(mapped.erpOrderNumber, /^\d+$/);
  assert.deepEqual(
    { n: mapped.lines[0]!.lineNumber, unit: mapped.lines[0]!.unit, q: mapped.lines[0]!.quantity, a: mapped.lines[0]!.quantityAllocated, w: mapped.lines[0]!.warehouseId },
    { n: 3, unit: 'CS', q: '2', a: '2', w: 'M10' },
  );
  assert.match(mapped.updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
});
