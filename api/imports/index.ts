import { Router } from 'express';
import { csrfProtection } from '../auth/middleware';
import type { ApiContext } from '../context';
import { arrearsImportsRouter } from './router';
import { createArrearsImportService } from './service';
import { readUploadForm, UPLOAD_FORM_PATH } from './upload-form';

/**
 * The arrears import's one mount in api/app.ts, between `authenticate` and `csrfProtection`:
 * - the upload form's multipart body is read before the global CSRF check, so that the check
 *   finds the form's `_csrf` (upload-form.ts); the page itself is served by the pages router;
 * - the API router, behind the same CSRF check (applied here, as it runs before the global one).
 */
export function arrearsImportsMount(ctx: ApiContext): Router {
  const router = Router();
  router.post(UPLOAD_FORM_PATH, readUploadForm);
  router.use('/api/arrears-imports', csrfProtection, arrearsImportsRouter(createArrearsImportService(ctx)));
  return router;
}
