import type { Prisma } from '../../generated/prisma/client';
import type { z } from '../../lib/zod-fr';
import { MAINSTREAM_SCHEMES } from '../../domain/household';
import * as messages from '../../workflows/household/messages';
import type { HouseholdView } from '../../workflows/household/messages';
import type { Permission } from '../access/permissions';
import { ConflictError } from '../errors';
import type { ProcessService } from '../households/process-service';
import * as forms from './schemas';

/** What a completion needs to know of its task (the rest comes from the form). */
export interface CompletedTask {
  id: string;
  householdId: string;
  type: string;
  partnerOrganisationId: string | null;
  form: Prisma.JsonValue;
}

export type ExecuteContext = Parameters<ProcessService['execute']>[3];

export interface CompletionOutcome {
  /** Stored on the task: figures and codes, and the ids of any free text (kept in notes). */
  result: Prisma.InputJsonObject;
  /** The household's new state when an Update was sent. */
  workflow?: HouseholdView;
  /**
   * False when the household still waits for this very work (a committee decision deferred to a
   * later session): the task then goes back to the team instead of being closed.
   */
  done: boolean;
}

interface Env {
  task: CompletedTask;
  process: ProcessService;
  ctx: ExecuteContext;
}

/**
 * How a task of one type is completed: the access action its workflow Update stands for (the role
 * must be allowed it, as on the household routes), the form, and what to send. `action: null`
 * means the task is its own record (a watch check without relapse, a legal warning read).
 */
export interface Completion<S extends z.ZodType = z.ZodType> {
  action: Permission | null;
  form: S;
  /** Checks that need the database but change nothing (a named educator exists): before any write. */
  precheck?(form: z.infer<S>, env: Env): Promise<void>;
  run(form: z.infer<S>, env: Env): Promise<CompletionOutcome>;
}

const completion = <S extends z.ZodType>(c: Completion<S>): Completion => c as unknown as Completion;

/** A free-text note goes to the case file; the workflow and the task result only get its id. */
const noteOf = async (env: Env, kind: string, note: string | undefined) => env.process.writeNote(env.task.householdId, kind, note, env.ctx);
const withRef = (key: string, ref: string | undefined) => (ref ? { [key]: ref } : {});

const contactAttempt = completion({
  action: 'household.recordContactAttempt',
  form: forms.contactAttemptForm,
  async run({ note, ...attempt }, env) {
    const noteId = await noteOf(env, 'contact_attempt', note);
    const workflow = await env.process.execute(env.task.householdId, messages.recordContactAttemptUpdate, attempt, env.ctx, { noteIds: [noteId] });
    return { result: { ...attempt, ...withRef('noteRef', noteId) }, workflow, done: true };
  },
});

const partnerCheck = completion({
  action: 'household.recordPartnerAnswer',
  form: forms.partnerCheckForm,
  async run({ answer, referent }, env) {
    const partnerOrgId = env.task.partnerOrganisationId;
    if (!partnerOrgId) throw new ConflictError('Cette vérification ne désigne aucune organisation partenaire : elle ne peut pas être complétée ici.');
    const referentWorkerRef = referent ? await env.process.saveReferent(env.task.householdId, partnerOrgId, referent) : undefined;
    const workflow = await env.process.execute(
      env.task.householdId, messages.recordPartnerAnswerUpdate, { partnerOrgId, answer, ...(referentWorkerRef && { referentWorkerRef }) }, env.ctx,
      { referentIds: [referentWorkerRef] },
    );
    // The referent's contact stays in referent_workers: the task keeps its id only.
    return { result: { partnerOrgId, answer, ...withRef('referentWorkerRef', referentWorkerRef) }, workflow, done: true };
  },
});

const committeeDecision = completion({
  action: 'household.recordCommitteeDecision',
  form: forms.committeeDecisionForm,
  async precheck(body, env) {
    if (body.decision.kind === 'admit') await env.process.requireEducator(body.decision.educatorId);
  },
  async run(body, env) {
    const workflow = await env.process.execute(env.task.householdId, messages.recordCommitteeDecisionUpdate, body, env.ctx);
    return { result: body, workflow, done: body.decision.kind !== 'defer' };
  },
});

const escalation = completion({
  action: 'household.contactEscalationDecision',
  form: forms.escalationForm,
  async run(body, env) {
    const workflow = await env.process.execute(env.task.householdId, messages.contactEscalationDecisionUpdate, body, env.ctx);
    return { result: body, workflow, done: true };
  },
});

const supportReview = completion({
  action: 'household.recordReview',
  form: forms.supportReviewForm,
  async run({ note }, env) {
    const noteRef = await noteOf(env, 'review', note);
    const workflow = await env.process.execute(env.task.householdId, messages.recordReviewUpdate, { ...(noteRef && { noteRef }) }, env.ctx, { noteIds: [noteRef] });
    return { result: { reviewed: true, ...withRef('noteRef', noteRef) }, workflow, done: true };
  },
});

const handoffAcknowledgement = completion({
  action: 'household.acknowledgeHandoff',
  form: forms.handoffAcknowledgementForm,
  async run(_body, env) {
    const scheme = schemeOf(env.task.form);
    const workflow = await env.process.execute(env.task.householdId, messages.acknowledgeHandoffUpdate, { scheme }, env.ctx);
    return { result: { scheme, acknowledged: true }, workflow, done: true };
  },
});

/**
 * A relapse seen at a check-in is reported to the workflow; a quiet check-in is recorded on the task.
 * Whoever completes a check-in must be able to report what it may find, hence the action.
 */
const watchCheck = completion({
  action: 'household.reportRelapse',
  form: forms.watchCheckForm,
  async run({ relapse, note }, env) {
    const noteRef = await noteOf(env, relapse ? 'relapse' : 'watch_check', note);
    if (!relapse) return { result: { relapse: false, ...withRef('noteRef', noteRef) }, done: true };
    const workflow = await env.process.execute(env.task.householdId, messages.reportRelapseUpdate, { ...(noteRef && { noteRef }) }, env.ctx, { noteIds: [noteRef] });
    return { result: { relapse: true, ...withRef('noteRef', noteRef) }, workflow, done: true };
  },
});

const legalWarning = completion({
  action: null,
  form: forms.legalWarningForm,
  async run({ note }, env) {
    const noteRef = await noteOf(env, 'legal_deadline_warning', note);
    return { result: { acknowledged: true, ...withRef('noteRef', noteRef) }, done: true };
  },
});

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

function reasonOf(form: Prisma.JsonValue): unknown {
  return form && typeof form === 'object' && !Array.isArray(form) ? form.reason : undefined;
}

function schemeOf(form: Prisma.JsonValue): (typeof MAINSTREAM_SCHEMES)[number] {
  const scheme = form && typeof form === 'object' && !Array.isArray(form) ? form.scheme : undefined;
  const known = MAINSTREAM_SCHEMES.find((s) => s === scheme);
  if (!known) throw new ConflictError('Cette tâche ne précise pas le dispositif qui prend le relais.');
  return known;
}
