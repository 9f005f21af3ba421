// `npm start`: the whole product on one machine, with embedded services for whatever the
// environment does not point elsewhere. Ctrl-C stops every part.
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../lib/config';
import { startServices } from '../lib/embedded/stack';
import { DEMO_PASSWORD, ensureDemoAccounts } from '../lib/demo-accounts';
import { migrateDatabase } from '../lib/migrate';
import { openRuntime, startApiPart, startWorkerPart, temporalMetricsTelemetry } from '../lib/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  TemporalRuntime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: temporalMetricsTelemetry(config) });
  const say = (line: string) => console.log(`[april] ${line}`);
  say(`Démarrage (données dans ${config.dataDir})…`);

  const services = await startServices(config, { temporalUi: true, log: say });
  const stops: (() => Promise<void>)[] = [services.stop];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Arrêt en cours…');
    for (const part of stops.reverse()) await part().catch((error: unknown) => console.error(error));
    say('Arrêté.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));

  try {
    await migrateDatabase(services.services.databaseUrl);
    const runtime = await openRuntime(config, services.services, 'april');
    stops.push(runtime.close);
    const worker = await startWorkerPart(config, services.services, runtime);
    stops.push(worker.shutdown);
    worker.done.catch((error: unknown) => {
      console.error('Le worker Temporal s\'est arrêté :', error);
      void stop(1);
    });
    const api = await startApiPart(config, runtime);
    stops.push(api.close);
    // Demo accounts only on the embedded database: never on a deployment's own.
    const demo = config.database.url ? [] : await ensureDemoAccounts(runtime.db);

    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
    say('APRIL est prêt :');
    const rows: [string, string][] = [
      ['API et pages', url],
      ['État de santé', `${url}/health/ready`],
      ['Métriques API', `http://${config.metrics.host}:${api.metricsPort}/metrics`],
      ['Métriques et sondes du worker', `http://${config.metrics.host}:${config.metrics.workerPort}/metrics`],
      ['Worker Temporal', `file ${config.temporal.taskQueue}`],
      ...services.parts.map((part): [string, string] => [part.name + (part.embedded ? ' (embarqué)' : ''), part.address]),
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, address] of rows) say(`  ${name.padEnd(width)}  ${address}`);
    if (demo.length) {
      say(`Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`);
      const roleWidth = Math.max(...demo.map((a) => a.displayName.length));
      for (const account of demo) say(`  ${account.displayName.padEnd(roleWidth)}  ${account.email}`);
    }
    say('Ctrl-C pour tout arrêter.');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stop(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
