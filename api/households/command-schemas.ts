import {
  CONTACT_CHANNELS, CONTACT_OUTCOMES, MAINSTREAM_SCHEMES, OUTCOMES, PARTNER_ANSWERS, PROCEDURE_EVENT_TYPES,
  REJECT_REASONS, SUPPORT_DOMAINS, SUPPORT_STATUSES, TIME_SLOTS, TRACKS,
} from '../../domain/household';
import { requiredText as text, z } from '../../lib/zod-fr';

/**
 * Request bodies of the household process (one per action). Free text (notes, reasons) is stored
 * in PostgreSQL by the API and only its id reaches the workflow.
 */
const id = z.uuid({ error: 'identifiant attendu (UUID)' });
const euros = (label: string) =>
  z.number({ error: `${label} doit être un nombre (en euros)` }).finite().min(0, `${label} doit être positif ou nul`)
    .max(1_000_000, `${label} dépasse 1 000 000 €`)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${label} a au plus deux décimales`);

export const openPartnerCheckBody = z.strictObject({ partnerOrgIds: z.array(id).min(1).optional() });

export const partnerAnswerBody = z.strictObject({
  partnerOrgId: id,
  answer: z.enum(PARTNER_ANSWERS),
  referent: z.strictObject({
    name: text(200),
    email: z.email({ error: 'adresse e-mail invalide' }).optional(),
    phone: z.string().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro de téléphone invalide').trim().optional(),
  }).optional(),
}).refine((b) => b.answer !== 'followed' || b.referent, { message: 'le travailleur social référent est obligatoire quand le ménage est déjà suivi', path: ['referent'] });

export const committeeDecisionBody = z.strictObject({
  sessionId: text(64),
  decision: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('admit'), track: z.enum(TRACKS), educatorId: id }),
    z.strictObject({ kind: z.literal('reorient'), scheme: z.enum(MAINSTREAM_SCHEMES) }),
    z.strictObject({ kind: z.literal('reject'), reason: z.enum(REJECT_REASONS) }),
    z.strictObject({ kind: z.literal('defer'), untilSessionId: text(64).optional() }),
  ]),
});

export const contactAttemptBody = z.strictObject({
  slot: z.enum(TIME_SLOTS),
  channel: z.enum(CONTACT_CHANNELS),
  outcome: z.enum(CONTACT_OUTCOMES),
  note: text(2000).optional(),
});

export const escalationDecisionBody = z.strictObject({
  sessionId: text(64).optional(),
  decision: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('continue') }),
    z.strictObject({ kind: z.literal('close_unreachable') }),
    z.strictObject({ kind: z.literal('reorient'), scheme: z.enum(MAINSTREAM_SCHEMES) }),
  ]),
});

export const supportPlanBody = z.strictObject({
  changes: z.partialRecord(z.enum(SUPPORT_DOMAINS), z.strictObject({ status: z.enum(SUPPORT_STATUSES), goal: text(500).optional() }))
    .refine((c) => Object.keys(c).length > 0, 'au moins un domaine est attendu'),
});

export const noteOnlyBody = z.strictObject({ note: text(2000).optional() });

export const startHandoffBody = z.strictObject({
  schemes: z.array(z.strictObject({ scheme: z.enum(MAINSTREAM_SCHEMES), partnerOrgId: id.optional() })).min(1, 'au moins un dispositif est attendu'),
});

export const acknowledgeHandoffBody = z.strictObject({ scheme: z.enum(MAINSTREAM_SCHEMES) });

export const closeBody = z.strictObject({
  outcome: z.enum(OUTCOMES),
  reason: text(2000),
  scheme: z.enum(MAINSTREAM_SCHEMES).optional(),
});

export const withdrawBody = z.strictObject({ reason: text(2000).optional() });

const isoDay = z.iso.date({ error: 'date attendue au format AAAA-MM-JJ' });
const months = (max: number) => z.number().int('nombre entier de mois attendu').min(0).max(max, `au plus ${max} mois`);

export const procedureEventBody = z.strictObject({
  type: z.enum(PROCEDURE_EVENT_TYPES),
  occurredOn: isoDay,
  /** What the legal deadlines need beyond the date; each field only makes sense for some steps. */
  details: z.strictObject({
    hearingDate: isoDay.optional(),
    terminationOrdered: z.boolean().optional(),
    suspensionGranted: z.boolean().optional(),
    paymentDelayMonths: months(36).optional(),
    interimOrder: z.boolean().optional(),
    durationMonths: months(24).optional(),
    extensionMonths: months(36).optional(),
    judgeShortenedToDays: z.number().int().min(0).max(60).optional(),
    months: months(12).optional(),
  }).optional(),
});

export const paymentBody = z.strictObject({ amount: euros('Le montant').refine((v) => v > 0, 'Le montant doit être supérieur à 0') });

export const arrearsBody = z.strictObject({ arrears: euros('La dette locative'), monthlyRent: euros('Le loyer mensuel').optional() });

export const listQuery = z.strictObject({
  phase: z.enum(['referred', 'partner_check', 'committee', 'contact', 'support', 'handoff', 'watch', 'closed']).optional(),
  landlordId: id.optional(),
  track: z.enum(TRACKS).optional(),
  educatorId: id.optional(),
  limit: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(1, 'au moins 1').max(500, 'au plus 500').default(100),
  offset: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(0, 'positif ou nul').max(1_000_000, 'au plus 1 000 000').default(0),
});
export type ListQuery = z.infer<typeof listQuery>;
