import type { z } from '../../lib/zod-fr';
import * as messages from '../../workflows/household/messages';
import type { CommandType } from '../../domain/household/commands';
import {
  CONTACT_CHANNELS, CONTACT_OUTCOMES, MAINSTREAM_SCHEMES, OUTCOMES, PARTNER_ANSWERS, PROCEDURE_EVENT_TYPES, REJECT_REASONS,
  SUPPORT_DOMAINS, SUPPORT_STATUSES, TIME_SLOTS, TRACKS, type SupportStatus,
} from '../../domain/household/vocabulary';
import type { Permission } from '../access/permissions';
import { isAllowed } from '../access/permissions';
import type { Principal } from '../auth/principal';
import { ForbiddenError } from '../errors';
import * as schemas from '../households/command-schemas';
import type { ProcessService } from '../households/process-service';
import type { RequestContext } from '../households/service';
import { dateFromParts, frenchNumber, optional } from './forms';
import type { FieldSpec } from './forms';
import { SUPPORT_DOMAIN_LABELS } from '../../domain/labels';

type Ctx = RequestContext & { role: Principal['role'] };
type Values = Record<string, string>;

/**
 * The actions a household page offers, one per person command of the process: which policy action
 * allows it, the form's fields → the API's body (checked by the API's own zod schema), and the
 * same process-service call as the API route. The page shows an action only when the workflow
 * accepts the command at this phase AND the viewer's role may take it.
 */
export interface PageAction<S extends z.ZodType = z.ZodType> {
  command: CommandType;
  permission: Permission;
  /** Path segment: POST /menages/:id/actions/<slug>; also the view `households/actions/<slug>.njk`. */
  slug: string;
  title: string;
  /** The success notice. */
  done: string;
  schema: S;
  fields: Record<string, FieldSpec>;
  toBody(values: Values, principal: Principal): unknown;
  run(process: ProcessService, householdId: string, body: z.infer<S>, ctx: Ctx, principal: Principal): Promise<unknown>;
}

const define = <S extends z.ZodType>(action: PageAction<S>): PageAction => action as unknown as PageAction;

export const PAGE_ACTIONS: PageAction[] = [
  define({
    command: 'openPartnerCheck', permission: 'household.openPartnerCheck', slug: 'verification-partenaires',
    title: 'Ouvrir la vérification partenaires', done: 'La vérification partenaires est ouverte.',
    schema: schemas.openPartnerCheckBody, fields: {},
    toBody: () => ({}),
    run: (p, id, body, ctx) => p.execute(id, messages.openPartnerCheckUpdate, body, ctx),
  }),
  define({
    command: 'recordPartnerAnswer', permission: 'household.recordPartnerAnswer', slug: 'reponse-partenaire',
    title: 'Répondre à la vérification partenaires', done: 'La réponse du partenaire est enregistrée.',
    schema: schemas.partnerAnswerBody,
    fields: {
      partnerOrgId: { label: 'Organisation partenaire' }, answer: { label: 'Réponse' },
      referent: { label: 'Travailleur social référent', id: 'referentName' }, 'referent.name': { label: 'Nom du référent', id: 'referentName' },
      'referent.email': { label: 'E-mail du référent', id: 'referentEmail' }, 'referent.phone': { label: 'Téléphone du référent', id: 'referentPhone' },
    },
    toBody: (v, principal) => {
      const referent = optional(v.referentName) || optional(v.referentEmail) || optional(v.referentPhone)
        ? { name: v.referentName ?? '', email: optional(v.referentEmail), phone: optional(v.referentPhone) }
        : undefined;
      return {
        partnerOrgId: principal.role === 'partner_worker' ? principal.partnerOrganisationId ?? '' : v.partnerOrgId ?? '',
        answer: v.answer ?? '',
        ...(v.answer === 'followed' && referent && { referent }),
      };
    },
    run: async (p, id, { referent, ...body }, ctx, principal) => {
      if (principal.role === 'partner_worker' && body.partnerOrgId !== principal.partnerOrganisationId) {
        throw new ForbiddenError('Vous ne pouvez répondre qu\'au nom de votre propre organisation.');
      }
      const referentWorkerRef = referent ? await p.saveReferent(id, body.partnerOrgId, referent) : undefined;
      return p.execute(id, messages.recordPartnerAnswerUpdate, { ...body, referentWorkerRef }, ctx, { referentIds: [referentWorkerRef] });
    },
  }),
  define({
    command: 'recordCommitteeDecision', permission: 'household.recordCommitteeDecision', slug: 'decision-comite',
    title: 'Enregistrer la décision du comité', done: 'La décision du comité est enregistrée.',
    schema: schemas.committeeDecisionBody,
    fields: {
      sessionId: { label: 'Séance du comité' }, decision: { label: 'Décision', id: 'kind' }, 'decision.kind': { label: 'Décision', id: 'kind' },
      'decision.track': { label: 'Parcours', id: 'track' }, 'decision.educatorId': { label: 'Éducateur ou éducatrice', id: 'educatorId' },
      'decision.scheme': { label: 'Dispositif', id: 'scheme' }, 'decision.reason': { label: 'Motif', id: 'reason' },
    },
    toBody: (v) => {
      const kind = v.kind ?? '';
      const decision = kind === 'admit' ? { kind, track: v.track ?? '', educatorId: v.educatorId ?? '' }
        : kind === 'reorient' ? { kind, scheme: v.scheme ?? '' }
          : kind === 'reject' ? { kind, reason: v.reason ?? '' }
            : { kind };
      return { sessionId: v.sessionId ?? '', decision };
    },
    run: async (p, id, body, ctx) => {
      if (body.decision.kind === 'admit') await p.requireEducator(body.decision.educatorId);
      return p.execute(id, messages.recordCommitteeDecisionUpdate, body, ctx);
    },
  }),
  define({
    command: 'recordContactAttempt', permission: 'household.recordContactAttempt', slug: 'tentative-contact',
    title: 'Enregistrer une tentative de contact', done: 'La tentative de contact est enregistrée.',
    schema: schemas.contactAttemptBody,
    fields: { slot: { label: 'Moment' }, channel: { label: 'Moyen' }, outcome: { label: 'Résultat' }, note: { label: 'Note' } },
    toBody: (v) => ({ slot: v.slot ?? '', channel: v.channel ?? '', outcome: v.outcome ?? '', note: optional(v.note) }),
    run: async (p, id, { note, ...body }, ctx) => {
      const noteId = await p.writeNote(id, 'contact_attempt', note, ctx);
      return p.execute(id, messages.recordContactAttemptUpdate, body, ctx, { noteIds: [noteId] });
    },
  }),
  define({
    command: 'contactEscalationDecision', permission: 'household.contactEscalationDecision', slug: 'decision-prise-de-contact',
    title: 'Décider de la suite d’une prise de contact sans résultat', done: 'La décision sur la prise de contact est enregistrée.',
    schema: schemas.escalationDecisionBody,
    fields: {
      sessionId: { label: 'Séance du comité' }, decision: { label: 'Décision', id: 'kind' }, 'decision.kind': { label: 'Décision', id: 'kind' },
      'decision.scheme': { label: 'Dispositif', id: 'scheme' },
    },
    toBody: (v) => {
      const kind = v.kind ?? '';
      return { sessionId: optional(v.sessionId), decision: kind === 'reorient' ? { kind, scheme: v.scheme ?? '' } : { kind } };
    },
    run: (p, id, body, ctx) => p.execute(id, messages.contactEscalationDecisionUpdate, body, ctx),
  }),
  define({
    command: 'updateSupportPlan', permission: 'household.updateSupportPlan', slug: 'plan-accompagnement',
    title: 'Mettre à jour le plan d’accompagnement', done: 'Le plan d’accompagnement est mis à jour.',
    schema: schemas.supportPlanBody,
    fields: {
      changes: { label: 'Plan d’accompagnement', id: `status-${SUPPORT_DOMAINS[0]}`, message: 'changez l’état ou l’objectif d’au moins un domaine' },
      ...Object.fromEntries(SUPPORT_DOMAINS.flatMap((d) => {
        const name = SUPPORT_DOMAIN_LABELS[d] ?? d;
        const label = name.charAt(0).toUpperCase() + name.slice(1);
        return [[`changes.${d}.status`, { label: `${label} : état`, id: `status-${d}` }], [`changes.${d}.goal`, { label: `${label} : objectif`, id: `goal-${d}` }]];
      })),
    },
    // The form shows the plan as it stands (hidden `current-*` fields carry what was shown): only
    // the domains whose state or goal the person changed are sent, as the API's `changes`. A goal
    // left as it was is sent again with a changed state, since a change replaces the domain's item.
    toBody: (v) => ({
      changes: Object.fromEntries(SUPPORT_DOMAINS.flatMap((d) => {
        const status = v[`status-${d}`] ?? '';
        const goal = optional(v[`goal-${d}`]);
        const changed = status !== (v[`current-status-${d}`] ?? '') || (goal ?? '') !== (optional(v[`current-goal-${d}`]) ?? '');
        return changed ? [[d, { status, ...(goal && { goal }) }]] : [];
      })),
    }),
    run: async (p, id, { changes }, ctx) => {
      const planned: Record<string, { status: SupportStatus; goalRef?: string }> = {};
      const noteIds: (string | undefined)[] = [];
      for (const [domain, change] of Object.entries(changes)) {
        if (!change) continue;
        const goalRef = await p.writeNote(id, `support_goal:${domain}`, change.goal, ctx);
        noteIds.push(goalRef);
        planned[domain] = { status: change.status, ...(goalRef && { goalRef }) };
      }
      return p.execute(id, messages.updateSupportPlanUpdate, { changes: planned }, ctx, { noteIds });
    },
  }),
  define({
    command: 'recordReview', permission: 'household.recordReview', slug: 'bilan',
    title: 'Enregistrer un bilan', done: 'Le bilan est enregistré.',
    schema: schemas.noteOnlyBody, fields: { note: { label: 'Bilan' } },
    toBody: (v) => ({ note: optional(v.note) }),
    run: async (p, id, { note }, ctx) => {
      const noteRef = await p.writeNote(id, 'review', note, ctx);
      return p.execute(id, messages.recordReviewUpdate, { noteRef }, ctx, { noteIds: [noteRef] });
    },
  }),
  define({
    command: 'relapseDetected', permission: 'household.reportRelapse', slug: 'rechute',
    title: 'Signaler une rechute', done: 'La rechute est signalée.',
    schema: schemas.noteOnlyBody, fields: { note: { label: 'Ce qui s’est passé' } },
    toBody: (v) => ({ note: optional(v.note) }),
    run: async (p, id, { note }, ctx) => {
      const noteRef = await p.writeNote(id, 'relapse', note, ctx);
      return p.execute(id, messages.reportRelapseUpdate, { noteRef }, ctx, { noteIds: [noteRef] });
    },
  }),
  define({
    command: 'startHandoff', permission: 'household.startHandoff', slug: 'tuilage',
    title: 'Passer le relais à un dispositif de droit commun', done: 'Le tuilage a commencé : les organisations partenaires sont prévenues.',
    schema: schemas.startHandoffBody,
    fields: {
      schemes: { label: 'Dispositifs', id: `scheme-${MAINSTREAM_SCHEMES[0]}`, message: 'cochez au moins un dispositif' },
      ...Object.fromEntries(MAINSTREAM_SCHEMES.map((_, index) => [`schemes.${index}`, { label: 'Organisation partenaire', id: `scheme-${MAINSTREAM_SCHEMES[0]}` }])),
    },
    // One checkbox per scheme (`scheme-<code>`), each with its receiving organisation (`partner-<code>`).
    toBody: (v) => ({
      schemes: MAINSTREAM_SCHEMES.filter((scheme) => v[`scheme-${scheme}`] === 'oui')
        .map((scheme) => ({ scheme, ...(optional(v[`partner-${scheme}`]) && { partnerOrgId: optional(v[`partner-${scheme}`]) }) })),
    }),
    run: (p, id, body, ctx) => p.execute(id, messages.startHandoffUpdate, body, ctx),
  }),
  define({
    command: 'acknowledgeHandoff', permission: 'household.acknowledgeHandoff', slug: 'prise-en-charge',
    title: 'Confirmer la prise en charge', done: 'La prise en charge est confirmée.',
    schema: schemas.acknowledgeHandoffBody, fields: { scheme: { label: 'Dispositif' } },
    toBody: (v) => ({ scheme: v.scheme ?? '' }),
    run: async (p, id, body, ctx, principal) => {
      if (principal.role === 'partner_worker') await p.requireHandoffAddressedTo(id, body.scheme, principal.partnerOrganisationId);
      return p.execute(id, messages.acknowledgeHandoffUpdate, body, ctx);
    },
  }),
  define({
    command: 'cancelHandoff', permission: 'household.cancelHandoff', slug: 'abandon-tuilage',
    title: 'Abandonner le tuilage', done: 'Le tuilage est abandonné : l’accompagnement reprend.',
    schema: schemas.withdrawBody, fields: { reason: { label: 'Motif' } },
    toBody: (v) => ({ reason: optional(v.reason) }),
    run: async (p, id, { reason }, ctx) => {
      const reasonNoteRef = await p.writeNote(id, 'handoff_cancelled', reason, ctx);
      return p.execute(id, messages.cancelHandoffUpdate, { reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] });
    },
  }),
  define({
    command: 'recordProcedureEvent', permission: 'household.recordProcedureEvent', slug: 'etape-procedure',
    title: 'Enregistrer une étape de la procédure', done: 'L’étape de la procédure est transmise.',
    schema: schemas.procedureEventBody,
    fields: {
      type: { label: 'Étape' }, occurredOn: { label: 'Date de l’étape', id: 'occurredOn-day' },
      'details.hearingDate': { label: 'Date de l’audience', id: 'hearingDate-day' },
    },
    toBody: (v) => {
      const hearingDate = v.type === 'summons' ? dateFromParts(v, 'hearingDate') : undefined;
      return { type: v.type ?? '', occurredOn: dateFromParts(v, 'occurredOn') ?? '', ...(hearingDate && { details: { hearingDate } }) };
    },
    run: async (p, id, body, ctx) => {
      await p.signal(id, messages.recordProcedureEventSignal, { procedureType: body.type, occurredOn: `${body.occurredOn}T00:00:00.000Z`, ...(body.details && { details: body.details }) }, ctx);
    },
  }),
  define({
    command: 'recordPayment', permission: 'household.recordPayment', slug: 'paiement',
    title: 'Enregistrer un paiement', done: 'Le paiement est transmis.',
    schema: schemas.paymentBody, fields: { amount: { label: 'Montant' } },
    toBody: (v) => ({ amount: frenchNumber(v.amount) ?? '' }),
    run: (p, id, body, ctx) => p.signal(id, messages.recordPaymentSignal, { amountCents: Math.round(body.amount * 100) }, ctx),
  }),
  define({
    command: 'updateArrears', permission: 'household.updateArrears', slug: 'dette',
    title: 'Mettre à jour la dette locative', done: 'La dette locative est transmise.',
    schema: schemas.arrearsBody, fields: { arrears: { label: 'Dette locative' } },
    toBody: (v) => ({ arrears: frenchNumber(v.arrears) ?? '' }),
    run: (p, id, body, ctx) => p.signal(id, messages.updateArrearsSignal, { arrearsCents: Math.round(body.arrears * 100) }, ctx),
  }),
  define({
    command: 'close', permission: 'household.close', slug: 'cloture',
    title: 'Clôturer le dossier', done: 'Le dossier est clôturé.',
    schema: schemas.closeBody, fields: { outcome: { label: 'Issue' }, reason: { label: 'Motif' } },
    toBody: (v) => ({ outcome: v.outcome ?? '', reason: v.reason ?? '' }),
    run: async (p, id, { reason, ...body }, ctx) => {
      const reasonNoteRef = (await p.writeNote(id, 'closure', reason, ctx))!;
      return p.execute(id, messages.closeHouseholdUpdate, { ...body, reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] });
    },
  }),
  define({
    command: 'withdraw', permission: 'household.withdraw', slug: 'retrait',
    title: 'Retirer l’orientation', done: 'L’orientation est retirée.',
    schema: schemas.withdrawBody, fields: { reason: { label: 'Motif' } },
    toBody: (v) => ({ reason: optional(v.reason) }),
    run: async (p, id, { reason }, ctx) => {
      const reasonNoteRef = await p.writeNote(id, 'withdrawal', reason, ctx);
      return p.execute(id, messages.withdrawHouseholdUpdate, { reasonNoteRef }, ctx, { noteIds: [reasonNoteRef] });
    },
  }),
];

/** The choices of the forms' radios and selects. */
export const CHOICES = {
  partnerAnswers: PARTNER_ANSWERS, tracks: TRACKS, schemes: MAINSTREAM_SCHEMES, rejectReasons: REJECT_REASONS,
  slots: TIME_SLOTS, channels: CONTACT_CHANNELS, contactOutcomes: CONTACT_OUTCOMES, procedureTypes: PROCEDURE_EVENT_TYPES,
  outcomes: OUTCOMES, domains: SUPPORT_DOMAINS, supportStatuses: SUPPORT_STATUSES,
};

/** What the viewer may do now: the workflow accepts the command at this phase ∩ the role may take it. */
export function availableActions(accepted: readonly string[], principal: Principal): PageAction[] {
  return PAGE_ACTIONS.filter((a) => accepted.includes(a.command) && isAllowed(principal.role, a.permission));
}
