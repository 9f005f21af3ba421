import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * HTTP metrics of the API, by route pattern (never the URL: ids stay in the logs), method and
 * status (docs/design/runtime.md, "Metrics").
 */
export const HTTP_METRICS = {
  requests: 'april_http_requests_total',
  errors: 'april_http_request_errors_total',
  duration: 'april_http_request_duration_seconds',
} as const;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A segment that names one thing (uuid, number, token…) rather than a route: replaced by `:id`. */
function isValueSegment(segment: string): boolean {
  return !/^(:[A-Za-z]\w*|[a-z][a-z-]{0,39}|[a-z][a-z-]*\.[a-z]{2,5})$/.test(segment);
}

/** The route pattern a request matched (`/api/households/:id`), or `unmatched`/`static`. */
export function routePattern(req: Request, status: number): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return status < 400 && req.method === 'GET' ? 'static' : 'unmatched';
  // A router mounted under a path with values (none today) would put them in baseUrl: mask them.
  const full = `${req.baseUrl}${route}`.replace(/\/+$/, '') || '/';
  return full.split('/').map((segment) => (segment && isValueSegment(segment) ? ':id' : segment)).join('/');
}

export function httpMetrics(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: HTTP_METRICS.requests, help: 'Requêtes HTTP traitées, par motif de route et statut', labelNames, registers: [registry] });
  const errors = new Counter({ name: HTTP_METRICS.errors, help: 'Réponses HTTP 5xx, par motif de route et statut', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: HTTP_METRICS.duration, help: 'Durée des requêtes HTTP (secondes), par motif de route et statut', labelNames, registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const labels = {
        method: METHODS.has(req.method) ? req.method : 'other',
        route: routePattern(req, res.statusCode),
        status: String(res.statusCode),
      };
      requests.inc(labels);
      if (res.statusCode >= 500) errors.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
