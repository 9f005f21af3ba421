import { MAINSTREAM_SCHEMES, PARTNER_ANSWERS, REJECT_REASONS, TRACKS } from '../../../domain/household';
import { COMMITTEE_DECISION_LABELS, REJECT_REASON_LABELS, SCHEME_LABELS, TRACK_LABELS } from '../../../domain/labels';
import { requiredText, z } from '../../../lib/zod-fr';
import * as messages from '../../../workflows/household/messages';
import { ForbiddenError } from '../../errors';
import { defineAction } from './action';
import { choices, email, id, phone, sessionRef } from './values';

/** Referral to admission: the partners' check and the committee's decision. */

export const openPartnerCheck = defineAction({
  command: 'openPartnerCheck', permission: 'household.openPartnerCheck', route: 'partner-check', slug: 'verification-partenaires',
  title: 'Ouvrir la vérification partenaires', done: 'La vérification partenaires est ouverte.', submit: 'Ouvrir la vérification',
  intro: 'Les organisations partenaires reçoivent une demande : suivent-elles déjà ce ménage ?',
  shape: { partnerOrgIds: z.array(id).min(1).optional() },
  message: { kind: 'update', definition: messages.openPartnerCheckUpdate },
  toCommand: (body) => body,
  form: [],
});

const PARTNER_ANSWER_CHOICES = {
  not_known: 'Non, le ménage n’est pas connu de l’organisation',
  followed: 'Oui, l’organisation le suit déjà',
};

export const recordPartnerAnswer = defineAction({
  command: 'recordPartnerAnswer', permission: 'household.recordPartnerAnswer', route: 'partner-answers', slug: 'reponse-partenaire',
  title: 'Répondre à la vérification partenaires', done: 'La réponse du partenaire est enregistrée.', submit: 'Envoyer la réponse',
  description: 'Quand le ménage est déjà suivi, le travailleur social référent est obligatoire ; il reçoit un mail d\'alerte.',
  shape: {
    partnerOrgId: id,
    answer: z.enum(PARTNER_ANSWERS),
    referent: z.strictObject({ name: requiredText(200), email: email.optional(), phone: phone.optional() }).optional(),
  },
  rules: [
    { check: (b) => b.answer !== 'followed' || !!b.referent, message: 'le travailleur social référent est obligatoire quand le ménage est déjà suivi', path: ['referent'] },
    // A referent for a household the partner does not know would be alerted about a stranger.
    { check: (b) => b.answer !== 'not_known' || !b.referent, message: 'pas de référent pour un ménage non connu', path: ['referent'] },
  ],
  // A partner worker speaks for its own organisation only.
  fixedFor: (principal) => (principal.role === 'partner_worker' ? { partnerOrgId: principal.partnerOrganisationId ?? '' } : undefined),
  async check(body, env) {
    if (env.principal.role === 'partner_worker' && body.partnerOrgId !== env.principal.partnerOrganisationId) {
      throw new ForbiddenError('Vous ne pouvez répondre qu\'au nom de votre propre organisation.');
    }
  },
  message: { kind: 'update', definition: messages.recordPartnerAnswerUpdate },
  async toCommand({ referent, ...body }, write) {
    const referentWorkerRef = referent ? await write.referent(body.partnerOrgId, referent) : undefined;
    return { ...body, ...(referentWorkerRef && { referentWorkerRef }) };
  },
  form: [
    { kind: 'select', name: 'partnerOrgId', label: 'Organisation partenaire qui répond', choices: 'partnerOrganisations', placeholder: 'Choisissez une organisation' },
    { kind: 'radios', name: 'answer', label: 'L’organisation suit-elle déjà ce ménage ?', choices: choices(PARTNER_ANSWERS, PARTNER_ANSWER_CHOICES), message: 'dites si votre organisation suit déjà ce ménage' },
    { kind: 'alias', path: 'referent', spec: { label: 'Travailleur social référent', id: 'referentName' } },
    {
      kind: 'group', legend: 'Si oui : le travailleur social référent', fields: [
        { kind: 'text', name: 'referentName', path: 'referent.name', label: 'Nom du référent', when: { name: 'answer', is: 'followed' } },
        { kind: 'text', name: 'referentEmail', path: 'referent.email', label: 'E-mail du référent', type: 'email', optional: true, when: { name: 'answer', is: 'followed' } },
        { kind: 'text', name: 'referentPhone', path: 'referent.phone', label: 'Téléphone du référent', type: 'tel', width: 20, optional: true, when: { name: 'answer', is: 'followed' } },
      ],
    },
  ],
});

/** Exported for the committee's batch page, which decides several households with the same words. */
export const committeeDecisionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('admit'), track: z.enum(TRACKS), educatorId: id }),
  z.strictObject({ kind: z.literal('reorient'), scheme: z.enum(MAINSTREAM_SCHEMES) }),
  z.strictObject({ kind: z.literal('reject'), reason: z.enum(REJECT_REASONS) }),
  z.strictObject({ kind: z.literal('defer'), untilSessionId: sessionRef().optional() }),
]);

const when = (kind: string) => ({ name: 'kind', is: kind });

export const recordCommitteeDecision = defineAction({
  command: 'recordCommitteeDecision', permission: 'household.recordCommitteeDecision', route: 'committee-decisions', slug: 'decision-comite',
  title: 'Enregistrer la décision du comité', done: 'La décision du comité est enregistrée.', submit: 'Enregistrer la décision',
  shape: { sessionId: sessionRef(), decision: committeeDecisionSchema },
  // An admitted household is followed by a real, active educator.
  async check(body, env) {
    if (body.decision.kind === 'admit') await env.process.requireEducator(body.decision.educatorId);
  },
  message: { kind: 'update', definition: messages.recordCommitteeDecisionUpdate },
  toCommand: (body) => body,
  form: [
    { kind: 'text', name: 'sessionId', label: 'Séance du comité', hint: 'Par exemple 2026-12.', width: 10 },
    { kind: 'alias', path: 'decision', spec: { label: 'Décision', id: 'kind', message: 'choisissez la décision du comité' } },
    { kind: 'radios', name: 'kind', path: 'decision.kind', label: 'Décision', choices: choices(['admit', 'reorient', 'reject', 'defer'], COMMITTEE_DECISION_LABELS), message: 'choisissez la décision du comité' },
    {
      kind: 'group', legend: 'En cas d’admission', fields: [
        { kind: 'select', name: 'track', path: 'decision.track', label: 'Parcours', choices: choices(TRACKS, TRACK_LABELS), placeholder: 'Choisir un parcours', message: 'choisissez le parcours', when: when('admit') },
        { kind: 'select', name: 'educatorId', path: 'decision.educatorId', label: 'Éducateur ou éducatrice', choices: 'educators', placeholder: 'Choisir une personne', message: 'choisissez l’éducateur ou l’éducatrice', when: when('admit') },
      ],
    },
    { kind: 'group', legend: 'En cas de réorientation', fields: [{ kind: 'select', name: 'scheme', path: 'decision.scheme', label: 'Dispositif', choices: choices(MAINSTREAM_SCHEMES, SCHEME_LABELS), placeholder: 'Choisir un dispositif', message: 'choisissez le dispositif', when: when('reorient') }] },
    { kind: 'group', legend: 'En cas de refus', fields: [{ kind: 'select', name: 'reason', path: 'decision.reason', label: 'Motif', choices: choices(REJECT_REASONS, REJECT_REASON_LABELS), placeholder: 'Choisir un motif', message: 'choisissez le motif', when: when('reject') }] },
    { kind: 'group', legend: 'En cas de report', fields: [{ kind: 'text', name: 'untilSessionId', path: 'decision.untilSessionId', label: 'Séance visée', optional: true, width: 10, when: when('defer') }] },
  ],
});
