import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Duration = { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined;

const toMs = (d: Duration) => {
  if (!d) return 0;
  const seconds = typeof d.seconds === 'number' ? d.seconds : (d.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.round((d.nanos ?? 0) / 1e6);
};

/** What one workflow's history holds, counted the same way for a household and for the baseline. */
export interface HistoryCounts {
  events: number;
  workflowTasks: number;
  workflowTasksFailed: number;
  activities: number;
  localActivities: number;
  updates: number;
  signals: number;
  timersStarted: number;
  /** Durations of the timers that fired, in order. */
  timersFiredMs: number[];
}

export function countHistory(history: temporal.api.history.v1.IHistory): HistoryCounts {
  const events = history.events ?? [];
  const startedTimers = new Map<string, number>();
  const counts: HistoryCounts = {
    events: events.length, workflowTasks: 0, workflowTasksFailed: 0, activities: 0, localActivities: 0, updates: 0, signals: 0, timersStarted: 0, timersFiredMs: [],
  };
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) counts.workflowTasks++;
    if (e.workflowTaskFailedEventAttributes) counts.workflowTasksFailed++;
    if (e.activityTaskScheduledEventAttributes) counts.activities++;
    if (e.markerRecordedEventAttributes) counts.localActivities++;
    if (e.workflowExecutionUpdateAcceptedEventAttributes) counts.updates++;
    if (e.workflowExecutionSignaledEventAttributes) counts.signals++;
    if (e.timerStartedEventAttributes) {
      counts.timersStarted++;
      startedTimers.set(e.timerStartedEventAttributes.timerId ?? '', toMs(e.timerStartedEventAttributes.startToFireTimeout as Duration));
    }
    if (e.timerFiredEventAttributes) counts.timersFiredMs.push(startedTimers.get(e.timerFiredEventAttributes.timerId ?? '') ?? 0);
  }
  return counts;
}

export async function fetchCounts(client: Client, workflowId: string): Promise<HistoryCounts> {
  return countHistory(await client.workflow.getHandle(workflowId).fetchHistory());
}

export function sumCounts(all: HistoryCounts[]) {
  const sum = (pick: (c: HistoryCounts) => number) => all.reduce((total, c) => total + pick(c), 0);
  return {
    workflows: all.length,
    events: sum((c) => c.events),
    workflowTasks: sum((c) => c.workflowTasks),
    workflowTasksFailed: sum((c) => c.workflowTasksFailed),
    activities: sum((c) => c.activities),
    localActivities: sum((c) => c.localActivities),
    updates: sum((c) => c.updates),
    signals: sum((c) => c.signals),
    timersStarted: sum((c) => c.timersStarted),
    timersFired: sum((c) => c.timersFiredMs.length),
  };
}
