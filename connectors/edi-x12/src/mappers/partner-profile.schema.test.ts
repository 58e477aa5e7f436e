import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envelopeSettingsFor, parsePartnerProfile, productQualifiers, validationOptionsFor } from './partner-profile.schema.js';

const minimal = { id: 'acme', role: 'supplier' as const, interchange: { ours: { qualifier: 'ZZ', id: 'TLDEMO' }, theirs: { qualifier: '01', id: '123456789' } } };

describe('partnerProfileSchema', () => {
  it('fills every default from a minimal profile', () => {
    const p = parsePartnerProfile(minimal);
    assert.equal(p.version, '00401');
    assert.equal(p.groupVersion, '004010');
    assert.deepEqual(p.separators, { element: '*', component: '>', segment: '~' });
    assert.equal(p.functionalAck, 'auto');
    assert.equal(p.defaults.currency, 'USD');
    assert.equal(p.elements.asnLineNumber, 'LIN01');
    assert.deepEqual(p.crossReferences, { items: [], locations: [] });
  });

  it('qualifiers default by role and can be overridden', () => {
    assert.deepEqual(productQualifiers(parsePartnerProfile(minimal)).sku, ['BP']);
    assert.deepEqual(productQualifiers(parsePartnerProfile({ ...minimal, role: 'customer' })).sku, ['VP', 'SK']);
    assert.deepEqual(productQualifiers(parsePartnerProfile({ ...minimal, elements: { skuQualifiers: ['IN'] } })).sku, ['IN']);
  });

  it('gives envelope and validation settings', () => {
    const p = parsePartnerProfile({ ...minimal, version: '00501', separators: { element: '|', segment: '\n' }, usage: 'T' });
    const env = envelopeSettingsFor(p);
    assert.deepEqual([env.sender.id, env.receiver.id, env.version, env.usage, env.separators?.element], ['TLDEMO', '123456789', '00501', 'T', '|']);
    assert.equal(envelopeSettingsFor(p, { asPartner: true }).sender.id, '123456789');
    assert.deepEqual(validationOptionsFor(p).knownReceivers, [{ qualifier: 'ZZ', id: 'TLDEMO' }]);
  });

  it('refuses bad configuration with every problem listed', () => {
    assert.throws(() => parsePartnerProfile({ ...minimal, id: 'ACME', version: '4010', separators: { element: '**' } }), (e: unknown) => {
      const issues = (e as { issues: Array<{ path: PropertyKey[] }> }).issues.map((i) => i.path.join('.'));
      return issues.includes('id') && issues.includes('version') && issues.includes('separators.element');
    });
    assert.throws(() => parsePartnerProfile({ ...minimal, codes: { units: { CA: 'CASE' as never } } }));
  });
});
