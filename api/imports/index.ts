import { Router } from 'express';
import { csrfProtection } from '../auth/middleware';
import { mountRoutes, type Route } from '../http/route';
import { readUploadForm, UPLOAD_FORM_PATH } from './upload-form';

export { arrearsImportRoutes } from './router';

/**
 * The arrears import's one mount in api/app.ts, between `authenticate` and `csrfProtection`:
 * - the upload form's multipart body is read before the global CSRF check, so that the check
 *   finds the form's `_csrf` (upload-form.ts); the page itself is served by the pages router;
 * - the API routes (arrearsImportRoutes), behind the same CSRF check (applied here, as it runs
 *   before the global one): their body is the raw file, which `express.json` does not read.
 */
export function arrearsImportsMount(routes: readonly Route[]): Router {
  const router = Router();
  router.post(UPLOAD_FORM_PATH, readUploadForm);
  router.use('/api/arrears-imports', csrfProtection);
  router.use(mountRoutes(routes));
  return router;
}
