import type { temporal } from '@temporalio/proto';
import { taskChangesFor } from '../../activities/household-tasks';
import type { HouseholdEvent } from '../../domain/household';
import { checkHouseholdMails } from './crash-mails';
import { receivedMail } from './mailbox';
import { pool, sleep } from './results';
import type { BenchStack } from './stack';

/** What the drill asks of each household, and where its inputs must lead. */
export interface Plan {
  name: 'withdrawn' | 'rejected' | 'committee' | 'support' | 'maintained';
  phase: string;
  outcome: string | null;
}

export const PLANS: readonly Plan[] = [
  { name: 'withdrawn', phase: 'closed', outcome: 'withdrawn' },
  { name: 'rejected', phase: 'closed', outcome: 'rejected' },
  { name: 'committee', phase: 'committee', outcome: null },
  { name: 'support', phase: 'support', outcome: null },
  { name: 'maintained', phase: 'closed', outcome: 'maintained' },
];

/** Events a household's inputs cause exactly once whatever the crashes (timers may repeat others, e.g. watch checks). */
const ONCE = ['referralRecorded', 'partnerCheckOpened', 'committeeDecisionRecorded', 'contactAttemptRecorded', 'handoffStarted', 'handoffAcknowledged', 'watchStarted', 'caseClosed'];

interface DrillHousehold {
  id: string;
  workflowId: string;
  plan: Plan;
}

/**
 * Waits until the households settle (phase reached, no mail pending), then checks them: phase and
 * outcome, workflow status, workflow task failures, timeline numbering, tasks against the events
 * that open them, mails in the outbox and in the SMTP server's mailbox.
 */
export async function checkHouseholds(stack: BenchStack, households: DrillHousehold[], log: (line: string) => void, settleMs = 10 * 60_000) {
  const problems: string[] = [];
  const { db } = stack;
  const ids = households.map((h) => h.id);
  const byId = new Map(households.map((h) => [h.id, h]));

  const unsettled = async () => {
    const rows = await db.household.findMany({ where: { id: { in: ids } }, select: { id: true, phase: true, outcome: true } });
    const wrong = rows.filter((r) => r.phase !== byId.get(r.id)!.plan.phase || r.outcome !== byId.get(r.id)!.plan.outcome).length;
    const pendingMail = await db.mailMessage.count({ where: { status: { not: 'sent' }, idempotencyKey: { startsWith: 'household-' } } });
    return { wrong, pendingMail };
  };
  const deadline = Date.now() + settleMs;
  let state = await unsettled();
  while ((state.wrong > 0 || state.pendingMail > 0) && Date.now() < deadline) {
    log(`  settling: ${state.wrong} households not yet in their phase, ${state.pendingMail} mails not yet sent`);
    await sleep(10_000);
    state = await unsettled().catch(() => state);
  }

  // Phases and outcomes, as the case file shows them.
  const rows = await db.household.findMany({ where: { id: { in: ids } }, select: { id: true, phase: true, outcome: true } });
  const wrongPhase = rows.filter((r) => r.phase !== byId.get(r.id)!.plan.phase || r.outcome !== byId.get(r.id)!.plan.outcome);
  if (wrongPhase.length) problems.push(`${wrongPhase.length} households not in the phase their inputs lead to (e.g. ${wrongPhase.slice(0, 3).map((r) => `${r.id}: ${r.phase}/${r.outcome} ≠ ${byId.get(r.id)!.plan.phase}`).join(', ')})`);

  // The case file shows a closure one step before the workflow returns (the activity that writes
  // it runs first): give the closed households' workflows the same settling time to complete.
  const closing = households.filter((h) => h.plan.phase === 'closed');
  let stillRunning = closing;
  const completionDeadline = Math.max(deadline, Date.now() + 60_000);
  for (;;) {
    const running: DrillHousehold[] = [];
    await pool(stillRunning, 20, async (h) => {
      const status = await stack.client.workflow.getHandle(h.workflowId).describe().then((d) => d.status.name, () => 'UNKNOWN');
      if (status === 'RUNNING') running.push(h);
    });
    stillRunning = running;
    if (stillRunning.length === 0 || Date.now() > completionDeadline) break;
    log(`  settling: ${stillRunning.length} closed households whose workflow has not returned yet`);
    await sleep(5_000);
  }

  // Workflows: none failed, terminated or timed out; none with a failed workflow task (non-determinism).
  const statuses: Record<string, number> = {};
  let failedTasks = 0;
  const failedTaskCauses: Record<string, number> = {};
  await pool(households, 20, async (h) => {
    const handle = stack.client.workflow.getHandle(h.workflowId);
    const description = await handle.describe();
    statuses[description.status.name] = (statuses[description.status.name] ?? 0) + 1;
    const history: temporal.api.history.v1.IHistory = await handle.fetchHistory();
    for (const e of history.events ?? []) {
      const failed = e.workflowTaskFailedEventAttributes;
      // UNHANDLED_COMMAND (a message arrived while the task completed) is the SDK's normal retry, not a failure of ours.
      if (failed && failed.cause !== 1) {
        failedTasks++;
        failedTaskCauses[String(failed.cause)] = (failedTaskCauses[String(failed.cause)] ?? 0) + 1;
      }
    }
  });
  const expectedStatus = (plan: Plan) => (plan.phase === 'closed' ? 'COMPLETED' : 'RUNNING');
  const expectedStatuses: Record<string, number> = {};
  for (const h of households) expectedStatuses[expectedStatus(h.plan)] = (expectedStatuses[expectedStatus(h.plan)] ?? 0) + 1;
  if (JSON.stringify(Object.entries(statuses).sort()) !== JSON.stringify(Object.entries(expectedStatuses).sort())) {
    problems.push(`workflow statuses ${JSON.stringify(statuses)}, expected ${JSON.stringify(expectedStatuses)}`);
  }
  if (failedTasks) problems.push(`${failedTasks} failed workflow tasks (causes ${JSON.stringify(failedTaskCauses)})`);

  // Timeline: numbered 1..n without gap or repeat, and the events a household's inputs cause once, once.
  const timeline = await db.timelineEvent.findMany({ where: { householdId: { in: ids } }, select: { householdId: true, idempotencyKey: true, type: true, occurredAt: true, data: true } });
  const eventsOf = new Map<string, typeof timeline>();
  for (const row of timeline) eventsOf.set(row.householdId, [...(eventsOf.get(row.householdId) ?? []), row]);
  let gaps = 0;
  let repeated = 0;
  const repeatedTypes: Record<string, number> = {};
  for (const h of households) {
    const events = eventsOf.get(h.id) ?? [];
    const seqs = events.map((e) => Number(e.idempotencyKey.split(':').pop()));
    if (Math.max(0, ...seqs) !== events.length || new Set(seqs).size !== events.length) gaps++;
    const counts: Record<string, number> = {};
    for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    for (const type of ONCE) {
      if ((counts[type] ?? 0) > 1) {
        repeated++;
        repeatedTypes[type] = (repeatedTypes[type] ?? 0) + 1;
      }
    }
    const answers = events.filter((e) => e.type === 'partnerAnswerRecorded').map((e) => (e.data as { partnerOrgId?: string } | null)?.partnerOrgId);
    if (new Set(answers).size !== answers.length) {
      repeated++;
      repeatedTypes.partnerAnswerRecorded = (repeatedTypes.partnerAnswerRecorded ?? 0) + 1;
    }
  }
  if (gaps) problems.push(`${gaps} households whose timeline numbering has a gap or a repeat`);
  if (repeated) problems.push(`${repeated} duplicated timeline events (${JSON.stringify(repeatedTypes)})`);

  // Tasks: exactly those the recorded events open, each once.
  const tasks = await db.task.findMany({ where: { householdId: { in: ids } }, select: { householdId: true, idempotencyKey: true } });
  const actual = new Map<string, string[]>();
  for (const t of tasks) actual.set(t.householdId, [...(actual.get(t.householdId) ?? []), t.idempotencyKey]);
  let taskMismatches = 0;
  for (const h of households) {
    const expected = (eventsOf.get(h.id) ?? []).flatMap((row) => {
      const event = { ...(row.data as object), type: row.type, at: row.occurredAt.toISOString() } as HouseholdEvent;
      return taskChangesFor({ seq: Number(row.idempotencyKey.split(':').pop()), event }, { workflowId: h.workflowId, householdId: h.id }).create.map((t) => t.idempotencyKey);
    }).sort();
    const got = (actual.get(h.id) ?? []).sort();
    if (JSON.stringify(expected) !== JSON.stringify(got)) taskMismatches++;
  }
  if (taskMismatches) problems.push(`${taskMismatches} households whose tasks differ from those their events open`);

  // Mails: those the events require all there, none unexplained, none twice; all sent, and the
  // SMTP server received each exactly once.
  const outbox = await db.mailMessage.findMany({
    where: { idempotencyKey: { startsWith: 'household-' } }, select: { idempotencyKey: true, status: true, messageId: true, template: true, householdId: true, userId: true },
  });
  const mails = await checkHouseholdMails(db, households, timeline, outbox);
  if (mails.missing.length) problems.push(`${mails.missing.length} mails the events call for are missing (e.g. ${mails.missing.slice(0, 3).join(', ')})`);
  if (mails.unexplained.length) problems.push(`${mails.unexplained.length} mails no recorded event calls for (e.g. ${mails.unexplained.slice(0, 3).join(', ')})`);
  if (mails.repeatedNewTask) problems.push(`${mails.repeatedNewTask} "new task" mails sent more than once for the same household, task type and person`);
  const notSent = outbox.filter((m) => m.status !== 'sent').length;
  if (notSent) problems.push(`${notSent} mails not sent`);
  let inbox: { total: number; distinctMessageIds: number; duplicates: number } | undefined;
  if (stack.mailInboxUrl) {
    const received = await receivedMail(stack.mailInboxUrl);
    const messageIds = received.map((m) => m.messageId ?? m.headers['message-id'] ?? m.id);
    const distinct = new Set(messageIds).size;
    inbox = { total: received.length, distinctMessageIds: distinct, duplicates: received.length - distinct };
    if (inbox.duplicates) problems.push(`${inbox.duplicates} mails received twice by the SMTP server (same Message-ID)`);
    const sent = outbox.filter((m) => m.status === 'sent').length;
    if (distinct !== sent) problems.push(`SMTP server holds ${distinct} distinct mails, the outbox says ${sent} sent`);
  }

  const summary = `${rows.length - wrongPhase.length}/${households.length} in the expected phase, workflows ${JSON.stringify(statuses)}, ` +
    `${failedTasks} failed workflow tasks, ${timeline.length} timeline events (${repeated} duplicated), ${tasks.length} tasks (${taskMismatches} households off), ` +
    `${outbox.length} mails in the outbox (${mails.required} required by the events, ${mails.missing.length} missing, ${mails.unexplained.length} unexplained, ${notSent} unsent)${inbox ? `, ${inbox.total} in the SMTP mailbox (${inbox.duplicates} duplicates)` : ''}`;
  return { problems, summary, statuses, failedTasks, timelineEvents: timeline.length, tasks: tasks.length, outboxMails: outbox.length, mails: { required: mails.required, missing: mails.missing.length, unexplained: mails.unexplained.length, optionalSent: mails.optionalSent }, inbox };
}
