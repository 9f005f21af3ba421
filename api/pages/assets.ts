import path from 'node:path';
import express, { Router } from 'express';
import { assetsStale, buildAssets, CSS_FILE } from '../../scripts/build-assets';
import { PROJECT_ROOT } from '../../lib/project-root';

const ROOT = PROJECT_ROOT;

/**
 * The pages' static files, before authentication (no personal data): our compiled CSS and
 * browser script, then the images of the MOJ and govuk packages (not their fonts: we use the
 * system's). Built at install time; built now if missing (a fresh checkout without postinstall).
 */
export function assetsRouter(): Router {
  if (assetsStale()) buildAssets();
  const router = Router();
  const options = { fallthrough: true, index: false, maxAge: '1h' } as const;
  router.use('/assets/app', express.static(path.dirname(CSS_FILE), options));
  router.use('/assets/app', express.static(path.join(__dirname, 'public'), options));
  router.use('/assets/images', express.static(path.join(ROOT, 'node_modules/@ministryofjustice/frontend/moj/assets/images'), options));
  router.use('/assets/images', express.static(path.join(ROOT, 'node_modules/govuk-frontend/dist/govuk/assets/images'), options));
  router.get('/assets/govuk/govuk-frontend.min.js', (_req, res) => {
    res.sendFile(path.join(ROOT, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'), { maxAge: '1h' });
  });
  return router;
}
