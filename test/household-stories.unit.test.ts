// Households told as stories over the pure rules (given / when / then, test/support/household-fixtures.ts).
import { nextDeadline, PHASES, type HouseholdCommand } from '../domain/household';
import { defaultProgrammePolicy, type ProgrammePolicy } from '../domain/programme/policy';
import {
  day, LATE, CAF, CCAS, coordinator, educator, fresh, given, when, cmd, fx, sample,
} from './support/household-fixtures';

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
