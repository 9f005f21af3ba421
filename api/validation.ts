import type { Request, RequestHandler } from 'express';
import { z } from '../lib/zod-fr';
import { ValidationError } from './errors';

export function toValidationError(error: z.ZodError): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => ({ field: issue.path.join('.') || '(corps)', message: issue.message })),
  );
}

/** Parses `req.body` with the schema; a failure becomes a 400 naming each wrong field. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}

/** Rejects requests whose body is not JSON before any handler reads it. */
export function assertJson(req: Request): void {
  if (!req.is('application/json')) {
    throw new ValidationError([{ field: '(corps)', message: 'Le corps doit être envoyé en JSON (Content-Type: application/json).' }]);
  }
}

/** The same, as a middleware. */
export const requireJson: RequestHandler = (req, _res, next) => {
  try {
    assertJson(req);
    next();
  } catch (error) {
    next(error);
  }
};
