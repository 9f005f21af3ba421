import type { ErrorRequestHandler, Request } from 'express';
import type { Logger } from '../../lib/logger';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';
import { render } from './render';

/** Paths that belong to the JSON API and the machines: their errors keep the API's JSON shape. */
export const isApiPath = (req: Request): boolean => /^\/(api|health|codec)(\/|$)/.test(req.path);

/**
 * Errors of the pages, as pages: not signed in → the sign-in page (then back here); 403 and 404 as
 * French pages, with the same rule as the API (role → 403, out of scope → 404); anything else a
 * 500 page with the request id. API paths pass through to the JSON handler.
 */
export function pageErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (isApiPath(req) || res.headersSent) return next(error);
    if (error instanceof UnauthenticatedError) {
      const back = req.method === 'GET' ? req.originalUrl : '/';
      return res.redirect(303, `/connexion?retour=${encodeURIComponent(back)}`);
    }
    if (error instanceof ForbiddenError) {
      return render(req, res, 'errors/403.njk', { message: error.message }, 403);
    }
    if (error instanceof NotFoundError) {
      return render(req, res, 'errors/404.njk', { message: error.message }, 404);
    }
    const status = error instanceof AppError ? error.status : 500;
    if (status >= 500) logger.error({ err: error, requestId: req.id }, 'page failed');
    const message = error instanceof AppError && status < 500 ? error.message : undefined;
    return render(req, res, 'errors/500.njk', { status, message, requestId: req.id }, status);
  };
}
