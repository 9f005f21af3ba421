import { accountRoutes } from './accounts/router';
import { adminRoutes } from './admin/router';
import { authRoutes } from './auth/router';
import { caseloadRoutes } from './caseloads/router';
import { committeeRoutes } from './committee/router';
import type { ApiContext } from './context';
import { healthRoutes, type Lifecycle } from './health/router';
import { householdActionRoutes } from './households/actions/routes';
import { householdRoutes } from './households/routes';
import { docOf, type Route, type RouteDoc } from './http/route';
import { arrearsImportRoutes } from './imports';
import { openapiRoutes } from './openapi/router';
import { partnersRoutes } from './partners/router';
import { tasksRoutes } from './tasks/router';

/** The declared routes by where api/app.ts mounts them: the order of the middlewares matters. */
export interface RouteGroups {
  /** Public, mounted before `authenticate`: a probe needs no session lookup. */
  health: Route[];
  /** After `authenticate`, before `csrfProtection`: behind their own CSRF check (api/imports/index.ts). */
  imports: Route[];
  /** Mounted after `authenticate` and `csrfProtection`, before the pages router. */
  api: Route[];
}

export function routeGroups(ctx: ApiContext, lifecycle?: Lifecycle): RouteGroups {
  return {
    health: healthRoutes(ctx, lifecycle),
    imports: arrearsImportRoutes(ctx),
    api: [
      ...openapiRoutes(() => routeDocs(ctx)),
      ...authRoutes(ctx),
      ...accountRoutes(ctx),
      ...householdRoutes(ctx),
      ...householdActionRoutes(ctx),
      ...tasksRoutes(ctx),
      ...committeeRoutes(ctx),
      ...partnersRoutes(ctx),
      ...caseloadRoutes(ctx),
      ...adminRoutes(ctx),
    ],
  };
}

/**
 * Every JSON route of the API, declared once with its documentation (api/http/route.ts): mounted
 * by the app, and read by the OpenAPI document, so the two cannot drift apart.
 */
export function declaredRoutes(ctx: ApiContext): Route[] {
  return Object.values(routeGroups(ctx)).flat();
}

/** Every route of the API as the OpenAPI document lists it. */
export function routeDocs(ctx: ApiContext): RouteDoc[] {
  return declaredRoutes(ctx).map(docOf);
}
