import { z } from '../../lib/zod-fr';
import { TAGS, type RouteDoc } from '../http/route';

/**
 * The routes of the routers not yet declared with their handlers (api/http/route.ts), one entry
 * each; api/routes.ts adds the declared ones. The unit test openapi.unit.test.ts walks the Express
 * app and fails for a route that is missing from the document, or an entry with no route.
 */
export const ROUTES: RouteDoc[] = [
  // Ménages
  // Documentation
  { method: 'get', path: '/api/openapi.json', tag: TAGS.docs, access: 'public', summary: 'Ce document OpenAPI 3.1', responses: { 200: 'Le document.' } },
  { method: 'get', path: '/api/docs', tag: TAGS.docs, access: 'public', summary: 'La documentation de l\'API, à lire dans un navigateur', responses: { 200: { description: 'Page HTML.', contentType: 'text/html' } } },
  { method: 'get', path: '/api/docs/style.css', tag: TAGS.docs, access: 'public', summary: 'Feuille de style de la documentation', responses: { 200: { description: 'CSS.', contentType: 'text/css' } } },
];
