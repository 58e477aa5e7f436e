import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partySchema } from '@tradelane/canonical';
import { ErpSimEngine } from '../sim/erp-engine.service.js';
import { partyIdOf } from './derived-id.js';
import { partyFromSim } from './party.from-sim.js';

test('every address book row maps to a valid Party with the address number kept', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  const terms = new Map(engine.paymentTerms().map((t) => [t.PTC, t]));
  const rows = engine.listAddressBook({ max: 1000 }).ROWS;
  const parties = rows.map((row) => partyFromSim(row, { tenantId: 'acme', terms }));
  for (const p of parties) partySchema.parse(p);
  const northwind = parties.find((p) => p.code === '4242')!;
  assert.equal(northwind.kind, 'customer');
  assert.equal(northwind.id, partyIdOf('acme', 4242));
  assert.deepEqual(northwind.externalIds, { 'erp-sim': '4242' });
  assert.ok(northwind.kind === 'customer' && northwind.paymentTerms?.discountPercent === '2' && northwind.paymentTerms.netDays === 30);
  const held = parties.find((p) => p.code === '4244')!;
  assert.ok(held.kind === 'customer' && held.credit.onHold && held.credit.holdReason === 'Past-due balance over 90 days');
  const shipTo = parties.find((p) => p.code === '14242')!;
  assert.ok(shipTo.kind === 'ship_to' && shipTo.parentPartyId === northwind.id);
  assert.equal(shipTo.kind === 'ship_to' && shipTo.deliveryInstructions, 'Dock 4, receiving 7am-3pm');
  assert.equal(northwind.createdAt, '2024-12-15T08:00:00Z');
});

test('suppliers map to supplier Parties with currency, payables terms, lead time, remit-to and EDI identity', () => {
  const engine = new ErpSimEngine({ seed: 1 });
  const terms = new Map(engine.paymentTerms().map((t) => [t.PTC, t]));
  const suppliers = engine.listAddressBook({ AT1: 'V' }).ROWS.map((row) => partyFromSim(row, { tenantId: 'acme', terms }));
  assert.ok(suppliers.length >= 5);
  for (const s of suppliers) assert.equal(partySchema.parse(s).kind, 'supplier');
  const fasteners = suppliers.find((s) => s.code === '5101')!;
  assert.ok(fasteners.kind === 'supplier');
  assert.deepEqual([fasteners.currency, fasteners.leadTimeDays, fasteners.paymentTerms?.code, fasteners.edi], ['USD', 5, 'N30', { qualifier: 'ZZ', id: 'MIDWESTFAST' }]);
  assert.equal(fasteners.remitTo?.city, 'Chicago');
  const canadian = suppliers.find((s) => s.kind === 'supplier' && s.currency === 'CAD')!;
  assert.deepEqual([canadian.address.country, canadian.address.postalCode], ['CA', 'L5N 4J9']);
});
