import { z } from '../../lib/zod-fr';
import { ACTIONS } from '../households/actions';

export const taskIdParam = z.uuid();

/**
 * A partner's answer to a check: the household action's body without the organisation (it comes
 * from the task, never from the body).
 */
export type CheckAnswerBody = { answer: 'not_known' | 'followed'; referent?: { name: string; email?: string; phone?: string } };

export const checkAnswerBody = ACTIONS.recordPartnerAnswer.bodyWithout(['partnerOrgId']) as z.ZodType<CheckAnswerBody>;
