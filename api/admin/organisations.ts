import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { Prisma } from '../../generated/prisma/client';
import { allow } from '../access/guard';
import { recordAudit } from '../audit';
import type { ApiContext } from '../context';
import { ConflictError } from '../errors';
import { parseBody, requireJson } from '../validation';
import { createLandlordBody, createPartnerOrganisationBody } from './schemas';

/**
 * The programme's landlords and partner organisations. Few rows, listed whole. Codes are stable
 * handles people type (imports, links); a second organisation with the same code is refused (409).
 */
export function organisationsRouter({ db, clock }: ApiContext): Router {
  const router = Router();
  const duplicateCode = (error: unknown): never => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError('Ce code est déjà utilisé par une autre organisation.');
    }
    throw error;
  };

  router.get('/landlords', async (req, res) => {
    allow(req, 'admin.organisations');
    const landlords = await db.landlord.findMany({ orderBy: { name: 'asc' }, select: { id: true, code: true, name: true, createdAt: true } });
    res.json({ landlords });
  });

  router.post('/landlords', requireJson, async (req, res) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createLandlordBody, req.body);
    const id = randomUUID();
    const landlord = await db.$transaction(async (tx) => {
      const created = await tx.landlord.create({ data: { id, ...body, createdAt: clock() }, select: { id: true, code: true, name: true, createdAt: true } });
      await recordAudit(tx, { actor: principal.id, action: 'landlord.create', requestId: req.id, details: { landlordId: id, code: body.code } });
      return created;
    }).catch(duplicateCode);
    res.status(201).location(`/api/admin/landlords/${id}`).json(landlord);
  });

  router.get('/partner-organisations', async (req, res) => {
    allow(req, 'admin.organisations');
    const partnerOrganisations = await db.partnerOrganisation.findMany({
      orderBy: { name: 'asc' }, select: { id: true, code: true, name: true, email: true, createdAt: true },
    });
    res.json({ partnerOrganisations });
  });

  router.post('/partner-organisations', requireJson, async (req, res) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createPartnerOrganisationBody, req.body);
    const id = randomUUID();
    const organisation = await db.$transaction(async (tx) => {
      const created = await tx.partnerOrganisation.create({
        data: { id, ...body, email: body.email.toLowerCase(), createdAt: clock() },
        select: { id: true, code: true, name: true, email: true, createdAt: true },
      });
      await recordAudit(tx, { actor: principal.id, action: 'partner_organisation.create', requestId: req.id, details: { partnerOrganisationId: id, code: body.code } });
      return created;
    }).catch(duplicateCode);
    res.status(201).location(`/api/admin/partner-organisations/${id}`).json(organisation);
  });

  return router;
}
