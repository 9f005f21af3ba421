import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { z } from '../../lib/zod-fr';
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
  router.get('/landlords', async (req, res) => {
    allow(req, 'admin.organisations');
    res.json({ landlords: await listLandlords(db) });
  });

  router.post('/landlords', requireJson, async (req, res) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createLandlordBody, req.body);
    const landlord = await createLandlord({ db, clock }, body, { actor: principal.id, requestId: req.id });
    res.status(201).location(`/api/admin/landlords/${landlord.id}`).json(landlord);
  });

  router.get('/partner-organisations', async (req, res) => {
    allow(req, 'admin.organisations');
    res.json({ partnerOrganisations: await listPartnerOrganisations(db) });
  });

  router.post('/partner-organisations', requireJson, async (req, res) => {
    const principal = allow(req, 'admin.organisations');
    const body = parseBody(createPartnerOrganisationBody, req.body);
    const organisation = await createPartnerOrganisation({ db, clock }, body, { actor: principal.id, requestId: req.id });
    res.status(201).location(`/api/admin/partner-organisations/${organisation.id}`).json(organisation);
  });

  return router;
}

interface Deps { db: Db; clock: () => Date }
interface By { actor: string; requestId?: string }

function duplicateCode(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new ConflictError('Ce code est déjà utilisé par une autre organisation.');
  }
  throw error;
}

export function listLandlords(db: Db) {
  return db.landlord.findMany({ orderBy: { name: 'asc' }, select: { id: true, code: true, name: true, createdAt: true } });
}

export function listPartnerOrganisations(db: Db) {
  return db.partnerOrganisation.findMany({ orderBy: { name: 'asc' }, select: { id: true, code: true, name: true, email: true, createdAt: true } });
}

/** A landlord from a parsed body (the API and the admin page); a taken code is a 409. */
export async function createLandlord({ db, clock }: Deps, body: z.infer<typeof createLandlordBody>, by: By) {
  const id = randomUUID();
  return db.$transaction(async (tx) => {
    const created = await tx.landlord.create({ data: { id, ...body, createdAt: clock() }, select: { id: true, code: true, name: true, createdAt: true } });
    await recordAudit(tx, { actor: by.actor, action: 'landlord.create', requestId: by.requestId, details: { landlordId: id, code: body.code } });
    return created;
  }).catch(duplicateCode);
}

/** A partner organisation from a parsed body; its address is kept in lower case. */
export async function createPartnerOrganisation({ db, clock }: Deps, body: z.infer<typeof createPartnerOrganisationBody>, by: By) {
  const id = randomUUID();
  return db.$transaction(async (tx) => {
    const created = await tx.partnerOrganisation.create({
      data: { id, ...body, email: body.email.toLowerCase(), createdAt: clock() },
      select: { id: true, code: true, name: true, email: true, createdAt: true },
    });
    await recordAudit(tx, { actor: by.actor, action: 'partner_organisation.create', requestId: by.requestId, details: { partnerOrganisationId: id, code: body.code } });
    return created;
  }).catch(duplicateCode);
}
