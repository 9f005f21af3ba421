// Production worker process: external PostgreSQL, Temporal and SMTP from the environment.
import { ConfigError, loadConfig, requireExternalServices } from '../lib/config';
import { openRuntime, startWorkerPart } from '../lib/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = requireExternalServices(config);
  const runtime = await openRuntime(config, services, 'april-worker');
  const worker = await startWorkerPart(config, services, runtime);
  const stop = () => void worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  runtime.logger.info({ taskQueue: config.temporal.taskQueue }, 'worker started');
  await worker.done;
  await runtime.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
