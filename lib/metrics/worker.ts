import type { Worker } from '@temporalio/worker';
import { Gauge, type Registry } from 'prom-client';

/** The worker's own gauges; the Temporal SDK's metrics come from its runtime (TEMPORAL_SDK_METRICS). */
export const WORKER_METRICS = {
  polling: 'april_worker_polling',
} as const;

/**
 * Metrics the Temporal SDK's runtime exports in Prometheus form (Runtime.install telemetryOptions,
 * workers/main.ts; seconds for durations, no `_total` suffix), merged into the worker's `/metrics`.
 * The alert rules and the dashboard may name these. Counters of failures appear from their first
 * occurrence on; the gauges (pollers, slots, sticky cache) from the worker's start.
 */
export const TEMPORAL_SDK_METRICS = [
  'temporal_num_pollers',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_sticky_cache_size',
  'temporal_sticky_cache_hit',
  'temporal_sticky_cache_miss',
  'temporal_workflow_task_queue_poll_succeed',
  'temporal_workflow_task_queue_poll_empty',
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_workflow_task_execution_latency',
  'temporal_workflow_task_execution_failed',
  'temporal_workflow_task_replay_latency',
  'temporal_workflow_completed',
  'temporal_workflow_failed',
  'temporal_activity_poll_no_task',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_execution_latency',
  'temporal_activity_execution_failed',
  'temporal_activity_task_received',
  'temporal_activity_succeed_endtoend_latency',
  'temporal_worker_start',
  'temporal_request',
  'temporal_request_failure',
  'temporal_request_latency',
  'temporal_long_request',
  'temporal_long_request_failure',
  'temporal_long_request_latency',
] as const;

/** 1 when both pollers (workflow and activity tasks) of a worker poll; by queue role, never its name. */
export function registerWorkerMetrics(registry: Registry, workers: () => Record<string, Worker | undefined>): void {
  new Gauge({
    name: WORKER_METRICS.polling,
    help: '1 si le worker interroge sa file de tâches (households, imports)',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [queue, worker] of Object.entries(workers())) this.set({ queue }, Number(isPolling(worker)));
    },
  });
}

export function isPolling(worker: Worker | undefined): boolean {
  if (!worker) return false;
  const status = worker.getStatus();
  return status.runState === 'RUNNING' && status.workflowPollerState === 'POLLING' && status.activityPollerState === 'POLLING';
}
