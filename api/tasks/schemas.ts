import { z } from '../../lib/zod-fr';
import { PHASES, TASK_TYPES } from '../../domain/household';

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
