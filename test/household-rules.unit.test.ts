// The household rules as a table: every phase × every command, accepted (with its events and the
// phase after) or refused; and decide/evolve are pure. Stories: household-stories.unit.test.ts;
// deadlines, attempts, relapse and the policy: household-deadlines.unit.test.ts.
import { acceptedCommands, decide, HISTORY_LIMIT, PHASES, type HouseholdCommand, type HouseholdEvent, type HouseholdState, type Phase } from '../domain/household';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import {
  CAF, CCAS, day, LATE, fresh, given, when, cmd, fx, sample, ALL_COMMANDS,
} from './support/household-fixtures';

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

describe('partners answered by their caseload list (docs/privacy/caseload-lists.md)', () => {
  const USH = 'partner-ush';
  const referral = (partnerOrgIds: string[], byList: string[]): HouseholdCommand => ({
    ...cmd.start(), partnerOrgIds, partnersAnsweredByList: byList.map((partnerOrgId) => ({ partnerOrgId, listDate: '2025-01-02' })),
  } as HouseholdCommand);

  test('the check asks the others and records the list answers at once, as "not known, by list"', () => {
    const opened = when(given([referral([CAF], [CCAS, USH])]), cmd.open());
    expect(opened.types).toEqual(['partnerCheckOpened', 'partnerAnswerRecorded', 'partnerAnswerRecorded']);
    expect(opened.decision).toMatchObject({ ok: true, events: [{ partnerOrgIds: [CAF] }, { partnerOrgId: CCAS, answer: 'not_known', source: 'list', listDate: '2025-01-02' }, {}] });
    expect(opened.after.phase).toBe('partner_check');
    expect(opened.after.partnerCheck?.answers).toEqual({
      [CAF]: { status: 'pending' },
      [CCAS]: { status: 'not_known', answeredAt: day(0), source: 'list', listDate: '2025-01-02', referentWorkerRef: undefined },
      [USH]: { status: 'not_known', answeredAt: day(0), source: 'list', listDate: '2025-01-02', referentWorkerRef: undefined },
    });
    // The organisation asked answers: every answer is in, the committee may look at the household.
    const answered = when(opened.after, cmd.answer(CAF, 'not_known'));
    expect(answered.types).toEqual(['partnerAnswerRecorded', 'partnerCheckCompleted']);
    expect(answered.after.phase).toBe('committee');
  });

  test('every organisation answered by its list: the check completes at once, nobody is asked', () => {
    const opened = when(given([referral([], [CAF, CCAS])]), cmd.open());
    expect(opened.types).toEqual(['partnerCheckOpened', 'partnerAnswerRecorded', 'partnerAnswerRecorded', 'partnerCheckCompleted']);
    expect(opened.decision).toMatchObject({ ok: true, events: [{ partnerOrgIds: [] }, {}, {}, { reason: 'all_answered', pendingPartnerOrgIds: [] }] });
    expect(opened.after.phase).toBe('committee');
  });

  test('an organisation both to ask and answered by list is asked; no partner at all is still refused', () => {
    const started = when(fresh(), referral([CAF], [CAF, CCAS, CCAS]));
    expect(started.after.referral).toMatchObject({ partnerOrgIds: [CAF], partnersAnsweredByList: [{ partnerOrgId: CCAS, listDate: '2025-01-02' }] });
    expect(when(given([referral([], [])]), cmd.open()).decision).toMatchObject({ ok: false, code: 'no_partners' });
    // A referral from before the lists has no such field and opens as it always did.
    expect(when(fx.referred, cmd.open()).types).toEqual(['partnerCheckOpened']);
  });
});
