import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';

/**
 * Headers every answer carries: no framing (clickjacking), no MIME sniffing, no referrer leaving the
 * site, and a content policy that only allows the app's own scripts, styles and images.
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

/** One structured line per request, with its id, so a person's report can be found in the logs. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route pattern, not the URL: ids are not personal data, but query strings may be.
      const route = (req.route as { path?: string } | undefined)?.path;
      logger.info(
        { requestId: req.id, method: req.method, path: req.baseUrl + (route ?? req.path), status: res.statusCode, ms: Math.round(ms), userId: req.principal?.id },
        'request',
      );
    });
    next();
  };
}
