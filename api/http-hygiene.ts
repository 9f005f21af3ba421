import { context, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
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
declare module 'express-serve-static-core' {
  interface Request {
    /** The request's server span (`traceRequests`). */
    span?: Span;
  }
}

/** The route pattern a request matched, not its URL: ids are not personal data, but query strings may be. */
export function routePatternOf(req: Request): string {
  const route = (req.route as { path?: string } | undefined)?.path;
  return req.baseUrl + (route ?? req.path);
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The trace's id when tracing is on (lib/tracing.ts): the log line leads to the request's spans.
      const traceId = req.span?.isRecording() ? req.span.spanContext().traceId : undefined;
      logger.info(
        { requestId: req.id, method: req.method, path: routePatternOf(req), status: res.statusCode, ms: Math.round(ms), userId: req.principal?.id, ...(traceId && { traceId }) },
        'request',
      );
    });
    next();
  };
}

/**
 * One server span per request (lib/tracing.ts), active while the request is handled: the Temporal
 * client's calls made meanwhile (a start, an Update) become its children and carry it into the
 * workflow. Named by method and route pattern; its attributes are the request id and the status.
 * With tracing off the tracer is OpenTelemetry's no-op one.
 */
export function traceRequests(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const span = tracer.startSpan(`${req.method} request`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'april.request_id': req.id },
    });
    req.span = span;
    res.on('finish', () => {
      const route = routePatternOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
}
