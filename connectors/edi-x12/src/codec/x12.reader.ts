/**
 * Reading X12: a streaming segment reader, a streaming transaction-set reader (one set in memory at a time) and
 * whole-document parsing for small inputs.
 */
import { X12EnvelopeAssembler, type X12EnvelopeHandler } from './envelope.assembler.js';
import { trimmedValue, elementValue } from './segment.access.js';
import { X12Tokenizer, type X12TokenizerOptions } from './segment.tokenizer.js';
import type {
  X12Document,
  X12EnvelopedSet,
  X12Group,
  X12GroupInfo,
  X12Interchange,
  X12InterchangeInfo,
  X12Issue,
  X12Position,
  X12Segment,
  X12Separators,
  X12Source,
  X12TransactionSet,
} from './x12.types.js';

/** Reader settings (tokenizer settings plus the slice size used for in-memory inputs). */
export interface X12ReadOptions extends X12TokenizerOptions {
  /**
   * Bytes handed to the tokenizer at a time when the source is one buffer or string.
   * @default 1048576
   */
  sliceSize?: number;
}

const DEFAULT_SLICE = 1 << 20;

function* sliceBytes(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array | string> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

function syncChunks(source: Exclude<X12Source, AsyncIterable<Uint8Array | string>>, size: number): Iterable<Uint8Array | string> {
  if (typeof source === 'string') return sliceBytes(Buffer.from(source, 'utf8'), size);
  if (source instanceof Uint8Array) return sliceBytes(source, size);
  return source;
}

/** Facts from an ISA segment. */
export function interchangeInfo(isa: X12Segment, separators: X12Separators): X12InterchangeInfo {
  return {
    header: isa,
    separators,
    sender: { qualifier: trimmedValue(isa, 5), id: trimmedValue(isa, 6) },
    receiver: { qualifier: trimmedValue(isa, 7), id: trimmedValue(isa, 8) },
    controlNumber: elementValue(isa, 13),
    version: elementValue(isa, 12),
    usage: elementValue(isa, 15),
  };
}

/** Facts from a GS segment. */
export function groupInfo(gs: X12Segment): X12GroupInfo {
  return {
    header: gs,
    functionalId: elementValue(gs, 1),
    applicationSender: elementValue(gs, 2),
    applicationReceiver: elementValue(gs, 3),
    controlNumber: elementValue(gs, 6),
    version: elementValue(gs, 8),
  };
}

/** Runs the tokenizer over a source, calling `sink` per segment and `afterChunk` after each chunk; resolves to the end position. */
export async function driveX12Source(
  source: X12Source,
  options: X12ReadOptions,
  sink: (seg: X12Segment) => void,
  afterChunk: () => void,
): Promise<X12Position> {
  const tokenizer = new X12Tokenizer(options);
  const chunks = isAsyncIterable(source) ? source : syncChunks(source, options.sliceSize ?? DEFAULT_SLICE);
  for await (const chunk of chunks) {
    try {
      tokenizer.push(chunk, sink);
    } finally {
      afterChunk();
    }
  }
  try {
    tokenizer.end(sink);
  } finally {
    afterChunk();
  }
  return { index: tokenizer.segmentIndex, offset: tokenizer.bytesConsumed };
}

/** Pieces the tokenizer is fed at a time, so each batch of segments stays small and short-lived. */
const FEED_SIZE = 1 << 14;

/** Async iterator over segments: refills a small batch from the tokenizer, one feed slice at a time. */
class SegmentIterator implements AsyncIterableIterator<X12Segment> {
  private readonly tokenizer: X12Tokenizer;
  private readonly chunks: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array | string>;
  private batch: X12Segment[] = [];
  private i = 0;
  private current: Buffer | undefined;
  private inbox: Buffer = Buffer.allocUnsafeSlow(0);
  private at = 0;
  private finished = false;
  private failure: unknown;
  private readonly sink = (seg: X12Segment): void => {
    this.batch.push(seg);
  };

  constructor(source: X12Source, options: X12ReadOptions) {
    this.tokenizer = new X12Tokenizer(options);
    const iterable = isAsyncIterable(source) ? source : syncChunks(source, options.sliceSize ?? DEFAULT_SLICE);
    this.chunks = isAsyncIterable(iterable) ? iterable[Symbol.asyncIterator]() : (iterable as Iterable<Uint8Array | string>)[Symbol.iterator]();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<X12Segment> {
    return this;
  }

  next(): Promise<IteratorResult<X12Segment, undefined>> {
    if (this.i < this.batch.length) return Promise.resolve({ value: this.batch[this.i++] as X12Segment, done: false });
    return this.refill();
  }

  async return(): Promise<IteratorResult<X12Segment, undefined>> {
    this.finished = true;
    this.batch = [];
    this.i = 0;
    await this.chunks.return?.();
    return { value: undefined, done: true };
  }

  private async refill(): Promise<IteratorResult<X12Segment, undefined>> {
    for (;;) {
      if (this.i < this.batch.length) return { value: this.batch[this.i++] as X12Segment, done: false };
      this.batch = [];
      this.i = 0;
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        this.finished = true;
        throw failure;
      }
      if (this.finished) return { value: undefined, done: true };
      try {
        const cur = this.current;
        if (cur !== undefined && this.at < cur.length) {
          const piece = cur.subarray(this.at, Math.min(cur.length, this.at + FEED_SIZE));
          this.at += piece.length;
          this.tokenizer.push(piece, this.sink);
          continue;
        }
        this.current = undefined;
        const r = await this.chunks.next();
        if (r.done) {
          this.finished = true;
          this.tokenizer.end(this.sink);
        } else {
          // Copy the chunk into our own reusable buffer and let go of it at once: the source's buffer then dies
          // young instead of waiting for a full collection, which keeps the process footprint flat.
          const v = r.value;
          const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
          if (this.inbox.length < bytes.byteLength) this.inbox = Buffer.allocUnsafeSlow(Math.max(bytes.byteLength, FEED_SIZE));
          this.inbox.set(bytes);
          this.current = this.inbox.subarray(0, bytes.byteLength);
          this.at = 0;
        }
      } catch (err) {
        this.finished = true;
        if (this.batch.length === 0) throw err;
        this.failure = err;
      }
    }
  }
}

/**
 * Streams segments from a source; memory stays bounded whatever the input size. A syntax error is thrown after
 * the segments read before it have been delivered.
 * @example
 * for await (const seg of readSegments(createReadStream('orders.edi'))) console.log(seg.tag, seg.position);
 */
export function readSegments(source: X12Source, options: X12ReadOptions = {}): AsyncIterableIterator<X12Segment> {
  return new SegmentIterator(source, options);
}

/** Builds the in-memory tree from envelope events. */
class DocumentBuilder implements X12EnvelopeHandler {
  readonly doc: X12Document = { interchanges: [], issues: [] };
  private ic: X12Interchange | undefined;
  private group: X12Group | undefined;
  private set: X12TransactionSet | undefined;

  interchangeStart(isa: X12Segment, separators: X12Separators): void {
    this.ic = { header: isa, separators, acknowledgments: [], groups: [], trailer: undefined };
    this.doc.interchanges.push(this.ic);
  }
  interchangeSegment(segment: X12Segment): void {
    this.ic?.acknowledgments.push(segment);
  }
  groupStart(gs: X12Segment): void {
    this.group = { header: gs, sets: [], trailer: undefined };
    this.ic?.groups.push(this.group);
  }
  setStart(st: X12Segment): void {
    this.set = { header: st, segments: [], trailer: undefined };
    this.group?.sets.push(this.set);
  }
  setSegment(segment: X12Segment): void {
    this.set?.segments.push(segment);
  }
  setEnd(se: X12Segment | undefined): void {
    if (this.set) this.set.trailer = se;
    this.set = undefined;
  }
  groupEnd(ge: X12Segment | undefined): void {
    if (this.group) this.group.trailer = ge;
    this.group = undefined;
  }
  interchangeEnd(iea: X12Segment | undefined): void {
    if (this.ic) this.ic.trailer = iea;
    this.ic = undefined;
  }
  issue(issue: X12Issue): void {
    this.doc.issues.push(issue);
  }
}

/**
 * Parses a whole input held in memory into interchanges, groups and sets. Throws {@link X12SyntaxError} when the
 * input cannot be read as X12; structural problems (missing trailers, stray segments) land in `issues`.
 * @example
 * const doc = parseX12(readFileSync('po.edi'));
 * const po = doc.interchanges[0]?.groups[0]?.sets[0];
 */
export function parseX12(input: Uint8Array | string | Iterable<Uint8Array | string>, options: X12ReadOptions = {}): X12Document {
  const builder = new DocumentBuilder();
  const tokenizer = new X12Tokenizer({ ...options, onIssue: (i) => builder.issue(i) });
  const asm = new X12EnvelopeAssembler(builder);
  const sink = (seg: X12Segment): void => asm.segment(seg);
  const size = options.sliceSize ?? Number.MAX_SAFE_INTEGER;
  for (const chunk of syncChunks(input, size)) tokenizer.push(chunk, sink);
  tokenizer.end(sink);
  asm.end({ index: tokenizer.segmentIndex, offset: tokenizer.bytesConsumed });
  return builder.doc;
}

/** Like {@link parseX12} for streams: reads the whole source into a tree (memory grows with the input). */
export async function readX12Document(source: X12Source, options: X12ReadOptions = {}): Promise<X12Document> {
  const builder = new DocumentBuilder();
  const asm = new X12EnvelopeAssembler(builder);
  const end = await driveX12Source(source, { ...options, onIssue: (i) => builder.issue(i) }, (seg) => asm.segment(seg), () => undefined);
  asm.end(end);
  return builder.doc;
}

/** Collects complete transaction sets with their envelopes. */
class SetCollector implements X12EnvelopeHandler {
  readonly ready: X12EnvelopedSet[] = [];
  private ic: X12InterchangeInfo | undefined;
  private group: X12GroupInfo | undefined;
  private set: X12TransactionSet | undefined;
  constructor(private readonly onIssue: ((issue: X12Issue) => void) | undefined) {}

  interchangeStart(isa: X12Segment, separators: X12Separators): void {
    this.ic = interchangeInfo(isa, separators);
  }
  interchangeSegment(): void {}
  groupStart(gs: X12Segment): void {
    this.group = groupInfo(gs);
  }
  setStart(st: X12Segment): void {
    this.set = { header: st, segments: [], trailer: undefined };
  }
  setSegment(segment: X12Segment): void {
    this.set?.segments.push(segment);
  }
  setEnd(se: X12Segment | undefined): void {
    if (this.set && this.ic && this.group) {
      this.set.trailer = se;
      this.ready.push({ interchange: this.ic, group: this.group, set: this.set });
    }
    this.set = undefined;
  }
  groupEnd(): void {
    this.group = undefined;
  }
  interchangeEnd(): void {
    this.ic = undefined;
  }
  issue(issue: X12Issue): void {
    this.onIssue?.(issue);
  }
}

/**
 * Streams transaction sets with their interchange and group facts; only the set being read is held in memory.
 * Structural issues go to `options.onIssue`.
 * @example
 * for await (const { group, set } of readTransactionSets(stream)) if (elementValue(set.header, 1) === '850') handle(set);
 */
export async function* readTransactionSets(source: X12Source, options: X12ReadOptions = {}): AsyncGenerator<X12EnvelopedSet, void, undefined> {
  const collector = new SetCollector(options.onIssue);
  const asm = new X12EnvelopeAssembler(collector);
  const tokenizer = new X12Tokenizer({ ...options, onIssue: (i) => collector.issue(i) });
  const sink = (seg: X12Segment): void => asm.segment(seg);
  const chunks = isAsyncIterable(source) ? source : syncChunks(source, options.sliceSize ?? DEFAULT_SLICE);
  let failure: unknown;
  const flush = function* (): Generator<X12EnvelopedSet> {
    for (const s of collector.ready) yield s;
    collector.ready.length = 0;
  };
  for await (const chunk of chunks) {
    try {
      tokenizer.push(chunk, sink);
    } catch (err) {
      failure = err;
    }
    yield* flush();
    if (failure !== undefined) throw failure;
  }
  try {
    tokenizer.end(sink);
    asm.end({ index: tokenizer.segmentIndex, offset: tokenizer.bytesConsumed });
  } catch (err) {
    failure = err;
  }
  yield* flush();
  if (failure !== undefined) throw failure;
}
