import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from '../../lib/db';

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

/** Reachability of the parts the product cannot work without; 503 when one is down. */
export function healthRouter(deps: { db: Db; temporal: Client; namespace: string }): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [postgres, temporal] = await Promise.all([
      timed(() => deps.db.$queryRaw`SELECT 1`),
      timed(() =>
        deps.temporal.connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () =>
          deps.temporal.workflowService.describeNamespace({ namespace: deps.namespace }),
        ),
      ),
    ]);
    const ok = postgres.ok && temporal.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal } });
  });
  return router;
}
