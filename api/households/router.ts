import { Router } from 'express';
import { NotFoundError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { createHouseholdBody, householdIdParam } from './schemas';
import type { HouseholdService } from './service';

export function householdsRouter(service: HouseholdService): Router {
  const router = Router();

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
