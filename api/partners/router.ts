import { Router, type Request } from 'express';
import { allow } from '../access/guard';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { checkAnswerBody, taskIdParam } from './schemas';
import { createPartnerChecks } from './service';

/**
 * Partner checks (issue 5, item 5): each partner organisation lists the checks addressed to it and
 * answers "not known" or "followed by" with its referent's contact. The page a partner reaches from
 * the request mail reads GET /api/partner-checks/:taskId.
 */
export function partnersRouter(ctx: ApiContext): Router {
  const router = Router();
  const checks = createPartnerChecks(ctx);

  const taskIdOf = (req: Request) => {
    const id = taskIdParam.safeParse(req.params.taskId);
    if (!id.success) throw new NotFoundError('Vérification introuvable.');
    return id.data;
  };

  router.get('/', async (req, res) => {
    const principal = allow(req, 'partnerCheck.list');
    res.json({ checks: await checks.listPending(principal, req.id) });
  });

  router.get('/:taskId', async (req, res) => {
    const principal = allow(req, 'partnerCheck.list');
    res.json(await checks.get(taskIdOf(req), principal, req.id));
  });

  router.post('/:taskId/answer', requireJson, async (req, res) => {
    const principal = allow(req, 'partnerCheck.answer');
    // Scope before body: another organisation's check is 404 whatever is sent.
    const task = await checks.requireCheck(taskIdOf(req), principal);
    const body = parseBody(checkAnswerBody, req.body);
    res.json(await checks.answer(task, body, principal, req.id));
  });

  return router;
}
