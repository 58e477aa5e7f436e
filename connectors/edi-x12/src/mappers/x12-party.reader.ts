/**
 * N1 loops (N1/N2/N3/N4/PER) to canonical document parties, and back.
 */
import type { Contact, DocumentParty } from '@tradelane/canonical';
import type { X12Segment, X12SegmentInput } from '../codec/x12.types.js';
import type { PartnerProfile } from './partner-profile.schema.js';
import type { X12SetReader } from './x12-set.reader.js';

/** One N1 loop as read: the entity code (N101), the party, and the id code (N104). */
export interface X12PartyLoop {
  entity: string;
  name: string;
  code: string | undefined;
  segment: X12Segment;
  address: DocumentParty['address'] | undefined;
  contact: Contact | undefined;
}

const COUNTRY3: Readonly<Record<string, string>> = { USA: 'US', CAN: 'CA', MEX: 'MX', GBR: 'GB', DEU: 'DE', FRA: 'FR', NLD: 'NL', BEL: 'BE', CHN: 'CN', JPN: 'JP' };

/** Reads every N1 loop of a segment list (a loop runs until the next N1 or a segment that is not N2/N3/N4/PER/REF). */
export function readPartyLoops(r: X12SetReader, within: readonly X12Segment[], profile: PartnerProfile): X12PartyLoop[] {
  const out: X12PartyLoop[] = [];
  for (let i = 0; i < within.length; i++) {
    const n1 = within[i] as X12Segment;
    if (n1.tag !== 'N1') continue;
    const loop: X12Segment[] = [];
    for (let j = i + 1; j < within.length; j++) {
      const s = within[j] as X12Segment;
      if (!['N2', 'N3', 'N4', 'PER', 'REF'].includes(s.tag)) break;
      loop.push(s);
    }
    const n2 = r.first('N2', loop);
    const n3 = r.first('N3', loop);
    const n4 = r.first('N4', loop);
    const per = r.first('PER', loop);
    let address: DocumentParty['address'] | undefined;
    if (n3 && n4) {
      const raw = r.text(n4, 4);
      const country = raw === '' ? profile.defaults.country : raw.length === 3 ? COUNTRY3[raw] : raw;
      if (!country || !/^[A-Z]{2}$/.test(country)) r.fail(n4, 4, `country "${raw}" is not an ISO 3166 code`);
      address = {
        line1: r.requireText(n3, 1, 'address line'),
        ...(r.text(n3, 2) ? { line2: r.text(n3, 2) } : {}),
        city: r.requireText(n4, 1, 'city'),
        ...(r.text(n4, 2) ? { region: r.text(n4, 2) } : {}),
        ...(r.text(n4, 3) ? { postalCode: r.text(n4, 3) } : {}),
        country,
      };
    }
    let contact: Contact | undefined;
    if (per && r.text(per, 2)) contact = contactFrom(r, per);
    const name = [r.text(n1, 2), n2 ? r.text(n2, 1) : ''].filter(Boolean).join(' ');
    out.push({ entity: r.text(n1, 1), name, code: r.text(n1, 4) || undefined, segment: n1, address, contact });
  }
  return out;
}

/** A PER segment as a contact (TE phone, EM e-mail). */
export function contactFrom(r: X12SetReader, per: X12Segment): Contact {
  const contact: Contact = { name: r.requireText(per, 2, 'contact name') };
  for (const [q, v] of [[3, 4], [5, 6], [7, 8]] as const) {
    const qual = r.text(per, q);
    const value = r.text(per, v);
    if (qual === 'TE' && value) contact.phone = value;
    if (qual === 'EM' && value) contact.email = value;
  }
  return contact;
}

/** A party loop as a document party, or a mapping error naming the N1 when the address is missing. */
export function documentParty(r: X12SetReader, loop: X12PartyLoop): DocumentParty {
  if (!loop.name) r.fail(loop.segment, 2, `N1*${loop.entity} has no name`);
  if (!loop.address) r.fail(loop.segment, undefined, `N1*${loop.entity} needs N3 and N4 (address)`);
  return {
    ...(loop.code ? { code: loop.code.slice(0, 40) } : {}),
    name: loop.name.slice(0, 120),
    address: loop.address,
    ...(loop.contact ? { contact: loop.contact } : {}),
  };
}

/** Writes an N1 loop (N1, N3, N4 and PER when there is a contact). */
export function partySegments(entity: string, party: DocumentParty, code?: string): X12SegmentInput[] {
  const id = code ?? party.code;
  const out: X12SegmentInput[] = [{ tag: 'N1', elements: id ? [entity, party.name.slice(0, 60), '92', id] : [entity, party.name.slice(0, 60)] }];
  const a = party.address;
  out.push({ tag: 'N3', elements: a.line2 ? [a.line1.slice(0, 55), a.line2.slice(0, 55)] : [a.line1.slice(0, 55)] });
  out.push({ tag: 'N4', elements: [a.city.slice(0, 30), a.region ?? '', a.postalCode ?? '', a.country] });
  if (party.contact) out.push(perSegment('IC', party.contact));
  return out;
}

/** A PER segment for a contact. */
export function perSegment(function_: string, c: Contact): X12SegmentInput {
  const els = [function_, c.name.slice(0, 60)];
  if (c.phone) els.push('TE', c.phone);
  if (c.email) els.push('EM', c.email);
  return { tag: 'PER', elements: els };
}
