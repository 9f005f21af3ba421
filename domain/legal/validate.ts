/**
 * Events usually come from JSON typed in by people: check them before any rule runs. An event the
 * rules cannot trust is left out (or loses the detail at fault) and reported, never repaired with a guess.
 */
import { formatFr, isIsoDate } from './dates';
import { checkGracePeriod } from './eviction';
import { RULES, ruleAt } from './rules';
import type { LegalEvent, LegalInputError } from './types';

type Problem = Omit<LegalInputError, 'eventIndex'>;
interface Checked {
  /** The event as the rules may use it, or undefined when it must be left out. */
  kept?: LegalEvent;
  problem?: Problem;
}

const isIntegerIn = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
const drop = (code: Problem['code'], message: string): Checked => ({ problem: { code, message } });

function checkEvent(event: LegalEvent): Checked {
  if (!isIsoDate(event.date)) {
    return drop('invalid_date', `Date invalide pour l'étape « ${event.type} » : ${String(event.date)} (format attendu AAAA-MM-JJ).`);
  }
  switch (event.type) {
    case 'summons':
      if (event.hearingDate === undefined || isIsoDate(event.hearingDate)) return { kept: event };
      return {
        kept: { type: 'summons', date: event.date },
        problem: { code: 'invalid_date', message: `Date d'audience invalide dans l'assignation : ${String(event.hearingDate)}.` },
      };
    case 'judgment': {
      const max = ruleAt(RULES.paymentDelays, event.date).params.maxMonths;
      const { paymentDelayMonths, ...withoutDelays } = event;
      if (paymentDelayMonths === undefined || isIntegerIn(paymentDelayMonths, 1, max)) return { kept: event };
      return {
        kept: withoutDelays,
        problem: { code: 'invalid_payment_delay', message: `Délais de paiement de ${String(paymentDelayMonths)} mois : le juge peut en accorder de 1 à ${max} mois.` },
      };
    }
    case 'social_cohesion_protocol': {
      const { maxMonths, maxExtensionMonths } = ruleAt(RULES.cohesionProtocol, event.date).params;
      const durationOk = event.durationMonths === undefined || isIntegerIn(event.durationMonths, 1, maxMonths);
      const extensionOk = event.extensionMonths === undefined || isIntegerIn(event.extensionMonths, 0, maxExtensionMonths);
      if (durationOk && extensionOk) return { kept: event };
      return drop('invalid_protocol_duration', `Durée du protocole invalide : ${maxMonths} mois au plus, prolongation de ${maxExtensionMonths} mois au plus.`);
    }
    case 'order_to_leave':
      // A shortened délai we cannot read must not fall back to the full two months: the household would think it has more time.
      if (event.judgeShortenedToDays === undefined || isIntegerIn(event.judgeShortenedToDays, 0, 60)) return { kept: event };
      return drop('invalid_shortened_period', `Délai réduit par le juge invalide : ${String(event.judgeShortenedToDays)} jours (0 à 60).`);
    case 'grace_period_granted': {
      const check = checkGracePeriod(event.date, event.months);
      if (check.ok) return { kept: event };
      return drop('invalid_grace_period',
        `Délais de grâce de ${String(event.months)} mois accordés le ${formatFr(event.date)} : la loi les limite alors à ${check.minMonths} à ${check.maxMonths} mois. Vérifier la décision du juge.`);
    }
    default:
      return { kept: event };
  }
}

export function validateEvents(events: readonly LegalEvent[]): { valid: LegalEvent[]; errors: LegalInputError[] } {
  const valid: LegalEvent[] = [];
  const errors: LegalInputError[] = [];
  events.forEach((event, eventIndex) => {
    const { kept, problem } = checkEvent(event);
    if (kept) valid.push(kept);
    if (problem) errors.push({ ...problem, eventIndex });
  });
  return { valid, errors };
}
