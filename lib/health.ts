import type { Client } from '@temporalio/client';
import type { Db } from './db';

/** How long one reachability check may take before it counts as down. */
export const CHECK_DEADLINE_MS = 3_000;

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export async function timed(check: () => Promise<unknown>): Promise<CheckResult> {
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

export interface DependencyDeps {
  db: Db;
  temporal: Client;
  namespace: string;
}

/** PostgreSQL and Temporal, the parts no process of the product can work without. */
export async function checkDependencies(deps: DependencyDeps): Promise<{ postgres: CheckResult; temporal: CheckResult }> {
  const [postgres, temporal] = await Promise.all([
    timed(() => deps.db.$queryRaw`SELECT 1`),
    timed(() =>
      deps.temporal.connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () =>
        deps.temporal.workflowService.describeNamespace({ namespace: deps.namespace }),
      ),
    ),
  ]);
  return { postgres, temporal };
}

/** The reason a readiness probe gives for a failed check, French then English. */
export const NOT_READY_REASONS = {
  postgres: 'PostgreSQL injoignable / PostgreSQL unreachable',
  temporal: 'Temporal injoignable / Temporal unreachable',
  stopping: 'Arrêt en cours / shutting down',
  polling: 'Le worker n\'interroge pas Temporal / worker not polling',
} as const;
