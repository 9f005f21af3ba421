import type { ProgrammePolicy } from '../programme/policy';
import type { HouseholdState } from './state';
import { addMs, latest, toMs, type Instant } from './time';
import { TIME_SLOTS, type TimeSlot } from './vocabulary';

export interface AttemptSuggestion {
  notBefore: Instant;
  slot: TimeSlot;
}

/**
 * When and in which slot to try next. Households that no longer answer are often out at the
 * usual hours, so the slot rotates: a slot never tried comes first, then the one tried longest
 * ago; ties follow weekday → evening → weekend. Spacing runs from the last attempt.
 */
export function suggestNextAttempt(state: HouseholdState, policy: ProgrammePolicy, now: Instant): AttemptSuggestion {
  const attempts = state.contact?.attempts ?? [];
  const lastTried = (slot: TimeSlot) => {
    const times = attempts.filter((a) => a.slot === slot).map((a) => toMs(a.at));
    return times.length === 0 ? -Infinity : Math.max(...times);
  };
  let slot: TimeSlot = TIME_SLOTS[0];
  for (const candidate of TIME_SLOTS) {
    if (lastTried(candidate) < lastTried(slot)) slot = candidate;
  }
  const lastAttemptAt = attempts[attempts.length - 1]?.at;
  const spaced = lastAttemptAt === undefined ? now : addMs(lastAttemptAt, policy.contact.attemptSpacingMs);
  return { notBefore: latest(now, spaced) ?? now, slot };
}
