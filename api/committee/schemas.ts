import { z } from '../../lib/zod-fr';
import { committeeDecisionSchema } from '../households/actions/intake';

/** A session id in a path: anything but a UUID names no session (404, like an unknown one). */
export const sessionIdParam = z.uuid();

const DAY_MS = 24 * 60 * 60 * 1000;

export const createSessionBody = z.strictObject({
  heldOn: z.iso.date({ error: 'date attendue au format AAAA-MM-JJ' })
    .refine((value) => value >= '2020-01-01', 'la date est trop ancienne')
    // Sessions are planned months ahead at most; a year typo (2062) should not slip through.
    .refine((value) => value <= new Date(Date.now() + 2 * 365 * DAY_MS).toISOString().slice(0, 10), 'la date est à plus de deux ans'),
});

/** The same decision as the household route, so both ways of deciding accept exactly the same thing. */
export const committeeDecision = committeeDecisionSchema;

export const decisionsBody = z.strictObject({
  decisions: z.array(z.strictObject({
    householdId: z.uuid({ error: 'identifiant de ménage attendu (UUID)' }),
    decision: committeeDecision,
  })).min(1, 'au moins une décision est attendue').max(100, 'au plus 100 décisions par envoi'),
}).superRefine((body, ctx) => {
  // One decision per household and session: two in one batch would be a contradiction to settle first.
  const seen = new Set<string>();
  body.decisions.forEach((item, index) => {
    if (seen.has(item.householdId)) {
      ctx.addIssue({ code: 'custom', path: ['decisions', index, 'householdId'], message: 'ce ménage figure plusieurs fois dans la liste' });
    }
    seen.add(item.householdId);
  });
});

export type DecisionsBody = z.infer<typeof decisionsBody>;
