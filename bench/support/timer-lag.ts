import type { Db } from '../../lib/db';
import { percentile, round } from './results';

/**
 * Timer lag measured from the activity side: a watch check's timer is due one check period after
 * the previous check (or the start of the watch); the activity it triggers writes the check-in
 * task, whose `created_at` is the database's clock at that write. Checks already due but not yet
 * written at the end are counted too (as overdue so far), or a stalled server would look fast.
 */
export async function measureTimerLag(db: Db, checkPeriodMs: number, underLoadUntil: Date) {
  const rows = await db.$queryRawUnsafe<{ lag_ms: number; created_at: Date }[]>(`
    WITH starts AS (
      SELECT household_id, max(occurred_at) AS started FROM timeline_events WHERE type = 'watchStarted' GROUP BY household_id
    ), checks AS (
      SELECT household_id, created_at, due_at, lag(due_at) OVER (PARTITION BY household_id ORDER BY due_at) AS previous
      FROM tasks WHERE type = 'watch_check'
    )
    SELECT (extract(epoch FROM c.created_at - (coalesce(c.previous, s.started) + make_interval(secs => $1::float8))) * 1000)::float8 AS lag_ms, c.created_at
    FROM checks c JOIN starts s USING (household_id)`, checkPeriodMs / 1000);
  const overdueRows = await db.$queryRawUnsafe<{ overdue_ms: number }[]>(`
    WITH starts AS (
      SELECT household_id, max(occurred_at) AS started FROM timeline_events WHERE type = 'watchStarted' GROUP BY household_id
    ), last_checks AS (
      SELECT household_id, max(due_at) AS last_due FROM tasks WHERE type = 'watch_check' GROUP BY household_id
    )
    SELECT (extract(epoch FROM now() - (coalesce(l.last_due, s.started) + make_interval(secs => $1::float8))) * 1000)::float8 AS overdue_ms
    FROM households h JOIN starts s ON s.household_id = h.id LEFT JOIN last_checks l ON l.household_id = h.id
    WHERE h.phase = 'watch'`, checkPeriodMs / 1000);
  const overdue = overdueRows.map((r) => r.overdue_ms).filter((ms) => ms > 0);
  const summary = (values: number[]) => ({
    count: values.length,
    p50Ms: round(percentile(values, 50), 0),
    p99Ms: round(percentile(values, 99), 0),
    maxMs: values.length ? round(Math.max(...values), 0) : undefined,
  });
  const measured = rows.map((r) => r.lag_ms);
  return {
    all: summary([...measured, ...overdue]),
    underLoad: summary(rows.filter((r) => r.created_at <= underLoadUntil).map((r) => r.lag_ms)),
    holding: summary(rows.filter((r) => r.created_at > underLoadUntil).map((r) => r.lag_ms)),
    overdue: summary(overdue),
  };
}
