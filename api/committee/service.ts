import { recordAudit } from '../audit';
import type { Principal } from '../auth/principal';
import type { ApiCore } from '../context';
import { capacityOf } from './capacity';
import { recordDecisions } from './decisions';
import type { DecisionsBody } from './schemas';
import { createCommitteeSessions } from './sessions';

/**
 * The committee as one service: its sessions (api/committee/sessions.ts), the batch of decisions
 * (api/committee/decisions.ts), and what the minutes are made of.
 */
export function createCommitteeService(core: ApiCore) {
  const sessions = createCommitteeSessions(core);
  return {
    ...sessions,

    decide: (session: { id: string }, body: DecisionsBody, principal: Principal, requestId: string) =>
      recordDecisions(core, session, body, principal, requestId),

    /**
     * The decisions and the capacity the minutes show. Printing the minutes is reading each
     * household's file: one audit row per household, `via` says which minutes.
     */
    async minutes(session: { id: string }, rc: { actor: string; requestId: string }, via: string) {
      const [decisions, capacity] = await Promise.all([sessions.decisionsOf(session.id), capacityOf(core.db, core.policy)]);
      for (const householdId of new Set(decisions.map((d) => d.householdId))) {
        await recordAudit(core.db, { actor: rc.actor, action: 'household.read', householdId, requestId: rc.requestId, details: { via, sessionId: session.id } });
      }
      return { decisions, capacity };
    },
  };
}

export type CommitteeService = ReturnType<typeof createCommitteeService>;
