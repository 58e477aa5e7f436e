import { PassThrough, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';

/** Content codings a request body may carry, and the decoder of each (`deflate` is the zlib format of RFC 9110). */
const DECODERS = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
} as const;

type Coding = keyof typeof DECODERS;

/** What `Accept-Encoding` announces on a 415. */
export const ACCEPTED_REQUEST_ENCODINGS = 'gzip, deflate, br';

/** The one coding of a request body (`undefined`: none or `identity`), or `null` when it is not one we decode. */
function codingOf(request: FastifyRequest): Coding | undefined | null {
  const raw = request.headers['content-encoding'];
  if (raw === undefined) return undefined;
  const codings = String(raw)
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return undefined;
  if (codings.length > 1 || !Object.hasOwn(DECODERS, codings[0]!)) return null;
  return codings[0] as Coding;
}

/**
 * Refuses a request body whose `Content-Encoding` is not one we decode — anything but `gzip` (`x-gzip`), `deflate`,
 * `br` or `identity`, or more than one coding stacked — with 415 `TL_REQUEST_ENCODING_UNSUPPORTED` and
 * `Accept-Encoding: gzip, deflate, br` (RFC 9110 §15.5.16), before anything is read. A root `onRequest` hook.
 */
export async function refuseUnsupportedEncodings(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (codingOf(request) !== null) return;
  void reply.header('accept-encoding', ACCEPTED_REQUEST_ENCODINGS);
  throw Object.assign(new Error('Request bodies may be compressed with one of gzip, deflate or br only.'), {
    statusCode: 415,
    code: 'TL_REQUEST_ENCODING_UNSUPPORTED',
  });
}

/** The decoded body stream handed to the body parser; `receivedEncodedLength` is what arrived on the wire. */
type DecodedBody = PassThrough & { receivedEncodedLength: number };

/**
 * Decodes a `gzip`, `deflate` or `br` request body while the body parser reads it (a body nobody reads is never
 * decoded), with the route's body limit applied to the
 * decoded bytes: the moment the decoded size passes the limit the decoder is destroyed (nothing more is inflated) and
 * the request is answered 413 `TL_REQUEST_TOO_LARGE`, so a compression bomb costs at most the limit plus one
 * decoder chunk. A body that is not valid in its coding is 400 `TL_REQUEST_ENCODING_INVALID`. The compressed bytes
 * that arrived are reported to the body reader (`receivedEncodedLength`), so `Content-Length` is checked against
 * them. A root `preParsing` hook, registered after the rate limiter so a refused request is never inflated.
 * @example app.addHook('onRequest', refuseUnsupportedEncodings); app.addHook('preParsing', decodeRequestBody);
 */
export async function decodeRequestBody(request: FastifyRequest, _reply: FastifyReply, payload: Readable): Promise<Readable> {
  const coding = codingOf(request);
  if (!coding) return payload;
  const limit = request.routeOptions.bodyLimit ?? 1_048_576;
  const decoder = DECODERS[coding]();
  let decoded = 0;
  const out = new PassThrough() as DecodedBody;
  out.receivedEncodedLength = 0;
  let stopped = false;
  const stop = (err: Error) => {
    if (stopped) return;
    stopped = true;
    payload.off('data', onData);
    payload.off('end', onEnd);
    decoder.off('data', onDecoded);
    decoder.destroy();
    // the rest of the compressed body is read and dropped, never inflated
    payload.resume();
    out.destroy(err);
  };
  const onData = (chunk: Buffer) => {
    out.receivedEncodedLength += chunk.length;
    if (!decoder.write(chunk)) payload.pause();
  };
  const onEnd = () => decoder.end();
  const onDecoded = (chunk: Buffer) => {
    decoded += chunk.length;
    if (decoded > limit) {
      stop(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    out.write(chunk);
  };
  decoder.on('drain', () => payload.resume());
  decoder.on('data', onDecoded);
  decoder.on('end', () => out.end());
  decoder.on('error', () => {
    stop(Object.assign(new Error(`The request body is not valid ${coding}.`), { statusCode: 400, code: 'TL_REQUEST_ENCODING_INVALID' }));
  });
  // Decode only once the body reader starts reading: a body nobody reads (no parser for the route or media type) is
  // never inflated. Its errors go to the reader; the no-op listener keeps an unread one from being unhandled.
  out.on('error', () => {});
  out.once('resume', () => {
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', (err) => stop(err));
  });
  return out;
}
