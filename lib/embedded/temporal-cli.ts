import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { goInstallInto } from './go-install';
import { isExecutable, userCacheDir } from './user-cache';

/**
 * The Temporal CLI (dev server + web UI) is a 200 MB Go binary. We never commit or vendor it:
 * we find it, or build it once per user and version from the Go module proxy, or let the SDK
 * download it where the internet is reachable.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1'; // newest tag `go install` accepts (docs/design/runtime.md)
const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

export type TemporalCliSource =
  | { type: 'existing-path'; path: string; origin: 'TEMPORAL_CLI_PATH' | 'cache' | 'built' }
  | { type: 'cached-download'; downloadDir: string };

export function temporalCliCacheDir(): string {
  return userCacheDir('temporal-cli', TEMPORAL_CLI_VERSION);
}


function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}

async function goInstall(targetDir: string, log: (line: string) => void): Promise<void> {
  log(`Construction de la CLI Temporal ${TEMPORAL_CLI_VERSION} avec Go (environ 4 minutes la première fois)…`);
  const started = Date.now();
  await goInstallInto({ targetDir, packages: [`${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`], binaries: ['temporal'], log });
  log(`CLI Temporal prête en ${Math.round((Date.now() - started) / 1000)} s : ${path.join(targetDir, 'temporal')}`);
}

export async function ensureTemporalCli(options: {
  cliPath?: string;
  log?: (line: string) => void;
}): Promise<TemporalCliSource> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.cliPath) {
    const resolved = path.resolve(options.cliPath);
    if (!isExecutable(resolved)) {
      throw new Error(`TEMPORAL_CLI_PATH : ${resolved} n'existe pas ou n'est pas exécutable`);
    }
    return { type: 'existing-path', path: resolved, origin: 'TEMPORAL_CLI_PATH' };
  }
  const dir = temporalCliCacheDir();
  const cached = path.join(dir, 'temporal');
  if (isExecutable(cached)) return { type: 'existing-path', path: cached, origin: 'cache' };
  if (hasGo()) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await goInstall(dir, log);
    return { type: 'existing-path', path: cached, origin: 'built' };
  }
  log('Go est absent : le serveur Temporal sera téléchargé par le SDK au premier démarrage.');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return { type: 'cached-download', downloadDir: path.dirname(dir) };
}
