import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

/** Parses `input` with `schema`; on failure answers 400 in the simulator's error shape and returns undefined. */
export function parseOr400<S extends z.ZodType>(
  schema: S,
  input: unknown,
  reply: FastifyReply,
  errorBody: (message: string, issues: Array<{ path: string; message: string }>) => unknown,
): z.infer<S> | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
  void reply.code(400).send(errorBody(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues));
  return undefined;
}

/** Reads a non-negative integer query parameter, or the fallback when absent; undefined when malformed. */
export function intParam(value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  return Math.min(Number(value), max);
}
