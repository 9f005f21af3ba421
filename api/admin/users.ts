import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import type { z } from '../../lib/zod-fr';
import { recordAudit } from '../audit';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Accounts, Invitation } from '../accounts/service';
import type { ApiContext } from '../context';
import { defineRoute, TAGS, type Route } from '../http/route';
import { decodeCursor, olderThan, page } from './paging';
import { createUserBody, listUsersQuery, updateUserBody, userIdParam, type CreateUserBody, type UpdateUserBody } from './schemas';
import { ROLE_LABELS } from '../../domain/labels';

/** What an administrator sees of an account: never its password hash, only whether it has one. */
const userView = {
  id: true, email: true, displayName: true, role: true, landlordId: true, partnerOrganisationId: true,
  active: true, createdAt: true, lastSignInAt: true, passwordHash: true,
} as const satisfies Prisma.UserSelect;

type UserRow = Prisma.UserGetPayload<{ select: typeof userView }>;

function present({ passwordHash, ...user }: UserRow) {
  return { ...user, roleLabel: ROLE_LABELS[user.role], canSignIn: passwordHash !== null };
}

const DUPLICATE_EMAIL = 'Un compte existe déjà avec cette adresse e-mail.';

/** What the account functions need: the database, the clock, and the invitations and notices (api/accounts/service.ts). */
export interface UsersDeps {
  db: Db;
  clock: () => Date;
  accounts: Pick<Accounts, 'invite' | 'noticeGrant'>;
}

/** Accounts: list, create (by invitation), change (name, role and scope, activation), invite again. */
export function usersRoutes({ db, clock, accounts }: Pick<ApiContext, 'db' | 'clock' | 'accounts'>): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/admin/users', tag: TAGS.admin, access: 'admin.users', query: listUsersQuery,
      summary: 'Lister les comptes', responses: { 200: 'Les comptes, les plus récents d\'abord (jamais les empreintes de mot de passe).' },
    }, {
      async handle(_req, res, { query }) {
        res.json(await listUsers(db, query));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/users', tag: TAGS.admin, access: 'admin.users', body: createUserBody,
      summary: 'Créer un compte',
      description: 'Un agent bailleur est rattaché à un bailleur (`landlordId`), un travailleur social partenaire à une organisation (`partnerOrganisationId`), personne d\'autre. Le compte est créé sans mot de passe : la personne reçoit par courriel une invitation (lien valable 72 h, à usage unique) pour choisir le sien ; `invitation.mail` dit si le courriel est parti. Créer un compte de l\'équipe (coordination, comité, éducateur) ou d\'administration est signalé par courriel à la coordination.',
      responses: { 201: 'Compte créé (en-tête Location), invitation envoyée ou non (`invitation.mail`).', 409: 'Un compte existe déjà avec cette adresse.' },
    }, {
      async handle(req, res, { principal, body }) {
        const user = await createUser({ db, clock, accounts }, body, { actor: principal.id, requestId: req.id });
        res.status(201).location(`/api/admin/users/${user.id}`).json(user);
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/admin/users/:id', tag: TAGS.admin, access: 'admin.users', body: updateUserBody,
      params: { id: { schema: userIdParam, description: 'Identifiant du compte.' } }, notFound: 'Compte introuvable.',
      summary: 'Modifier un compte : nom, rôle et périmètre, activation',
      description: 'Désactiver un compte ferme ses sessions et révoque ses jetons. Réactiver un compte sans mot de passe lui envoie une nouvelle invitation. Le rôle se donne avec son périmètre. Réactiver un compte de l\'équipe ou d\'administration, ou donner un tel rôle, est signalé par courriel à la coordination.',
      responses: { 200: 'Le compte modifié (et `invitation` s\'il en reçoit une).', 409: 'Un administrateur ne se désactive pas et ne se retire pas son rôle.' },
    }, {
      async handle(req, res, { principal, params, body }) {
        res.json(await updateUser({ db, clock, accounts }, params.id, body, { actor: principal.id, requestId: req.id }));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/admin/users/:id/invitation', tag: TAGS.admin, access: 'admin.users',
      params: { id: { schema: userIdParam, description: 'Identifiant du compte.' } }, notFound: 'Compte introuvable.',
      summary: 'Renvoyer l\'invitation d\'un compte sans mot de passe',
      description: 'Un nouveau lien (72 h, à usage unique) part par courriel ; le précédent ne sert plus.',
      responses: { 200: 'Invitation envoyée ou non (`mail`), et sa fin de validité.', 409: 'Compte désactivé, ou dont la personne a déjà choisi son mot de passe.' },
    }, {
      async handle(req, res, { principal, params }) {
        res.json(await accounts.invite(params.id, { actor: principal.id, requestId: req.id }));
      },
    }),
  ];
}

/** Accounts, newest first, paged by cursor (the API and the admin page). */
export async function listUsers(db: Db, query: z.infer<typeof listUsersQuery>) {
  const position = decodeCursor(query.cursor);
  const rows = await db.user.findMany({
    where: {
      ...(query.role && { role: query.role }),
      ...(query.active && { active: query.active === 'true' }),
      ...olderThan('createdAt', position),
    },
    select: userView,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return { users: items.map(present), nextCursor };
}

/** Who acts on an account, for the audit log. */
export interface AdminActor {
  actor: string;
  requestId?: string;
}

/**
 * Creates an account from a parsed body (the API and the admin page share it): the scope must
 * exist, an address is unique without case, there is no password (the person is mailed an
 * invitation to choose it), the creation is audited, and a team or admin role is told to the
 * coordination.
 */
export async function createUser({ db, clock, accounts }: UsersDeps, body: CreateUserBody, by: AdminActor): Promise<ReturnType<typeof present> & { invitation: Invitation }> {
  await requireScopeExists(db, body);
  const email = body.email.trim().toLowerCase();
  // Sign-in compares addresses without case: two accounts differing by case would be one person.
  if (await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, select: { id: true } })) {
    throw new ConflictError(DUPLICATE_EMAIL);
  }
  const id = randomUUID();
  const user = await db.user.create({
    data: {
      id, email, displayName: body.displayName, role: body.role, passwordHash: null, createdAt: clock(),
      landlordId: body.landlordId ?? null, partnerOrganisationId: body.partnerOrganisationId ?? null,
    },
    select: userView,
  }).catch(duplicateEmail);
  await recordAudit(db, { actor: by.actor, action: 'user.create', requestId: by.requestId, details: { userId: id, role: body.role } });
  const invitation = await accounts.invite(id, by);
  await accounts.noticeGrant(user, 'created', by);
  return { ...present(user), invitation };
}

/**
 * Changes an account (activation, name, role and scope); deactivation ends its sessions and tokens.
 * Re-activation of an account without a password mails it an invitation; re-activation with, or a
 * change into, a team or admin role is told to the coordination.
 */
export async function updateUser({ db, clock, accounts }: UsersDeps, id: string, body: UpdateUserBody, by: AdminActor): Promise<ReturnType<typeof present> & { invitation?: Invitation }> {
  const existing = await db.user.findUnique({ where: { id }, select: { id: true, active: true, role: true } });
  if (!existing) throw new NotFoundError('Compte introuvable.');
  // An administrator who locks themselves out may leave the platform with nobody to run it.
  if (id === by.actor && (body.active === false || (body.role !== undefined && body.role !== 'admin'))) {
    throw new ConflictError('Vous ne pouvez ni désactiver votre propre compte ni retirer votre propre rôle d\'administration.');
  }
  if (body.role !== undefined) await requireScopeExists(db, body);
  const data: Prisma.UserUpdateInput = {
    ...(body.active !== undefined && { active: body.active }),
    ...(body.displayName !== undefined && { displayName: body.displayName }),
    ...(body.role !== undefined && {
      role: body.role,
      landlord: body.landlordId ? { connect: { id: body.landlordId } } : { disconnect: true },
      partnerOrganisation: body.partnerOrganisationId ? { connect: { id: body.partnerOrganisationId } } : { disconnect: true },
    }),
  };
  const user = await db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id }, data, select: userView });
    if (body.active === false) {
      // Deactivation takes effect at once: open sessions end and tokens stop working for good.
      await tx.session.deleteMany({ where: { userId: id } });
      await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: clock() } });
    }
    await recordAudit(tx, {
      actor: by.actor, action: 'user.update', requestId: by.requestId,
      details: { userId: id, fields: Object.keys(body).sort().join(','), ...(body.active !== undefined && { active: body.active }) },
    });
    return updated;
  });
  const reactivated = body.active === true && !existing.active;
  const invitation = reactivated && user.passwordHash === null ? await accounts.invite(id, by) : undefined;
  if (reactivated) await accounts.noticeGrant(user, 'reactivated', by);
  else if (user.active && body.role !== undefined && body.role !== existing.role) await accounts.noticeGrant(user, 'role_changed', by);
  return { ...present(user), ...(invitation && { invitation }) };
}

/** The landlord or organisation named as scope must exist: said as a wrong field (400). */
async function requireScopeExists(db: Db, body: { landlordId?: string | null; partnerOrganisationId?: string | null }): Promise<void> {
  if (body.landlordId && !(await db.landlord.findUnique({ where: { id: body.landlordId }, select: { id: true } }))) {
    throw new ValidationError([{ field: 'landlordId', message: 'bailleur inconnu' }]);
  }
  if (body.partnerOrganisationId && !(await db.partnerOrganisation.findUnique({ where: { id: body.partnerOrganisationId }, select: { id: true } }))) {
    throw new ValidationError([{ field: 'partnerOrganisationId', message: 'organisation partenaire inconnue' }]);
  }
}

/** Two administrators creating the same address at once: the unique index settles it. */
function duplicateEmail(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new ConflictError(DUPLICATE_EMAIL);
  throw error;
}
