import { computeLegalDeadlines, type LegalDeadlineInput, type LegalDeadlineKind, type LegalEvent } from '../../domain/legal';

// Given a lease date and procedure events, when the deadlines are computed on `today`, then…
export const TODAY = '2025-01-02';
export const given = (events: LegalEvent[], extra: Partial<LegalDeadlineInput> = {}) =>
  computeLegalDeadlines({ leaseStartDate: '2020-01-01', events, today: TODAY, ...extra });
export const due = (report: ReturnType<typeof given>, kind: LegalDeadlineKind) => report.deadlines.find((d) => d.kind === kind);
export const flagCodes = (report: ReturnType<typeof given>) => report.flags.map((f) => f.code);
