import { requiredText as text, z } from '../../lib/zod-fr';
import { ROLES } from '../access/permissions';

/**
 * Bodies and queries of the administration routes. A person's scope follows from the role: a
 * landlord agent belongs to exactly one landlord, a partner worker to exactly one partner
 * organisation, and nobody else has either (a stray scope would be a silent grant later).
 */
const uuid = (what: string) => z.uuid({ error: `identifiant ${what} attendu (UUID)` });

export const userIdParam = z.uuid();

const role = z.enum(ROLES);
type Role = z.infer<typeof role>;

/** Both the creation and the change of a role check the scope that goes with it. */
function checkScope(
  body: { role?: Role; landlordId?: string | null; partnerOrganisationId?: string | null },
  ctx: z.RefinementCtx,
): void {
  if (body.role === undefined) {
    if (body.landlordId !== undefined || body.partnerOrganisationId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'le rôle doit être donné avec le périmètre (bailleur ou organisation partenaire)' });
    }
    return;
  }
  if (body.role === 'landlord_agent' ? !body.landlordId : body.landlordId) {
    ctx.addIssue({
      code: 'custom', path: ['landlordId'],
      message: body.role === 'landlord_agent' ? 'un agent bailleur est rattaché à un bailleur' : 'seul un agent bailleur est rattaché à un bailleur',
    });
  }
  if (body.role === 'partner_worker' ? !body.partnerOrganisationId : body.partnerOrganisationId) {
    ctx.addIssue({
      code: 'custom', path: ['partnerOrganisationId'],
      message: body.role === 'partner_worker' ? 'un travailleur social partenaire est rattaché à une organisation' : 'seul un travailleur social partenaire est rattaché à une organisation',
    });
  }
}

export const createUserBody = z.strictObject({
  email: z.email({ error: 'adresse e-mail invalide' }).max(254, 'au plus 254 caractères'),
  displayName: text(200),
  role,
  landlordId: uuid('de bailleur').optional(),
  partnerOrganisationId: uuid('d\'organisation partenaire').optional(),
  // No password: the person chooses it from the invitation mailed to them (api/accounts/service.ts).
}).superRefine(checkScope);
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z.strictObject({
  active: z.boolean({ error: 'vrai ou faux attendu' }).optional(),
  displayName: text(200).optional(),
  role: role.optional(),
  /** With a role: null (or absent) for every role but the one the scope belongs to. */
  landlordId: uuid('de bailleur').nullable().optional(),
  partnerOrganisationId: uuid('d\'organisation partenaire').nullable().optional(),
}).superRefine((body, ctx) => {
  if (Object.keys(body).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'au moins un champ à modifier est attendu' });
  checkScope(body, ctx);
});
export type UpdateUserBody = z.infer<typeof updateUserBody>;

const code = z.string().min(2, 'au moins 2 caractères').max(64, 'au plus 64 caractères').trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'minuscules, chiffres et tirets seulement (ex. « foyer-remois »)');

export const createLandlordBody = z.strictObject({ code, name: text(200) });

export const createPartnerOrganisationBody = z.strictObject({
  code,
  name: text(200),
  /** Where the check requests and handoff requests of the organisation are sent. */
  email: z.email({ error: 'adresse e-mail invalide' }).max(254, 'au plus 254 caractères'),
});

const limit = (max: number, fallback: number) =>
  z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(1, 'au moins 1').max(max, `au plus ${max}`).default(fallback);
/** Opaque position returned as `nextCursor` by the previous page. */
const cursor = z.string().max(200, 'curseur invalide').optional();
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'date attendue (AAAA-MM-JJ ou date ISO 8601 avec heure)' });

export const listUsersQuery = z.strictObject({
  role: role.optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: limit(500, 100),
  cursor,
});

export const auditQuery = z.strictObject({
  householdId: uuid('de ménage').optional(),
  /** The person who acted (the audit row's actor). */
  userId: uuid('de personne').optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: limit(500, 50),
  cursor,
});

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;

export const mailsQuery = z.strictObject({
  status: z.enum(MAIL_STATUSES).optional(),
  householdId: uuid('de ménage').optional(),
  limit: limit(500, 50),
  cursor,
});

export const mailIdParam = z.uuid();
