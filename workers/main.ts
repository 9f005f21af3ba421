// Production worker process: external PostgreSQL, Temporal and SMTP from the environment.
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { ConfigError, loadConfig, requireExternalServices } from '../lib/config';
import { openRuntime, startWorkerPart, temporalMetricsTelemetry } from '../lib/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = requireExternalServices(config);
  // Before any connection: the SDK's own metrics (task slots, pollers, failures, sticky cache).
  TemporalRuntime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: temporalMetricsTelemetry(config) });
  const runtime = await openRuntime(config, services, 'april-worker');
  const worker = await startWorkerPart(config, services, runtime);
  // Graceful stop: no new task is taken, activities in flight finish within SHUTDOWN_TIMEOUT_SECONDS.
  const stop = (signal: string) => {
    runtime.logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'worker stopping');
    void worker.shutdown().catch((error: unknown) => runtime.logger.error({ err: error }, 'worker shutdown failed'));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  runtime.logger.info({ taskQueue: config.temporal.taskQueue, metricsPort: config.metrics.workerPort }, 'worker started');
  await worker.done;
  await runtime.close();
  runtime.logger.info('worker stopped');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
