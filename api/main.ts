// Production API process: external PostgreSQL, Temporal and SMTP from the environment.
import { ConfigError, loadConfig, requireCaseloadListKey, requireExternalServices } from '../lib/config';
import { openRuntime, startApiPart } from '../lib/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = requireExternalServices(config);
  requireCaseloadListKey(config);
  const runtime = await openRuntime(config, services, 'april-api');
  const api = await startApiPart(config, runtime);
  runtime.logger.info({ port: config.port, host: config.host, metricsPort: api.metricsPort }, 'API listening');
  // Graceful stop: readiness turns 503, requests in flight finish within SHUTDOWN_TIMEOUT_SECONDS.
  const stop = async (signal: string) => {
    runtime.logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'API stopping');
    await api.close();
    await runtime.close();
    runtime.logger.info('API stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
