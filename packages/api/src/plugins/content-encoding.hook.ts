import type { FastifyReply, FastifyRequest } from 'fastify';

/** Codings a request body may carry: none. */
const ACCEPTED = new Set(['', 'identity']);

/**
 * Refuses request bodies sent with a `Content-Encoding` (gzip, deflate, br, …) with 415
 * `TL_REQUEST_ENCODING_UNSUPPORTED` and `Accept-Encoding: identity` (RFC 9110 §15.5.16), before anything is read. The
 * gateway never inflates a body, so the body size limit always counts the bytes a handler would see and a
 * compression bomb cannot expand. A root `onRequest` hook.
 */
export async function refuseEncodedBodies(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.headers['content-encoding'];
  if (raw === undefined) return;
  const codings = String(raw)
    .split(',')
    .map((c) => c.trim().toLowerCase());
  if (codings.every((c) => ACCEPTED.has(c))) return;
  void reply.header('accept-encoding', 'identity');
  throw Object.assign(new Error('Request bodies must not be compressed: send them without Content-Encoding.'), {
    statusCode: 415,
    code: 'TL_REQUEST_ENCODING_UNSUPPORTED',
  });
}
