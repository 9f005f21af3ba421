import type { ErrorRequestHandler, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger';

/**
 * Typed errors thrown below HTTP; one handler maps them to a status and one body shape:
 * `{ error, message, details?, requestId }`. Messages are French: people read them.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(details: { field: string; message: string }[], message = 'La requête contient des erreurs.') {
    super(400, 'validation_error', message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Ressource introuvable.') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'service_unavailable', message);
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header('x-request-id');
  req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
};

export const notFoundRoute: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('Cette adresse ne correspond à aucune ressource.'));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = toAppError(error);
    if (appError.status >= 500) logger.error({ err: error, requestId: req.id }, 'request failed');
    if (appError instanceof UnauthenticatedError) res.setHeader('WWW-Authenticate', 'Bearer realm="april"');
    if (appError instanceof TooManyRequestsError) res.setHeader('Retry-After', String(appError.retryAfterSeconds));
    res.status(appError.status).json({
      error: appError.code,
      message: appError.message,
      ...(appError.details !== undefined ? { details: appError.details } : {}),
      requestId: req.id,
    });
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // express.json() failures: malformed JSON, too large, wrong charset.
  if (typeof error === 'object' && error !== null && 'type' in error && 'status' in error) {
    const { type, status } = error as { type: string; status: number };
    if (type === 'entity.parse.failed') return new AppError(400, 'invalid_json', 'Le corps de la requête n\'est pas un JSON valide.');
    if (type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'Le corps de la requête est trop volumineux.');
    if (status >= 400 && status < 500) return new AppError(status, 'bad_request', 'Requête invalide.');
  }
  return new AppError(500, 'internal_error', 'Erreur interne. L\'incident est enregistré ; réessayez plus tard.');
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Connexion requise : connectez-vous ou présentez un jeton d\'accès (Authorization: Bearer …).') {
    super(401, 'unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Votre rôle ne permet pas cette action.') {
    super(403, 'forbidden', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', message);
  }
}
