import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client';
import type { Db } from '../../lib/db';
import { LANDLORDS } from '../../lib/reference-data';

/**
 * Case-file rows written straight to the database, for the cross-household jobs (digest, overdue
 * escalation, agenda, retention): they read the database only, so no workflow needs to run, and a
 * test can set dates the process would take months to reach.
 */
export async function householdRow(db: Db, overrides: Partial<Prisma.HouseholdUncheckedCreateInput> = {}): Promise<{ id: string; tenancyReference: string; headName: string }> {
  const id = randomUUID();
  const row = await db.household.create({
    data: {
      id,
      landlordId: LANDLORDS[1].id,
      tenancyReference: `J-${id.slice(0, 8)}`,
      headName: `Mme Fixture ${id.slice(0, 4)}`,
      address: `${id.slice(0, 2)} rue des Travaux, 51100 Reims`,
      phone: '06 00 00 00 00',
      email: `menage-${id.slice(0, 8)}@example.org`,
      leaseStartDate: new Date('2019-04-01'),
      monthlyRentCents: 41_250,
      arrearsCents: 185_000,
      procedureStage: 'summons',
      referralSource: 'pre_litigation',
      referralNote: 'Note du signalement : situation connue du gardien.',
      workflowId: `fixture-${id}`,
      phase: 'contact',
      ...overrides,
    },
  });
  return { id, tenancyReference: row.tenancyReference, headName: row.headName };
}

export async function taskRow(db: Db, householdId: string, data: Omit<Prisma.TaskUncheckedCreateInput, 'id' | 'idempotencyKey' | 'householdId'>): Promise<string> {
  const id = randomUUID();
  await db.task.create({ data: { id, idempotencyKey: `fixture:${id}`, householdId, ...data } });
  return id;
}
