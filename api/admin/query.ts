import { z } from '../../lib/zod-fr';
import { toValidationError } from '../validation';

/** Parses a query string with the schema; a failure becomes a 400 naming each wrong parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}
