import { attemptsUntilFirstContact, countBy, dashboardPeriod, percent, summariseAttempts, upcomingDeadlines } from '../api/dashboard/indicators';
import { barChartSvg } from '../api/pages/bar-chart';
import { temporalUiUrl } from '../api/pages/routes/admin';

const at = (iso: string) => new Date(iso);

describe('dashboard indicators (pure part)', () => {
  test('attempts until the first contact: the successful one counts, later contacts do not, only first contacts in the period', () => {
    const rows = [
      { householdId: 'a', occurredAt: at('2025-03-12T10:00Z'), outcome: 'absent' },
      { householdId: 'a', occurredAt: at('2025-03-10T10:00Z'), outcome: 'wrong_address' },
      { householdId: 'a', occurredAt: at('2025-03-15T10:00Z'), outcome: 'contact_made' },
      { householdId: 'a', occurredAt: at('2025-04-15T10:00Z'), outcome: 'contact_made' },
      { householdId: 'b', occurredAt: at('2025-05-01T10:00Z'), outcome: 'appointment_set' },
      // A refusal is not a first contact.
      { householdId: 'c', occurredAt: at('2025-05-01T10:00Z'), outcome: 'refused' },
      // First contact before the period.
      { householdId: 'd', occurredAt: at('2024-12-30T10:00Z'), outcome: 'contact_made' },
    ];
    const result = attemptsUntilFirstContact(rows, at('2025-01-01T00:00Z'), at('2026-01-01T00:00Z'));
    expect(Object.fromEntries(result)).toEqual({ a: 3, b: 1 });
  });

  test('attempts summary: mean with one decimal and buckets up to « 5 ou plus »', () => {
    expect(summariseAttempts([1, 2, 2, 7])).toEqual({
      households: 4, average: 3,
      distribution: [{ label: '1', count: 1 }, { label: '2', count: 2 }, { label: '3', count: 0 }, { label: '4', count: 0 }, { label: '5 ou plus', count: 1 }],
    });
    expect(summariseAttempts([1, 2]).average).toBe(1.5);
    expect(summariseAttempts([]).average).toBeNull();
  });

  test('percent and countBy', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(0, 0)).toBeNull();
    expect(countBy(['x', 'y'] as const, ['x', null, 'x', 'z'])).toEqual([{ code: 'x', count: 2 }, { code: 'y', count: 0 }]);
  });

  test('period: the calendar year so far by default, both days included, a wrong day named and replaced', () => {
    const now = at('2026-05-10T12:00Z');
    const p = dashboardPeriod({}, now);
    expect([p.du, p.au, p.from.toISOString(), p.to.toISOString(), p.errors]).toEqual(['2026-01-01', '2026-05-10', '2026-01-01T00:00:00.000Z', '2026-05-11T00:00:00.000Z', []]);
    const bad = dashboardPeriod({ du: '2026-02-30', au: '2025-03-01' }, now);
    expect(bad.errors.map((e) => e.field)).toEqual(['du']);
    expect(bad.du).toBe('2025-01-01');
    const reversed = dashboardPeriod({ du: '2026-04-01', au: '2026-03-01' }, now);
    expect(reversed.errors).toEqual([{ field: 'du', message: 'le début de la période doit précéder sa fin' }]);
    expect(reversed.from <= reversed.to).toBe(true);
  });

  test('upcoming legal deadlines: from the recorded procedure, within the window, soonest first', () => {
    const households = [
      { id: 'h1', landlordId: 'l', leaseStartDate: at('2020-01-01T00:00Z') },
      { id: 'h2', landlordId: 'l', leaseStartDate: at('2020-01-01T00:00Z') },
    ];
    const procedure = [
      { householdId: 'h1', occurredAt: at('2026-03-20T09:00Z'), data: { procedureType: 'order_to_leave', occurredOn: '2026-03-20T00:00:00.000Z' } },
      { householdId: 'h2', occurredAt: at('2019-01-01T09:00Z'), data: { procedureType: 'order_to_leave', occurredOn: '2019-01-01T00:00:00.000Z' } },
    ];
    const deadlines = upcomingDeadlines(households, procedure, at('2026-05-10T12:00Z'));
    expect(deadlines.map((d) => [d.householdId, d.deadline.kind])).toContainEqual(['h1', 'order_to_leave_expiry']);
    expect(deadlines.every((d) => d.householdId === 'h1' && d.deadline.dueDate >= '2026-05-10' && d.deadline.dueDate <= '2026-06-09')).toBe(true);
    expect(upcomingDeadlines(households, procedure, at('2026-05-10T12:00Z'), 1)).toEqual([]);
  });
});

describe('bar chart and Temporal UI address', () => {
  test('bars are drawn with escaped labels, aria-hidden, the target marked and the bar past it flagged', () => {
    const svg = barChartSvg([{ label: 'A & <b>', value: 25, target: 20 }, { label: 'B', value: 3, target: 20 }]);
    expect(svg).toContain('aria-hidden="true"');
    expect(svg).toContain('A &amp; &lt;b&gt;');
    expect(svg.match(/app-chart__bar--over/g)).toHaveLength(1);
    expect(svg.match(/app-chart__target/g)).toHaveLength(2);
    expect(barChartSvg([])).toBe('');
  });

  test('the Temporal web UI: TEMPORAL_UI_URL, else the embedded one', () => {
    expect(temporalUiUrl({})).toBe('http://127.0.0.1:8233');
    expect(temporalUiUrl({ EMBEDDED_TEMPORAL_UI_PORT: '9233' })).toBe('http://127.0.0.1:9233');
    expect(temporalUiUrl({ TEMPORAL_UI_URL: 'https://temporal.example.org' })).toBe('https://temporal.example.org');
    expect(temporalUiUrl({ TEMPORAL_UI_URL: 'javascript:alert(1)' })).toBe('http://127.0.0.1:8233');
  });
});
