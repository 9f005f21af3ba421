import type { Db } from '../../lib/db';

/** A timeline row as the drill reads it back. */
export interface TimelineRow {
  householdId: string;
  idempotencyKey: string;
  type: string;
  data: unknown;
}

export interface MailRow {
  idempotencyKey: string;
  template: string;
  householdId: string | null;
  userId: string | null;
}

/**
 * The mails a household's recorded events call for, and those they may call for.
 *
 * A fixed count per path cannot judge a drill: some mails depend on the moment the mail activity
 * runs (a "new task" mail is not sent if the task was already completed; a handoff reminder goes
 * to the acknowledgements still open), and that moment moves with every crash. So the check is:
 * - every mail the events require is in the outbox (nothing lost): the referral notice to each
 *   coordinator, the partner-check request to each consulted partner with an address, the
 *   handoff request to each receiving partner with an address, escalation notices, referent alerts;
 * - every other mail is one an event may call for (nothing unexplained), and the "new task" mail
 *   goes at most once per household, task type and person (nothing sent twice).
 * The outbox key is unique and derived from the event's number, so a replayed step cannot add a
 * row; what the SMTP server received is checked against the outbox by Message-ID elsewhere.
 */
export async function checkHouseholdMails(db: Db, households: { id: string; workflowId: string }[], timeline: TimelineRow[], outbox: MailRow[]) {
  const [partners, coordinators, referents, tasks] = await Promise.all([
    db.partnerOrganisation.findMany({ select: { id: true, email: true } }),
    db.user.findMany({ where: { role: 'coordinator', active: true }, select: { id: true } }),
    db.referentWorker.findMany({ where: { householdId: { in: households.map((h) => h.id) } }, select: { id: true, email: true } }),
    db.task.findMany({ where: { householdId: { in: households.map((h) => h.id) } }, select: { id: true, type: true, assigneeId: true } }),
  ]);
  const partnerHasMail = new Map(partners.map((p) => [p.id, !!p.email]));
  const referentHasMail = new Map(referents.map((r) => [r.id, !!r.email]));
  const taskById = new Map(tasks.map((t) => [t.id, t]));

  const required = new Set<string>();
  /** Keys an event may produce, depending on the state when its mail step ran. */
  const optional = new Set<string>();
  for (const h of households) {
    for (const c of coordinators) required.add(`${h.workflowId}:referral-notified:${c.id}`);
  }
  const workflowOf = new Map(households.map((h) => [h.id, h.workflowId]));
  for (const row of timeline) {
    const workflowId = workflowOf.get(row.householdId);
    if (!workflowId) continue;
    const seq = row.idempotencyKey.split(':').pop();
    const key = (suffix: string) => `${workflowId}:event:${seq}:mail:${suffix}`;
    const data = (row.data ?? {}) as Record<string, unknown>;
    switch (row.type) {
      case 'partnerCheckOpened':
        for (const id of (data.partnerOrgIds as string[]) ?? []) if (partnerHasMail.get(id)) required.add(key(id));
        break;
      case 'partnerReminderIssued':
        for (const id of (data.pendingPartnerOrgIds as string[]) ?? []) if (partnerHasMail.get(id)) required.add(key(id));
        break;
      case 'handoffStarted':
        for (const s of (data.schemes as { scheme: string; partnerOrgId?: string }[]) ?? []) {
          if (s.partnerOrgId && partnerHasMail.get(s.partnerOrgId)) required.add(key(s.scheme));
        }
        break;
      case 'referentWorkerAlertRequested':
        if (referentHasMail.get(String(data.referentWorkerRef))) required.add(key(String(data.referentWorkerRef)));
        break;
      case 'contactEscalated':
      case 'committeeReviewRequested':
        for (const c of coordinators) required.add(key(c.id));
        break;
      case 'handoffReminderIssued':
      case 'relapseDetected':
        optional.add(key(''));
        break;
      default:
        break;
    }
    // A "new task" mail may follow any event that opened a task for a named person.
    optional.add(key('task:'));
  }
  const isOptional = (k: string) => {
    const cut = k.indexOf(':mail:');
    if (cut < 0) return false;
    const head = k.slice(0, cut + ':mail:'.length);
    return optional.has(head) || (k.slice(cut + 6).startsWith('task:') && optional.has(`${head}task:`));
  };

  const keys = new Set(outbox.map((m) => m.idempotencyKey));
  const missing = [...required].filter((k) => !keys.has(k));
  const unexplained = outbox.filter((m) => !required.has(m.idempotencyKey) && !isOptional(m.idempotencyKey)).map((m) => m.idempotencyKey);
  // New-task mails: at most one per household, task type and person.
  const seen = new Map<string, number>();
  for (const m of outbox.filter((row) => row.template === 'new_task')) {
    const task = taskById.get(m.idempotencyKey.split(':mail:task:')[1] ?? '');
    const series = `${m.householdId}:${task?.type ?? '?'}:${task?.assigneeId ?? m.userId}`;
    seen.set(series, (seen.get(series) ?? 0) + 1);
  }
  const repeatedNewTask = [...seen.values()].filter((n) => n > 1).length;
  return { required: required.size, missing, unexplained, repeatedNewTask, optionalSent: outbox.length - (required.size - missing.length) - unexplained.length };
}
