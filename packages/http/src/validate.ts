import type { z } from 'zod';
import { badRequest, fieldErrors } from './problem';

/**
 * The one way to validate input: parse with zod, or a 400 problem listing each field and
 * what is wrong with it. Nothing downstream runs on unvalidated data.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where = 'body',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw badRequest(`Invalid ${where}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
    errors,
  });
}
