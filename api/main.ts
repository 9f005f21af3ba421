// Production API process: external PostgreSQL, Temporal and SMTP from the environment.
import { ConfigError, loadConfig, requireCaseloadListKey, requireExternalServices } from '../lib/config';
import { openRuntime, startApiPart } from '../lib/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const services = requireExternalServices(config);
  requireCaseloadListKey(config);
  const runtime = await openRuntime(config, services, 'april-api');
  const api = await startApiPart(config, runtime);
  runtime.logger.info({ port: config.port, host: config.host }, 'API listening');
  const stop = async () => {
    await api.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
