import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createHouseholdActivities, type Projection } from '../../activities/household-activities';
import type { Db } from '../db';
import type { Logger } from '../logger';
import type { NumberedEvent } from '../../workflows/household/side-effects';
import type { HouseholdView } from '../../workflows/household/messages';
import { Prisma } from '../../generated/prisma/client';

/**
 * After a restore, the application database and Temporal were copied at two different instants
 * (the database first, then Temporal: docs/design/runtime.md, « Sauvegarde et restauration »), so
 * a household's projection (phase, track, outcome, educator, timeline, tasks) may be behind its
 * workflow, or, if backups were mixed up, ahead of it. The workflow is the single writer of
 * process state: the projection is rebuilt from it.
 *
 * Worker-free: the batches the workflow handed to `recordHouseholdEvents` are read from its
 * history (the inputs of the scheduled activities, decoded with the payload codec) and the
 * missing ones are written by the activity's own code, in order; mails are never sent from here
 * (a mail activity the history shows completed was sent; one in flight is retried by Temporal
 * through the outbox, once per key).
 */
export interface ReconcileReport {
  households: number;
  inStep: number;
  /** Projection behind the workflow: the missing event batches written. */
  caughtUp: { householdId: string; fromSeq: number; toSeq: number }[];
  /** Projection ahead of the workflow: rows of events the workflow never had set aside. */
  rolledBack: { householdId: string; fromSeq: number; toSeq: number }[];
  /** Projection columns rewritten although the timeline was complete. */
  projectionFixed: string[];
  /** Outbox rows of events the workflow does not have (mails sent after Temporal's copy), set aside. */
  mailsSetAside: number;
  /** Case file rows whose workflow Temporal does not know: flagged, nothing done. */
  missingWorkflows: string[];
  /** Closed households whose history the namespace's retention has already removed: nothing to do. */
  closedWithoutHistory: number;
  /** Household workflows without a case file row (referred between the two copies): flagged. */
  orphanWorkflows: string[];
}

interface RecordedBatch {
  input: { householdId: string; workflowId: string; events: NumberedEvent[]; projection: Projection; view?: HouseholdView };
  maxSeq: number;
}

const RECORD_ACTIVITY = 'recordHouseholdEvents';

export async function reconcileHouseholds(deps: { db: Db; temporal: Client; codec: PayloadCodec; namespace: string; logger: Logger }): Promise<ReconcileReport> {
  const { db, temporal: client } = deps;
  const write = createHouseholdActivities({ db } as Parameters<typeof createHouseholdActivities>[0]);
  const report: ReconcileReport = { households: 0, inStep: 0, caughtUp: [], rolledBack: [], projectionFixed: [], mailsSetAside: 0, missingWorkflows: [], closedWithoutHistory: 0, orphanWorkflows: [] };

  const households = await db.household.findMany({
    where: { workflowStartedAt: { not: null } },
    select: { id: true, workflowId: true, phase: true, track: true, outcome: true, educatorId: true, closedAt: true },
  });
  report.households = households.length;
  const seqRows = await db.$queryRaw<{ household_id: string; seq: number }[]>`
    SELECT household_id, max(split_part(idempotency_key, ':event:', 2)::int) AS seq FROM timeline_events GROUP BY household_id`;
  const dbSeq = new Map(seqRows.map((r) => [r.household_id, Number(r.seq)]));

  // A few households at a time: each costs a history read or two.
  let next = 0;
  const lane = async () => {
    while (next < households.length) await reconcileOne(households[next++]!);
  };
  await Promise.all(Array.from({ length: 8 }, lane));

  async function reconcileOne(household: (typeof households)[number]): Promise<void> {
    const seq = dbSeq.get(household.id) ?? 0;
    let batches: RecordedBatch[];
    try {
      batches = await batchesAfter(client, deps.codec, deps.namespace, household.workflowId, seq);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || isNotFound(error)) {
        if (household.closedAt) {
          report.closedWithoutHistory++;
          return;
        }
        report.missingWorkflows.push(household.id);
        deps.logger.error({ householdId: household.id }, 'restore: the case file has no workflow in Temporal');
        return;
      }
      throw error;
    }
    const workflowSeq = Math.max(0, ...batches.map((b) => b.maxSeq));
    const last = batches.at(-1);
    if (workflowSeq > seq) {
      for (const batch of batches.filter((b) => b.maxSeq > seq)) await write.recordHouseholdEvents(batch.input);
      report.caughtUp.push({ householdId: household.id, fromSeq: seq, toSeq: workflowSeq });
    } else if (workflowSeq < seq && last) {
      await setAside(db, household.workflowId, household.id, last.maxSeq, seq);
      await writeProjection(db, household.id, last.input.projection, { view: last.input.view, seq: last.maxSeq });
      report.rolledBack.push({ householdId: household.id, fromSeq: seq, toSeq: last.maxSeq });
    } else if (last && !sameProjection(household, last.input.projection)) {
      await writeProjection(db, household.id, last.input.projection, { view: last.input.view, seq: last.maxSeq });
      report.projectionFixed.push(household.id);
    } else report.inStep++;
    report.mailsSetAside += await setAsideMailsAfter(db, household.workflowId, Math.max(workflowSeq, last?.maxSeq ?? 0));
  }

  // Workflows Temporal holds without a case file: their personal data is gone with the copy.
  const known = new Set(households.map((h) => h.workflowId));
  const pending = new Set((await db.household.findMany({ where: { workflowStartedAt: null }, select: { workflowId: true } })).map((h) => h.workflowId));
  for await (const execution of client.workflow.list({ query: 'WorkflowType = "householdWorkflow"' })) {
    if (!known.has(execution.workflowId) && !pending.has(execution.workflowId) && !report.orphanWorkflows.includes(execution.workflowId)) {
      report.orphanWorkflows.push(execution.workflowId);
      deps.logger.error({ workflowId: execution.workflowId }, 'restore: a household workflow has no case file row');
    }
  }
  return report;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 5;
}

function sameProjection(row: { phase: string; track: string | null; outcome: string | null; educatorId: string | null; closedAt: Date | null }, p: Projection): boolean {
  return row.phase === p.phase && row.track === (p.track ?? null) && row.outcome === (p.outcome ?? null) && row.educatorId === (p.educatorId ?? null) &&
    (row.closedAt?.toISOString() ?? null) === (p.closedAt ? new Date(p.closedAt).toISOString() : null);
}

/**
 * The row's projection as the workflow's last recorded step left it, its view included (the API reads
 * it: docs/design/architecture.md « Reads »). A step recorded before views existed carries none: the
 * view is then cleared, and reads ask the workflow until its next step writes one.
 */
async function writeProjection(db: Db, householdId: string, p: Projection, recorded: { view?: HouseholdView; seq: number }): Promise<void> {
  await db.household.update({
    where: { id: householdId },
    data: {
      phase: p.phase as never, track: (p.track ?? null) as never, outcome: (p.outcome ?? null) as never, educatorId: p.educatorId ?? null, closedAt: p.closedAt ? new Date(p.closedAt) : null,
      view: recorded.view ? (recorded.view as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
      viewSeq: recorded.view ? recorded.seq : 0,
    },
  });
}

/**
 * The projection holds events the workflow never had (seq in (keepSeq, dbSeq]): their timeline rows
 * and the tasks they opened go, the tasks they closed open again (their completedAt is the closing
 * event's instant), and their outbox rows are renamed so the mail log keeps them while the
 * workflow's own next events (which reuse those numbers) get their mails.
 */
async function setAside(db: Db, workflowId: string, householdId: string, keepSeq: number, dbSeq: number): Promise<void> {
  const seqs = Array.from({ length: dbSeq - keepSeq }, (_, i) => keepSeq + 1 + i);
  const eventKeys = seqs.map((s) => `${workflowId}:event:${s}`);
  const stamp = new Date().toISOString();
  await db.$transaction(async (tx) => {
    const lost = await tx.timelineEvent.findMany({ where: { idempotencyKey: { in: eventKeys } }, select: { occurredAt: true }, orderBy: { occurredAt: 'asc' }, take: 1 });
    const opened = { OR: seqs.map((s) => ({ idempotencyKey: { startsWith: `${workflowId}:event:${s}:` } })) };
    const tasks = await tx.task.findMany({ where: { householdId, ...opened }, select: { id: true } });
    await tx.taskEvent.deleteMany({ where: { taskId: { in: tasks.map((t) => t.id) } } });
    await tx.task.deleteMany({ where: { id: { in: tasks.map((t) => t.id) } } });
    if (lost[0]) {
      await tx.task.updateMany({
        where: { householdId, status: { in: ['completed', 'cancelled'] }, completedAt: { gte: lost[0].occurredAt } },
        data: { status: 'open', completedAt: null },
      });
    }
    await tx.timelineEvent.deleteMany({ where: { idempotencyKey: { in: eventKeys } } });
    const mails = await tx.mailMessage.findMany({ where: opened, select: { id: true, idempotencyKey: true } });
    for (const mail of mails) await tx.mailMessage.update({ where: { id: mail.id }, data: { idempotencyKey: `${mail.idempotencyKey}:set-aside:${stamp}` } });
  });
}

/**
 * Mails recorded for events beyond the workflow's last (the outbox is read again after Temporal's
 * copy, so it may hold a few): the workflow's next events reuse those numbers, and must get their
 * own mails rather than find them "sent". Renamed, they stay in the mail log.
 */
async function setAsideMailsAfter(db: Db, workflowId: string, workflowSeq: number): Promise<number> {
  const prefix = `${workflowId}:event:`;
  return db.$executeRaw`
    UPDATE mail_messages SET idempotency_key = idempotency_key || ':set-aside:' || ${new Date().toISOString()}
     WHERE starts_with(idempotency_key, ${prefix}) AND idempotency_key NOT LIKE '%:set-aside:%'
       AND split_part(substr(idempotency_key, ${prefix.length + 1}), ':', 1)::int > ${workflowSeq}`;
}

/**
 * The `recordHouseholdEvents` inputs whose events go beyond `afterSeq`, oldest first, read from the
 * newest run backwards (through continue-as-new) until a batch at or below `afterSeq`, or the first
 * run. Always includes the latest batch (its projection is the workflow's).
 */
async function batchesAfter(client: Client, codec: PayloadCodec, namespace: string, workflowId: string, afterSeq: number): Promise<RecordedBatch[]> {
  const found: RecordedBatch[] = [];
  let runId: string | undefined;
  for (;;) {
    let nextPageToken: Uint8Array | undefined;
    let previousRun: string | undefined;
    let reachedKnown = false;
    do {
      const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
        namespace, execution: { workflowId, runId }, maximumPageSize: 200, nextPageToken,
      });
      for (const event of page.history?.events ?? []) {
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled?.activityType?.name === RECORD_ACTIVITY) {
          const [payload] = await codec.decode(scheduled.input?.payloads ?? []);
          const input = defaultPayloadConverter.fromPayload<RecordedBatch['input']>(payload!);
          const maxSeq = Math.max(...input.events.map((e) => e.seq));
          if (maxSeq <= afterSeq && found.length > 0) {
            reachedKnown = true;
            break;
          }
          found.unshift({ input, maxSeq });
          if (maxSeq <= afterSeq) {
            reachedKnown = true;
            break;
          }
        }
        const started = event.workflowExecutionStartedEventAttributes;
        if (event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED && started?.continuedExecutionRunId) {
          previousRun = started.continuedExecutionRunId;
        }
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken && !reachedKnown);
    if (reachedKnown || !previousRun) return found;
    runId = previousRun;
  }
}
