import { version as VERSION } from '../../package.json';
import { defineRoute, TAGS, type Route, type RouteDoc } from '../http/route';
import { buildOpenApiDocument } from './document';
import { DOCS_STYLESHEET, renderDocsPage } from './docs-page';

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document generated from the routes' declarations) and
 * GET /api/docs (the same, as a page for people). Public: the contract is no secret, the data is.
 * Built once, on first request, since the routes and schemas do not change while running. The
 * declarations come from api/routes.ts (`routeDocs`), passed in so that the two files do not import
 * each other.
 */
export function openapiRoutes(routeDocs: () => RouteDoc[]): Route[] {
  let cached: { json: string; html: string } | undefined;
  const built = () => {
    if (!cached) {
      const document = buildOpenApiDocument(routeDocs(), { version: VERSION });
      cached = { json: JSON.stringify(document), html: renderDocsPage(document) };
    }
    return cached;
  };

  return [
    defineRoute({
      method: 'get', path: '/api/openapi.json', tag: TAGS.docs, access: 'public', summary: 'Ce document OpenAPI 3.1', responses: { 200: 'Le document.' },
    }, {
      handle(_req, res) {
        res.type('application/json').send(built().json);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/docs', tag: TAGS.docs, access: 'public', summary: 'La documentation de l\'API, à lire dans un navigateur', responses: { 200: { description: 'Page HTML.', contentType: 'text/html' } },
    }, {
      handle(_req, res) {
        res.type('text/html; charset=utf-8').send(built().html);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/docs/style.css', tag: TAGS.docs, access: 'public', summary: 'Feuille de style de la documentation', responses: { 200: { description: 'CSS.', contentType: 'text/css' } },
    }, {
      handle(_req, res) {
        res.type('text/css; charset=utf-8').setHeader('Cache-Control', 'public, max-age=3600').send(DOCS_STYLESHEET);
      },
    }),
  ];
}
