/**
 * fast-check generators of valid X12 interchanges for the property and fuzz tests: random separators (printable
 * and control characters, newline terminators), versions 00200-00801, groups, sets and segments with simple,
 * composite and repeated elements.
 */
import fc from 'fast-check';
import type { X12Document, X12Element, X12Group, X12Interchange, X12Segment, X12Separators, X12TransactionSet } from './x12.types.js';
import { versionHasRepetition } from './segment.tokenizer.js';

const SEPARATOR_POOL = ['*', '|', '^', '~', ':', '>', '!', '#', '$', '%', '&', '+', ';', '<', '=', '?', '@', '[', ']', '{', '}', '\\', '`', "'", '"', '/', '\x1c', '\x1d', '\x1e', '\x1f'];
const TERMINATOR_EXTRA = ['\n', '\r'];
const VERSIONS = ['00200', '00204', '00300', '00305', '00400', '00401', '00402', '00403', '00501', '00601', '00700', '00801'];
const RESERVED_TAGS = new Set(['ISA', 'IEA', 'GS', 'GE', 'ST', 'SE', 'TA1']);

/** Arbitrary separators: four distinct characters; the terminator may be a newline. */
export function separatorsArb(withRepetition: boolean): fc.Arbitrary<X12Separators> {
  return fc
    .tuple(
      fc.shuffledSubarray(SEPARATOR_POOL, { minLength: 4, maxLength: 4 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: TERMINATOR_EXTRA.length - 1 }) }),
    )
    .map(([picked, t]) => {
      const [element, component, repetition, segment] = picked as [string, string, string, string];
      return {
        element,
        component,
        repetition: withRepetition ? repetition : undefined,
        segment: t >= 0 ? (TERMINATOR_EXTRA[t] as string) : segment,
      };
    });
}

/** Characters allowed in data: printable ASCII, a few accented letters, never a separator. */
function valueArb(seps: X12Separators, maxLength = 12): fc.Arbitrary<string> {
  const forbidden = new Set([seps.element, seps.component, seps.repetition, seps.segment].filter((c): c is string => c !== undefined));
  const chars = [];
  for (let c = 32; c < 127; c++) {
    const ch = String.fromCharCode(c);
    if (!forbidden.has(ch)) chars.push(ch);
  }
  chars.push('é', 'Ü', 'ß', '漢');
  return fc.string({ unit: fc.constantFrom(...chars), maxLength });
}

function elementArb(seps: X12Separators): fc.Arbitrary<X12Element> {
  const simple = valueArb(seps);
  const composite = fc.array(valueArb(seps, 6), { minLength: 2, maxLength: 4 });
  const options: Array<fc.Arbitrary<X12Element>> = [simple, simple, simple, composite];
  if (seps.repetition !== undefined) {
    options.push(fc.array(fc.oneof(simple, composite), { minLength: 2, maxLength: 3 }).map((repeats) => ({ repeats })));
  }
  return fc.oneof(...options);
}

const tagArb = fc
  .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 2 }))
  .map(([a, b]) => a + b)
  .filter((t) => !RESERVED_TAGS.has(t));

/** Size limits of generated documents. */
export interface X12ArbitrarySizes {
  interchanges: number;
  groups: number;
  sets: number;
  segments: number;
  elements: number;
}

const defaultSizes: X12ArbitrarySizes = { interchanges: 3, groups: 3, sets: 3, segments: 8, elements: 6 };

function segmentArb(seps: X12Separators, sizes: X12ArbitrarySizes): fc.Arbitrary<X12Segment> {
  return fc.record({ tag: tagArb, elements: fc.array(elementArb(seps), { maxLength: sizes.elements }) });
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Arbitrary valid interchange (counts and control numbers consistent). */
export function interchangeArb(sizes: X12ArbitrarySizes = defaultSizes): fc.Arbitrary<X12Interchange> {
  return fc.constantFrom(...VERSIONS).chain((version) =>
    fc
      .record({
        seps: separatorsArb(versionHasRepetition(version)),
        icn: fc.integer({ min: 1, max: 999_999_999 }),
        ack: fc.constantFrom('0', '1'),
        usage: fc.constantFrom('P', 'T'),
        sender: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 2, maxLength: 15 }),
        receiver: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 2, maxLength: 15 }),
        groupCount: fc.integer({ min: 1, max: sizes.groups }),
      })
      .chain(({ seps, icn, ack, usage, sender, receiver, groupCount }) =>
        fc
          .array(
            fc.record({
              gcn: fc.integer({ min: 1, max: 999_999_999 }),
              sets: fc.array(fc.array(segmentArb(seps, sizes), { maxLength: sizes.segments }), { minLength: 1, maxLength: sizes.sets }),
            }),
            { minLength: groupCount, maxLength: groupCount },
          )
          .map((groups) => {
            const header: X12Segment = {
              tag: 'ISA',
              elements: ['00', ' '.repeat(10), '00', ' '.repeat(10), 'ZZ', sender.padEnd(15, ' '), 'ZZ', receiver.padEnd(15, ' '), '250301', '1230', seps.repetition ?? 'U', version, digits(icn, 9), ack, usage, seps.component],
              separators: seps,
            };
            const outGroups: X12Group[] = groups.map((g, gi) => {
              const gcn = String(g.gcn + gi);
              const sets: X12TransactionSet[] = g.sets.map((body, si) => {
                const scn = digits(si + 1, 4);
                return {
                  header: { tag: 'ST', elements: ['850', scn] },
                  segments: body,
                  trailer: { tag: 'SE', elements: [String(body.length + 2), scn] },
                };
              });
              return {
                header: { tag: 'GS', elements: ['PO', sender, receiver, '20250301', '1230', gcn, 'X', '004010'] },
                sets,
                trailer: { tag: 'GE', elements: [String(sets.length), gcn] },
              };
            });
            return { header, separators: seps, acknowledgments: [], groups: outGroups, trailer: { tag: 'IEA', elements: [String(outGroups.length), digits(icn, 9)] } };
          }),
      ),
  );
}

/** Arbitrary valid document of one to three interchanges (each with its own separators). */
export function documentArb(sizes: Partial<X12ArbitrarySizes> = {}): fc.Arbitrary<X12Document> {
  const all = { ...defaultSizes, ...sizes };
  return fc.array(interchangeArb(all), { minLength: 1, maxLength: all.interchanges }).map((interchanges) => ({ interchanges, issues: [] }));
}

/** Removes positions so documents built in memory compare with parsed ones. */
export function stripPositions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'position' ? undefined : v))) as T;
}
