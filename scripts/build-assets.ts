// Compiles the pages' Sass (api/pages/styles/app.scss: govuk-frontend + MOJ frontend from
// node_modules, our overrides) into build/assets/app.css. Run by postinstall; the app builds it at
// start if it is missing. No CDN, no font download: the system's fonts.
import fs from 'node:fs';
import path from 'node:path';
import * as sass from 'sass';
import { PROJECT_ROOT } from '../lib/project-root';

const ROOT = PROJECT_ROOT;
export const CSS_FILE = path.join(ROOT, 'build/assets/app.css');
const ENTRY = path.join(ROOT, 'api/pages/styles/app.scss');

export function buildAssets(): { bytes: number; ms: number } {
  const started = Date.now();
  const result = sass.compile(ENTRY, {
    loadPaths: [ROOT],
    style: 'compressed',
    quietDeps: true,
    // The packages' own deprecation notices are theirs to fix, not ours to read at every install.
    logger: sass.Logger.silent,
  });
  fs.mkdirSync(path.dirname(CSS_FILE), { recursive: true });
  // Written under a temporary name first: a parallel test run never serves half a file.
  const temporary = `${CSS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, result.css);
  fs.renameSync(temporary, CSS_FILE);
  return { bytes: result.css.length, ms: Date.now() - started };
}

/** Missing, or older than one of our stylesheets (a checkout that changed the Sass since the last build). */
export function assetsStale(): boolean {
  if (!fs.existsSync(CSS_FILE)) return true;
  const built = fs.statSync(CSS_FILE).mtimeMs;
  const styles = path.dirname(ENTRY);
  return fs.readdirSync(styles).some((name) => name.endsWith('.scss') && fs.statSync(path.join(styles, name)).mtimeMs > built);
}

if (require.main === module) {
  const { bytes, ms } = buildAssets();
  console.log(`[april] feuille de style des pages : ${path.relative(ROOT, CSS_FILE)} (${Math.round(bytes / 1024)} Kio, ${ms} ms)`);
}
