import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, log, proxyActivities, proxyLocalActivities, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { createActivities } from '../../activities';
import {
  acceptedCommands, commandForDeadline, decide, evolve, initialState, nextDeadline, toMs,
  type HouseholdCommand, type HouseholdState,
} from '../../domain/household';
import { CommandQueue } from './command-queue';
import {
  getHouseholdStateQuery, machineSignals, personUpdates, type HouseholdView, type HouseholdWorkflowInput,
} from './messages';
import { educatorSearchAttribute, phaseSearchAttribute, trackSearchAttribute } from './search-attributes';
import { taskDueAt, type NumberedEvent } from './side-effects';

type Activities = ReturnType<typeof createActivities>;

// Database writes are short and idempotent: retry them for a long time rather than lose a step.
const caseFile = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Computing legal deadlines is pure and quick: a local activity records its answer in history.
const legalDeadlines = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds' });

// E-mail goes through an SMTP server that may be down for a while: back off further.
const mailing = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // After a day of failures the outbox row stays `failed`, visible to the coordination.
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const SYSTEM = { id: 'system', role: 'coordinator' } as const;

/**
 * One household, from referral to closure (docs/design/process.md). The rules decide; this shell receives
 * messages, applies the events they cause, persists and notifies through activities, and waits
 * for the next deadline the rules name.
 */
export async function householdWorkflow(input: HouseholdWorkflowInput): Promise<string | undefined> {
  const { policy } = input;
  let state: HouseholdState = input.carried?.state ?? initialState(input);
  let eventSeq = input.carried?.eventSeq ?? 0;
  /** Legal deadlines already warned of (kind:dueDate), so each is announced once. */
  const warned: string[] = [...(input.carried?.warned ?? [])];
  const queue = new CommandQueue();
  const now = () => new Date().toISOString();

  const view = (): HouseholdView => ({
    state,
    nextDeadline: nextDeadline(state, policy),
    acceptedCommands: state.phase === 'closed' ? [] : [...acceptedCommands(state.phase)],
    eventSeq,
  });
  setHandler(getHouseholdStateQuery, view);

  async function apply(command: HouseholdCommand): Promise<void> {
    const decision = decide(state, command, policy);
    if (!decision.ok) {
      throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
    }
    if (decision.events.length === 0) return;
    const before = state;
    const batch: NumberedEvent[] = decision.events.map((event) => ({ seq: ++eventSeq, event, taskDueAt: taskDueAt(event, policy) }));
    for (const { event } of batch) state = evolve(state, event);
    if (before.phase !== state.phase || before.track !== state.track || before.educatorId !== state.educatorId) {
      upsertSearchAttributes([
        { key: phaseSearchAttribute, value: state.phase },
        ...(state.track ? [{ key: trackSearchAttribute, value: state.track }] : []),
        ...(state.educatorId ? [{ key: educatorSearchAttribute, value: state.educatorId }] : []),
      ]);
    }
    await caseFile.recordHouseholdEvents({
      householdId: state.householdId,
      workflowId: workflowInfo().workflowId,
      events: batch,
      projection: { phase: state.phase, track: state.track, outcome: state.outcome, closedAt: state.closedAt, educatorId: state.educatorId },
      // What the query would answer now: the API reads it from PostgreSQL (an activity's argument,
      // not a command: histories recorded without it replay unchanged).
      view: view(),
    });
    // Mail must not hold the household up: an SMTP server down for hours, or a recipient refused
    // for good, would otherwise block every later decision. The outbox row records the failure.
    inBackground(mailing.sendHouseholdEventMails({ householdId: state.householdId, workflowId: workflowInfo().workflowId, events: batch }));
  }

  let backgroundWork = 0;
  function inBackground(work: Promise<unknown>): void {
    backgroundWork++;
    void work
      .catch((error: unknown) => log.warn('background mail failed', { error: String(error) }))
      .finally(() => backgroundWork--);
  }
  const settled = () => queue.idle && backgroundWork === 0 && allHandlersFinished();

  // The updates differ only by the command they carry: register them all the same way.
  for (const update of personUpdates as readonly UpdateDefinition<void, [object]>[]) {
    const toCommand = (payload: object) => ({ ...payload, type: update.name, at: now() }) as HouseholdCommand;
    setHandler(update, (payload) => queue.run(() => apply(toCommand(payload))), {
      // Refuse synchronously, before anything is written to history, when the rules say no.
      validator: (payload) => {
        const decision = decide(state, toCommand(payload), policy);
        if (!decision.ok) throw ApplicationFailure.create({ type: decision.code, message: decision.reason, nonRetryable: true });
      },
    });
  }
  for (const signal of machineSignals as readonly SignalDefinition<[object]>[]) {
    setHandler(signal, (payload) => {
      const command = { ...payload, type: signal.name, at: now() } as HouseholdCommand;
      // A feed the rules refuse (wrong phase, bad figure) must not fail the workflow: log and drop.
      void queue.run(() => apply(command)).catch((error: unknown) => log.warn('machine feed refused', { type: signal.name, error: String(error) }));
    });
  }

  if (!state.referral) {
    await queue.run(async () => {
      await apply({ type: 'start', at: input.referredAt, by: { id: input.referredBy, role: 'landlord_agent' }, landlordId: input.landlordId, ...input.referral });
      inBackground(mailing.notifyCoordinationOfReferral({ householdId: input.householdId, idempotencyKey: `${workflowInfo().workflowId}:referral-notified` }));
      // Organisations to ask, or answered by their caseload list (docs/privacy/caseload-lists.md); a
      // referral without list answers (every one before the lists) opens exactly as it always did.
      if (input.referral.partnerOrgIds.length > 0 || (input.referral.partnersAnsweredByList?.length ?? 0) > 0) {
        await apply({ type: 'openPartnerCheck', at: now(), by: SYSTEM });
      }
    });
  }

  // Legal deadlines are computed by an activity, not here: the law changes, and a workflow that
  // computed them itself would replay differently once the rules are updated.
  let legalPlan: { dueKeys: string[]; nextAtMs?: number } = { dueKeys: [] };
  let legalPlanFor = -1;
  const refreshLegalPlan = async () => {
    // Read before the await: a feed applied meanwhile must trigger another refresh.
    const planning = state.procedureEvents.length;
    legalPlan = await legalDeadlines.planLegalWarnings({ state, policy, warned, nowMs: Date.now() });
    legalPlanFor = planning;
  };

  while (state.phase !== 'closed') {
    if (state.procedureEvents.length > 0 && (legalPlanFor !== state.procedureEvents.length || (legalPlan.nextAtMs !== undefined && legalPlan.nextAtMs <= Date.now()))) {
      await refreshLegalPlan();
    }
    if (legalPlan.dueKeys.length > 0) {
      const keys = legalPlan.dueKeys;
      warned.push(...keys);
      await queue.run(() => caseFile.warnOfLegalDeadlines({ householdId: state.householdId, workflowId: workflowInfo().workflowId, state, keys, nowMs: Date.now() }));
      await refreshLegalPlan();
      continue;
    }
    const deadline = nextDeadline(state, policy);
    const wakeAtMs = Math.min(deadline ? toMs(deadline.at) : Infinity, legalPlan.nextAtMs ?? Infinity);
    const phaseAtWait = state.phase;
    const seqAtWait = eventSeq;
    const timedOut = !(await condition(
      () => eventSeq !== seqAtWait || state.phase !== phaseAtWait || workflowInfo().continueAsNewSuggested,
      Number.isFinite(wakeAtMs) ? Math.max(1, wakeAtMs - Date.now()) : undefined,
    ));
    if (timedOut && deadline && toMs(deadline.at) <= Date.now()) {
      await queue.run(() => apply(commandForDeadline(deadline, now()))).catch((error: unknown) => {
        // The rules re-check every deadline; a refusal means another message got there first.
        log.info('deadline passed without effect', { kind: deadline.kind, error: String(error) });
      });
    }
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > policy.historyEventsBeforeContinueAsNew) {
      await condition(settled);
      await continueAsNew<typeof householdWorkflow>({ ...input, carried: { state, eventSeq, warned } });
    }
  }
  await condition(settled);
  return state.outcome;
}
