import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { z } from '../../lib/zod-fr';
import { recordAudit } from '../audit';
import type { ApiContext } from '../context';
import { ConflictError } from '../errors';
import { defineRoute, TAGS, type Route } from '../http/route';
import { createLandlordBody, createPartnerOrganisationBody } from './schemas';

/**
 * The programme's landlords and partner organisations. Few rows, listed whole. Codes are stable
 * handles people type (imports, links); a second organisation with the same code is refused (409).
 */
export function organisationsRoutes({ db, clock }: Pick<ApiContext, 'db' | 'clock'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/admin/landlords', tag: TAGS.admin, access: 'admin.organisations', summary: 'Lister les bailleurs', responses: { 200: 'Les bailleurs.' },
    }, {
      async handle(_req, res) {
        res.json({ landlords: await listLandlords(db) });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/landlords', tag: TAGS.admin, access: 'admin.organisations', body: createLandlordBody,
      summary: 'Ajouter un bailleur', responses: { 201: 'Bailleur ajouté.', 409: 'Code déjà utilisé.' },
    }, {
      async handle(req, res, { principal, body }) {
        const landlord = await createLandlord({ db, clock }, body, { actor: principal.id, requestId: req.id });
        res.status(201).location(`/api/admin/landlords/${landlord.id}`).json(landlord);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/admin/partner-organisations', tag: TAGS.admin, access: 'admin.organisations', summary: 'Lister les organisations partenaires', responses: { 200: 'Les organisations.' },
    }, {
      async handle(_req, res) {
        res.json({ partnerOrganisations: await listPartnerOrganisations(db) });
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/partner-organisations', tag: TAGS.admin, access: 'admin.organisations', body: createPartnerOrganisationBody,
      summary: 'Ajouter une organisation partenaire',
      description: 'Chaque organisation partenaire est ensuite interrogée sur tout nouveau ménage orienté (vérification partenaire), à son adresse e-mail.',
      responses: { 201: 'Organisation ajoutée.', 409: 'Code déjà utilisé.' },
    }, {
      async handle(req, res, { principal, body }) {
        const organisation = await createPartnerOrganisation({ db, clock }, body, { actor: principal.id, requestId: req.id });
        res.status(201).location(`/api/admin/partner-organisations/${organisation.id}`).json(organisation);
      },
    }),
  ];
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
