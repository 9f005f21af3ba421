// The legal deadlines of a rent-arrears procedure: commandement, prefect notice, CCAPEX, working
// days and public holidays, DSF, hearing, appeal. The eviction end: legal-eviction.unit.test.ts.
import {
  addMonths, addWorkingDays, easterSunday, frenchPublicHolidays, isWorkingDay, nextWorkingDayOnOrAfter, workingDaysBetween, type LegalEvent,
} from '../domain/legal';
import { given, due, flagCodes } from './support/legal';


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
