import { Router } from 'express';
import type { Db } from '../../lib/db';
import { allow, requireHouseholdInScope } from '../access/guard';
import { caseFileViewFor } from '../access/permissions';
import { ForbiddenError, NotFoundError } from '../errors';
import { parseBody, requireJson, toValidationError } from '../validation';
import { listQuery } from './command-schemas';
import { listHouseholds } from './list';
import { createHouseholdBody, householdIdParam } from './schemas';
import type { HouseholdService } from './service';

export function householdsRouter(db: Db, service: HouseholdService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const principal = allow(req, 'household.list');
    const query = listQuery.safeParse(req.query);
    if (!query.success) throw toValidationError(query.error);
    res.json(await listHouseholds(db, query.data, principal));
  });

  router.post('/', requireJson, async (req, res) => {
    const principal = allow(req, 'household.refer');
    const body = parseBody(createHouseholdBody, req.body);
    if (principal.role === 'landlord_agent' && body.landlordId !== principal.landlordId) {
      throw new ForbiddenError('Un agent bailleur n\'oriente que les ménages de son propre bailleur.');
    }
    const created = await service.create(body, { actor: principal.id, requestId: req.id });
    res.status(201).location(`/api/households/${created.id}`).json(created);
  });

  router.get('/:id', async (req, res) => {
    const principal = allow(req, 'household.read');
    // A malformed id cannot name a household: same answer as an unknown one.
    const id = householdIdParam.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Ménage introuvable.');
    await requireHouseholdInScope(db, principal, id.data);
    res.json(await service.get(id.data, { actor: principal.id, requestId: req.id }, caseFileViewFor(principal.role)));
  });

  return router;
}
