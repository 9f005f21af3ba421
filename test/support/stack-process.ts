// Runs in a child process of the jest global setup: the same embedded services as `npm start`
// (or the external ones the environment names), migrated, then one READY line with addresses.
import { loadConfig } from '../../lib/config';
import { startServices } from '../../lib/embedded/stack';
import { migrateDatabase } from '../../lib/migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startServices(config, { temporalUi: false, log: (line) => console.error(line) });
  const stop = () => {
    void running.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // If jest dies without tearing down, our stdin closes: stop rather than linger as an orphan.
  process.stdin.on('end', stop);
  process.stdin.resume();
  await migrateDatabase(running.services.databaseUrl);
  console.log(`READY ${JSON.stringify({ ...running.services, mailInboxUrl: running.mailInboxUrl ?? process.env.TEST_MAIL_INBOX_URL })}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
