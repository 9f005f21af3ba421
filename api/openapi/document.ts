import { z } from '../../lib/zod-fr';
import { PERMISSIONS } from '../access/permissions';
import { CSRF_HEADER, SESSION_COOKIE } from '../auth/middleware';
import { TAGS, type ResponseDoc, type RouteDoc } from '../http/route';
import { ROLE_LABELS } from '../../domain/labels';

/** JSON Schema (2020-12, which OpenAPI 3.1 uses as is) of what a request may send. */
export type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  // Input side: defaults make a field optional and coercions accept strings (query parameters).
  // Refinements (e.g. "the referent is required when followed") have no JSON Schema form: the
  // route's description says them, and the API answers 400 naming the field.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** `/api/households/:id` → `/api/households/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

const errorRef = { $ref: '#/components/schemas/Error' };

/** Statuses every route of a kind may answer, with the shared error shape. */
function commonErrors(route: RouteDoc): Record<number, string> {
  const errors: Record<number, string> = {};
  if (route.body || route.query || route.headers) errors[400] = 'Requête invalide : `details` nomme chaque champ en erreur.';
  if (route.access !== 'public') {
    errors[401] = 'Connexion requise (cookie de session ou jeton d\'accès).';
    errors[403] = route.method === 'get' ? 'Votre rôle ne permet pas cette action.' : 'Votre rôle ne permet pas cette action, jeton CSRF absent ou invalide, ou requête venue d\'un autre site.';
  } else if (route.method !== 'get') {
    // Every unsafe request without a bearer token is checked for its origin (api/auth/middleware.ts).
    errors[403] = 'Requête venue d\'un autre site (en-têtes Origin / Sec-Fetch-Site) : refusée.';
  }
  if (route.params) errors[404] = 'Introuvable, ou hors de votre périmètre (même réponse, pour ne rien révéler).';
  if (route.body) errors[413] = 'Corps de requête trop volumineux (100 ko au plus).';
  return errors;
}

function response(status: number, doc: ResponseDoc | string) {
  const { description, contentType = 'application/json' } = typeof doc === 'string' ? { description: doc } : doc;
  if (status === 204) return { description };
  if (status >= 400) return { description, content: { 'application/json': { schema: errorRef } } };
  return { description, content: { [contentType]: { schema: contentType === 'application/json' ? { type: 'object' } : { type: 'string' } } } };
}

function operation(route: RouteDoc) {
  const parameters = [
    ...Object.entries(route.params ?? {}).map(([name, p]) => ({ name, in: 'path', required: true, description: p.description, schema: jsonSchemaOf(p.schema) })),
    ...queryParameters(route),
    ...Object.entries(route.headers ?? {}).map(([name, p]) => ({ name, in: 'header', required: p.required ?? false, description: p.description, schema: jsonSchemaOf(p.schema) })),
  ];
  const roles = route.access === 'public' ? [] : [...PERMISSIONS[route.access]];
  const safe = route.method === 'get';
  return {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [route.tag],
    summary: route.summary,
    description: [
      route.description,
      route.access === 'public' ? 'Accès public, sans connexion.' : `Rôles autorisés : ${roles.map((role) => ROLE_LABELS[role]).join(', ')}.`,
    ].filter(Boolean).join('\n\n'),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body) } } } }),
    responses: Object.fromEntries(
      Object.entries({ ...commonErrors(route), ...route.responses })
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([status, doc]) => [status, response(Number(status), doc)]),
    ),
    // A bearer token, or the session cookie — which for unsafe methods also needs the CSRF header.
    security: route.access === 'public' ? [] : [{ bearerToken: [] }, safe ? { sessionCookie: [] } : { sessionCookie: [], csrfHeader: [] }],
    ...(route.access !== 'public' && { 'x-april-permission': route.access, 'x-april-roles': roles }),
  };
}

function queryParameters(route: RouteDoc) {
  if (!route.query) return [];
  const schema = jsonSchemaOf(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: schema.required?.includes(name) ?? false, schema: property,
    ...(typeof property.description === 'string' && { description: property.description }),
  }));
}

export function buildOpenApiDocument(routes: readonly RouteDoc[], options: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const declared = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const missing = declared.filter((name) => !name || !route.params?.[name]);
    if (missing.length > 0) throw new Error(`${route.method.toUpperCase()} ${route.path}: path parameter ${missing.join(', ')} not described`);
    if (paths[path]?.[route.method]) throw new Error(`${route.method.toUpperCase()} ${route.path} is described twice`);
    (paths[path] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'APRIL — API du programme de prévention des expulsions',
      version: options.version,
      description: 'Toutes les réponses d\'erreur ont la même forme (`Error`). Les messages sont en français. Un ménage hors de votre périmètre répond 404, comme s\'il n\'existait pas ; une action que votre rôle ne permet pas répond 403.',
    },
    ...(options.serverUrl && { servers: [{ url: options.serverUrl }] }),
    tags: Object.values(TAGS).filter((tag) => routes.some((route) => route.tag === tag)).map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message', 'requestId'],
          properties: {
            error: { type: 'string', description: 'Code stable de l\'erreur (validation_error, not_found, conflict…).' },
            message: { type: 'string', description: 'Explication en français, à montrer à la personne.' },
            details: { description: 'Précisions : pour une requête invalide, la liste des champs en erreur.', type: ['array', 'object'], items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
            requestId: { type: 'string', description: 'Identifiant de la requête, à citer en cas de problème (aussi dans l\'en-tête X-Request-Id).' },
          },
        },
      },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'Jeton d\'accès personnel (« april_… »), pour les intégrations.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Cookie de session posé par POST /api/session.' },
        csrfHeader: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: 'Jeton anti-falsification renvoyé par POST /api/session ; requis avec le cookie pour toute requête non sûre.' },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
