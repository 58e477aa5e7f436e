import { TradelaneError } from '@tradelane/core';

/** An RFC 9457 problem details document, with Tradelane's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  correlationId?: string;
  /** Field-level errors: which field, which rule. */
  errors?: Array<{ path: string; message: string; rule?: string }>;
  [extension: string]: unknown;
}

/** Media type of problem documents. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Builds a problem document; `type` is a stable URI derived from the code. */
export function problem(status: number, code: string, detail?: string, extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://tradelane.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    ...(detail !== undefined ? { detail } : {}),
    ...extra,
  };
}

interface FastifyishError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/**
 * Maps anything thrown while handling a request to a problem document. Domain errors keep their status and code;
 * framework errors get specific `TL_REQUEST_*` codes; anything else is a 500 whose message is never leaked.
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof TradelaneError) {
    const status = err.status >= 500 ? err.status : err.status;
    const detail = err.status >= 500 && err.status !== 503 ? 'The request could not be completed.' : err.message;
    return problem(status, err.code, detail, err.details && err.status < 500 ? { details: err.details } : {});
  }
  const e = (err ?? {}) as FastifyishError;
  if (Array.isArray(e.validation)) {
    const where = e.validationContext ?? 'body';
    return problem(400, 'TL_REQUEST_INVALID', `The request ${where} does not match the schema.`, {
      errors: e.validation.map((v) => {
        const missing = v.keyword === 'required' && typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
        const extra = v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : '';
        return { path: `${where}${v.instancePath ?? ''}${missing}${extra}`, message: v.message ?? 'invalid', ...(v.keyword ? { rule: v.keyword } : {}) };
      }),
    });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'TL_REQUEST_BAD_JSON', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'TL_REQUEST_EMPTY_BODY', 'The request declares a JSON body but sent none.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'TL_REQUEST_TOO_LARGE', 'The request body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'TL_REQUEST_UNSUPPORTED_MEDIA_TYPE', 'This endpoint does not accept that Content-Type.');
    case 'TL_REQUEST_ENCODING_UNSUPPORTED':
      return problem(415, 'TL_REQUEST_ENCODING_UNSUPPORTED', 'Request bodies may be compressed with one of gzip, deflate or br only.');
    case 'TL_REQUEST_ENCODING_INVALID':
      return problem(400, 'TL_REQUEST_ENCODING_INVALID', 'The request body could not be decoded as its Content-Encoding says.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'TL_REQUEST_BAD_CONTENT_LENGTH', 'Content-Length does not match the body.');
    default:
      break;
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    // Framework errors with a 4xx status (bad JSON from a custom parser, bad headers): safe to describe.
    if (e.message && /JSON/i.test(e.message) && e.statusCode === 400) {
      return problem(400, 'TL_REQUEST_BAD_JSON', 'The request body is not valid JSON.');
    }
    return problem(e.statusCode, 'TL_REQUEST_REJECTED', e.message ?? 'The request was rejected.');
  }
  return problem(500, 'TL_INTERNAL', 'The request could not be completed.');
}
