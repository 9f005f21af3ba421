import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Db } from '../../lib/db';
import { DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS } from '../../lib/reference-data';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import * as messages from '../../workflows/household/messages';
import { landlordSearchAttribute, phaseSearchAttribute } from '../../workflows/household/search-attributes';
import type { householdWorkflow } from '../../workflows/household/workflow';
import { sleep } from './results';

/**
 * Drives households through the Temporal client directly, as the API does (case file row first,
 * then the workflow, then Updates), without HTTP: the benchmarks measure the process, not Express.
 */
export interface BenchHousehold {
  id: string;
  landlordId: string;
  partnerOrgIds: string[];
}

/** Writes the case file rows the activities expect (the API's part of a referral), in one statement. */
export async function createHouseholdRows(db: Db, count: number, partnerCount: number = PARTNER_ORGANISATIONS.length): Promise<BenchHousehold[]> {
  const households = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    landlordId: LANDLORDS[i % LANDLORDS.length]!.id,
    partnerOrgIds: PARTNER_ORGANISATIONS.slice(0, partnerCount).map((p) => p.id),
  }));
  const now = new Date();
  await db.household.createMany({
    data: households.map((h) => ({
      id: h.id,
      landlordId: h.landlordId,
      tenancyReference: `BENCH-${h.id}`,
      headName: 'Ménage de mesure',
      address: '1 rue du Banc d\'essai, 51100 Reims',
      leaseStartDate: new Date('2020-01-01T00:00:00Z'),
      monthlyRentCents: 40_000,
      arrearsCents: 240_000,
      procedureStage: 'payment_order' as const,
      referralSource: 'pre_litigation' as const,
      workflowId: messages.householdWorkflowId(h.id),
      createdAt: now,
      workflowStartedAt: now,
    })),
  });
  return households;
}

export async function startHousehold(client: Client, taskQueue: string, h: BenchHousehold, policy: ProgrammePolicy): Promise<void> {
  const input: messages.HouseholdWorkflowInput = {
    householdId: h.id,
    landlordId: h.landlordId,
    referredAt: new Date().toISOString(),
    referredBy: 'bench',
    referral: {
      arrearsCents: 240_000, monthlyRentCents: 40_000, procedureStage: 'payment_order', referralSource: 'pre_litigation',
      leaseStartDate: '2020-01-01', partnerOrgIds: h.partnerOrgIds,
    },
    policy,
  };
  await withRetry(() => client.workflow.start<typeof householdWorkflow>('householdWorkflow', {
    taskQueue,
    workflowId: messages.householdWorkflowId(h.id),
    args: [input],
    // A retried start lands on the same workflow (as the API's).
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: phaseSearchAttribute, value: 'referred' },
      { key: landlordSearchAttribute, value: h.landlordId },
    ],
  }));
}

/** A refusal by the rules: retrying cannot help, the drill must see it. */
export class Refused extends Error {}

const RPC_DEADLINE_MS = 30_000;

/**
 * Retries what a crash, a restart or a timeout interrupts. Updates carry a stable update id, so a
 * retry of an update that was in fact applied is answered from the first one, never applied twice.
 */
export async function withRetry<T>(work: () => Promise<T>, giveUpAfterMs = 15 * 60_000): Promise<T> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Refused || error instanceof WorkflowUpdateFailedError || Date.now() > deadline) throw error;
      await sleep(Math.min(5_000, 200 * 2 ** attempt));
    }
  }
}

/**
 * Waits for households to reach a phase by reading the case file's projection, all waiting
 * households in one query every 200 ms. Polling the workflow with queries instead would put
 * hundreds of query tasks a second on the very worker being measured.
 */
export function phaseWaiter(db: Db) {
  const waiting = new Map<string, { phase: string; resolve: () => void }[]>();
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    timer = undefined;
    const ids = [...waiting.keys()];
    if (ids.length === 0) return;
    const rows = await db.household.findMany({ where: { id: { in: ids } }, select: { id: true, phase: true } }).catch(() => []);
    for (const row of rows) {
      const waiters = waiting.get(row.id) ?? [];
      const remaining = waiters.filter((w) => (w.phase === row.phase ? (w.resolve(), false) : true));
      if (remaining.length) waiting.set(row.id, remaining);
      else waiting.delete(row.id);
    }
    if (waiting.size > 0) timer = setTimeout(() => void tick(), 200);
  };
  return (id: string, phase: string, timeoutMs = 15 * 60_000) =>
    new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`household ${id} not in phase ${phase} after ${timeoutMs / 1000} s`)), timeoutMs);
      waiting.set(id, [...(waiting.get(id) ?? []), { phase, resolve: () => (clearTimeout(deadline), resolve()) }]);
      timer ??= setTimeout(() => void tick(), 200);
    });
}

export function householdDriver(client: Client, db: Db) {
  const waitForProjection = phaseWaiter(db);
  const handle = (id: string) => client.workflow.getHandle(messages.householdWorkflowId(id));
  const by = (role: 'partner_worker' | 'committee_member' | 'educator' | 'coordinator') => ({ id: 'bench', role });

  async function update<P extends object>(id: string, def: UpdateDefinition<void, [P]>, payload: P, step: string): Promise<void> {
    await withRetry(async () => {
      try {
        await client.connection.withDeadline(Date.now() + RPC_DEADLINE_MS, () =>
          handle(id).executeUpdate(def, { args: [payload], updateId: `${step}:${id}` }));
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) throw new Refused(`${step} refused for ${id}: ${error.cause?.message ?? error.message}`);
        throw error;
      }
    });
  }

  async function phaseOf(id: string): Promise<string> {
    const view = await client.connection.withDeadline(Date.now() + 10_000, () => handle(id).query(messages.getHouseholdStateQuery));
    return view.state.phase;
  }

  async function waitForPhase(id: string, phase: string, timeoutMs = 15 * 60_000, pollMs = 100): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const current = await phaseOf(id).catch(() => undefined);
      if (current === phase) return;
      await sleep(pollMs);
    }
    throw new Error(`household ${id} not in phase ${phase} after ${timeoutMs / 1000} s`);
  }

  return {
    update,
    phaseOf,
    waitForPhase,
    /** The case file's phase (written by the workflow's activity once the step is recorded). */
    waitForProjection,
    answerPartners: async (h: BenchHousehold) => {
      for (const partnerOrgId of h.partnerOrgIds) {
        await update(h.id, messages.recordPartnerAnswerUpdate, { partnerOrgId, answer: 'not_known', by: by('partner_worker') }, `answer-${partnerOrgId}`);
      }
    },
    admit: (h: BenchHousehold) => update(h.id, messages.recordCommitteeDecisionUpdate, {
      sessionId: 'bench', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id }, by: by('committee_member'),
    }, 'admit'),
    reject: (h: BenchHousehold) => update(h.id, messages.recordCommitteeDecisionUpdate, {
      sessionId: 'bench', decision: { kind: 'reject', reason: 'not_eligible' }, by: by('committee_member'),
    }, 'reject'),
    reach: (h: BenchHousehold) => update(h.id, messages.recordContactAttemptUpdate, {
      slot: 'evening', channel: 'home_visit', outcome: 'contact_made', by: by('educator'),
    }, 'contact'),
    planSupport: (h: BenchHousehold) => update(h.id, messages.updateSupportPlanUpdate, {
      changes: { budget: { status: 'in_progress' } }, by: by('educator'),
    }, 'plan'),
    /** One receiving scheme; with a partner organisation it sends that partner a mail. */
    startHandoff: (h: BenchHousehold, withPartner: boolean) => update(h.id, messages.startHandoffUpdate, {
      schemes: [{ scheme: 'fsl', ...(withPartner && { partnerOrgId: PARTNER_ORGANISATIONS[1].id }) }], by: by('educator'),
    }, 'handoff'),
    acknowledge: (h: BenchHousehold) => update(h.id, messages.acknowledgeHandoffUpdate, { scheme: 'fsl', by: by('partner_worker') }, 'ack'),
    /** The landlord's feed says the arrears are paid off: without it the watch sees a relapse. */
    clearArrears: (h: BenchHousehold) => withRetry(() => handle(h.id).signal(messages.updateArrearsSignal, { arrearsCents: 0 })),
    withdraw: (h: BenchHousehold) => update(h.id, messages.withdrawHouseholdUpdate, { by: by('coordinator') }, 'withdraw'),
    result: (h: BenchHousehold) => handle(h.id).result(),
  };
}
