import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Tools we build or fetch once per user and version (the Temporal CLI, the time-skipping test
 * server) live here, so that a second clone, CI and the tests reuse them.
 */
export function userCacheDir(...parts: string[]): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'april', ...parts);
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
