/**
 * Rules a JSON Schema cannot state (one field compared with another), answered exactly like a schema violation:
 * 400 `TL_REQUEST_INVALID` with `errors[]` naming the field and the rule. Routes run them as `preValidation` hooks,
 * so a refused request never claims its `Idempotency-Key` and never reaches the process; they only look at values of
 * the expected shape and leave everything else to the schema.
 */
import type { FastifyRequest } from 'fastify';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Throws a schema-violation-shaped error for one field (`path` below `context`, e.g. `/lines/1/lineNumber`). */
export function fieldError(context: 'body' | 'querystring', path: string, rule: string, message: string): never {
  throw Object.assign(new Error(`The request ${context} does not match the schema.`), {
    statusCode: 400,
    validationContext: context,
    validation: [{ instancePath: path, keyword: rule, message }],
  });
}

/** Refuses a list (body field `field`) naming the same `lineNumber` twice (rule `uniqueLineNumber`). */
export function assertUniqueLineNumbers(lines: unknown, field: string): void {
  if (!Array.isArray(lines)) return;
  const seen = new Set<unknown>();
  lines.forEach((line: unknown, i) => {
    const n = line !== null && typeof line === 'object' ? (line as { lineNumber?: unknown }).lineNumber : undefined;
    if (typeof n !== 'number') return;
    if (seen.has(n)) fieldError('body', `/${field}/${i}/lineNumber`, 'uniqueLineNumber', `line ${n} appears twice`);
    seen.add(n);
  });
}

/** Refuses field `earlier` dated after field `later` (both `YYYY-MM-DD` strings), naming `earlier` (rule `dateOrder`). */
export function assertDateOrder(context: 'body' | 'querystring', values: unknown, earlier: string, later: string): void {
  if (values === null || typeof values !== 'object') return;
  const a = (values as Record<string, unknown>)[earlier];
  const b = (values as Record<string, unknown>)[later];
  if (typeof a === 'string' && typeof b === 'string' && ISO_DATE.test(a) && ISO_DATE.test(b) && a > b) fieldError(context, `/${earlier}`, 'dateOrder', `must not be after ${later} (${b})`);
}

/** A `preValidation` hook refusing a body whose `field` list names a line twice. */
export function uniqueLineNumbers(field: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const body = request.body;
    if (body !== null && typeof body === 'object') assertUniqueLineNumbers((body as Record<string, unknown>)[field], field);
  };
}

/** A `preValidation` hook refusing a body or query string whose `earlier` date is after its `later` date. */
export function dateOrder(context: 'body' | 'querystring', earlier: string, later: string) {
  return async (request: FastifyRequest): Promise<void> => {
    assertDateOrder(context, context === 'body' ? request.body : request.query, earlier, later);
  };
}

/** A `preValidation` hook for a route that takes no body: refuses anything but no body or an empty JSON object. */
export async function noBody(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) fieldError('body', '', 'type', 'must be empty or an empty object');
  const [first] = Object.keys(body);
  if (first !== undefined) fieldError('body', `/${first}`, 'additionalProperties', 'must NOT have additional properties');
}
