import type { Prisma } from '../../generated/prisma/client';
import type { z } from '../../lib/zod-fr';
import type { Permission } from '../access/permissions';
import { completionFor } from '../tasks/completions';
import * as forms from '../tasks/schemas';
import { optional, type FieldSpec } from './forms';

type Values = Record<string, string>;

/**
 * The completion form of each task type, as a page: which view draws it, the fields' names for
 * the error summary, and the form's fields → the body the task service checks with the inbox's own
 * zod schema (api/tasks/schemas.ts). Which schema a task takes is decided by the task service's
 * `completionFor` (a committee review answers a relapse or an escalation): the page looks up the
 * form by that schema, so the rule lives in one place.
 */
export interface TaskPageForm {
  /** views/tasks/forms/<view>.njk */
  view: string;
  submit: string;
  fields: Record<string, FieldSpec>;
  toBody(values: Values): unknown;
}

const kind = (v: Values) => optional(v.kind);

const contactAttempt: TaskPageForm = {
  view: 'contact-attempt',
  submit: 'Enregistrer la tentative',
  fields: {
    slot: { label: 'Moment de la tentative', message: 'choisissez le moment de la tentative' },
    channel: { label: 'Moyen', message: 'choisissez le moyen utilisé' },
    outcome: { label: 'Résultat', message: 'choisissez le résultat de la tentative' },
    note: { label: 'Note' },
  },
  toBody: (v) => ({ slot: optional(v.slot), channel: optional(v.channel), outcome: optional(v.outcome), note: optional(v.note) }),
};

const partnerCheck: TaskPageForm = {
  view: 'partner-check',
  submit: 'Envoyer la réponse',
  fields: {
    answer: { label: 'Réponse', message: 'dites si votre organisation suit déjà ce ménage' },
    referent: { label: 'Travailleur social référent', id: 'referentName' },
    'referent.name': { label: 'Nom du référent', id: 'referentName' },
    'referent.email': { label: 'E-mail du référent', id: 'referentEmail' },
    'referent.phone': { label: 'Téléphone du référent', id: 'referentPhone' },
  },
  toBody: (v) => {
    const named = optional(v.referentName) || optional(v.referentEmail) || optional(v.referentPhone);
    return {
      answer: optional(v.answer),
      ...(v.answer === 'followed' && named && { referent: { name: v.referentName ?? '', email: optional(v.referentEmail), phone: optional(v.referentPhone) } }),
    };
  },
};

const committeeDecision: TaskPageForm = {
  view: 'committee-decision',
  submit: 'Enregistrer la décision',
  fields: {
    sessionId: { label: 'Séance du comité' },
    decision: { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' },
    'decision.kind': { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' },
    'decision.track': { label: 'Parcours', id: 'track', message: 'choisissez le parcours' },
    'decision.educatorId': { label: 'Éducateur ou éducatrice', id: 'educatorId', message: 'choisissez l’éducateur ou l’éducatrice' },
    'decision.scheme': { label: 'Dispositif', id: 'scheme', message: 'choisissez le dispositif' },
    'decision.reason': { label: 'Motif', id: 'reason', message: 'choisissez le motif' },
    'decision.untilSessionId': { label: 'Séance de report', id: 'untilSessionId' },
  },
  toBody: (v) => {
    const k = kind(v);
    const decision = k === 'admit' ? { kind: k, track: optional(v.track), educatorId: optional(v.educatorId) }
      : k === 'reorient' ? { kind: k, scheme: optional(v.scheme) }
        : k === 'reject' ? { kind: k, reason: optional(v.reason) }
          : k === 'defer' ? { kind: k, untilSessionId: optional(v.untilSessionId) }
            : { kind: k };
    return { sessionId: v.sessionId ?? '', decision };
  },
};

const escalation: TaskPageForm = {
  view: 'escalation',
  submit: 'Enregistrer la décision',
  fields: {
    sessionId: { label: 'Séance du comité' },
    decision: { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' },
    'decision.kind': { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' },
    'decision.scheme': { label: 'Dispositif', id: 'scheme', message: 'choisissez le dispositif' },
  },
  toBody: (v) => {
    const k = kind(v);
    return { sessionId: optional(v.sessionId), decision: k === 'reorient' ? { kind: k, scheme: optional(v.scheme) } : { kind: k } };
  },
};

const note: TaskPageForm = {
  view: 'note',
  submit: 'Enregistrer',
  fields: { note: { label: 'Note' } },
  toBody: (v) => ({ note: optional(v.note) }),
};

const handoffAcknowledgement: TaskPageForm = {
  view: 'handoff-acknowledgement',
  submit: 'Confirmer la prise de relais',
  fields: {},
  toBody: () => ({}),
};

const watchCheck: TaskPageForm = {
  view: 'watch-check',
  submit: 'Enregistrer le point de veille',
  fields: { relapse: { label: 'Rechute', message: 'dites si la situation rechute' }, note: { label: 'Note' } },
  toBody: (v) => ({ relapse: v.relapse === 'oui' ? true : v.relapse === 'non' ? false : optional(v.relapse), note: optional(v.note) }),
};

// Keyed by the schema object the task service validates with (supportReviewForm and
// legalWarningForm are the same note-only schema, hence one page form).
const BY_SCHEMA = new Map<z.ZodType, TaskPageForm>([
  [forms.contactAttemptForm, contactAttempt],
  [forms.partnerCheckForm, partnerCheck],
  [forms.committeeDecisionForm, committeeDecision],
  [forms.escalationForm, escalation],
  [forms.supportReviewForm, note],
  [forms.legalWarningForm, note],
  [forms.handoffAcknowledgementForm, handoffAcknowledgement],
  [forms.watchCheckForm, watchCheck],
]);

/** What one says after completing a task of this type. */
export const DONE_NOTICE: Record<string, string> = {
  contact_attempt: 'La tentative de contact est enregistrée.',
  partner_check: 'La réponse de votre organisation est enregistrée.',
  committee_decision: 'La décision du comité est enregistrée.',
  committee_review: 'La décision du comité est enregistrée.',
  support_review: 'Le bilan est enregistré.',
  handoff_acknowledgement: 'La prise de relais est confirmée.',
  watch_check: 'Le point de veille est enregistré.',
  legal_deadline_warning: 'L’alerte d’échéance est prise en compte.',
};

/** The page form of a task and the access action its completion stands for; undefined if none. */
export function taskPageForm(task: { type: string; form: Prisma.JsonValue }): { form: TaskPageForm; action: Permission | null } | undefined {
  let completion: ReturnType<typeof completionFor>;
  try {
    completion = completionFor(task);
  } catch {
    return undefined;
  }
  const form = BY_SCHEMA.get(completion.form);
  return form && { form, action: completion.action };
}
