import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  InMemoryControlNumberRegistry,
  InMemoryControlNumberSequence,
  X12MappingError,
  acknowledgmentOptionsFor,
  buildAcknowledgments,
  elementValue,
  readTransactionSets,
  validateX12,
  validationOptionsFor,
  writeX12,
  x12850ToSalesOrderIntake,
  x12856ToAdvanceShipNotice,
} from './index.js';
import { contextFor, customerProfile, supplierProfile } from './mappers/mapping-test.fixture.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('inbound pipeline (public API only)', () => {
  it('validates, acknowledges, then maps each set by partner profile', async () => {
    const bytes = Buffer.concat([fixture('multi-isa.edi'), fixture('asn-856.edi')]);
    const registry = new InMemoryControlNumberRegistry();
    const report = await validateX12(Readable.from([bytes.subarray(0, 500), bytes.subarray(500)]), { ...validationOptionsFor(customerProfile), registry });
    assert.deepEqual(report.errors, []);
    const acks = await buildAcknowledgments(report, acknowledgmentOptionsFor(customerProfile, new InMemoryControlNumberSequence()));
    assert.equal(acks.length, 3);
    assert.match(writeX12(acks), /TA1\*000000731\*250310\*1012\*A\*000~/);

    const profiles = new Map([
      ['NORTHWIND', customerProfile],
      ['ACMESUPPLY', supplierProfile],
    ]);
    const mapped: string[] = [];
    const failures: string[] = [];
    for await (const { interchange, set } of readTransactionSets(Readable.from([bytes]))) {
      const profile = profiles.get(interchange.sender.id);
      try {
        if (!profile) throw new Error(`no profile for ${interchange.sender.id}`);
        const id = elementValue(set.header, 1);
        if (id === '850') mapped.push(x12850ToSalesOrderIntake(set, contextFor(profile)).customerPoNumber);
        else if (id === '856') mapped.push(x12856ToAdvanceShipNotice(set, contextFor(profile)).asnNumber);
        else failures.push(`${interchange.sender.id} ${id}`);
      } catch (e) {
        failures.push(e instanceof X12MappingError ? e.code : String(e));
      }
    }
    assert.deepEqual(mapped, ['NW-88213', 'SH-778120']);
    assert.deepEqual(failures, ['Error: no profile for GLOBEXIND']);
  });
});
