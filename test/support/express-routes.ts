import type { Express } from 'express';

export interface MountedRoute {
  method: string;
  /** Express syntax, as mounted: `/api/households/:id/close`. */
  path: string;
}

interface Layer {
  rawPath?: unknown;
  slash?: boolean;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route an Express 5 app answers, with its full path: walks the app's router stack and the
 * routers mounted in it (router 2.x keeps each layer's path as `rawPath`).
 */
export function mountedRoutes(app: Express): MountedRoute[] {
  const routes: MountedRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') throw new Error(`route with a non-string path under ${prefix}`);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') routes.push({ method, path: `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1') });
        }
      } else if (layer.handle?.stack) {
        if (typeof layer.rawPath !== 'string') throw new Error(`router mounted on a non-string path under ${prefix}`);
        walk(layer.handle.stack, layer.slash ? prefix : `${prefix}${layer.rawPath}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}
