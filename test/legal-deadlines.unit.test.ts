import {
  addMonths, addWorkingDays, computeLegalDeadlines, earliestEvictionDate, easterSunday, frenchPublicHolidays,
  isArrearsConstituted, isWinterTruce, isWorkingDay, LEGAL_EVENT_TYPES, nextWorkingDayOnOrAfter, ruleAt, RULES,
  warningsDue, workingDaysBetween, type LegalDeadlineInput, type LegalDeadlineKind, type LegalEvent,
} from '../domain/legal';
import { PROCEDURE_EVENT_TYPES } from '../domain/household/vocabulary';

// Given a lease date and procedure events, when the deadlines are computed on `today`, then…
const TODAY = '2025-01-02';
const given = (events: LegalEvent[], extra: Partial<LegalDeadlineInput> = {}) =>
  computeLegalDeadlines({ leaseStartDate: '2020-01-01', events, today: TODAY, ...extra });
const due = (report: ReturnType<typeof given>, kind: LegalDeadlineKind) => report.deadlines.find((d) => d.kind === kind);
const flagCodes = (report: ReturnType<typeof given>) => report.flags.map((f) => f.code);

describe('calendar arithmetic (CPC art. 641: same day number, clamped to a shorter month)', () => {
  test.each([
    ['2024-12-31', 2, '2025-02-28'], // 31 Dec + 2 months: February is shorter
    ['2023-12-31', 2, '2024-02-29'], // leap year
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-03-31', -1, '2025-02-28'], // backwards too
    ['2025-05-12', -2, '2025-03-12'],
    ['2025-11-30', 3, '2026-02-28'], // across a year
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('commandement de payer: 6 weeks for leases from 29 July 2023, 2 months before (art. 24 I; Cass. avis 13 juin 2024, n° 24-70.002)', () => {
  test.each([
    // lease date, commandement, expected last day, version
    ['2023-07-28', '2025-01-10', '2025-03-10', 'avant loi 2023-668'], // lease the day before the law: 2 months
    ['2023-07-29', '2025-01-10', '2025-02-21', 'loi 2023-668'], // lease on the day it took effect: 42 days
    ['2019-06-01', '2024-12-31', '2025-02-28', 'avant loi 2023-668'], // 31 Dec + 2 months, clamped
  ])('lease %s, commandement %s → pay by %s', (leaseStartDate, date, expected, version) => {
    const report = given([{ type: 'payment_order', date }], { leaseStartDate });
    expect(due(report, 'payment_order_expiry')).toMatchObject({ dueDate: expected, ruleVersion: version, severity: 'lever' });
    expect(report.flags).toEqual([]);
  });

  test('unknown lease date: the current 6-week rule, flagged for checking', () => {
    const report = given([{ type: 'payment_order', date: '2025-01-10' }], { leaseStartDate: undefined });
    expect(due(report, 'payment_order_expiry')?.dueDate).toBe('2025-02-21');
    expect(flagCodes(report)).toEqual(['lease_date_unknown']);
  });
});

describe('prefect notice: ≥ 6 weeks before the hearing for summons from 29 July 2023, 2 months before (art. 24 III)', () => {
  test.each([
    // summons, hearing, latest notice. 6 weeks = 42 days counted back from the eve of the hearing (Cass. avis 6 nov. 2025, n° 25-70.018)
    ['2023-07-28', '2023-10-10', '2023-08-09', 'avant loi 2023-668'], // 10 Aug is the 2-month mark, so the 9th at the latest
    ['2023-07-29', '2023-10-10', '2023-08-28', 'loi 2023-668'], // 10 Oct − 42 days = 29 Aug, so the 28th at the latest
    ['2025-03-20', '2025-05-12', '2025-03-30', 'loi 2023-668'], // the avis's own hearing date; a Sunday, not extended
  ])('summons %s, hearing %s → notify the prefect by %s', (date, hearingDate, expected, version) => {
    const report = given([{ type: 'summons', date, hearingDate }]);
    expect(due(report, 'prefect_notice_latest')).toMatchObject({ dueDate: expected, ruleVersion: version });
  });

  test.each([
    ['2025-03-26', []], // the notice in the avis's case: in time
    ['2025-03-31', ['late_prefect_notice']], // one day too late: irrecevabilité to raise
  ])('notice on %s → flags %j', (noticeDate, flags) => {
    const report = given([{ type: 'summons', date: '2025-03-20', hearingDate: '2025-05-12' }, { type: 'prefect_notified', date: noticeDate }]);
    expect(flagCodes(report)).toEqual(flags);
  });

  test('a postponed hearing does not cure a late notice: the hearing of the summons counts', () => {
    const report = given([
      { type: 'summons', date: '2025-03-20', hearingDate: '2025-05-12' },
      { type: 'prefect_notified', date: '2025-04-10' },
      { type: 'hearing', date: '2025-09-15' },
    ]);
    expect(due(report, 'prefect_notice_latest')?.dueDate).toBe('2025-03-30');
    expect(flagCodes(report)).toEqual(['late_prefect_notice']);
  });
});

describe('CCAPEX referral: no summons before 2 months have run (art. 24 II; a CAF report counts as a referral)', () => {
  test.each([
    [[{ type: 'ccapex_referral', date: '2024-10-31' }], '2025-01-01', []],
    [[{ type: 'caf_report', date: '2024-10-31' }, { type: 'summons', date: '2024-12-20' }], '2025-01-01', ['premature_summons']],
    [[{ type: 'ccapex_referral', date: '2024-10-15' }, { type: 'summons', date: '2024-12-16' }], '2024-12-16', []],
  ] as [LegalEvent[], string, string[]][])('%j → summons possible from %s, flags %j', (events, expected, flags) => {
    const report = given(events);
    expect(due(report, 'earliest_summons')?.dueDate).toBe(expected);
    expect(flagCodes(report)).toEqual(flags);
  });
});

describe('French public holidays, metropolitan France (Code du travail L3133-1)', () => {
  test.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2038, '2038-04-25'], // latest possible date
  ])('Easter %i is %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  test('2026: eleven holidays, movable feasts from Easter on 5 April', () => {
    expect(frenchPublicHolidays(2026).map((h) => h.date)).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25',
      '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
  });

  test.each([
    ['2025-04-18', true], // Good Friday: a holiday only in Alsace-Moselle, not in Reims
    ['2025-04-21', false], // Easter Monday
    ['2025-05-29', false], // Ascension
    ['2025-06-09', false], // Whit Monday
    ['2025-05-10', false], // Saturday
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  test.each([
    ['2025-04-17', 2, '2025-04-22'], // Thu → Fri, (Easter Monday skipped), Tue
    ['2025-05-12', -5, '2025-05-02'], // back over 8 May and the weekend
  ])('%s + %i working days = %s', (date, count, expected) => {
    expect(addWorkingDays(date, count)).toBe(expected);
  });

  test('counting working days across Easter Monday', () => {
    expect(workingDaysBetween('2025-04-17', '2025-04-22')).toBe(2);
  });
});

describe('DSF: interview within 15 working days of the referral, report ≥ 5 working days before the hearing (décret 2021-8, art. 1)', () => {
  test('May 2025, with 1, 8 and 29 May off', () => {
    const report = given([
      { type: 'summons', date: '2025-03-20', hearingDate: '2025-05-26' },
      { type: 'prefect_notified', date: '2025-04-30' },
    ]);
    expect(due(report, 'dsf_interview_offer')?.dueDate).toBe('2025-05-23');
    expect(due(report, 'dsf_transmission')?.dueDate).toBe('2025-05-19');
  });
});

describe('hearing: full current rent resumed before it, or no payment delays (art. 24 V, 2023 reform)', () => {
  test.each([
    [[{ type: 'summons', date: '2025-03-20', hearingDate: '2025-05-12' }], '2025-05-12'],
    [[{ type: 'summons', date: '2025-03-20', hearingDate: '2025-05-12' }, { type: 'hearing', date: '2025-06-30' }], '2025-06-30'], // postponed
    [[{ type: 'summons', date: '2023-03-01', hearingDate: '2023-06-01' }], undefined], // before the reform: no such condition
  ] as [LegalEvent[], string | undefined][])('%j → lever on %s', (events, expected) => {
    const lever = due(given(events), 'full_rent_before_hearing');
    expect(lever?.dueDate).toBe(expected);
    if (lever) expect(lever.severity).toBe('lever');
  });
});

describe('appeal: 1 month from service, 15 days for a référé, extended past days off (CPC art. 538, 490, 642)', () => {
  test.each([
    [{ type: 'judgment', date: '2025-06-20' }, '2025-07-15', '2025-08-18'], // 15 Aug is a Friday holiday → Monday 18
    [{ type: 'judgment', date: '2025-02-20', interimOrder: true }, '2025-03-01', '2025-03-17'], // 16 March is a Sunday
    [{ type: 'judgment', date: '2025-01-10' }, '2025-01-31', '2025-02-28'], // month-end clamping
  ] as [LegalEvent, string, string][])('%j served %s → appeal by %s', (judgment, served, expected) => {
    expect(due(given([judgment, { type: 'judgment_served', date: served }]), 'appeal')?.dueDate).toBe(expected);
  });

  test('CPC 642 leaves a working day alone', () => {
    expect(nextWorkingDayOnOrAfter('2025-08-14')).toBe('2025-08-14');
  });
});

describe('winter truce: no eviction from 1 November to 31 March inclusive (CPCE L412-6)', () => {
  test.each([
    ['2025-10-31', false],
    ['2025-11-01', true],
    ['2026-03-31', true],
    ['2026-04-01', false],
    ['2013-03-20', false], // before the ALUR law the truce ended on 15 March: the versioned rule
  ])('%s in the truce: %s', (date, expected) => {
    expect(isWinterTruce(date)).toBe(expected);
  });

  test.each([
    // commandement de quitter, judge's shortened délai, end of délais de grâce → earliest eviction (CPCE L412-1, L412-4, L412-6)
    ['2025-07-01', undefined, undefined, '2025-09-02'], // 2 months run to 1 Sept
    ['2025-09-15', undefined, undefined, '2026-04-01'], // délai ends in the truce → 1 April
    ['2025-06-10', 0, undefined, '2025-06-10'], // délai removed by the judge
    ['2025-06-10', 15, undefined, '2025-06-26'],
    ['2025-07-01', undefined, '2026-05-01', '2026-05-02'], // délais de grâce outlast the truce
    ['2024-12-31', undefined, undefined, '2025-04-01'], // 28 Feb in the truce
  ])('order %s, shortened %s, grace until %s → %s', (orderToLeaveDate, judgeShortenedToDays, gracePeriodEnd, expected) => {
    expect(earliestEvictionDate({ orderToLeaveDate, judgeShortenedToDays, gracePeriodEnd })).toBe(expected);
  });
});

describe('délais de grâce: 1 month to 1 year since the 2023 reform, 3 months to 3 years before (CPCE L412-4)', () => {
  test.each([
    ['2025-01-10', 12, '2026-01-10', undefined],
    ['2025-01-10', 1, '2025-02-10', undefined],
    ['2025-01-10', 13, undefined, 'invalid_grace_period'], // refused, not clamped
    ['2025-01-10', 0, undefined, 'invalid_grace_period'],
    ['2020-01-10', 24, '2022-01-10', undefined], // granted under the ALUR bounds
    ['2020-01-10', 2, undefined, 'invalid_grace_period'],
  ])('granted %s for %i months → ends %s, error %s', (date, months, expectedEnd, error) => {
    const report = given([{ type: 'grace_period_granted', date, months }]);
    expect(due(report, 'grace_period_end')?.dueDate).toBe(expectedEnd);
    expect(report.errors.map((e) => e.code)).toEqual(error ? [error] : []);
  });
});

describe('police assistance: the prefect has 2 months, a request before the commandement runs out is premature (CPCE R153-1; CE 18 déc. 2013, n° 363126)', () => {
  test.each([
    ['2025-06-20', ['premature_police_request'], '2025-09-05'], // lodged when the délai expires (5 July)
    ['2025-07-05', ['premature_police_request'], '2025-09-05'], // the délai's last day is still inside it
    ['2025-07-10', [], '2025-09-10'],
  ])('order 2025-05-05, request %s → flags %j, silence = refusal on %s', (requestDate, flags, decision) => {
    const report = given([{ type: 'order_to_leave', date: '2025-05-05' }, { type: 'police_assistance_requested', date: requestDate }]);
    expect(flagCodes(report)).toEqual(flags);
    expect(due(report, 'police_decision')?.dueDate).toBe(decision);
  });
});

describe('protocole de cohésion sociale: 2 years at most, new lease within 3 months (CCH L353-15-2, L442-6-5)', () => {
  test.each([
    [{}, '2027-03-31', '2027-06-30', []],
    [{ durationMonths: 12, extensionMonths: 36 }, '2029-03-31', '2029-06-30', []],
    [{ durationMonths: 30 }, undefined, undefined, ['invalid_protocol_duration']],
  ])('signed 2025-03-31 with %j → ends %s, new lease by %s', (details, end, newLease, errors) => {
    const report = given([{ type: 'social_cohesion_protocol', date: '2025-03-31', ...details }]);
    expect(due(report, 'protocol_end')?.dueDate).toBe(end);
    expect(due(report, 'protocol_new_lease')?.dueDate).toBe(newLease);
    expect(report.errors.map((e) => e.code)).toEqual(errors);
  });
});

describe('impayé constitué: debt ≥ 2 × (rent + charges), benefit paid to the landlord deducted', () => {
  test.each([
    [120_000, 60_000, 0, true],
    [119_999, 60_000, 0, false],
    [80_000, 60_000, 20_000, true], // tiers payant: 2 × (600 − 200) €
    [0, 0, 0, false],
  ])('arrears %i, rent %i, benefit %i → %s', (arrears, rent, benefit, expected) => {
    expect(isArrearsConstituted(arrears, rent, benefit)).toBe(expected);
  });

  test('CAF report due 2 months after the arrears is constituted, unless already made', () => {
    expect(due(given([], { arrearsConstitutedOn: '2024-12-31' }), 'caf_report')?.dueDate).toBe('2025-02-28');
    expect(due(given([{ type: 'caf_report', date: '2025-01-15' }], { arrearsConstitutedOn: '2024-12-31' }), 'caf_report')).toBeUndefined();
  });

  test('amounts must be integer cents', () => {
    expect(() => isArrearsConstituted(10.5, 100)).toThrow(RangeError);
  });
});

describe('status and warnings due', () => {
  // Commandement of 10 Jan 2025 on a post-reform lease: pay by 21 Feb 2025.
  const report = (today: string) =>
    computeLegalDeadlines({ leaseStartDate: '2024-01-01', today, events: [{ type: 'payment_order', date: '2025-01-10' }] });

  test.each([
    ['2025-02-20', 'upcoming'],
    ['2025-02-21', 'today'],
    ['2025-02-22', 'passed'],
  ])('on %s the deadline is %s', (today, status) => {
    expect(due(report(today), 'payment_order_expiry')?.status).toBe(status);
  });

  test.each([
    ['2025-02-11', 10, 1], // exactly 10 days ahead
    ['2025-02-11', 9, 0],
    ['2025-02-21', 0, 1], // due today
    ['2025-02-22', 30, 0], // passed: no warning
  ])('on %s with %i days of lead time → %i warning(s)', (today, leadDays, count) => {
    expect(warningsDue(report(today).deadlines, today, leadDays)).toHaveLength(count);
  });
});

describe('inputs and versions', () => {
  test('a malformed event date is reported and the event left out', () => {
    const report = given([{ type: 'payment_order', date: '2025-02-30' }]);
    expect(report.deadlines).toEqual([]);
    expect(report.errors).toEqual([expect.objectContaining({ code: 'invalid_date', eventIndex: 0 })]);
  });

  test('an eviction during the truce is flagged', () => {
    expect(flagCodes(given([{ type: 'eviction', date: '2025-12-10' }]))).toEqual(['eviction_during_truce']);
  });

  test('deadlines come sorted by date, each with its legal basis', () => {
    const { deadlines } = given([
      { type: 'order_to_leave', date: '2025-05-05' },
      { type: 'payment_order', date: '2024-01-10' },
      { type: 'summons', date: '2024-06-01', hearingDate: '2024-09-02' },
    ]);
    expect(deadlines.map((d) => d.dueDate)).toEqual([...deadlines.map((d) => d.dueDate)].sort());
    for (const d of deadlines) expect(d.basis).toMatch(/art\./);
  });

  test('the rule version is picked by the date it took effect', () => {
    expect(ruleAt(RULES.paymentOrder, '2023-07-28').params.period).toEqual({ unit: 'months', count: 2 });
    expect(ruleAt(RULES.paymentOrder, '2023-07-29').params.period).toEqual({ unit: 'weeks', count: 6 });
    expect(ruleAt(RULES.prefectNotice, '2030-01-01').effectiveFrom).toBe('2023-07-29');
  });

  test('the same event names as the household procedure', () => {
    expect([...LEGAL_EVENT_TYPES].sort()).toEqual([...PROCEDURE_EVENT_TYPES].sort());
  });
});
