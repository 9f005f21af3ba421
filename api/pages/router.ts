import { Router } from 'express';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors';
import { isApiPath } from './errors';
import { HOME_OF } from './navigation';
import { accountPages } from './routes/account';
import { authPages } from './routes/auth';
import { passwordPages } from './routes/password';
import { householdPages } from './routes/household';
import { householdActionPages } from './routes/household-action';
import { householdListPages } from './routes/households';
import { landlordPages } from './routes/landlord';
import { referralPages } from './routes/referral';
import { committeePages } from './routes/committee';
import { partnerPages } from './routes/partners';
import { caseloadPages } from './routes/caseloads';
import { taskPages } from './routes/tasks';
import { adminPages } from './routes/admin';
import { dashboardPages } from './routes/dashboard';

/**
 * Every server-rendered page. Mounted after the API routers (so `/api/…` never reaches a page)
 * and after `authenticate` + `csrfProtection` (every POST of a signed-in person carries `_csrf`).
 * A new page: one file in routes/ and its view in views/, added here (see README.md).
 */
const PAGES: ((ctx: ApiContext) => Router)[] = [
  authPages, passwordPages, accountPages, householdListPages, referralPages, householdPages, householdActionPages,
  committeePages, partnerPages, caseloadPages, taskPages, dashboardPages, adminPages, landlordPages,
];

export function pagesRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get('/', (req, res) => {
    res.redirect(303, req.principal ? HOME_OF[req.principal.role] : '/connexion');
  });
  for (const pages of PAGES) router.use(pages(ctx));
  // Any other address outside the API: the French 404 page.
  router.use((req, _res, next) => next(isApiPath(req) ? undefined : new NotFoundError('Cette page n’existe pas.')));
  return router;
}
