// Runs after `npm install`: generates the Prisma client, provides the Temporal CLI, builds the pages'
// stylesheet and (as root, when missing) installs Chromium for the browser tests, so that
// `npm start` and `npm test` work on a fresh clone with no further step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

// The pages' stylesheet (govuk-frontend + MOJ Sass, compiled from node_modules into build/assets/).
// Not fatal: the app builds it at start if it is missing.
run('Feuille de style des pages', process.execPath, ['--import', 'tsx', 'scripts/build-assets.ts'], { optional: true });

// The browser tests drive Debian's Chromium (playwright-core cannot download its own browser here).
// Installed only when missing and when we are root (apt); never fatal: the product does not need it.
if (process.env.APRIL_SKIP_CHROMIUM !== '1') ensureChromium();

function ensureChromium() {
  const chromium = process.env.APRIL_CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.warn(`[april] Chromium absent (${chromium}) : les tests navigateur échoueront. Installez-le (sudo apt-get install chromium) ou APRIL_SKIP_CHROMIUM=1.`);
    return;
  }
  console.log('[april] Chromium pour les tests navigateur : apt-get update (environ 10 s)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) {
    console.warn('[april] apt-get update a échoué : Chromium non installé, les tests navigateur échoueront. Installez-le à la main (apt-get install chromium).');
    return;
  }
  console.log('[april] Chromium : apt-get install chromium (environ 35 s)…');
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (install.status !== 0 || !existsSync(chromium)) {
    console.warn('[april] Installation de Chromium échouée : les tests navigateur échoueront. Installez-le à la main (apt-get install chromium).');
    return;
  }
  console.log(`[april] Chromium installé : ${chromium}`);
}
