import { CONTACT_CHANNELS, CONTACT_OUTCOMES, MAINSTREAM_SCHEMES, TIME_SLOTS } from '../../../domain/household';
import { CONTACT_CHANNEL_LABELS, CONTACT_OUTCOME_LABELS, ESCALATION_DECISION_LABELS, SCHEME_LABELS, TIME_SLOT_LABELS } from '../../../domain/labels';
import { z } from '../../../lib/zod-fr';
import * as messages from '../../../workflows/household/messages';
import { defineAction } from './action';
import { choices, note, noteField, sessionRef } from './values';

/** Going to the household: the attempts, and what the committee decides when none succeeds. */

export const recordContactAttempt = defineAction({
  command: 'recordContactAttempt', permission: 'household.recordContactAttempt', route: 'contact-attempts', slug: 'tentative-contact',
  title: 'Enregistrer une tentative de contact', done: 'La tentative de contact est enregistrée.', submit: 'Enregistrer la tentative',
  shape: { slot: z.enum(TIME_SLOTS), channel: z.enum(CONTACT_CHANNELS), outcome: z.enum(CONTACT_OUTCOMES), note: note() },
  message: { kind: 'update', definition: messages.recordContactAttemptUpdate },
  // The note goes to the case file first; the workflow records the attempt (which names no text).
  async toCommand({ note: text, ...attempt }, write) {
    await write.note('contact_attempt', text);
    return attempt;
  },
  form: [
    { kind: 'radios', name: 'slot', label: 'Moment de la tentative', choices: choices(TIME_SLOTS, TIME_SLOT_LABELS), message: 'choisissez le moment de la tentative' },
    { kind: 'radios', name: 'channel', label: 'Moyen', choices: choices(CONTACT_CHANNELS, CONTACT_CHANNEL_LABELS), message: 'choisissez le moyen utilisé' },
    {
      kind: 'radios', name: 'outcome', label: 'Résultat', choices: choices(CONTACT_OUTCOMES, CONTACT_OUTCOME_LABELS), message: 'choisissez le résultat de la tentative',
      hint: '« Contact établi » ou « rendez-vous pris » ouvre l’accompagnement.',
    },
    noteField('Note'),
  ],
});

export const contactEscalationDecision = defineAction({
  command: 'contactEscalationDecision', permission: 'household.contactEscalationDecision', route: 'contact-escalation', slug: 'decision-prise-de-contact',
  title: 'Décider de la suite d’une prise de contact sans résultat', done: 'La décision sur la prise de contact est enregistrée.', submit: 'Enregistrer la décision',
  shape: {
    sessionId: sessionRef().optional(),
    decision: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('continue') }),
      z.strictObject({ kind: z.literal('close_unreachable') }),
      z.strictObject({ kind: z.literal('reorient'), scheme: z.enum(MAINSTREAM_SCHEMES) }),
    ]),
  },
  message: { kind: 'update', definition: messages.contactEscalationDecisionUpdate },
  toCommand: (body) => body,
  form: [
    { kind: 'text', name: 'sessionId', label: 'Séance du comité', hint: 'Par exemple 2026-12.', optional: true, width: 10 },
    { kind: 'alias', path: 'decision', spec: { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' } },
    { kind: 'radios', name: 'kind', path: 'decision.kind', label: 'Décision du comité', choices: choices(['continue', 'close_unreachable', 'reorient'], ESCALATION_DECISION_LABELS), message: 'choisissez la décision du comité' },
    {
      kind: 'group', legend: 'En cas de réorientation', fields: [
        { kind: 'select', name: 'scheme', path: 'decision.scheme', label: 'Dispositif', choices: choices(MAINSTREAM_SCHEMES, SCHEME_LABELS), placeholder: 'Choisir un dispositif', message: 'choisissez le dispositif', when: { name: 'kind', is: 'reorient' } },
      ],
    },
  ],
});
