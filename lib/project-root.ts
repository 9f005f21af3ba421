import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json and node_modules, whether the code runs from the sources (tsx)
 * or compiled into dist/ (the container image): paths to templates, assets and packages start here.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
