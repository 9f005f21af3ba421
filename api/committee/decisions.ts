import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import type { CommitteeDecision } from '../../domain/household';
import { recordCommitteeDecisionUpdate } from '../../workflows/household/messages';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { AppError, ValidationError } from '../errors';
import { RefusedError } from '../households/process-service';
import { caseloadFor } from './capacity';
import type { DecisionsBody } from './schemas';
import { splitStored, type StoredDecision } from './sessions';

export type DecisionResult =
  | { householdId: string; status: 'recorded'; phase: string; alreadyRecorded: boolean }
  | { householdId: string; status: 'refused' | 'failed'; code: string; reason: string };

/** Same decision, whatever the order of its keys (JSON columns do not keep it). */
function sameDecision(a: CommitteeDecision, b: CommitteeDecision): boolean {
  const canonical = (d: CommitteeDecision) => JSON.stringify(Object.entries(d).sort(([x], [y]) => x.localeCompare(y)));
  return canonical(a) === canonical(b);
}

const ALREADY_DECIDED = 'Une autre décision a déjà été enregistrée pour ce ménage dans cette séance.';

/**
 * Records a committee's decisions for several households in one go.
 *
 * The whole batch is checked before anything is sent (400 naming each wrong field, nothing
 * changed). Then each decision goes to its own household's workflow. A decision the rules refuse
 * (wrong phase, deferred too often…) does not undo the others: each household is decided on its own
 * merits, the workflows are separate, and the rules offer no way to take back an admission. The
 * answer lists, per household, what happened, so the committee settles the refused ones and sends
 * them again; a retry of the same batch applies nothing twice (one Update id per session and
 * household, and one committee_decisions row per session and household).
 */
export async function recordDecisions(
  ctx: ApiCore,
  session: { id: string },
  body: DecisionsBody,
  principal: Principal,
  requestId: string,
): Promise<DecisionResult[]> {
  const { db } = ctx;
  const ids = body.decisions.map((d) => d.householdId);
  const households = new Map((await db.household.findMany({ where: { id: { in: ids } }, select: { id: true, landlordId: true, phase: true } })).map((h) => [h.id, h]));
  const problems: { field: string; message: string }[] = [];
  for (const [index, item] of body.decisions.entries()) {
    if (!households.has(item.householdId)) problems.push({ field: `decisions.${index}.householdId`, message: 'Ménage introuvable.' });
    if (item.decision.kind === 'admit') {
      try {
        await ctx.process.requireEducator(item.decision.educatorId);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.push({ field: `decisions.${index}.decision.educatorId`, message: 'Éducateur inconnu.' });
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);

  const results: DecisionResult[] = [];
  for (const { householdId, decision } of body.decisions) {
    const household = households.get(householdId)!;
    const key = { sessionId_householdId: { sessionId: session.id, householdId } };
    const existing = await db.committeeDecision.findUnique({ where: key });
    if (existing) {
      // Already decided in this session: the same decision again is a retry, another one a contradiction.
      results.push(sameDecision(splitStored(existing.decision).decision, decision)
        ? { householdId, status: 'recorded', phase: household.phase, alreadyRecorded: true }
        : { householdId, status: 'refused', code: 'already_decided', reason: ALREADY_DECIDED });
      continue;
    }
    try {
      const caseload = await caseloadFor(db, household.landlordId);
      const view = await ctx.process.execute(householdId, recordCommitteeDecisionUpdate, { sessionId: session.id, decision, caseload }, {
        actor: principal.id,
        role: principal.role,
        requestId,
        // A retry after a crash between the Update and the row below lands on the same Update.
        idempotencyKey: `committee-session:${session.id}:${householdId}`,
      });
      const stored: StoredDecision = { ...decision, caseload };
      await db.committeeDecision.createMany({
        skipDuplicates: true,
        data: [{ id: randomUUID(), sessionId: session.id, householdId, decision: stored as unknown as Prisma.InputJsonValue, decidedById: principal.id, decidedAt: ctx.clock() }],
      });
      // Two batches racing on one household share the Update id: the first one's decision is the one applied.
      const kept = await db.committeeDecision.findUniqueOrThrow({ where: key });
      results.push(sameDecision(splitStored(kept.decision).decision, decision)
        ? { householdId, status: 'recorded', phase: view.state.phase, alreadyRecorded: false }
        : { householdId, status: 'refused', code: 'already_decided', reason: ALREADY_DECIDED });
    } catch (error) {
      if (error instanceof RefusedError) {
        const recovered = await appliedEarlier(ctx, session.id, householdId, decision);
        results.push(recovered
          ? { householdId, status: 'recorded', phase: recovered.phase, alreadyRecorded: true }
          : { householdId, status: 'refused', code: error.code, reason: error.message });
      } else if (error instanceof AppError) {
        // Pending (504) or not found: said per household, so the decisions already applied are not lost from view.
        results.push({ householdId, status: 'failed', code: error.code, reason: error.message });
      } else {
        ctx.logger.error({ err: error, householdId, sessionId: session.id, requestId }, 'committee decision failed');
        results.push({ householdId, status: 'failed', code: 'internal_error', reason: 'Erreur interne pour ce ménage : renvoyez la même décision, elle ne sera pas appliquée deux fois.' });
      }
    }
  }
  return results;
}

/**
 * A retry after a crash between the Update and the committee_decisions row: if the decision closed
 * the case (reorient, reject), the household now refuses everything, yet the decision was applied.
 * The timeline, written by the workflow, says so; the missing row is written from it.
 */
async function appliedEarlier(ctx: ApiCore, sessionId: string, householdId: string, decision: CommitteeDecision) {
  const event = await ctx.db.timelineEvent.findFirst({
    where: { householdId, type: 'committeeDecisionRecorded', data: { path: ['sessionId'], equals: sessionId } },
    orderBy: { occurredAt: 'desc' },
  });
  const applied = (event?.data as { decision?: CommitteeDecision } | null)?.decision;
  if (!event || !applied || !sameDecision(applied, decision)) return undefined;
  await ctx.db.committeeDecision.createMany({
    skipDuplicates: true,
    data: [{ id: randomUUID(), sessionId, householdId, decision: applied as unknown as Prisma.InputJsonValue, decidedById: event.actor, decidedAt: event.occurredAt }],
  });
  const household = await ctx.db.household.findUniqueOrThrow({ where: { id: householdId }, select: { phase: true } });
  return { phase: household.phase };
}
