/** Collects deadlines, flags and errors while the rule steps run over the (validated) events. */
import { daysBetween, type IsoDate } from './dates';
import type { RuleVersion } from './rules';
import type {
  DeadlineStatus, LegalDeadline, LegalDeadlineInput, LegalDeadlineKind, LegalEvent, LegalEventType, LegalFlag,
  LegalFlagCode, LegalInputError, LegalSeverity,
} from './types';

export function deadlineStatus(dueDate: IsoDate, today: IsoDate): DeadlineStatus {
  const left = daysBetween(today, dueDate);
  return left > 0 ? 'upcoming' : left === 0 ? 'today' : 'passed';
}

export interface DeadlineSpec {
  kind: LegalDeadlineKind;
  dueDate: IsoDate;
  ruleId: string;
  version: RuleVersion<unknown>;
  label: string;
  severity: LegalSeverity;
  leverHint?: string;
  from: LegalDeadline['from'];
}

export class Context {
  readonly deadlines: LegalDeadline[] = [];
  readonly flags: LegalFlag[] = [];

  constructor(
    readonly input: LegalDeadlineInput,
    /** Only the events that passed validation. */
    readonly events: readonly LegalEvent[],
    readonly errors: LegalInputError[],
  ) {}

  add(spec: DeadlineSpec): void {
    const { version, ...rest } = spec;
    this.deadlines.push({
      ...rest,
      basis: version.basis,
      ruleVersion: version.version,
      effectiveFrom: version.effectiveFrom,
      status: deadlineStatus(spec.dueDate, this.input.today),
    });
  }

  flag(code: LegalFlagCode, date: IsoDate, message: string, basis: string): void {
    this.flags.push({ code, date, message, basis });
  }

  /** The most recent event of these types (on or before `onOrBefore` when given): a new step replaces the old one. */
  latest<T extends LegalEventType>(types: T | readonly T[], onOrBefore?: IsoDate): (LegalEvent & { type: T }) | undefined {
    return this.ofTypes(types)
      .filter((event) => onOrBefore === undefined || event.date <= onOrBefore)
      .reduce<(LegalEvent & { type: T }) | undefined>((best, event) => (best === undefined || event.date >= best.date ? event : best), undefined);
  }

  /** The earliest event of this type on or after `onOrAfter`. */
  firstOnOrAfter<T extends LegalEventType>(type: T, onOrAfter: IsoDate): (LegalEvent & { type: T }) | undefined {
    return this.ofTypes(type)
      .filter((event) => event.date >= onOrAfter)
      .reduce<(LegalEvent & { type: T }) | undefined>((best, event) => (best === undefined || event.date < best.date ? event : best), undefined);
  }

  ofTypes<T extends LegalEventType>(types: T | readonly T[]): (LegalEvent & { type: T })[] {
    const wanted: readonly LegalEventType[] = typeof types === 'string' ? [types] : types;
    return this.events.filter((event): event is LegalEvent & { type: T } => wanted.includes(event.type));
  }
}
