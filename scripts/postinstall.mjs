// Runs after `npm install`: generates the Prisma client and provides the Temporal CLI, so that
// `npm start` and `npm test` work on a fresh clone with no further step.
import { spawnSync } from 'node:child_process';

function run(label, command, args) {
  console.log(`[april] ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[april] échec : ${label}`);
    process.exit(result.status ?? 1);
  }
}

run('Génération du client Prisma', 'npx', ['--no-install', 'prisma', 'generate']);
// An operator pointing at an external Temporal server needs no CLI.
if (!process.env.TEMPORAL_ADDRESS && process.env.APRIL_SKIP_TEMPORAL_CLI !== '1') {
  run('CLI Temporal (serveur de développement)', process.execPath, ['--import', 'tsx', 'scripts/ensure-temporal-cli.ts']);
}
