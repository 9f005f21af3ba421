import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';

const CHECK_DEADLINE_MS = 3_000;

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = Date.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('délai dépassé')), CHECK_DEADLINE_MS).unref()),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, latencyMs: Date.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Reachability of the parts the product cannot work without; 503 when one is down. Public and
 * mounted before `authenticate` (api/app.ts): a probe needs no session lookup.
 */
export function healthRoutes(ctx: Pick<ApiContext, 'db' | 'temporal' | 'namespace'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/health', tag: TAGS.health, access: 'public',
      summary: 'État de santé : PostgreSQL et Temporal joignables',
      responses: { 200: 'Tout répond.', 503: 'Une partie indispensable ne répond pas (détail par partie).' },
    }, {
      async handle(_req, res) {
        const [postgres, temporal] = await Promise.all([
          timed(() => ctx.db.$queryRaw`SELECT 1`),
          timed(() =>
            ctx.temporal.connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () =>
              ctx.temporal.workflowService.describeNamespace({ namespace: ctx.namespace }),
            ),
          ),
        ]);
        const ok = postgres.ok && temporal.ok;
        res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal } });
      },
    }),
  ];
}
