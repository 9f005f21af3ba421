import { checkDependencies, NOT_READY_REASONS } from '../../lib/health';
import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';

/** Set once the process was asked to stop: readiness answers 503 while requests drain. */
export interface Lifecycle {
  stopping: boolean;
}

/**
 * Reachability of the parts the product cannot work without; 503 when one is down. Public and
 * mounted before `authenticate` (api/app.ts): a probe needs no session lookup.
 * `/health/live` says the process answers (restart it if not); `/health/ready` that it can serve
 * (PostgreSQL and Temporal answer, not stopping): the compose file's health checks use them.
 */
export function healthRoutes(ctx: Pick<ApiContext, 'db' | 'temporal' | 'namespace'>, lifecycle: Lifecycle = { stopping: false }): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/health', tag: TAGS.health, access: 'public',
      summary: 'État de santé : PostgreSQL et Temporal joignables',
      responses: { 200: 'Tout répond.', 503: 'Une partie indispensable ne répond pas (détail par partie).' },
    }, {
      async handle(_req, res) {
        const checks = await checkDependencies(ctx);
        const ok = checks.postgres.ok && checks.temporal.ok;
        res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
      },
    }),
    defineRoute({
      method: 'get', path: '/health/live', tag: TAGS.health, access: 'public',
      summary: 'Vivacité : le processus répond (sans consulter ses dépendances)',
      responses: { 200: 'Le processus répond.' },
    }, {
      async handle(_req, res) {
        res.set('cache-control', 'no-store').json({ status: 'ok' });
      },
    }),
    defineRoute({
      method: 'get', path: '/health/ready', tag: TAGS.health, access: 'public',
      summary: 'Disponibilité : PostgreSQL et Temporal répondent et le processus ne s’arrête pas',
      responses: { 200: 'Prêt à servir.', 503: 'Pas prêt : les raisons, en français et en anglais.' },
    }, {
      async handle(_req, res) {
        const checks = await checkDependencies(ctx);
        const reasons = [
          ...(lifecycle.stopping ? [NOT_READY_REASONS.stopping] : []),
          ...(checks.postgres.ok ? [] : [NOT_READY_REASONS.postgres]),
          ...(checks.temporal.ok ? [] : [NOT_READY_REASONS.temporal]),
        ];
        res.set('cache-control', 'no-store').status(reasons.length ? 503 : 200)
          .json({ status: reasons.length ? 'not_ready' : 'ready', reasons, checks });
      },
    }),
  ];
}
