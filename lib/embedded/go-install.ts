import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `go install`s some packages and moves the named binaries into `targetDir`. The build goes to a
 * scratch folder beside it and is renamed at the end: an interrupted build never leaves a
 * half-written binary that a later run would take for a good one. Used for the Temporal CLI
 * (npm start, tests) and the production temporal-server (benchmarks).
 */
export async function goInstallInto(options: {
  targetDir: string;
  /** Module paths with their version, e.g. `go.temporal.io/server/cmd/server@v1.29.1`. */
  packages: string[];
  /** The binaries the packages produce, moved into targetDir. */
  binaries: string[];
  log: (line: string) => void;
}): Promise<void> {
  fs.mkdirSync(path.dirname(options.targetDir), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(path.dirname(options.targetDir), '.build-'));
  const started = Date.now();
  const ticker = setInterval(() => options.log(`  … construction en cours (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('go', ['install', ...options.packages], {
        cwd: os.tmpdir(), // outside any go.mod, so the versions asked for are the ones built
        env: { ...process.env, CGO_ENABLED: '0', GOBIN: scratch },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install a échoué (code ${code})`))));
    });
    fs.mkdirSync(options.targetDir, { recursive: true });
    for (const name of options.binaries) fs.renameSync(path.join(scratch, name), path.join(options.targetDir, name));
  } finally {
    clearInterval(ticker);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
