import type { HouseholdEvent } from './event-types';
import { evolve } from './evolve';
import type { HouseholdState } from './state';
import type { Track } from './vocabulary';

/** `code` is a stable English identifier for programs; `reason` is plain French for the user. */
export type Decision =
  | { ok: true; events: HouseholdEvent[] }
  | { ok: false; code: string; reason: string };

export const refuse = (code: string, reason: string): Decision => ({ ok: false, code, reason });

/**
 * Collects the events of one decision while folding them, so that later rules in the same
 * decision see their effect (e.g. "was that the last partner answer?").
 */
export function emitter(initial: HouseholdState) {
  const events: HouseholdEvent[] = [];
  let current = initial;
  return {
    emit(event: HouseholdEvent): void {
      events.push(event);
      current = evolve(current, event);
    },
    get state(): HouseholdState {
      return current;
    },
    accept(): Decision {
      return { ok: true, events };
    },
  };
}

export type Emitter = ReturnType<typeof emitter>;

// Every phase from contact on has a track (the committee's admission sets it); the fallback only
// satisfies the type.
export const admittedTrack = (s: HouseholdState): Track => s.track ?? 'pre_litigation';
