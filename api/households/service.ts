import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Household, Landlord } from '../../generated/prisma/client';
import { Prisma } from '../../generated/prisma/client';
import { EMBEDDED_CASELOAD_LIST_KEY, type CaseloadListKey } from '../../lib/config';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { legalDeadlinesOf } from '../../domain/legal/warnings';
import type { ProgrammePolicy } from '../../domain/programme/policy';
import {
  getHouseholdStateQuery,
  householdWorkflowId,
  type HouseholdView,
  type HouseholdWorkflowInput,
} from '../../workflows/household/messages';
import { landlordSearchAttribute, phaseSearchAttribute } from '../../workflows/household/search-attributes';
import type { householdWorkflow } from '../../workflows/household/workflow';
import { recordAudit } from '../audit';
import { routePartnerCheck } from '../caseloads/matching';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '../errors';
import type { CaseFileView } from '../access/permissions';
import { viewOf } from './projection';
import type { CreateHouseholdBody } from './schemas';

export interface HouseholdServiceDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  clock: () => Date;
  /** The deployment's policy, snapshotted into each new household's workflow. */
  policy: ProgrammePolicy;
  /** The key partners' caseload lists are keyed with (docs/privacy/caseload-lists.md); default the embedded one. */
  caseloadListKey?: CaseloadListKey;
}

export interface RequestContext {
  actor: string;
  requestId: string;
}

const QUERY_DEADLINE_MS = 5_000;
// A person waits on the other side of a POST: better a clear 503 after a few seconds than a hang.
const START_DEADLINE_MS = 8_000;

export function createHouseholdService(deps: HouseholdServiceDeps) {
  const { db, temporal } = deps;

  async function startWorkflow(household: Household) {
    // Every partner organisation answers whether it already follows the household: by its caseload
    // list when a fresh one does not hold it, otherwise through a check (docs/privacy/caseload-lists.md).
    // Ids and dates only reach the workflow: the household's keys are computed and dropped here.
    const routing = await routePartnerCheck(db, deps.caseloadListKey ?? EMBEDDED_CASELOAD_LIST_KEY, deps.policy, household, household.createdAt);
    const input: HouseholdWorkflowInput = {
      householdId: household.id,
      landlordId: household.landlordId,
      referredAt: household.createdAt.toISOString(),
      referredBy: household.referredById ?? 'api',
      referral: {
        arrearsCents: household.arrearsCents,
        monthlyRentCents: household.monthlyRentCents,
        procedureStage: household.procedureStage,
        referralSource: household.referralSource,
        leaseStartDate: household.leaseStartDate.toISOString().slice(0, 10),
        partnerOrgIds: routing.partnerOrgIds,
        ...(routing.partnersAnsweredByList.length > 0 && { partnersAnsweredByList: routing.partnersAnsweredByList }),
      },
      policy: deps.policy,
    };
    // By name, with the type only: workflow code is never loaded outside the worker's sandbox.
    const start = () => temporal.workflow.start<typeof householdWorkflow>('householdWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: householdWorkflowId(household.id),
      args: [input],
      // Starting twice (a retry, the reconciler) must land on the same workflow, never a second one.
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: phaseSearchAttribute, value: 'referred' },
        { key: landlordSearchAttribute, value: household.landlordId },
      ],
    });
    return temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, start);
  }

  async function workflowExists(householdId: string): Promise<boolean> {
    try {
      await temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        temporal.workflow.getHandle(householdWorkflowId(householdId)).describe(),
      );
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  return {
    /**
     * Writes the case file, then starts the workflow. If Temporal refuses, the row is removed so the
     * request leaves nothing behind; if we crash in between, `resumePendingStarts` finishes the job.
     */
    async create(body: CreateHouseholdBody, ctx: RequestContext) {
      const landlord = await db.landlord.findUnique({ where: { id: body.landlordId } });
      if (!landlord) throw new ValidationError([{ field: 'landlordId', message: 'Bailleur inconnu.' }]);

      const id = randomUUID();
      let household: Household;
      try {
        household = await db.$transaction(async (tx) => {
          const created = await tx.household.create({
            data: {
              id,
              landlordId: body.landlordId,
              tenancyReference: body.tenancyReference,
              headName: body.headName,
              address: body.address,
              phone: body.phone,
              email: body.email,
              leaseStartDate: new Date(`${body.leaseStartDate}T00:00:00Z`),
              monthlyRentCents: Math.round(body.monthlyRent * 100),
              arrearsCents: Math.round(body.arrears * 100),
              procedureStage: body.procedureStage,
              referralSource: body.referralSource,
              referralNote: body.note,
              workflowId: householdWorkflowId(id),
              createdAt: deps.clock(),
            },
          });
          await recordAudit(tx, { actor: ctx.actor, action: 'household.create', householdId: id, requestId: ctx.requestId });
          return created;
        });
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          const existing = await db.household.findFirst({
            where: { landlordId: body.landlordId, tenancyReference: body.tenancyReference, closedAt: null },
            select: { id: true },
          });
          throw new ConflictError('Ce bail fait déjà l\'objet d\'un suivi en cours chez ce bailleur.', existing ? { householdId: existing.id } : undefined);
        }
        throw error;
      }

      try {
        await startWorkflow(household);
      } catch (error) {
        // The start may have reached the server even though we saw an error (a timeout, say).
        const started = await workflowExists(id).catch(() => false);
        if (!started) {
          await db.$transaction([
            db.auditEvent.create({ data: { id: randomUUID(), actor: ctx.actor, action: 'household.create.rolled_back', householdId: id, requestId: ctx.requestId } }),
            db.household.delete({ where: { id } }),
          ]);
          deps.logger.error({ err: error, householdId: id, requestId: ctx.requestId }, 'workflow start failed; household removed');
          throw new UnavailableError('Le moteur de processus est indisponible : le signalement n\'a pas été enregistré. Réessayez dans un instant.');
        }
      }
      await db.household.update({ where: { id }, data: { workflowStartedAt: deps.clock() } });
      return { id, workflowId: household.workflowId, phase: household.phase };
    },

    async get(householdId: string, ctx: RequestContext, view: CaseFileView = 'full') {
      const household = await db.household.findUnique({ where: { id: householdId }, include: { landlord: true } });
      if (!household) throw new NotFoundError('Ménage introuvable.');
      const audited = recordAudit(db, { actor: ctx.actor, action: 'household.read', householdId, requestId: ctx.requestId, details: { view } });
      if (view === 'partner') return audited.then(() => toPartnerView(household));
      // Nothing is returned before the read is recorded. The projection when there is one (every
      // household that moved since it exists), else the workflow's query.
      const projected = viewOf(household.view);
      const [, workflow] = await Promise.all([audited, projected ? { available: true as const, ...projected } : readWorkflowState(householdId)]);
      if (view === 'landlord') return { ...toLandlordView(household), workflow: workflow.available ? { available: true, phase: workflow.state.phase } : workflow };
      // The legal deadlines of the recorded procedure, with their basis, as of today.
      const legal = workflow.available ? legalDeadlinesOf(workflow.state, deps.clock().toISOString().slice(0, 10)) : undefined;
      return { ...toHouseholdView(household), workflow, legal };
    },

    /** Starts the workflows of rows whose start was interrupted by a crash. Idempotent. */
    async resumePendingStarts(olderThanMs = 30_000): Promise<number> {
      const pending = await db.household.findMany({
        where: { workflowStartedAt: null, createdAt: { lt: new Date(deps.clock().getTime() - olderThanMs) } },
        take: 100,
      });
      for (const household of pending) {
        await startWorkflow(household);
        await db.household.update({ where: { id: household.id }, data: { workflowStartedAt: deps.clock() } });
        deps.logger.warn({ householdId: household.id }, 'resumed an interrupted workflow start');
      }
      return pending.length;
    },
  };

  async function readWorkflowState(
    householdId: string,
  ): Promise<({ available: true } & HouseholdView) | { available: false; reason: string }> {
    const handle = temporal.workflow.getHandle(householdWorkflowId(householdId));
    try {
      // Without a deadline a query waits for a worker for as long as the server lets it.
      const view = await temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        handle.query(getHouseholdStateQuery),
      );
      return { available: true, ...view };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        return { available: false, reason: 'Le suivi de ce ménage est en cours de démarrage.' };
      }
      deps.logger.warn({ err: error, householdId }, 'workflow state query failed');
      return { available: false, reason: 'L\'état du processus est momentanément indisponible.' };
    }
  }
}

export type HouseholdService = ReturnType<typeof createHouseholdService>;

/** Picks the fields the API shows, explicitly: a new column never leaks by default. */
function toHouseholdView(household: Household & { landlord: Landlord }) {
  return {
    id: household.id,
    workflowId: household.workflowId,
    landlord: { id: household.landlord.id, name: household.landlord.name },
    tenancyReference: household.tenancyReference,
    headName: household.headName,
    address: household.address,
    phone: household.phone,
    email: household.email,
    leaseStartDate: household.leaseStartDate.toISOString().slice(0, 10),
    monthlyRent: household.monthlyRentCents / 100,
    arrears: household.arrearsCents / 100,
    procedureStage: household.procedureStage,
    referralSource: household.referralSource,
    note: household.referralNote,
    phase: household.phase,
    track: household.track,
    educatorId: household.educatorId,
    outcome: household.outcome,
    createdAt: household.createdAt.toISOString(),
    closedAt: household.closedAt?.toISOString() ?? null,
  };
}

/**
 * What the landlord's agent reads: its own file (who, where, arrears, procedure) and where the
 * household stands; never the association's notes, support plan or partners' answers.
 */
function toLandlordView(household: Household & { landlord: Landlord }) {
  const full = toHouseholdView(household);
  return {
    id: full.id,
    landlord: full.landlord,
    tenancyReference: full.tenancyReference,
    headName: full.headName,
    address: full.address,
    leaseStartDate: full.leaseStartDate,
    monthlyRent: full.monthlyRent,
    arrears: full.arrears,
    procedureStage: full.procedureStage,
    referralSource: full.referralSource,
    phase: full.phase,
    track: full.track,
    outcome: full.outcome,
    createdAt: full.createdAt,
    closedAt: full.closedAt,
  };
}

/** What a partner needs to say whether it knows the household, or to take it over: no more. */
function toPartnerView(household: Household & { landlord: Landlord }) {
  return {
    id: household.id,
    landlord: { id: household.landlord.id, name: household.landlord.name },
    headName: household.headName,
    address: household.address,
    phase: household.phase,
  };
}
