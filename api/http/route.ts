import { Router, type Request, type Response } from 'express';
import { z } from '../../lib/zod-fr';
import { answerVisibleTo, type AnswerShape } from '../access/fields';
import { allow } from '../access/guard';
import type { Permission } from '../access/permissions';
import type { Principal } from '../auth/principal';
import { NotFoundError, ValidationError } from '../errors';
import { assertJson, parseBody, toValidationError } from '../validation';

/**
 * A route of the JSON API, declared once: what it accepts (zod schemas), who may call it (the
 * access table's permission) and what it answers. The Express handler and the OpenAPI document
 * (api/openapi/document.ts) are both built from the declaration, so they cannot drift apart.
 * See docs/decisions/0010-routes-declared-once.md.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export const TAGS = {
  health: 'Supervision',
  auth: 'Connexion et compte',
  households: 'Ménages',
  householdActions: 'Actions sur un ménage',
  feeds: 'Flux des bailleurs',
  tasks: 'Tâches',
  committee: 'Comité',
  partnerChecks: 'Vérifications partenaires',
  caseloads: 'Listes des ménages suivis',
  imports: 'Imports des bailleurs',
  admin: 'Administration',
  docs: 'Documentation',
} as const;
export type Tag = (typeof TAGS)[keyof typeof TAGS];

export interface ParameterDoc<S extends z.ZodType = z.ZodType> {
  schema: S;
  description: string;
}

export interface ResponseDoc {
  description: string;
  /** Default JSON. */
  contentType?: 'application/json' | 'text/html' | 'text/css' | 'text/markdown' | 'text/plain' | 'text/csv' | 'application/pdf';
}

export interface RouteDoc {
  method: HttpMethod;
  /** Express syntax, from the root: `/api/households/:id/close`. */
  path: string;
  tag: Tag;
  /** French, one line: what the route does for the person calling it. */
  summary: string;
  description?: string;
  /** The access table's permission (roles listed from it); 'public' needs no sign-in. */
  access: Permission | 'public';
  /** Path parameters, by name; a value its schema refuses answers 404 (it cannot name anything). */
  params?: Record<string, ParameterDoc>;
  /** What a path parameter refused by its schema answers (404). */
  notFound?: string;
  /** A strict object schema: each property is a query parameter. */
  query?: z.ZodType;
  /** Optional request headers; a value present and refused answers 400 with `message`. */
  headers?: Record<string, ParameterDoc & { required?: boolean; message: string }>;
  /** JSON request body (the route then requires `Content-Type: application/json`). */
  body?: z.ZodType;
  /** Successful answers by status, plus error statuses the route has beyond the common ones. */
  responses: Record<number, ResponseDoc | string>;
  /**
   * The case-file data the answer carries: its JSON goes through the role's allowlist
   * (api/access/fields.ts) before it is sent. Required of every route a landlord or a partner may
   * call that answers about households or tasks (test/route-answers.unit.test.ts).
   */
  answers?: AnswerShape;
}

/** `Idempotency-Key`: an action sent again with the same key is applied once (household actions, tasks). */
export const idempotencyKeyHeader = {
  'Idempotency-Key': {
    schema: z.string().regex(/^[\w.:-]{8,100}$/),
    description: 'Clé choisie par l\'appelant (8 à 100 caractères : lettres, chiffres, . _ : -) : une action renvoyée avec la même clé n\'est appliquée qu\'une fois.',
    message: 'de 8 à 100 caractères : lettres, chiffres, . _ : -',
  },
};

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<D extends RouteDoc> {
  principal: D['access'] extends 'public' ? Principal | undefined : Principal;
  params: { [K in keyof D['params']]: D['params'][K] extends ParameterDoc<infer S> ? z.output<S> : never };
  query: Parsed<D['query']>;
  body: Parsed<D['body']>;
  headers: { [K in keyof D['headers']]?: string };
}

export interface RouteImplementation<D extends RouteDoc> {
  /** Runs after the role and the path's ids, before headers, query and body: the scope (404). */
  before?(req: Request, input: Pick<RouteInput<D>, 'principal' | 'params'>): Promise<void>;
  /**
   * Reads a body that is not JSON (a raw file), after the role, the path's ids and `before` and
   * before the query: a file is not read for a caller who may not send it. Needed because the
   * app's JSON parser does not read such bodies and a route's handler runs after the query check.
   */
  readBody?(req: Request, res: Response): Promise<void>;
  /** The route's own work; with `bodyCheckedByHandler` the handler reads the raw body itself (multipart). */
  handle(req: Request, res: Response, input: RouteInput<D>): Promise<unknown> | unknown;
  /** The body is not JSON (an upload): the handler checks it. */
  bodyCheckedByHandler?: boolean;
}

export type Route<D extends RouteDoc = RouteDoc> = D & RouteImplementation<D>;

/** Declares a route (two arguments so that TypeScript infers the inputs from the declaration). */
export function defineRoute<const D extends RouteDoc>(doc: D, implementation: RouteImplementation<D>): Route {
  return { ...doc, ...implementation } as unknown as Route;
}

/** The declaration of a route, without its handlers (what the OpenAPI document reads). */
export function docOf(route: Route): RouteDoc {
  const { before: _before, readBody: _read, handle: _handle, bodyCheckedByHandler: _raw, ...doc } = route;
  return doc;
}

/**
 * An Express router for the routes, each checked in the same order: role (401/403), path ids
 * (404), the route's `before` (scope, 404), its raw body if it reads one, headers, query and body
 * (400), then the handler.
 */
export function mountRoutes(routes: readonly Route[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](route.path, async (req: Request, res: Response) => {
      const principal = route.access === 'public' ? req.principal : allow(req, route.access);
      const params = parseParams(route, req);
      await route.before?.(req, { principal, params } as never);
      await route.readBody?.(req, res);
      const headers = parseHeaders(route, req);
      const query = route.query ? parseWith(route.query, req.query) : undefined;
      const jsonBody = route.body && !route.bodyCheckedByHandler;
      if (jsonBody) assertJson(req);
      const body = jsonBody ? parseBody(route.body!, req.body) : undefined;
      if (route.answers && principal) onlyVisibleFields(res, route.answers, principal.role);
      await route.handle(req, res, { principal, params, headers, query, body } as never);
    });
  }
  return router;
}

/** Every JSON answer of this response passes through the role's allowlist (errors are not case-file data). */
function onlyVisibleFields(res: Response, shape: AnswerShape, role: Principal['role']): void {
  const send = res.json.bind(res);
  res.json = (body: unknown) => send(res.statusCode < 400 ? answerVisibleTo(shape, role, body) : body);
}

function parseParams(route: RouteDoc, req: Request): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(route.params ?? {})) {
    const parsed = doc.schema.safeParse(req.params[name]);
    // A malformed id cannot name anything: the same answer as an unknown one.
    if (!parsed.success) throw new NotFoundError(route.notFound ?? 'Introuvable.');
    params[name] = parsed.data;
  }
  return params;
}

function parseHeaders(route: RouteDoc, req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, doc] of Object.entries(route.headers ?? {})) {
    const value = req.header(name);
    if (value === undefined && !doc.required) continue;
    if (!doc.schema.safeParse(value).success) throw new ValidationError([{ field: name, message: doc.message }]);
    headers[name] = value;
  }
  return headers;
}

function parseWith(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) throw toValidationError(result.error);
  return result.data;
}
