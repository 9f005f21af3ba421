import { PHASES, TRACKS } from '../../domain/household';
import { requiredText as text, typedText, z } from '../../lib/zod-fr';

export const referralSources = ['proximity', 'pre_litigation', 'litigation', 'social_management'] as const;
export const procedureStages = [
  'none', 'caf_report', 'ccapex_referral', 'payment_order', 'summons', 'hearing', 'judgment',
  'lease_terminated', 'order_to_leave', 'police_assistance_requested',
] as const;

/** Euros with at most two decimals, stored as integer cents. */
const euros = (label: string, options: { positive: boolean }) =>
  z
    .number({ error: `${label} doit être un nombre (en euros)` })
    .finite()
    .min(options.positive ? 0.01 : 0, `${label} doit être ${options.positive ? 'supérieur à 0' : 'positif ou nul'}`)
    .max(1_000_000, `${label} dépasse 1 000 000 €`)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, `${label} a au plus deux décimales`);

const pastOrTodayDate = z.iso
  .date({ error: 'date attendue au format AAAA-MM-JJ' })
  .refine((value) => value <= new Date().toISOString().slice(0, 10), 'la date ne peut pas être dans le futur')
  .refine((value) => value >= '1950-01-01', 'la date est trop ancienne');


export const createHouseholdBody = z.strictObject({
  landlordId: z.uuid({ error: 'identifiant de bailleur attendu (UUID)' }),
  tenancyReference: text(64).regex(/^[\p{L}\p{N} ._/-]+$/u, 'lettres, chiffres, espaces et . _ / - seulement'),
  headName: text(200),
  address: text(500),
  phone: z.string().regex(/^\+?[0-9 .-]{6,20}$/, 'numéro de téléphone invalide').trim().optional(),
  email: z.email({ error: 'adresse e-mail invalide' }).optional(),
  leaseStartDate: pastOrTodayDate,
  monthlyRent: euros('Le loyer mensuel', { positive: true }),
  arrears: euros('La dette locative', { positive: false }),
  procedureStage: z.enum(procedureStages),
  referralSource: z.enum(referralSources),
  note: typedText(2000).optional(),
});

export type CreateHouseholdBody = z.infer<typeof createHouseholdBody>;

export const householdIdParam = z.uuid();

/** GET /api/households: the filters and the page. */
export const listQuery = z.strictObject({
  phase: z.enum(PHASES).optional(),
  landlordId: z.uuid({ error: 'identifiant attendu (UUID)' }).optional(),
  track: z.enum(TRACKS).optional(),
  educatorId: z.uuid({ error: 'identifiant attendu (UUID)' }).optional(),
  limit: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(1, 'au moins 1').max(500, 'au plus 500').default(100),
  offset: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(0, 'positif ou nul').max(1_000_000, 'au plus 1 000 000').default(0),
});
export type ListQuery = z.infer<typeof listQuery>;
