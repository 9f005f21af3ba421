import { MAINSTREAM_SCHEMES, SUPPORT_DOMAINS, SUPPORT_STATUSES, type SupportStatus } from '../../../domain/household';
import { SCHEME_LABELS, SUPPORT_DOMAIN_LABELS } from '../../../domain/labels';
import { requiredText, z } from '../../../lib/zod-fr';
import * as messages from '../../../workflows/household/messages';
import { optional } from '../../pages/forms';
import { defineAction } from './action';
import { choices, id, note, noteField } from './values';

/** The support itself: the plan, its reviews, the handoff to mainstream services, a relapse. */

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const updateSupportPlan = defineAction({
  command: 'updateSupportPlan', permission: 'household.updateSupportPlan', route: 'support-plan', slug: 'plan-accompagnement',
  title: 'Mettre à jour le plan d’accompagnement', done: 'Le plan d’accompagnement est mis à jour.', submit: 'Enregistrer le plan',
  intro: 'Changez l’état ou l’objectif des domaines travaillés avec le ménage ; les autres restent tels quels.',
  shape: {
    changes: z.partialRecord(z.enum(SUPPORT_DOMAINS), z.strictObject({ status: z.enum(SUPPORT_STATUSES), goal: requiredText(500).optional() }))
      .refine((c) => Object.keys(c).length > 0, 'au moins un domaine est attendu'),
  },
  message: { kind: 'update', definition: messages.updateSupportPlanUpdate },
  // Each goal is free text: written to the case file, the plan keeps its id.
  async toCommand({ changes }, write) {
    const planned: Partial<Record<(typeof SUPPORT_DOMAINS)[number], { status: SupportStatus; goalRef?: string }>> = {};
    for (const domain of SUPPORT_DOMAINS) {
      const change = changes[domain];
      if (!change) continue;
      const goalRef = await write.note(`support_goal:${domain}`, change.goal);
      planned[domain] = { status: change.status, ...(goalRef && { goalRef }) };
    }
    return { changes: planned };
  },
  form: [{
    kind: 'custom', view: 'support-plan', needs: ['supportPlan'],
    specs: {
      changes: { label: 'Plan d’accompagnement', id: `status-${SUPPORT_DOMAINS[0]}`, message: 'changez l’état ou l’objectif d’au moins un domaine' },
      ...Object.fromEntries(SUPPORT_DOMAINS.flatMap((d) => [
        [`changes.${d}.status`, { label: `${capitalised(SUPPORT_DOMAIN_LABELS[d])} : état`, id: `status-${d}` }],
        [`changes.${d}.goal`, { label: `${capitalised(SUPPORT_DOMAIN_LABELS[d])} : objectif`, id: `goal-${d}` }],
      ])),
    },
    // The form shows the plan as it stands (hidden `current-*` fields carry what was shown): only the
    // domains whose state or goal changed are sent. A goal left as it was is sent again with a changed
    // state, since a change replaces the domain's item.
    toBody: (v) => ({
      changes: Object.fromEntries(SUPPORT_DOMAINS.flatMap((d) => {
        const status = v[`status-${d}`] ?? '';
        const goal = optional(v[`goal-${d}`]);
        const changed = status !== (v[`current-status-${d}`] ?? '') || (goal ?? '') !== (optional(v[`current-goal-${d}`]) ?? '');
        return changed ? [[d, { status, ...(goal && { goal }) }]] : [];
      })),
    }),
  }],
});

export const recordReview = defineAction({
  command: 'recordReview', permission: 'household.recordReview', route: 'reviews', slug: 'bilan',
  title: 'Enregistrer un bilan', done: 'Le bilan est enregistré.', submit: 'Enregistrer le bilan',
  shape: { note: note() },
  message: { kind: 'update', definition: messages.recordReviewUpdate },
  toCommand: async ({ note: text }, write) => ({ noteRef: await write.note('review', text) }),
  form: [noteField('Bilan')],
});

export const startHandoff = defineAction({
  command: 'startHandoff', permission: 'household.startHandoff', route: 'handoff', slug: 'tuilage',
  title: 'Passer le relais à un dispositif de droit commun', done: 'Le tuilage a commencé : les organisations partenaires sont prévenues.', submit: 'Commencer le tuilage',
  intro: 'L’organisation désignée pour chaque dispositif est prévenue et confirme la prise en charge.',
  shape: {
    schemes: z.array(z.strictObject({
      scheme: z.enum(MAINSTREAM_SCHEMES), partnerOrgId: id.optional(),
      // Told to the receiving organisation with the handoff, and nothing else of the case file.
      shared: requiredText(2000).optional(),
    })).min(1, 'au moins un dispositif est attendu'),
  },
  message: { kind: 'update', definition: messages.startHandoffUpdate },
  async toCommand({ schemes }, write) {
    const written = [];
    for (const { shared, ...scheme } of schemes) {
      const sharedNoteRef = await write.note(`handoff_shared:${scheme.scheme}`, shared);
      written.push({ ...scheme, ...(sharedNoteRef && { sharedNoteRef }) });
    }
    return { schemes: written };
  },
  form: [{
    kind: 'custom', view: 'handoff-schemes', needs: ['partnerOrganisations'],
    specs: {
      schemes: { label: 'Dispositifs', id: `scheme-${MAINSTREAM_SCHEMES[0]}`, message: 'cochez au moins un dispositif' },
      ...Object.fromEntries(MAINSTREAM_SCHEMES.map((scheme, index) => [`schemes.${index}`, { label: 'Organisation partenaire', id: `partner-${scheme}` }])),
      ...Object.fromEntries(MAINSTREAM_SCHEMES.map((scheme, index) => [`schemes.${index}.shared`, { label: 'Ce que le ménage accepte de partager', id: `shared-${scheme}` }])),
    },
    // One checkbox per scheme (`scheme-<code>`), each with its receiving organisation (`partner-<code>`).
    toBody: (v) => ({
      schemes: MAINSTREAM_SCHEMES.filter((scheme) => v[`scheme-${scheme}`] === 'oui')
        .map((scheme) => ({
          scheme,
          ...(optional(v[`partner-${scheme}`]) && { partnerOrgId: optional(v[`partner-${scheme}`]) }),
          ...(optional(v[`shared-${scheme}`]) && { shared: optional(v[`shared-${scheme}`]) }),
        })),
    }),
  }],
});

export const acknowledgeHandoff = defineAction({
  command: 'acknowledgeHandoff', permission: 'household.acknowledgeHandoff', route: 'handoff/acknowledgements', slug: 'prise-en-charge',
  title: 'Confirmer la prise en charge', done: 'La prise en charge est confirmée.', submit: 'Confirmer la prise en charge',
  shape: { scheme: z.enum(MAINSTREAM_SCHEMES) },
  // A partner acknowledges only a handoff addressed to its organisation.
  async check(body, env) {
    if (env.principal.role === 'partner_worker') await env.process.requireHandoffAddressedTo(env.householdId, body.scheme, env.principal.partnerOrganisationId);
  },
  message: { kind: 'update', definition: messages.acknowledgeHandoffUpdate },
  toCommand: (body) => body,
  form: [{ kind: 'radios', name: 'scheme', label: 'Dispositif', choices: choices(MAINSTREAM_SCHEMES, SCHEME_LABELS), message: 'choisissez le dispositif' }],
});

export const cancelHandoff = defineAction({
  command: 'cancelHandoff', permission: 'household.cancelHandoff', route: 'handoff/cancel', slug: 'abandon-tuilage',
  title: 'Abandonner le tuilage', done: 'Le tuilage est abandonné : l’accompagnement reprend.', submit: 'Abandonner le tuilage',
  shape: { reason: requiredText(2000).optional() },
  message: { kind: 'update', definition: messages.cancelHandoffUpdate },
  toCommand: async ({ reason }, write) => ({ reasonNoteRef: await write.note('handoff_cancelled', reason) }),
  form: [{ kind: 'textarea', name: 'reason', label: 'Motif', optional: true, maxLength: 2000 }],
});

export const reportRelapse = defineAction({
  command: 'relapseDetected', permission: 'household.reportRelapse', route: 'relapse', slug: 'rechute',
  title: 'Signaler une rechute', done: 'La rechute est signalée.', submit: 'Signaler la rechute',
  intro: 'Le comité décide ensuite s’il réadmet le ménage.',
  shape: { note: note() },
  message: { kind: 'update', definition: messages.reportRelapseUpdate },
  toCommand: async ({ note: text }, write) => ({ noteRef: await write.note('relapse', text) }),
  form: [noteField('Ce qui s’est passé')],
});
