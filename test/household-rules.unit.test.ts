import {
  acceptedCommands, addMs, decide, detectRelapse, evolve, HISTORY_LIMIT, initialState, nextDeadline, PHASES,
  suggestNextAttempt, type Actor, type CommandType, type HouseholdCommand, type HouseholdEvent, type HouseholdState,
  type Phase,
} from '../domain/household';
import { days, defaultProgrammePolicy, validateProgrammePolicy, type ProgrammePolicy } from '../domain/programme/policy';

// Given / when / then over the pure rules. Day numbers count from T0, a Monday morning.
const T0 = '2025-01-06T09:00:00.000Z';
const day = (n: number) => addMs(T0, days(n));
const LATE = day(900); // past every timer of every fixture below
const LANDLORD = 'landlord-foyer-remois';
const [CAF, CCAS] = ['partner-caf', 'partner-ccas'];
const coordinator: Actor = { id: 'user-coord', role: 'coordinator' };
const committee: Actor = { id: 'user-committee', role: 'committee_member' };
const educator: Actor = { id: 'user-educator', role: 'educator' };
const partner: Actor = { id: 'user-partner', role: 'partner_worker' };

const fresh = () => initialState({ householdId: 'household-1', landlordId: LANDLORD });

function given(commands: HouseholdCommand[], policy: ProgrammePolicy = defaultProgrammePolicy, from = fresh()): HouseholdState {
  return commands.reduce((state, command) => {
    const d = decide(state, command, policy);
    if (!d.ok) throw new Error(`given ${command.type} refused: ${d.code} ${d.reason}`);
    return d.events.reduce(evolve, state);
  }, from);
}

/** When: returns the decision and, if accepted, the state after it. */
function when(state: HouseholdState, command: HouseholdCommand, policy: ProgrammePolicy = defaultProgrammePolicy) {
  const decision = decide(state, command, policy);
  const after = decision.ok ? decision.events.reduce(evolve, state) : state;
  return { decision, after, types: decision.ok ? decision.events.map((e) => e.type) : [] };
}

const cmd = {
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
const fx = {} as Record<Phase | 'escalated', HouseholdState>;
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
function sample(type: CommandType): HouseholdCommand {
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

const ALL_COMMANDS: CommandType[] = [
  'start', 'openPartnerCheck', 'recordPartnerAnswer', 'partnerCheckReminderDue', 'partnerCheckDeadlineReached',
  'recordCommitteeDecision', 'recordContactAttempt', 'contactAttemptDue', 'contactTimeLimitReached',
  'contactEscalationDecision', 'updateSupportPlan', 'recordReview', 'supportReviewDue', 'recordProcedureEvent',
  'recordPayment', 'updateArrears', 'startHandoff', 'acknowledgeHandoff', 'cancelHandoff', 'handoffReminderDue',
  'handoffOverlapEnded', 'watchCheckDue', 'relapseDetected', 'watchEnded', 'close', 'withdraw',
];

type Then = { events: HouseholdEvent['type'][]; phase: Phase; given?: HouseholdState };
const stays = (phase: Phase, ...events: HouseholdEvent['type'][]): Then => ({ events, phase });
const goes = (phase: Phase, ...events: HouseholdEvent['type'][]): Then => ({ events, phase });
const feedsAndExits = (phase: Phase): Record<string, Then> => ({
  recordProcedureEvent: stays(phase, 'procedureEventRecorded'),
  recordPayment: stays(phase, 'paymentRecorded', 'paymentResumed'),
  updateArrears: stays(phase, 'arrearsUpdated'),
  close: goes('closed', 'caseClosed'),
  withdraw: goes('closed', 'caseClosed'),
});

// Everything accepted, phase by phase; every other pair must be refused.
const ACCEPTED: Record<Phase, Record<string, Then>> = {
  referred: {
    ...feedsAndExits('referred'),
    start: { ...stays('referred', 'referralRecorded'), given: fresh() },
    openPartnerCheck: goes('partner_check', 'partnerCheckOpened'),
  },
  partner_check: {
    ...feedsAndExits('partner_check'),
    recordPartnerAnswer: stays('partner_check', 'partnerAnswerRecorded', 'referentWorkerAlertRequested'),
    partnerCheckReminderDue: stays('partner_check', 'partnerReminderIssued'),
    partnerCheckDeadlineReached: goes('committee', 'partnerCheckCompleted'),
  },
  committee: {
    ...feedsAndExits('committee'),
    recordCommitteeDecision: goes('contact', 'committeeDecisionRecorded', 'contactStarted'),
    recordPartnerAnswer: stays('committee', 'partnerAnswerRecorded', 'referentWorkerAlertRequested'),
  },
  contact: {
    ...feedsAndExits('contact'),
    recordContactAttempt: goes('support', 'contactAttemptRecorded', 'supportStarted'),
    contactAttemptDue: stays('contact', 'contactAttemptRequested'),
    contactTimeLimitReached: stays('contact', 'contactEscalated'),
    contactEscalationDecision: { ...stays('contact', 'contactEscalationResolved'), given: fx.escalated },
  },
  support: {
    ...feedsAndExits('support'),
    updateSupportPlan: stays('support', 'supportPlanUpdated'),
    recordReview: stays('support', 'reviewRecorded'),
    supportReviewDue: stays('support', 'supportReviewRequested'),
    startHandoff: goes('handoff', 'handoffStarted'),
  },
  handoff: {
    ...feedsAndExits('handoff'),
    acknowledgeHandoff: stays('handoff', 'handoffAcknowledged'),
    handoffReminderDue: stays('handoff', 'handoffReminderIssued'),
    handoffOverlapEnded: stays('handoff', 'handoffOverlapEnded'),
    cancelHandoff: goes('support', 'handoffCancelled', 'supportStarted'),
    updateSupportPlan: stays('handoff', 'supportPlanUpdated'),
    recordReview: stays('handoff', 'reviewRecorded'),
  },
  watch: {
    ...feedsAndExits('watch'),
    recordProcedureEvent: goes('support', 'procedureEventRecorded', 'relapseDetected', 'supportStarted'),
    watchCheckDue: stays('watch', 'watchCheckRequested'),
    relapseDetected: goes('support', 'relapseDetected', 'supportStarted'),
    watchEnded: goes('closed', 'caseClosed'),
  },
  closed: {},
};

const table = PHASES.flatMap((phase) => ALL_COMMANDS.map((type) => [phase, type, ACCEPTED[phase][type]] as const));

describe('every phase × command', () => {
  test('fixtures are in the phase they stand for', () => {
    for (const phase of PHASES) expect(fx[phase].phase).toBe(phase);
  });

  test.each(table)('in %s, %s', (phase, type, then) => {
    const { decision, after, types } = when(then?.given ?? fx[phase], sample(type));
    if (then) {
      expect(decision).toMatchObject({ ok: true });
      expect(types).toEqual(then.events);
      expect(after.phase).toBe(then.phase);
    } else {
      expect(decision).toMatchObject({ ok: false, code: phase === 'closed' ? 'household_closed' : 'wrong_phase' });
      if (!decision.ok && phase !== 'closed') expect(decision.reason).toMatch(/n'est possible qu'en phases? .+ ; le ménage est en phase /);
    }
  });

  test.each(PHASES)('acceptedCommands(%s) is the table of accepted actions', (phase) => {
    expect([...acceptedCommands(phase)].sort()).toEqual(Object.keys(ACCEPTED[phase]).sort());
  });

  test('the refusal names the phases in French', () => {
    expect(when(fx.contact, cmd.admit(LATE)).decision).toEqual({
      ok: false, code: 'wrong_phase',
      reason: "La décision du comité n'est possible qu'en phase comité ; le ménage est en phase prise de contact.",
    });
  });
});

describe('stories', () => {
  test('a household already followed by a partner: the referent is alerted, the committee reorients', () => {
    const followed = when(given([cmd.start(), cmd.open()]), cmd.answer(CAF, 'followed'));
    expect(followed.decision).toMatchObject({
      ok: true,
      events: [{ type: 'partnerAnswerRecorded' }, { type: 'referentWorkerAlertRequested', partnerOrgId: CAF, referentWorkerRef: 'referent-1' }],
    });
    const allIn = when(followed.after, cmd.answer(CCAS, 'not_known', day(3)));
    expect(allIn.types).toEqual(['partnerAnswerRecorded', 'partnerCheckCompleted']);
    expect(allIn.after.phase).toBe('committee');
    const reoriented = when(allIn.after, cmd.decision({ kind: 'reorient', scheme: 'sector_social_worker' }));
    expect(reoriented.after).toMatchObject({ phase: 'closed', outcome: 'reoriented', reorientedTo: 'sector_social_worker', closedAt: day(14) });
  });

  test('intake refusals: no referent, unknown partner, no partners, not started, other landlord, twice', () => {
    const checking = given([cmd.start(), cmd.open()]);
    expect(when(checking, { ...cmd.answer(CAF, 'followed'), referentWorkerRef: undefined } as HouseholdCommand).decision)
      .toMatchObject({ ok: false, code: 'referent_required' });
    expect(when(checking, cmd.answer('partner-unknown', 'not_known')).decision).toMatchObject({ ok: false, code: 'unknown_partner' });
    expect(when(checking, cmd.answer(CAF, 'not_known')).types).toEqual(['partnerAnswerRecorded']);
    expect(when(given([cmd.answer(CAF, 'not_known')], defaultProgrammePolicy, checking), cmd.answer(CAF, 'not_known')).decision)
      .toEqual({ ok: true, events: [] });
    expect(when(fx.referred, { type: 'openPartnerCheck', at: day(0), by: coordinator, partnerOrgIds: [] }).decision)
      .toMatchObject({ ok: false, code: 'no_partners' });
    expect(when(fresh(), cmd.open()).decision).toMatchObject({ ok: false, code: 'not_started' });
    expect(when(fresh(), { ...cmd.start(), landlordId: 'other' } as HouseholdCommand).decision).toMatchObject({ code: 'landlord_mismatch' });
    expect(when(fx.referred, cmd.start()).decision).toMatchObject({ ok: false, code: 'already_started' });
    expect(when(fx.referred, { ...cmd.open(), at: 'yesterday' }).decision).toMatchObject({ ok: false, code: 'invalid_time' });
    expect(when(fx.referred, { type: 'toString', at: day(0) } as unknown as HouseholdCommand).decision)
      .toMatchObject({ ok: false, code: 'unknown_command' });
  });

  test('the committee rejects', () => {
    const rejected = when(fx.committee, cmd.decision({ kind: 'reject', reason: 'not_eligible' }));
    expect(rejected.types).toEqual(['committeeDecisionRecorded', 'caseClosed']);
    expect(rejected.after).toMatchObject({ phase: 'closed', outcome: 'rejected' });
  });

  test('deferred three times then admitted; a fourth deferral is refused', () => {
    const deferred = given([14, 44, 74].map((d) => cmd.decision({ kind: 'defer' }, day(d))), defaultProgrammePolicy, fx.committee);
    expect(deferred).toMatchObject({ phase: 'committee', committee: { deferCount: 3 } });
    expect(when(deferred, cmd.decision({ kind: 'defer' }, day(104))).decision).toMatchObject({ ok: false, code: 'defer_limit_reached' });
    const admitted = when(deferred, { ...cmd.admit(day(104)), caseload: { landlord: 20, total: 45 } } as HouseholdCommand);
    expect(admitted.decision).toMatchObject({ ok: true, events: [{ capacityExceeded: true }, { type: 'contactStarted' }] });
    expect(admitted.after).toMatchObject({ phase: 'contact', track: 'pre_litigation', educatorId: 'edu-1' });
    expect(admitted.after.committee.decisions.map((d) => d.decision.kind)).toEqual(['defer', 'defer', 'defer', 'admit']);
  });

  test('five failed attempts in varied slots, then a first contact opens support', () => {
    const slots = ['weekday', 'evening', 'weekend', 'evening', 'weekend'] as const;
    const tried = slots.reduce((s, slot, i) => {
      const r = when(s, cmd.attempt(day(15 + 3 * i), 'absent', slot));
      expect(r.types).toEqual(['contactAttemptRecorded']);
      return r.after;
    }, fx.contact);
    expect(tried.contact).toMatchObject({ failedInWindow: 5, totalAttempts: 5 });
    const reached = when(tried, cmd.attempt(day(30), 'contact_made', 'weekend'));
    expect(reached.types).toEqual(['contactAttemptRecorded', 'supportStarted']);
    expect(reached.after).toMatchObject({ phase: 'support', track: 'pre_litigation', educatorId: 'edu-1', firstContactAt: day(30) });
  });

  test('unreachable: the 8th failure escalates once; "continue" opens a new window; too long; closed', () => {
    const seven = given([0, 1, 2, 3, 4, 5, 6].map((i) => cmd.attempt(day(15 + 3 * i), i % 2 ? 'refused' : 'absent')), defaultProgrammePolicy, fx.contact);
    const eighth = when(seven, cmd.attempt(day(36)));
    expect(eighth.decision).toMatchObject({ ok: true, events: [{}, { type: 'contactEscalated', reason: 'too_many_attempts', failedAttempts: 8 }] });
    expect(nextDeadline(eighth.after, defaultProgrammePolicy)).toBeUndefined();
    const ninth = when(eighth.after, cmd.attempt(day(39)));
    expect(ninth.types).toEqual(['contactAttemptRecorded']);
    const resumed = when(ninth.after, cmd.escalation('continue', day(45)));
    expect(resumed.after.contact).toMatchObject({ failedInWindow: 0, windowStartedAt: day(45), escalation: undefined });
    expect(nextDeadline(resumed.after, defaultProgrammePolicy)).toEqual({ kind: 'contact_attempt_due', at: day(42) });
    expect(when(resumed.after, cmd.timer('contactTimeLimitReached', day(104))).decision).toMatchObject({ ok: false, code: 'not_due' });
    const tooLong = when(resumed.after, cmd.timer('contactTimeLimitReached', day(105)));
    expect(tooLong.decision).toMatchObject({ ok: true, events: [{ type: 'contactEscalated', reason: 'too_long', failedAttempts: 0 }] });
    const closed = when(tooLong.after, cmd.escalation('close_unreachable', day(110)));
    expect(closed.after).toMatchObject({ phase: 'closed', outcome: 'unreachable' });
    expect(when(fx.contact, cmd.escalation('continue')).decision).toMatchObject({ ok: false, code: 'not_escalated' });
  });

  test('pre-litigation support moves to post-termination when the lease is terminated, once', () => {
    const terminated = when(fx.support, cmd.procedure('lease_terminated', day(60)));
    expect(terminated.decision).toMatchObject({
      ok: true, events: [{ type: 'procedureEventRecorded' }, { type: 'trackSwitched', from: 'pre_litigation', to: 'post_termination' }],
    });
    expect(terminated.after).toMatchObject({ phase: 'support', track: 'post_termination' });
    expect(when(terminated.after, cmd.procedure('lease_terminated', day(61))).types).toEqual(['procedureEventRecorded']);
  });

  test('an eviction closes the case as evicted', () => {
    expect(when(fx.support, cmd.procedure('eviction')).after).toMatchObject({ phase: 'closed', outcome: 'evicted' });
  });

  test('payments resume: arrears fall and the flag is set by the first payment only', () => {
    const first = when(fx.support, cmd.payment(50_000, day(40)));
    expect(first.types).toEqual(['paymentRecorded', 'paymentResumed']);
    expect(first.after.finances).toEqual({ arrearsCents: 100_000, monthlyRentCents: 50_000, lastPaymentAt: day(40), paymentResumed: true });
    const second = when(first.after, cmd.payment(50_000, day(70)));
    expect(second.types).toEqual(['paymentRecorded']);
    expect(second.after.finances.arrearsCents).toBe(50_000);
    expect(when(fx.support, cmd.payment(0)).decision).toMatchObject({ ok: false, code: 'invalid_amount' });
  });

  test('handoff: the watch starts when every scheme has acknowledged and the overlap is over', () => {
    expect(when(fx.handoff, cmd.timer('handoffOverlapEnded', day(179))).decision).toMatchObject({ code: 'not_due' });
    const overlapOver = given([cmd.timer('handoffOverlapEnded', day(180)), cmd.ack('asll', day(181))], defaultProgrammePolicy, fx.handoff);
    expect(overlapOver.phase).toBe('handoff');
    expect(when(overlapOver, cmd.ack('asll', day(182))).decision).toEqual({ ok: true, events: [] });
    const lastAck = when(overlapOver, cmd.ack('sector_social_worker', day(190)));
    expect(lastAck.types).toEqual(['handoffAcknowledged', 'watchStarted']);
    expect(lastAck.after.watch).toEqual({ startedAt: day(190) });
    expect(fx.watch.history.slice(-2).map((h) => h.type)).toEqual(['handoffOverlapEnded', 'watchStarted']);
    expect(when(fx.handoff, cmd.ack('fsl' as 'asll')).decision).toMatchObject({ ok: false, code: 'unknown_scheme' });
    expect(when(fx.support, { type: 'startHandoff', at: LATE, by: educator, schemes: [] }).decision).toMatchObject({ code: 'no_schemes' });
  });

  test('watch → relapse → support again → watch → closed maintained', () => {
    const slipped = given([cmd.arrears(80_000, day(200))], defaultProgrammePolicy, fx.watch);
    expect(slipped.phase).toBe('watch'); // arrears are judged at the check, not at each import
    const check = when(slipped, cmd.timer('watchCheckDue', day(210)));
    expect(check.decision).toMatchObject({
      ok: true,
      events: [
        { type: 'watchCheckRequested' },
        { type: 'relapseDetected', signals: [{ kind: 'arrears_above_threshold', arrearsCents: 80_000, thresholdCents: 50_000 }] },
        { type: 'supportStarted', reason: 'relapse', track: 'pre_litigation' },
      ],
    });
    expect(check.after).toMatchObject({ phase: 'support', relapseCount: 1, watch: undefined });
    const watchedAgain = given([
      cmd.payment(60_000, day(220)), cmd.handoff(day(250)), cmd.ack('asll', day(251)), cmd.ack('sector_social_worker', day(252)),
      cmd.timer('handoffOverlapEnded', day(310)),
    ], defaultProgrammePolicy, check.after);
    expect(watchedAgain.phase).toBe('watch');
    expect(when(watchedAgain, cmd.timer('watchEnded', day(674))).decision).toMatchObject({ ok: false, code: 'not_due' });
    expect(when(watchedAgain, cmd.timer('watchEnded', day(675))).after).toMatchObject({ phase: 'closed', outcome: 'maintained', relapseCount: 1 });
  });

  test('with relapseThroughCommittee, a new summons sends the household to the committee, then straight to support', () => {
    const policy: ProgrammePolicy = { ...defaultProgrammePolicy, watch: { ...defaultProgrammePolicy.watch, relapseThroughCommittee: true } };
    const summoned = when(fx.watch, cmd.procedure('summons', day(200)), policy);
    expect(summoned.types).toEqual(['procedureEventRecorded', 'relapseDetected', 'committeeReviewRequested']);
    expect(summoned.after).toMatchObject({ phase: 'committee', committee: { deferCount: 0 } });
    const readmitted = when(summoned.after, cmd.admit(day(210), 'post_termination'), policy);
    expect(readmitted.decision).toMatchObject({ ok: true, events: [{}, { type: 'supportStarted', reason: 'readmitted' }] });
    expect(readmitted.after).toMatchObject({ phase: 'support', track: 'post_termination' });
  });

  test('a protective step during the watch is not a relapse', () => {
    expect(when(fx.watch, cmd.procedure('grace_period_granted', day(200))).after.phase).toBe('watch');
  });

  test.each(PHASES.filter((p) => p !== 'closed'))('close and withdraw from %s keep the outcome', (phase) => {
    expect(when(fx[phase], sample('close')).after).toMatchObject({ phase: 'closed', outcome: 'left', closedAt: LATE });
    expect(when(fx[phase], sample('withdraw')).after).toMatchObject({ phase: 'closed', outcome: 'withdrawn' });
    expect(when(fx[phase], { ...sample('close'), outcome: 'rejected' } as HouseholdCommand).decision)
      .toMatchObject({ ok: false, code: 'outcome_reserved_to_committee' });
    expect(when(fx[phase], { ...sample('close'), outcome: 'reoriented' } as HouseholdCommand).decision)
      .toMatchObject({ ok: false, code: 'scheme_required' });
  });
});

describe('nextDeadline', () => {
  test.each([
    ['referred', undefined],
    ['partner_check', { kind: 'partner_check_reminder', at: day(7) }],
    ['committee', undefined],
    ['contact', { kind: 'contact_attempt_due', at: day(14) }],
    ['escalated', undefined],
    ['support', { kind: 'support_review_due', at: day(45) }],
    ['handoff', { kind: 'handoff_acknowledgement_reminder', at: day(127) }],
    ['watch', { kind: 'watch_check_due', at: day(210) }],
    ['closed', undefined],
  ] as const)('in %s: %j', (fixture, deadline) => {
    expect(nextDeadline(fx[fixture], defaultProgrammePolicy)).toEqual(deadline);
  });

  test('after the reminder comes the partner-check deadline', () => {
    const reminded = when(fx.partner_check, cmd.timer('partnerCheckReminderDue', day(7)));
    expect(reminded.decision).toMatchObject({ ok: true, events: [{ pendingPartnerOrgIds: [CAF, CCAS] }] });
    expect(nextDeadline(reminded.after, defaultProgrammePolicy)).toEqual({ kind: 'partner_check_deadline', at: day(10) });
    expect(when(reminded.after, cmd.timer('partnerCheckReminderDue')).decision).toMatchObject({ ok: false, code: 'not_due' });
    expect(when(reminded.after, cmd.timer('partnerCheckDeadlineReached', day(9))).decision).toMatchObject({ ok: false, code: 'not_due' });
  });

  test('a requested attempt waits for its report; the next one is spaced from it', () => {
    const requested = when(fx.contact, cmd.timer('contactAttemptDue', day(14)));
    expect(requested.decision).toMatchObject({ ok: true, events: [{ type: 'contactAttemptRequested', notBefore: day(14), slot: 'weekday' }] });
    expect(nextDeadline(requested.after, defaultProgrammePolicy)).toEqual({ kind: 'contact_time_limit', at: day(74) });
    const reported = given([cmd.attempt(day(16), 'absent', 'weekday')], defaultProgrammePolicy, requested.after);
    expect(nextDeadline(reported, defaultProgrammePolicy)).toEqual({ kind: 'contact_attempt_due', at: day(19) });
    expect(when(reported, cmd.timer('contactAttemptDue', day(19))).decision)
      .toMatchObject({ ok: true, events: [{ notBefore: day(19), slot: 'evening' }] });
  });

  test('an unanswered review request is asked again a period later; a review restarts the period', () => {
    const requested = given([cmd.timer('supportReviewDue', day(45))], defaultProgrammePolicy, fx.support);
    expect(nextDeadline(requested, defaultProgrammePolicy)).toEqual({ kind: 'support_review_due', at: day(75) });
    const reviewed = given([{ type: 'recordReview', at: day(50), by: educator }], defaultProgrammePolicy, requested);
    expect(nextDeadline(reviewed, defaultProgrammePolicy)).toEqual({ kind: 'support_review_due', at: day(80) });
  });

  test('handoff reminders repeat while a scheme is silent; the overlap end comes once everyone acknowledged', () => {
    const reminded = when(fx.handoff, cmd.timer('handoffReminderDue', day(127)));
    expect(reminded.decision).toMatchObject({ ok: true, events: [{ pendingSchemes: ['asll', 'sector_social_worker'] }] });
    expect(nextDeadline(reminded.after, defaultProgrammePolicy)).toEqual({ kind: 'handoff_acknowledgement_reminder', at: day(134) });
    const acked = given([cmd.ack('asll'), cmd.ack('sector_social_worker')], defaultProgrammePolicy, fx.handoff);
    expect(nextDeadline(acked, defaultProgrammePolicy)).toEqual({ kind: 'handoff_overlap_end', at: day(180) });
  });

  test('the watch ends rather than checks when both fall due together', () => {
    const short: ProgrammePolicy = { ...defaultProgrammePolicy, watch: { ...defaultProgrammePolicy.watch, lengthMs: days(60) } };
    const checked = given([cmd.timer('watchCheckDue', day(210))], short, fx.watch);
    expect(nextDeadline(checked, short)).toEqual({ kind: 'watch_end', at: day(240) });
  });

  test('policy durations drive the timers (tests can run the path in seconds)', () => {
    const fast: ProgrammePolicy = { ...defaultProgrammePolicy, partnerCheck: { deadlineMs: 10_000, reminderLeadMs: 3_000 } };
    expect(nextDeadline(fx.partner_check, fast)).toEqual({ kind: 'partner_check_reminder', at: addMs(day(0), 7_000) });
  });
});

describe('suggestNextAttempt', () => {
  const withSlots = (...slots: ('weekday' | 'evening' | 'weekend')[]) =>
    given(slots.map((slot, i) => cmd.attempt(day(15 + 3 * i), 'absent', slot)), defaultProgrammePolicy, fx.contact);

  test.each([
    [[], 'weekday', day(14)],
    [['weekday'], 'evening', day(18)],
    [['weekday', 'evening'], 'weekend', day(21)],
    [['weekday', 'evening', 'weekend'], 'weekday', day(24)],
    [['evening', 'weekday', 'weekend', 'evening'], 'weekday', day(27)],
  ] as const)('after %j: %s, not before %s', (slots, slot, notBefore) => {
    expect(suggestNextAttempt(withSlots(...slots), defaultProgrammePolicy, day(14))).toEqual({ slot, notBefore });
  });
});

describe('detectRelapse', () => {
  const watched = (arrearsCents: number) => given([cmd.arrears(arrearsCents, day(200))], defaultProgrammePolicy, fx.watch);
  const byAmount: ProgrammePolicy = { ...defaultProgrammePolicy, watch: { ...defaultProgrammePolicy.watch, relapseArrears: { kind: 'amount', cents: 100_000 } } };

  test('arrears strictly above one month of rent', () => {
    expect(detectRelapse(watched(50_000), defaultProgrammePolicy)).toEqual([]);
    expect(detectRelapse(watched(50_001), defaultProgrammePolicy)).toEqual([{ kind: 'arrears_above_threshold', arrearsCents: 50_001, thresholdCents: 50_000 }]);
  });
  test('or above a fixed amount', () => {
    expect(detectRelapse(watched(80_000), byAmount)).toEqual([]);
  });
  test('procedure steps recorded before the watch do not count; outside the watch nothing counts', () => {
    const before = given([cmd.procedure('summons', day(100))], defaultProgrammePolicy, fx.support);
    expect(detectRelapse(before, defaultProgrammePolicy)).toEqual([]);
    expect(detectRelapse(given([cmd.arrears(900_000, day(101))], defaultProgrammePolicy, fx.support), defaultProgrammePolicy)).toEqual([]);
  });
});

describe('policy', () => {
  test('the default policy is valid', () => {
    expect(validateProgrammePolicy(defaultProgrammePolicy)).toEqual([]);
  });
  test('problems are named by path, in French', () => {
    const bad: ProgrammePolicy = {
      ...defaultProgrammePolicy,
      partnerCheck: { deadlineMs: days(3), reminderLeadMs: days(5) },
      contact: { ...defaultProgrammePolicy.contact, maxFailedAttempts: 0 },
      capacity: { perLandlord: 80, total: 60 },
    };
    expect(validateProgrammePolicy(bad)).toEqual([
      'partnerCheck.reminderLeadMs : la relance doit précéder la date limite de vérification.',
      'contact.maxFailedAttempts : un nombre entier supérieur ou égal à 1 est attendu.',
      'capacity.perLandlord : la capacité par bailleur ne peut dépasser la capacité totale.',
    ]);
  });
});

describe('evolve and decide are pure', () => {
  const deepFreeze = <T>(value: T): T => {
    if (value && typeof value === 'object') Object.values(value).forEach(deepFreeze);
    return Object.freeze(value);
  };

  test.each(table.filter(([, , then]) => then !== undefined))('in %s, %s leaves the given state untouched', (phase, type, then) => {
    const state = deepFreeze(structuredClone(then?.given ?? fx[phase]));
    expect(() => when(state, sample(type))).not.toThrow();
  });

  test('the history keeps the last entries only, so the state stays small across continue-as-new', () => {
    const busy = given(Array.from({ length: 70 }, (_, i) => cmd.arrears(1_000 * i, day(20 + i))), defaultProgrammePolicy, fx.support);
    expect(busy.history).toHaveLength(HISTORY_LIMIT);
    expect(busy.history[HISTORY_LIMIT - 1]).toEqual({ at: day(89), type: 'arrearsUpdated' });
  });

  test('the same decision twice gives the same events', () => {
    expect(decide(fx.watch, cmd.timer('watchCheckDue'), defaultProgrammePolicy)).toEqual(decide(fx.watch, cmd.timer('watchCheckDue'), defaultProgrammePolicy));
  });
});
