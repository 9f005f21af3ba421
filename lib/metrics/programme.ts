import type { Client } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db';
import { checkDependencies } from '../health';
import { SCHEDULE_IDS } from '../schedules';

/**
 * The programme's gauges, computed from PostgreSQL (and the Schedules from Temporal) when
 * Prometheus scrapes: a handful of aggregate queries, never one per household. Labels are bounded
 * words (phase, track, task type, mail status…), never an id or a name (docs/design/runtime.md).
 */
export const PROGRAMME_METRICS = {
  households: 'april_households',
  tasksOpen: 'april_tasks_open',
  tasksOverdue: 'april_tasks_overdue',
  mails: 'april_mails',
  legalDeadlines: 'april_legal_deadlines',
  imports: 'april_arrears_imports',
  importLastFinished: 'april_arrears_import_last_finished_timestamp_seconds',
  anonymised: 'april_households_anonymised',
  anonymisedLast: 'april_households_anonymised_last_timestamp_seconds',
  scheduleRuns: 'april_schedule_runs',
  scheduleMissed: 'april_schedule_missed_runs',
  scheduleLastRun: 'april_schedule_last_run_timestamp_seconds',
  scheduleLastSuccess: 'april_schedule_last_success_timestamp_seconds',
  scheduleLastFailed: 'april_schedule_last_run_failed',
  scheduleNextRun: 'april_schedule_next_run_timestamp_seconds',
  schedulePaused: 'april_schedule_paused',
  scheduleInterval: 'april_schedule_interval_seconds',
  dependencyUp: 'april_dependency_up',
} as const;

/** Expected gap between two runs of each Schedule (lib/schedules.ts), for the "missed run" alert. */
export const SCHEDULE_INTERVALS_S: Record<string, number> = {
  [SCHEDULE_IDS.dailyDigest]: 86_400,
  [SCHEDULE_IDS.overdueEscalation]: 3_600,
  [SCHEDULE_IDS.retention]: 86_400,
};

/** A label value from the database: a bounded word, or `other` (never free text in a label). */
export function word(value: string | null | undefined, empty = 'none'): string {
  if (value === null || value === undefined || value === '') return empty;
  return /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value : 'other';
}

export interface ProgrammeMetricsDeps {
  db: Db;
  temporal: Client;
  namespace: string;
  /** The Schedules to describe (default: the product's, lib/schedules.ts). */
  scheduleIds?: readonly string[];
  clock?: () => Date;
}

interface Snapshot {
  households: { phase: string; track: string | null; n: number }[];
  tasks: { type: string; open: number; overdue: number }[];
  mails: { status: string; n: number }[];
  legal: { open48: number; done48: number; open7: number; done7: number };
  imports: { status: string; n: number; last: Date | null }[];
  anonymised: { n: number; last: Date | null };
  schedules: ScheduleSnapshot[];
  dependencies: { postgres: boolean; temporal: boolean };
}

interface ScheduleSnapshot {
  id: string;
  runs: number;
  missed: number;
  paused: boolean;
  lastRun?: Date;
  nextRun?: Date;
  lastSuccess?: Date;
  lastFailed?: boolean;
}

const seconds = (date: Date) => date.getTime() / 1000;

async function describeSchedule(temporal: Client, id: string): Promise<ScheduleSnapshot | undefined> {
  const description = await temporal.schedule.getHandle(id).describe().catch(() => undefined);
  if (!description) return undefined; // not created (yet) on this namespace: nothing to say
  const { info } = description;
  const recent = [...info.recentActions].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const snapshot: ScheduleSnapshot = {
    id, runs: info.numActionsTaken, missed: info.numActionsMissedCatchupWindow, paused: description.state.paused,
    lastRun: recent[0]?.takenAt, nextRun: info.nextActionTimes[0],
  };
  // The newest runs first, three at most: the last one's outcome and the last success.
  for (const [index, action] of recent.slice(0, 3).entries()) {
    const run = await temporal.workflow.getHandle(action.action.workflow.workflowId).describe().catch(() => undefined);
    if (!run) continue;
    if (index === 0) snapshot.lastFailed = ['FAILED', 'TIMED_OUT', 'TERMINATED'].includes(run.status.name);
    if (run.status.name === 'COMPLETED') {
      snapshot.lastSuccess = run.closeTime ?? action.takenAt;
      break;
    }
  }
  return snapshot;
}

async function takeSnapshot(deps: ProgrammeMetricsDeps): Promise<Snapshot> {
  const { db } = deps;
  const now = (deps.clock ?? (() => new Date()))();
  const today = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const in48h = new Date(now.getTime() + 48 * 3_600_000);
  const in7d = new Date(now.getTime() + 7 * 86_400_000);
  const dependencies = await checkDependencies(deps);
  const empty: Snapshot = {
    households: [], tasks: [], mails: [], legal: { open48: 0, done48: 0, open7: 0, done7: 0 }, imports: [], anonymised: { n: 0, last: null }, schedules: [],
    dependencies: { postgres: dependencies.postgres.ok, temporal: dependencies.temporal.ok },
  };
  const schedules = dependencies.temporal.ok
    ? (await Promise.all((deps.scheduleIds ?? Object.values(SCHEDULE_IDS)).map((id) => describeSchedule(deps.temporal, id)))).filter((s): s is ScheduleSnapshot => Boolean(s))
    : [];
  if (!dependencies.postgres.ok) return { ...empty, schedules };
  const [households, tasks, mails, legal, imports, anonymised] = await Promise.all([
    db.$queryRaw<Snapshot['households']>`SELECT phase, track, count(*)::int AS n FROM households GROUP BY phase, track`,
    db.$queryRaw<Snapshot['tasks']>`
      SELECT type, count(*)::int AS open, (count(*) FILTER (WHERE due_at < ${now}))::int AS overdue
      FROM tasks WHERE status IN ('open', 'claimed') GROUP BY type`,
    db.$queryRaw<Snapshot['mails']>`SELECT status, count(*)::int AS n FROM mail_messages GROUP BY status`,
    // A legal deadline's warning task is due on the deadline's day (activities/legal-activities.ts):
    // those due from today on, within 48 hours and within 7 days, done or not.
    db.$queryRaw<Snapshot['legal'][]>`
      SELECT (count(*) FILTER (WHERE due_at < ${in48h} AND status IN ('open', 'claimed')))::int AS open48,
             (count(*) FILTER (WHERE due_at < ${in48h} AND status = 'completed'))::int AS done48,
             (count(*) FILTER (WHERE status IN ('open', 'claimed')))::int AS open7,
             (count(*) FILTER (WHERE status = 'completed'))::int AS done7
      FROM tasks WHERE type = 'legal_deadline_warning' AND due_at >= ${today} AND due_at < ${in7d}`,
    db.$queryRaw<Snapshot['imports']>`SELECT status, count(*)::int AS n, max(finished_at) AS last FROM arrears_imports GROUP BY status`,
    db.$queryRaw<Snapshot['anonymised'][]>`SELECT count(*)::int AS n, max(anonymised_at) AS last FROM households WHERE anonymised_at IS NOT NULL`,
  ]);
  return {
    ...empty, households, tasks, mails, imports, schedules,
    legal: legal[0] ?? empty.legal,
    anonymised: anonymised[0] ?? empty.anonymised,
  };
}

/** Registers the programme's gauges; every scrape reads one snapshot, shared by all of them. */
export function registerProgrammeMetrics(registry: Registry, deps: ProgrammeMetricsDeps): void {
  let pending: Promise<Snapshot> | undefined;
  let takenAt = 0;
  // The gauges of one scrape are collected together: one snapshot serves them all.
  const snapshot = () => {
    if (!pending || Date.now() - takenAt > 1_000) {
      takenAt = Date.now();
      pending = takeSnapshot(deps);
    }
    return pending;
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        fill(this, s);
      },
    });

  gauge(PROGRAMME_METRICS.households, 'Ménages par phase et parcours', ['phase', 'track'], (g, s) => {
    for (const row of s.households) g.inc({ phase: word(row.phase), track: word(row.track) }, row.n);
  });
  gauge(PROGRAMME_METRICS.tasksOpen, 'Tâches ouvertes (ouvertes ou prises) par type', ['type'], (g, s) => {
    for (const row of s.tasks) g.inc({ type: word(row.type) }, row.open);
  });
  gauge(PROGRAMME_METRICS.tasksOverdue, 'Tâches ouvertes en retard par type', ['type'], (g, s) => {
    for (const row of s.tasks) g.inc({ type: word(row.type) }, row.overdue);
  });
  gauge(PROGRAMME_METRICS.mails, 'Courriels par statut (pending, sent, failed)', ['status'], (g, s) => {
    for (const status of ['pending', 'sent', 'failed']) g.set({ status }, 0);
    for (const row of s.mails) g.inc({ status: word(row.status) }, row.n);
  });
  gauge(PROGRAMME_METRICS.legalDeadlines, 'Échéances légales à venir (48 h, 7 jours), tâche faite ou non', ['within', 'task'], (g, s) => {
    g.set({ within: '48h', task: 'open' }, s.legal.open48);
    g.set({ within: '48h', task: 'done' }, s.legal.done48);
    g.set({ within: '7d', task: 'open' }, s.legal.open7);
    g.set({ within: '7d', task: 'done' }, s.legal.done7);
  });
  gauge(PROGRAMME_METRICS.imports, 'Imports de fichiers d\'impayés par issue', ['status'], (g, s) => {
    for (const status of ['pending', 'running', 'done', 'failed']) g.set({ status }, 0);
    for (const row of s.imports) g.inc({ status: word(row.status) }, row.n);
  });
  gauge(PROGRAMME_METRICS.importLastFinished, 'Fin du dernier import d\'impayés, par issue (horodatage Unix)', ['status'], (g, s) => {
    for (const row of s.imports) if (row.last) g.set({ status: word(row.status) }, seconds(row.last));
  });
  gauge(PROGRAMME_METRICS.anonymised, 'Ménages clos anonymisés par la conservation', [], (g, s) => {
    g.set(s.anonymised.n);
  });
  gauge(PROGRAMME_METRICS.anonymisedLast, 'Dernière anonymisation par la conservation (horodatage Unix)', [], (g, s) => {
    if (s.anonymised.last) g.set(seconds(s.anonymised.last));
  });
  const perSchedule = (name: string, help: string, value: (s: ScheduleSnapshot) => number | undefined) =>
    gauge(name, help, ['schedule'], (g, s) => {
      for (const schedule of s.schedules) {
        const v = value(schedule);
        if (v !== undefined) g.set({ schedule: schedule.id }, v);
      }
    });
  perSchedule(PROGRAMME_METRICS.scheduleRuns, 'Exécutions lancées par chaque Schedule', (s) => s.runs);
  perSchedule(PROGRAMME_METRICS.scheduleMissed, 'Exécutions manquées (hors fenêtre de rattrapage) par Schedule', (s) => s.missed);
  perSchedule(PROGRAMME_METRICS.scheduleLastRun, 'Dernière exécution lancée (horodatage Unix)', (s) => s.lastRun && seconds(s.lastRun));
  perSchedule(PROGRAMME_METRICS.scheduleLastSuccess, 'Dernière exécution réussie (horodatage Unix)', (s) => s.lastSuccess && seconds(s.lastSuccess));
  perSchedule(PROGRAMME_METRICS.scheduleLastFailed, '1 si la dernière exécution a échoué', (s) => (s.lastFailed === undefined ? undefined : Number(s.lastFailed)));
  perSchedule(PROGRAMME_METRICS.scheduleNextRun, 'Prochaine exécution prévue (horodatage Unix)', (s) => s.nextRun && seconds(s.nextRun));
  perSchedule(PROGRAMME_METRICS.schedulePaused, '1 si le Schedule est en pause', (s) => Number(s.paused));
  perSchedule(PROGRAMME_METRICS.scheduleInterval, 'Écart attendu entre deux exécutions (secondes)', (s) => SCHEDULE_INTERVALS_S[s.id]);
  gauge(PROGRAMME_METRICS.dependencyUp, '1 si la dépendance répond (postgres, temporal)', ['dependency'], (g, s) => {
    g.set({ dependency: 'postgres' }, Number(s.dependencies.postgres));
    g.set({ dependency: 'temporal' }, Number(s.dependencies.temporal));
  });
}
