// Runs after `npm install`: generates the Prisma client and provides the Temporal CLI, so that
// `npm start` and `npm test` work on a fresh clone with no further step.
import { spawnSync } from 'node:child_process';

function run(label, command, args, { optional = false } = {}) {
  console.log(`[april] ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    if (optional) {
      console.warn(`[april] ${label} : échec, nouvel essai au premier lancement des tests.`);
      return;
    }
    console.error(`[april] échec : ${label}`);
    process.exit(result.status ?? 1);
  }
}

run('Génération du client Prisma', 'npx', ['--no-install', 'prisma', 'generate']);
// An operator pointing at an external Temporal server needs no CLI.
if (!process.env.TEMPORAL_ADDRESS && process.env.APRIL_SKIP_TEMPORAL_CLI !== '1') {
  run('CLI Temporal (serveur de développement)', process.execPath, ['--import', 'tsx', 'scripts/ensure-temporal-cli.ts']);
}
// The tests prove the programme's real rhythm (days, months) on Temporal's time-skipping test server
// (Java, from Maven Central, ~40 MB once per user). Not needed to run the product: never fatal here.
if (process.env.APRIL_SKIP_TEMPORAL_TEST_SERVER !== '1') {
  run('Serveur de test Temporal (saut dans le temps)', process.execPath, ['--import', 'tsx', 'scripts/ensure-temporal-test-server.ts'], { optional: true });
}
