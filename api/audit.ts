import { randomUUID } from 'node:crypto';
import type { Db } from '../lib/db';

export interface AuditEntry {
  actor: string;
  action: string;
  householdId?: string;
  requestId?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Every read and write of a household's personal data leaves one append-only row. */
export async function recordAudit(db: Pick<Db, 'auditEvent'>, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      id: randomUUID(),
      actor: entry.actor,
      action: entry.action,
      householdId: entry.householdId,
      requestId: entry.requestId,
      details: entry.details,
    },
  });
}
