import { z } from '../../lib/zod-fr';
import { partnerAnswerBody } from '../households/command-schemas';

export const taskIdParam = z.uuid();

/**
 * A partner's answer to a check: the household route's answer and referent, without the
 * organisation (it comes from the task, never from the body).
 */
export const checkAnswerBody = z.strictObject({
  answer: partnerAnswerBody.shape.answer,
  referent: partnerAnswerBody.shape.referent,
})
  .refine((b) => b.answer !== 'followed' || b.referent, { message: 'le travailleur social référent est obligatoire quand le ménage est déjà suivi', path: ['referent'] })
  // A referent for a household the partner does not know would be alerted about a stranger.
  .refine((b) => b.answer !== 'not_known' || !b.referent, { message: 'pas de référent pour un ménage non connu', path: ['referent'] });

export type CheckAnswerBody = z.infer<typeof checkAnswerBody>;
