import { Router, type Request } from 'express';
import { allow } from '../access/guard';
import type { ApiContext } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { requireJson, toValidationError } from '../validation';
import { listTasksQuery, taskIdParam } from './schemas';
import { createTaskService } from './service';

/**
 * The task inbox: list (with views and filters), one task with its history, claim, release and
 * complete. Each route names its permission first (403 for a role that may not), then the task
 * must lie in the caller's scope (404 otherwise); ownership rules are in service.ts.
 */
export function tasksRouter(ctx: ApiContext): Router {
  const router = Router();
  const service = createTaskService(ctx);

  // A malformed id cannot name a task: same answer as an unknown one.
  const idOf = (req: Request) => {
    const id = taskIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Tâche introuvable.');
    return id.data;
  };
  const contextOf = (req: Request) => {
    const key = req.header('idempotency-key');
    if (key !== undefined && !/^[\w.:-]{8,100}$/.test(key)) {
      throw new ValidationError([{ field: 'Idempotency-Key', message: 'de 8 à 100 caractères : lettres, chiffres, . _ : -' }]);
    }
    return { requestId: req.id, ...(key !== undefined && { idempotencyKey: key }) };
  };

  router.get('/', async (req, res) => {
    const principal = allow(req, 'task.list');
    const query = listTasksQuery.safeParse(req.query);
    if (!query.success) throw toValidationError(query.error);
    res.json(await service.list(query.data, principal, contextOf(req)));
  });

  router.get('/:id', async (req, res) => {
    const principal = allow(req, 'task.list');
    res.json(await service.get(idOf(req), principal, contextOf(req)));
  });

  router.post('/:id/claim', async (req, res) => {
    const principal = allow(req, 'task.claim');
    res.json(await service.claim(idOf(req), principal, contextOf(req)));
  });

  router.post('/:id/unclaim', async (req, res) => {
    const principal = allow(req, 'task.claim');
    res.json(await service.unclaim(idOf(req), principal, contextOf(req)));
  });

  router.post('/:id/complete', requireJson, async (req, res) => {
    const principal = allow(req, 'task.complete');
    res.json(await service.complete(idOf(req), req.body, principal, contextOf(req)));
  });

  return router;
}
