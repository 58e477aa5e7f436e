import type { z } from 'zod';
import { trytonMappingError } from '../errors.js';

/** Parses a mapped document with its canonical schema; a failure is a permanent mapping error naming each field. */
export function validateDocument<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw trytonMappingError(
    what,
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
  );
}
