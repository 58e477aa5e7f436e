import type { FastifyRequest } from 'fastify';

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

interface TypeViolation {
  instancePath: string;
  keyword: 'type';
  message: string;
  params: { type: string };
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function walk(schema: SchemaNode | undefined, value: unknown, path: string, out: TypeViolation[]): void {
  if (!schema || value === undefined) return;
  const declared = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (declared.length > 0 && !declared.some((t) => hasType(t, value))) {
    const money = declared.includes('string') && typeof value === 'number';
    out.push({
      instancePath: path,
      keyword: 'type',
      message: `must be ${declared.join(' or ')}${money ? ' — send decimals as strings such as "12.5", never JSON numbers' : ''}`,
      params: { type: declared.join(',') },
    });
    return;
  }
  if (schema.properties && hasType('object', value)) {
    for (const [k, sub] of Object.entries(schema.properties)) walk(sub, (value as Record<string, unknown>)[k], `${path}/${k}`, out);
  }
  if (schema.items && Array.isArray(value)) value.forEach((v, i) => walk(schema.items, v, `${path}/${i}`, out));
}

/**
 * The app's validator coerces types (right for query strings and headers); a JSON body must not be: `"quantity": 5`
 * would silently become `"5"` and `"shipComplete": "yes"` would fail obscurely. This `preValidation` hook refuses
 * body values whose JSON type differs from the route's body schema, with the usual field errors (400
 * `TL_REQUEST_INVALID`, rule `type`).
 */
export async function strictBodyTypes(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema?.body as SchemaNode | undefined;
  if (!schema || request.body === undefined) return;
  const violations: TypeViolation[] = [];
  walk(schema, request.body, '', violations);
  if (violations.length === 0) return;
  throw Object.assign(new Error('The request body does not match the schema.'), {
    statusCode: 400,
    validation: violations,
    validationContext: 'body',
  });
}
