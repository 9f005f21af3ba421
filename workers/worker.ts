import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { dataConverterFor, importTaskQueue } from '../lib/temporal';
import type { Tracing } from '../lib/tracing';

export interface HouseholdWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Encrypts every payload (lib/payload-codec.ts): the same keys as the clients'. */
  payloadCodec: PayloadCodec;
  /** Workflows kept in memory by the household worker (WORKER_MAX_CACHED_WORKFLOWS); default 1000. */
  maxCachedWorkflows?: number;
  /**
   * On shutdown, activities in flight get this long to finish before they are cancelled, and the
   * worker stops for good a few seconds later (SHUTDOWN_TIMEOUT_SECONDS, lib/runtime.ts). Unset
   * (tests): the SDK's default, activities cancelled at once.
   */
  shutdownGraceMs?: number;
  /** A prebuilt bundle (tests, restarts) skips the few seconds of webpack per worker. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Tracing's worker part (lib/tracing.ts): activity spans, workflow spans' sink, the bundled interceptors. */
  tracing?: Tracing['worker'];
}

export interface RunningWorker {
  /** Polls the household queue: household workflows, jobs and their activities. */
  worker: Worker;
  /** Polls the imports' queue (lib/temporal.ts importTaskQueue), in the same process. */
  importWorker: Worker;
  /** Resolves when the worker has stopped (after `shutdown()` or a fatal error). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startHouseholdWorker(options: HouseholdWorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const common = {
    connection,
    namespace: options.namespace,
    activities: createActivities(options.deps),
    dataConverter: dataConverterFor(options.payloadCodec),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceTime: options.shutdownGraceMs, shutdownForceTime: options.shutdownGraceMs + 5_000 }),
    // Bundled once for both workers (webpack takes seconds); with tracing, its workflow interceptors inside.
    workflowBundle: options.workflowBundle ?? await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      workflowInterceptorModules: options.tracing?.workflowInterceptorModules ?? [],
    }),
    ...(options.tracing && { interceptors: options.tracing.interceptors, sinks: options.tracing.sinks }),
  };
  let worker: Worker;
  let importWorker: Worker;
  try {
    worker = await Worker.create({ ...common, taskQueue: options.taskQueue, maxCachedWorkflows: options.maxCachedWorkflows ?? 1000 });
    // One import at a time is the common case; two keep a second landlord's file from waiting.
    importWorker = await Worker.create({
      ...common, taskQueue: importTaskQueue(options.taskQueue), maxCachedWorkflows: 10, maxConcurrentWorkflowTaskExecutions: 2, maxConcurrentActivityTaskExecutions: 2,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const workers = [worker, importWorker];
  // If either stops (fatal error), stop the other: the process must not run half a worker.
  const done = Promise.allSettled(workers.map((w) => w.run().finally(() => {
    for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
  }))).then((results) => {
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }).finally(() => connection.close());
  return {
    worker,
    importWorker,
    done,
    shutdown: async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}
