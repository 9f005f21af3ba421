import type { Prisma } from '../../generated/prisma/client';
import { MAINSTREAM_SCHEMES, type MainstreamScheme } from '../../domain/household';
import { z } from '../../lib/zod-fr';
import type { Permission } from '../access/permissions';
import { ConflictError } from '../errors';
import { ACTIONS, runAction, type ActionEnv, type HouseholdAction } from '../households/actions';
import { note as noteBody, noteField } from '../households/actions/values';
import type { ProcessService } from '../households/process-service';
import { fieldSpecs, withoutPaths, type FormField } from '../pages/form-fields';
import type { FieldSpec } from '../pages/forms';

/**
 * How a task of each type is completed, built from the household action table: the action the
 * task stands for, minus what the task already knows (the partner organisation, the handoff's
 * scheme: taken from the task, never from the form). Two tasks are their own record (a watch check
 * without relapse, a legal warning read): they write a note and no Update.
 */
export interface CompletedTask {
  id: string;
  householdId: string;
  type: string;
  partnerOrganisationId: string | null;
  form: Prisma.JsonValue;
}

export interface CompletionEnv extends Omit<ActionEnv, 'householdId'> {
  task: CompletedTask;
}

export interface CompletionOutcome {
  /** Stored on the task: figures and codes, and the ids of any free text (kept in notes). */
  result: Prisma.InputJsonObject;
  /** The household's new state when an Update was sent. */
  workflow?: Awaited<ReturnType<ProcessService['execute']>>;
  /** False when the household still waits for this very work (a deferred committee decision). */
  done: boolean;
}

export interface Completion {
  /** The permission the Update stands for (the role must hold it, as on the household route); null: none. */
  permission: Permission | null;
  /** The form's body schema, and its fields (the inbox page draws them). */
  form: z.ZodType;
  fields: FormField[];
  specs: Record<string, FieldSpec>;
  submit: string;
  /** French: what one reads after completing it. */
  done: string;
  /** Checks that change nothing (a named educator exists), before the task is claimed. */
  check?(body: Record<string, unknown>, env: CompletionEnv): Promise<void>;
  run(body: Record<string, unknown>, env: CompletionEnv): Promise<CompletionOutcome>;
}

const withRef = (key: string, ref: string | undefined) => (ref ? { [key]: ref } : {});
const envOf = (env: CompletionEnv): ActionEnv => ({ ...env, householdId: env.task.householdId });

interface ViaAction {
  /** Body fields the task fixes, and their values (read from the task). */
  fixed?: { paths: readonly string[]; from(task: CompletedTask): Record<string, unknown> };
  result(body: Record<string, unknown>, outcome: Awaited<ReturnType<typeof runAction>>): Prisma.InputJsonObject;
  /** Whether the household's wait for this work is over (default: yes). */
  finished?(body: Record<string, unknown>): boolean;
  submit?: string;
  done?: string;
}

function viaAction(action: HouseholdAction, options: ViaAction): Completion {
  const paths = options.fixed?.paths ?? [];
  const fields = withoutPaths(action.form, paths);
  return {
    permission: action.permission,
    form: action.bodyWithout(paths),
    fields,
    specs: fieldSpecs(fields),
    submit: options.submit ?? action.submit,
    done: options.done ?? action.done,
    check: async (body, env) => action.check?.({ ...body, ...options.fixed?.from(env.task) } as never, envOf(env)),
    async run(body, env) {
      const full = { ...body, ...options.fixed?.from(env.task) };
      const outcome = await runAction(action, full, envOf(env));
      return { result: options.result(full, outcome), workflow: outcome.state, done: options.finished?.(full) ?? true };
    },
  };
}

/** A completion that is its own record: a note on the case file, no Update. */
function ownRecord(fields: FormField[], form: z.ZodType, submit: string, done: string, permission: Permission | null,
  run: (body: Record<string, unknown>, env: CompletionEnv) => Promise<CompletionOutcome>): Completion {
  return { permission, form, fields, specs: fieldSpecs(fields), submit, done, run };
}

const note = (env: CompletionEnv, kind: string, text: unknown) =>
  env.process.writeNote(env.task.householdId, kind, typeof text === 'string' ? text : undefined, env.ctx);

const contactAttempt = viaAction(ACTIONS.recordContactAttempt, {
  result: (_body, { payload, noteIds }) => ({ ...payload, ...withRef('noteRef', noteIds[0]) }) as Prisma.InputJsonObject,
});

const partnerCheck = viaAction(ACTIONS.recordPartnerAnswer, {
  fixed: {
    paths: ['partnerOrgId'],
    from(task) {
      if (!task.partnerOrganisationId) throw new ConflictError('Cette vérification ne désigne aucune organisation partenaire : elle ne peut pas être complétée ici.');
      return { partnerOrgId: task.partnerOrganisationId };
    },
  },
  // The referent's contact stays in referent_workers: the task keeps its id only.
  result: (_body, { payload }) => payload as Prisma.InputJsonObject,
  done: 'La réponse de votre organisation est enregistrée.',
});

const committeeDecision = viaAction(ACTIONS.recordCommitteeDecision, {
  result: (body) => body as Prisma.InputJsonObject,
  finished: (body) => (body.decision as { kind: string }).kind !== 'defer',
});

const escalation = viaAction(ACTIONS.contactEscalationDecision, { result: (body) => body as Prisma.InputJsonObject });

const supportReview = viaAction(ACTIONS.recordReview, { result: (_body, { noteIds }) => ({ reviewed: true, ...withRef('noteRef', noteIds[0]) }) });

const handoffAcknowledgement = viaAction(ACTIONS.acknowledgeHandoff, {
  fixed: { paths: ['scheme'], from: (task) => ({ scheme: schemeOf(task.form) }) },
  result: (body) => ({ scheme: body.scheme as string, acknowledged: true }),
  submit: 'Confirmer la prise de relais',
  done: 'La prise de relais est confirmée.',
});

/**
 * A relapse seen at a check-in is reported to the workflow; a quiet check-in is recorded on the task.
 * Whoever completes a check-in must be able to report what it may find, hence the permission.
 */
const watchCheck = ownRecord(
  [
    {
      kind: 'radios', name: 'relapse', label: 'La situation rechute-t-elle (impayés, procédure) ?', message: 'dites si la situation rechute',
      choices: { codes: ['non', 'oui'], labels: { non: 'Non, la situation tient', oui: 'Oui, il y a une rechute' } }, parse: (v) => (v === 'oui' ? true : v === 'non' ? false : v),
    },
    noteField('Note'),
  ],
  z.strictObject({ relapse: z.boolean({ error: 'vrai ou faux attendu' }), note: noteBody() }),
  'Enregistrer le point de veille', 'Le point de veille est enregistré.', 'household.reportRelapse',
  async (body, env) => {
    if (body.relapse) {
      const outcome = await runAction(ACTIONS.reportRelapse, { note: body.note }, envOf(env));
      return { result: { relapse: true, ...withRef('noteRef', outcome.noteIds[0]) }, workflow: outcome.state, done: true };
    }
    return { result: { relapse: false, ...withRef('noteRef', await note(env, 'watch_check', body.note)) }, done: true };
  },
);

const legalWarning = ownRecord(
  [noteField('Ce qui a été fait')], z.strictObject({ note: noteBody() }), 'Enregistrer', 'L’alerte d’échéance est prise en compte.', null,
  async (body, env) => ({ result: { acknowledged: true, ...withRef('noteRef', await note(env, 'legal_deadline_warning', body.note)) }, done: true }),
);

/** The completion of a task, by its type (and, for a committee review, by why it was asked). */
export function completionFor(task: Pick<CompletedTask, 'type' | 'form'>): Completion {
  switch (task.type) {
    case 'contact_attempt': return contactAttempt;
    case 'partner_check': return partnerCheck;
    case 'committee_decision': return committeeDecision;
    // A relapse sent to the committee is answered by a new committee decision (readmission or not);
    // an escalated contact by the escalation decision.
    case 'committee_review': return reasonOf(task.form) === 'relapse' ? committeeDecision : escalation;
    case 'support_review': return supportReview;
    case 'handoff_acknowledgement': return handoffAcknowledgement;
    case 'watch_check': return watchCheck;
    case 'legal_deadline_warning': return legalWarning;
    default: throw new ConflictError('Ce type de tâche ne se complète pas depuis la boîte de tâches.');
  }
}

/** Every completion form, for the OpenAPI document (the form depends on the task's type). */
export const COMPLETION_FORMS = [contactAttempt, partnerCheck, committeeDecision, escalation, supportReview, handoffAcknowledgement, watchCheck, legalWarning]
  .map((c) => c.form);

function reasonOf(form: Prisma.JsonValue): unknown {
  return form && typeof form === 'object' && !Array.isArray(form) ? form.reason : undefined;
}

function schemeOf(form: Prisma.JsonValue): MainstreamScheme {
  const scheme = form && typeof form === 'object' && !Array.isArray(form) ? form.scheme : undefined;
  const known = MAINSTREAM_SCHEMES.find((s) => s === scheme);
  if (!known) throw new ConflictError('Cette tâche ne précise pas le dispositif qui prend le relais.');
  return known;
}
