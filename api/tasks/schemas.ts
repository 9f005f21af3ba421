import { z } from '../../lib/zod-fr';
import { PHASES, TASK_TYPES } from '../../domain/household';
import {
  committeeDecisionBody, contactAttemptBody, escalationDecisionBody, noteOnlyBody, partnerAnswerBody,
} from '../households/command-schemas';

export { TASK_TYPES };

export const TASK_STATUSES = ['open', 'claimed', 'completed', 'cancelled'] as const;

export const taskIdParam = z.uuid();

/**
 * GET /api/tasks. Views: `mine` (assigned to me), `team` (open, not assigned to someone else),
 * `overdue` (due date passed, not done), `all` (everything in my scope, the default). Without
 * `status`, only the work still to do (open or claimed) is listed.
 */
export const listTasksQuery = z.strictObject({
  view: z.enum(['mine', 'team', 'overdue', 'all']).default('all'),
  type: z.enum(TASK_TYPES).optional(),
  phase: z.enum(PHASES).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  householdId: z.uuid({ error: 'identifiant de ménage attendu (UUID)' }).optional(),
  limit: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(1, 'au moins 1').max(200, 'au plus 200').default(50),
  offset: z.coerce.number({ error: 'nombre attendu' }).int('nombre entier attendu').min(0, 'positif ou nul').max(100_000, 'au plus 100 000').default(0),
});
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

// Completion forms, one per task type. Where a household action exists, its body is reused so that
// the inbox and the process routes accept exactly the same input; what the task already knows
// (the partner organisation, the handoff scheme) is taken from the task, never from the form.

export const contactAttemptForm = contactAttemptBody;

export const partnerCheckForm = z.strictObject({
  answer: partnerAnswerBody.shape.answer,
  referent: partnerAnswerBody.shape.referent,
}).refine((b) => b.answer !== 'followed' || b.referent, { message: 'le travailleur social référent est obligatoire quand le ménage est déjà suivi', path: ['referent'] });

export const committeeDecisionForm = committeeDecisionBody;

/** A contact escalation is decided as such; a relapse sent to the committee asks for a new committee decision. */
export const escalationForm = escalationDecisionBody;

export const supportReviewForm = noteOnlyBody;

/** The scheme comes from the task: the partner only confirms it took over. */
export const handoffAcknowledgementForm = z.strictObject({});

export const watchCheckForm = z.strictObject({
  relapse: z.boolean({ error: 'vrai ou faux attendu' }),
  note: noteOnlyBody.shape.note,
});

/** A legal deadline warning is read and acknowledged; the note says what was done about it. */
export const legalWarningForm = noteOnlyBody;
