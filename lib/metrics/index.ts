import { collectDefaultMetrics, Registry } from 'prom-client';

export { HTTP_METRICS, httpMetrics, routePattern } from './http';
export { PROGRAMME_METRICS, registerProgrammeMetrics, SCHEDULE_INTERVALS_S } from './programme';
export { WORKER_METRICS, TEMPORAL_SDK_METRICS, registerWorkerMetrics } from './worker';
export { startOpsListener } from './listener';

/**
 * One registry per app or worker (tests run several in one process), with Node's own process
 * metrics (CPU, memory, event loop lag, heap) under their standard names.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
