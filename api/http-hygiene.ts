import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from '../lib/logger';

/**
 * Headers every answer carries, set by helmet (docs/decisions/0009-helmet.md): no framing
 * (clickjacking), no MIME sniffing, no referrer leaving the site, and a content policy that only
 * allows the app's own scripts, styles and images. The policy is spelled out (no helmet default
 * directive added): the pages load their script and stylesheet from the site, nothing inline.
 * helmet's other defaults come along (Origin-Agent-Cluster, X-DNS-Prefetch-Control: off,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies: none, X-XSS-Protection: 0).
 */
export function securityHeaders(options: { https: boolean }): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xContentTypeOptions: true,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  return (req, res, next) => {
    // Not one of helmet's headers: the pages use no camera, microphone or location.
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    headers(req, res, next);
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
