import type { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { PERMISSIONS } from '../api/access/permissions';
import { buildOpenApiDocument, jsonSchemaOf } from '../api/openapi/document';
import { renderDocsPage } from '../api/openapi/docs-page';
import type { ApiContext } from '../api/context';
import { routeDocs } from '../api/routes';
import type { Db } from '../lib/db';
import { createLogger } from '../lib/logger';
import { AesGcmPayloadCodec } from '../lib/payload-codec';
import { mountedRoutes } from './support/express-routes';

/**
 * The API is /api/… and /health (with its probes). Not in the document: the web pages and their assets (HTML for
 * people, issue 6) and /codec/… (Temporal's remote codec protocol, documented by Temporal).
 */
const isApi = (path: string) => path.startsWith('/api/') || path === '/health' || path.startsWith('/health/');

function appRoutes() {
  // Building the app connects to nothing: the walk needs only its router stack.
  const codec = new AesGcmPayloadCodec({ keys: [{ id: 'k', key: Buffer.alloc(32, 1) }], activeKeyId: 'k' });
  const { app } = createApp({
    db: {} as Db, temporal: {} as Client, namespace: 'default', taskQueue: 'q', logger: createLogger('silent', 'test'),
    codecEndpoint: { codec, token: 'x'.repeat(32) },
  });
  return mountedRoutes(app).filter((route) => isApi(route.path));
}

// The declarations read the context only when a request comes: none comes here.
const ROUTES = routeDocs({} as ApiContext);
const document = buildOpenApiDocument(ROUTES, { version: 'test' });
const key = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`;
const documented = new Set(Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => key(method, path))));

describe('OpenAPI document', () => {
  const mounted = appRoutes();

  test('the walk finds the routes of every router (a broken walk would prove nothing)', () => {
    const paths = mounted.map((route) => key(route.method, route.path));
    expect(paths).toEqual(expect.arrayContaining([
      'GET /health', 'POST /api/session', 'GET /api/households/{id}', 'POST /api/households/{id}/handoff/acknowledgements',
      'PATCH /api/admin/users/{id}', 'GET /api/openapi.json',
    ]));
    expect(mounted.length).toBeGreaterThan(40);
  });

  test('every route the app answers is in the document', () => {
    const missing = mounted.map((route) => key(route.method, route.path)).filter((route) => !documented.has(route));
    expect(missing).toEqual([]);
  });

  test('every operation of the document is a route the app answers', () => {
    const answered = new Set(mounted.map((route) => key(route.method, route.path)));
    expect([...documented].filter((operation) => !answered.has(operation))).toEqual([]);
  });

  test('is OpenAPI 3.1 with French summaries, tags, security and the shared error shape', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes).toEqual(expect.objectContaining({
      bearerToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      sessionCookie: expect.objectContaining({ in: 'cookie', name: 'april_session' }),
      csrfHeader: expect.objectContaining({ in: 'header', name: 'x-csrf-token' }),
    }));
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods) as [string, any][]) {
        const where = `${method} ${path}`;
        expect([where, op.summary.length > 0, op.tags.length]).toEqual([where, true, 1]);
        for (const [status, response] of Object.entries(op.responses) as [string, any][]) {
          if (Number(status) >= 400) expect([where, status, response.content['application/json'].schema]).toEqual([where, status, { $ref: '#/components/schemas/Error' }]);
        }
        if (op['x-april-permission']) {
          expect(op.security).toEqual(method === 'get'
            ? [{ bearerToken: [] }, { sessionCookie: [] }]
            : [{ bearerToken: [] }, { sessionCookie: [], csrfHeader: [] }]);
          expect(op['x-april-roles']).toEqual([...PERMISSIONS[op['x-april-permission'] as keyof typeof PERMISSIONS]]);
          expect(op.responses['403']).toBeDefined();
        } else {
          expect([where, op.security]).toEqual([where, []]);
        }
      }
    }
  });

  test('request bodies, path and query parameters come from the zod schemas', () => {
    const close = (document.paths as any)['/api/households/{id}/close'].post;
    expect(close.requestBody.content['application/json'].schema).toEqual(expect.objectContaining({
      type: 'object', required: ['outcome', 'reason'], additionalProperties: false,
    }));
    expect(close.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) }),
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]));
    const audit = (document.paths as any)['/api/admin/audit'].get;
    expect(audit.parameters.map((p: any) => [p.name, p.in])).toEqual(expect.arrayContaining([['householdId', 'query'], ['userId', 'query'], ['limit', 'query']]));
    // The admin never chooses a password; the person does, from the mailed link.
    const createUser = (document.paths as any)['/api/admin/users'].post;
    expect(createUser.requestBody.content['application/json'].schema.properties.password).toBeUndefined();
    const useLink = (document.paths as any)['/api/password-link'].post;
    expect(useLink.requestBody.content['application/json'].schema.properties.password).toEqual({ type: 'string', minLength: 12, maxLength: 1024 });
  });

  test('every schema of the registry converts (refinements, defaults and coercions included)', () => {
    for (const route of ROUTES) {
      for (const schema of [route.body, route.query, ...Object.values(route.params ?? {}).map((p) => p.schema)]) {
        if (schema) expect(() => jsonSchemaOf(schema)).not.toThrow();
      }
    }
  });

  test('the browsable view lists every operation, in French, with no script and no inline style', () => {
    const html = renderDocsPage(document);
    expect(html).toContain('<html lang="fr">');
    expect(html).not.toMatch(/<script|<style|style="|https?:\/\/(?!json-schema)/i);
    expect(html).toContain('href="/api/docs/style.css"');
    for (const route of ROUTES) expect(html).toContain(route.summary.replace(/'/g, '&#39;'));
    expect(html).toContain('obligatoire');
  });
});
