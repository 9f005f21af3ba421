import { Router } from 'express';
import { allow } from '../access/guard';
import type { ApiContext } from '../context';
import { logsRouter } from './logs';
import { organisationsRouter } from './organisations';
import { describePolicy } from './policy-view';
import { usersRouter } from './users';

/**
 * Administration (mounted at /api/admin): accounts, organisations, the audit and mail logs, the
 * policy in force. Administration runs the platform and never reads case files (see the policy).
 * Failed mails are shown in the mail log and can be sent again from it (mail-retry.ts).
 */
export function adminRouter(ctx: ApiContext): Router {
  const router = Router();
  router.use(usersRouter(ctx));
  router.use(organisationsRouter(ctx));
  router.use(logsRouter(ctx));

  router.get('/policy', (req, res) => {
    allow(req, 'admin.policy');
    res.json({ policy: ctx.policy, settings: describePolicy(ctx.policy) });
  });

  return router;
}
