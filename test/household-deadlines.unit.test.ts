// What the pure rules compute besides decisions: the next deadline, the next contact attempt's
// slot, relapse detection, and the programme policy's validation.
import { addMs, detectRelapse, nextDeadline, suggestNextAttempt } from '../domain/household';
import { days, defaultProgrammePolicy, validateProgrammePolicy, type ProgrammePolicy } from '../domain/programme/policy';
import {
  day, CAF, CCAS, educator, given, when, cmd, fx,
} from './support/household-fixtures';

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
