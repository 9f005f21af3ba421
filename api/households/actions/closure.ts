import { MAINSTREAM_SCHEMES, OUTCOMES } from '../../../domain/household';
import { OUTCOME_LABELS, SCHEME_LABELS } from '../../../domain/labels';
import { requiredText, z } from '../../../lib/zod-fr';
import * as messages from '../../../workflows/household/messages';
import { defineAction } from './action';
import { choices, reason } from './values';

/** The end of the path: a closure with its outcome, or the referral withdrawn before admission. */

export const closeHousehold = defineAction({
  command: 'close', permission: 'household.close', route: 'close', slug: 'cloture',
  title: 'Clôturer le dossier', done: 'Le dossier est clôturé.', submit: 'Clôturer le dossier', warning: true,
  intro: 'Une fois clôturé, le dossier n’accepte plus aucune action.',
  shape: { outcome: z.enum(OUTCOMES), reason: reason(), scheme: z.enum(MAINSTREAM_SCHEMES).optional() },
  message: { kind: 'update', definition: messages.closeHouseholdUpdate },
  async toCommand({ reason: text, ...body }, write) {
    return { ...body, reasonNoteRef: (await write.note('closure', text))! };
  },
  form: [
    { kind: 'select', name: 'outcome', label: 'Issue', choices: choices(OUTCOMES, OUTCOME_LABELS), placeholder: 'Choisissez une issue' },
    { kind: 'select', name: 'scheme', label: 'En cas de réorientation : dispositif', choices: choices(MAINSTREAM_SCHEMES, SCHEME_LABELS), placeholder: 'Choisir un dispositif', when: { name: 'outcome', is: 'reoriented' } },
    { kind: 'textarea', name: 'reason', label: 'Motif', maxLength: 2000 },
  ],
});

export const withdrawHousehold = defineAction({
  command: 'withdraw', permission: 'household.withdraw', route: 'withdraw', slug: 'retrait',
  title: 'Retirer l’orientation', done: 'L’orientation est retirée.', submit: 'Retirer l’orientation', warning: true,
  shape: { reason: requiredText(2000).optional() },
  message: { kind: 'update', definition: messages.withdrawHouseholdUpdate },
  toCommand: async ({ reason: text }, write) => ({ reasonNoteRef: await write.note('withdrawal', text) }),
  form: [{ kind: 'textarea', name: 'reason', label: 'Motif', optional: true, maxLength: 2000 }],
});
