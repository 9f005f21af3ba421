import type { ApiContext } from './context';
import { householdActionRoutes } from './households/actions/routes';
import { householdRoutes } from './households/routes';
import { docOf, type Route, type RouteDoc } from './http/route';
import { ROUTES } from './openapi/routes';

/**
 * The JSON routes declared with their documentation (api/http/route.ts): mounted by the app, and
 * read by the OpenAPI document, so the two cannot drift apart.
 */
export function declaredRoutes(ctx: ApiContext): Route[] {
  return [...householdRoutes(ctx), ...householdActionRoutes(ctx)];
}

/** Every route of the API as the OpenAPI document lists it (declared, then the routers still described by hand). */
export function routeDocs(ctx: ApiContext): RouteDoc[] {
  return [...declaredRoutes(ctx).map(docOf), ...ROUTES];
}
