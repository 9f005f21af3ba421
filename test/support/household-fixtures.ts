// Given / when / then over the pure household rules (household-*.unit.test.ts): one household walked
// through every phase, a valid instance of each command, and the steps that build them.
import { addMs, decide, evolve, initialState, type Actor, type CommandType, type HouseholdCommand, type HouseholdState, type Phase } from '../../domain/household';
import { days, defaultProgrammePolicy, type ProgrammePolicy } from '../../domain/programme/policy';

// Given / when / then over the pure rules. Day numbers count from T0, a Monday morning.
export const T0 = '2025-01-06T09:00:00.000Z';
export const day = (n: number) => addMs(T0, days(n));
export const LATE = day(900); // past every timer of every fixture below
export const LANDLORD = 'landlord-foyer-remois';
export const [CAF, CCAS] = ['partner-caf', 'partner-ccas'];
export const coordinator: Actor = { id: 'user-coord', role: 'coordinator' };
export const committee: Actor = { id: 'user-committee', role: 'committee_member' };
export const educator: Actor = { id: 'user-educator', role: 'educator' };
export const partner: Actor = { id: 'user-partner', role: 'partner_worker' };

export const fresh = () => initialState({ householdId: 'household-1', landlordId: LANDLORD });

export function given(commands: HouseholdCommand[], policy: ProgrammePolicy = defaultProgrammePolicy, from = fresh()): HouseholdState {
  return commands.reduce((state, command) => {
    const d = decide(state, command, policy);
    if (!d.ok) throw new Error(`given ${command.type} refused: ${d.code} ${d.reason}`);
    return d.events.reduce(evolve, state);
  }, from);
}

/** When: returns the decision and, if accepted, the state after it. */
export function when(state: HouseholdState, command: HouseholdCommand, policy: ProgrammePolicy = defaultProgrammePolicy) {
  const decision = decide(state, command, policy);
  const after = decision.ok ? decision.events.reduce(evolve, state) : state;
  return { decision, after, types: decision.ok ? decision.events.map((e) => e.type) : [] };
}

export const cmd = {
  start: (): HouseholdCommand => ({
    type: 'start', at: day(0), by: coordinator, landlordId: LANDLORD, arrearsCents: 150_000, monthlyRentCents: 50_000,
    procedureStage: 'payment_order', referralSource: 'pre_litigation', partnerOrgIds: [CAF, CCAS],
  }),
  open: (): HouseholdCommand => ({ type: 'openPartnerCheck', at: day(0), by: coordinator }),
  answer: (partnerOrgId: string, answer: 'not_known' | 'followed', at = day(2)): HouseholdCommand => ({
    type: 'recordPartnerAnswer', at, by: partner, partnerOrgId, answer, ...(answer === 'followed' && { referentWorkerRef: 'referent-1' }),
  }),
  timer: (type: CommandType, at = LATE) => ({ type, at }) as HouseholdCommand,
  admit: (at = day(14), track: 'pre_litigation' | 'post_termination' = 'pre_litigation'): HouseholdCommand => ({
    type: 'recordCommitteeDecision', at, by: committee, sessionId: 'session-1', decision: { kind: 'admit', track, educatorId: 'edu-1' },
  }),
  decision: (decision: Extract<HouseholdCommand, { type: 'recordCommitteeDecision' }>['decision'], at = day(14)): HouseholdCommand => ({
    type: 'recordCommitteeDecision', at, by: committee, sessionId: 'session-1', decision,
  }),
  attempt: (at: string, outcome: 'contact_made' | 'absent' | 'refused' = 'absent', slot: 'weekday' | 'evening' | 'weekend' = 'evening'): HouseholdCommand => ({
    type: 'recordContactAttempt', at, by: educator, slot, channel: 'home_visit', outcome,
  }),
  escalation: (kind: 'continue' | 'close_unreachable', at = LATE): HouseholdCommand => ({
    type: 'contactEscalationDecision', at, by: committee, decision: { kind },
  }),
  procedure: (procedureType: 'summons' | 'lease_terminated' | 'eviction' | 'grace_period_granted', at = LATE): HouseholdCommand => ({
    type: 'recordProcedureEvent', at, procedureType, occurredOn: at,
  }),
  payment: (amountCents: number, at = LATE): HouseholdCommand => ({ type: 'recordPayment', at, amountCents }),
  arrears: (arrearsCents: number, at = LATE): HouseholdCommand => ({ type: 'updateArrears', at, arrearsCents }),
  handoff: (at = day(120)): HouseholdCommand => ({
    type: 'startHandoff', at, by: educator, schemes: [{ scheme: 'asll' }, { scheme: 'sector_social_worker' }],
  }),
  ack: (scheme: 'asll' | 'sector_social_worker', at = day(125)): HouseholdCommand => ({ type: 'acknowledgeHandoff', at, by: partner, scheme }),
};

// One household walked through every phase; each fixture is the previous one plus a step.
export const fx = {} as Record<Phase | 'escalated', HouseholdState>;
fx.referred = given([cmd.start()]);
fx.partner_check = given([cmd.open()], defaultProgrammePolicy, fx.referred);
fx.committee = given([cmd.timer('partnerCheckDeadlineReached', day(10))], defaultProgrammePolicy, fx.partner_check);
fx.contact = given([cmd.admit()], defaultProgrammePolicy, fx.committee);
fx.escalated = given([cmd.timer('contactTimeLimitReached', day(74))], defaultProgrammePolicy, fx.contact);
fx.support = given([cmd.attempt(day(15), 'contact_made')], defaultProgrammePolicy, fx.contact);
fx.handoff = given([cmd.arrears(20_000, day(100)), cmd.handoff()], defaultProgrammePolicy, fx.support);
fx.watch = given([cmd.ack('asll'), cmd.ack('sector_social_worker', day(126)), cmd.timer('handoffOverlapEnded', day(180))], defaultProgrammePolicy, fx.handoff);
fx.closed = given([cmd.timer('watchEnded', day(545))], defaultProgrammePolicy, fx.watch);

/** A valid instance of each command type, for the phase × command table. */
export function sample(type: CommandType): HouseholdCommand {
  switch (type) {
    case 'start': return cmd.start();
    case 'openPartnerCheck': return cmd.open();
    case 'recordPartnerAnswer': return cmd.answer(CAF, 'followed', LATE);
    case 'recordCommitteeDecision': return cmd.admit(LATE);
    case 'recordContactAttempt': return cmd.attempt(LATE, 'contact_made');
    case 'contactEscalationDecision': return cmd.escalation('continue');
    case 'updateSupportPlan': return { type, at: LATE, by: educator, changes: { budget: { status: 'in_progress', goalRef: 'goal-1' } } };
    case 'recordReview': return { type, at: LATE, by: educator };
    case 'recordProcedureEvent': return cmd.procedure('summons');
    case 'recordPayment': return cmd.payment(10_000);
    case 'updateArrears': return cmd.arrears(120_000);
    case 'startHandoff': return cmd.handoff(LATE);
    case 'acknowledgeHandoff': return cmd.ack('asll', LATE);
    case 'cancelHandoff': return { type, at: LATE, by: coordinator };
    case 'relapseDetected': return { type, at: LATE, by: educator };
    case 'close': return { type, at: LATE, by: coordinator, outcome: 'left', reasonNoteRef: 'note-1' };
    case 'withdraw': return { type, at: LATE, by: coordinator };
    default: return cmd.timer(type);
  }
}

export const ALL_COMMANDS: CommandType[] = [
  'start', 'openPartnerCheck', 'recordPartnerAnswer', 'partnerCheckReminderDue', 'partnerCheckDeadlineReached',
  'recordCommitteeDecision', 'recordContactAttempt', 'contactAttemptDue', 'contactTimeLimitReached',
  'contactEscalationDecision', 'updateSupportPlan', 'recordReview', 'supportReviewDue', 'recordProcedureEvent',
  'recordPayment', 'updateArrears', 'startHandoff', 'acknowledgeHandoff', 'cancelHandoff', 'handoffReminderDue',
  'handoffOverlapEnded', 'watchCheckDue', 'relapseDetected', 'watchEnded', 'close', 'withdraw',
];
