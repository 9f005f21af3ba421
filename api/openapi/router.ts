import { Router } from 'express';
import { version as VERSION } from '../../package.json';
import type { ApiContext } from '../context';
import { buildOpenApiDocument } from './document';
import { DOCS_STYLESHEET, renderDocsPage } from './docs-page';
import { routeDocs } from '../routes';

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document generated from the routes' zod schemas) and
 * GET /api/docs (the same, as a page for people). Public: the contract is no secret, the data is.
 * Built once, on first request, since the routes and schemas do not change while running.
 */
export function openapiRouter(ctx: ApiContext): Router {
  const router = Router();
  let cached: { json: string; html: string } | undefined;
  const built = () => {
    if (!cached) {
      const document = buildOpenApiDocument(routeDocs(ctx), { version: VERSION });
      cached = { json: JSON.stringify(document), html: renderDocsPage(document) };
    }
    return cached;
  };

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(built().json);
  });
  router.get('/docs', (_req, res) => {
    res.type('text/html; charset=utf-8').send(built().html);
  });
  router.get('/docs/style.css', (_req, res) => {
    res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600').send(DOCS_STYLESHEET);
  });
  return router;
}
