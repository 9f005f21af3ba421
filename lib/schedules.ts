import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { ProgrammePolicy } from '../domain/programme/policy';
import type { DailyDigestInput, OverdueEscalationInput, RetentionInput } from '../workflows/jobs/messages';

/**
 * The cross-household jobs are Temporal Schedules (docs/design/process.md), set at every worker
 * start: created when missing, otherwise brought up to date (a new task queue or retention period
 * takes effect at the next deploy) while keeping what an operator changed by hand (paused, note).
 */
export const SCHEDULE_IDS = {
  dailyDigest: 'april-daily-digest',
  overdueEscalation: 'april-overdue-escalation',
  retention: 'april-retention',
} as const;

export interface ScheduleSettings {
  /** The households' task queue: the same worker runs the jobs. */
  taskQueue: string;
  /** The deployment's policy; the retention run receives its retention periods as argument. */
  policy: Pick<ProgrammePolicy, 'retentionAfterClosureMs'> & Partial<Pick<ProgrammePolicy, 'recordsRetentionMs'>>;
  /** Prefixes every schedule id (tests share one Temporal server); production leaves it out. */
  idPrefix?: string;
}

const TIMEZONE = 'Europe/Paris';

export function jobSchedules(settings: ScheduleSettings): ScheduleOptions[] {
  const id = (base: string) => `${settings.idPrefix ?? ''}${base}`;
  const policies = {
    // A run still busy (an SMTP outage being retried) is not joined by a second one.
    overlap: ScheduleOverlapPolicy.SKIP,
    // After an outage of the Temporal server, one catch-up run is enough; a week of them is not.
    catchupWindow: '1 hour',
  };
  const digest: DailyDigestInput = {};
  const overdue: OverdueEscalationInput = {};
  const retention: RetentionInput = {
    policy: {
      retentionAfterClosureMs: settings.policy.retentionAfterClosureMs,
      ...(settings.policy.recordsRetentionMs !== undefined && { recordsRetentionMs: settings.policy.recordsRetentionMs }),
    },
  };
  return [
    {
      scheduleId: id(SCHEDULE_IDS.dailyDigest),
      spec: { calendars: [{ hour: 7, minute: 0 }], timezone: TIMEZONE },
      action: { type: 'startWorkflow', workflowType: 'dailyDigestWorkflow', args: [digest], taskQueue: settings.taskQueue, workflowId: id(SCHEDULE_IDS.dailyDigest) },
      policies,
    },
    {
      scheduleId: id(SCHEDULE_IDS.overdueEscalation),
      spec: { calendars: [{ hour: '*', minute: 5 }], timezone: TIMEZONE },
      action: { type: 'startWorkflow', workflowType: 'overdueEscalationWorkflow', args: [overdue], taskQueue: settings.taskQueue, workflowId: id(SCHEDULE_IDS.overdueEscalation) },
      policies,
    },
    {
      scheduleId: id(SCHEDULE_IDS.retention),
      // At night, when nobody reads the case files being blanked.
      spec: { calendars: [{ hour: 3, minute: 30 }], timezone: TIMEZONE },
      action: { type: 'startWorkflow', workflowType: 'retentionWorkflow', args: [retention], taskQueue: settings.taskQueue, workflowId: id(SCHEDULE_IDS.retention) },
      policies,
    },
  ];
}

/** Creates or updates each schedule; says which it created and which it updated. */
export async function ensureSchedules(client: Client, settings: ScheduleSettings): Promise<{ created: string[]; updated: string[] }> {
  const created: string[] = [];
  const updated: string[] = [];
  for (const options of jobSchedules(settings)) {
    try {
      await client.schedule.create(options);
      created.push(options.scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        spec: options.spec,
        action: options.action,
        policies: options.policies,
        state: { paused: previous.state.paused, note: previous.state.note, remainingActions: previous.state.remainingActions },
      }));
      updated.push(options.scheduleId);
    }
  }
  return { created, updated };
}
