import { Router } from 'express';
import { NotFoundError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { createHouseholdBody, householdIdParam } from './schemas';
import { listQuery } from './command-schemas';
import type { ProcessService } from './process-service';
import type { HouseholdService } from './service';
import { toValidationError } from '../validation';

export function householdsRouter(service: HouseholdService, process: ProcessService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) throw toValidationError(query.error);
    res.json({ households: await process.list(query.data) });
  });

  router.post('/', requireJson, async (req, res) => {
    const body = parseBody(createHouseholdBody, req.body);
    const created = await service.create(body, { actor: 'api', requestId: req.id });
    res.status(201).location(`/api/households/${created.id}`).json(created);
  });

  router.get('/:id', async (req, res) => {
    // A malformed id cannot name a household: same answer as an unknown one.
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    res.json(await service.get(id.data, { actor: 'api', requestId: req.id }));
  });

  return router;
}
