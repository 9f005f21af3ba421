// The legal rules at the eviction end of a procedure (winter truce, délais de grâce, police
// assistance, protocole), the arrears threshold, warnings due, and the rules' inputs and versions.
import {
  computeLegalDeadlines, earliestEvictionDate, isArrearsConstituted, isWinterTruce, LEGAL_EVENT_TYPES, ruleAt, RULES, warningsDue,
} from '../domain/legal';
import { PROCEDURE_EVENT_TYPES } from '../domain/household/vocabulary';
import { given, due, flagCodes } from './support/legal';


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
