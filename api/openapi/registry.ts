import type { z } from '../../lib/zod-fr';
import type { Permission } from '../access/permissions';

/**
 * One entry per route of the API: what the OpenAPI document and the browsable view are generated
 * from. Schemas are the very zod schemas the routes parse with, so the document cannot drift from
 * what the API accepts. Adding a route = adding one entry to routes.ts (a unit test fails otherwise).
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
  admin: 'Administration',
  docs: 'Documentation',
} as const;
export type Tag = (typeof TAGS)[keyof typeof TAGS];

export interface ParameterDoc {
  schema: z.ZodType;
  description: string;
}

export interface ResponseDoc {
  description: string;
  /** Default JSON. */
  contentType?: 'application/json' | 'text/html' | 'text/css' | 'text/markdown' | 'text/plain';
}

export interface RouteDoc {
  method: HttpMethod;
  /** Express syntax, as mounted: `/api/households/:id/close`. */
  path: string;
  tag: Tag;
  /** French, one line: what the route does for the person calling it. */
  summary: string;
  description?: string;
  /** The access policy's action the route checks (roles listed from it); 'public' needs no sign-in. */
  access: Permission | 'public';
  /** Path parameters, by name (each `:name` of the path must be listed). */
  params?: Record<string, ParameterDoc>;
  /** A strict object schema: each property is a query parameter. */
  query?: z.ZodType;
  headers?: Record<string, ParameterDoc & { required?: boolean }>;
  /** JSON request body. */
  body?: z.ZodType;
  /** Successful answers by status, plus error statuses the route has beyond the common ones. */
  responses: Record<number, ResponseDoc | string>;
}
