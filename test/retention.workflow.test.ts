import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import type { JobSummary } from '../workflows/jobs/messages';
import { useHarness } from './support/harness';
import { householdRow, taskRow } from './support/job-fixtures';

/**
 * Retention (issue 5 item 8): closed households are anonymised once the policy's period after
 * closure has passed; the figures stay for the reports. The dates are set in 2001 and the run's
 * "now" pinned, so that no other test file's household (closed today) can qualify.
 */
const h = useHarness();

const DAY = 24 * 3600 * 1000;
const policy = { ...defaultProgrammePolicy, retentionAfterClosureMs: 365 * DAY };
const nowMs = Date.parse('2002-06-01T02:00:00Z');

const retention = (input: Record<string, unknown>) =>
  h.temporal.workflow.execute('retentionWorkflow', { taskQueue: h.taskQueue, workflowId: `test-retention-${randomUUID()}`, args: [{ policy, nowMs, ...input }] }) as Promise<JobSummary>;

/** A closed case with everything a case file holds: notes, a referent, a task answer, mails, a timeline. */
async function closedCase(closedAt: string) {
  const household = await householdRow(h.db, {
    phase: 'closed', track: 'pre_litigation', outcome: 'maintained', educatorId: randomUUID(),
    closedAt: new Date(closedAt), createdAt: new Date('2000-03-01T09:00:00Z'),
  });
  const { id } = household;
  await h.db.referral.create({ data: { id: randomUUID(), householdId: id, source: 'pre_litigation', arrearsCents: 185_000, recordedAt: new Date('2000-03-01T09:00:00Z') } });
  await h.db.note.create({ data: { id: randomUUID(), householdId: id, author: 'someone', kind: 'contact', body: 'Le ménage a expliqué sa situation en détail.' } });
  await h.db.referentWorker.create({ data: { id: randomUUID(), householdId: id, partnerOrganisationId: PARTNER_ORGANISATIONS[0].id, name: 'Mme Référente Privée', email: 'referente.privee@ccas.example', phone: '03 26 00 00 00' } });
  const taskId = await taskRow(h.db, id, {
    type: 'partner_check', candidateRole: 'partner_worker', status: 'completed', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id,
    form: { partnerOrgId: PARTNER_ORGANISATIONS[0].id }, result: { answer: 'followed', referent: { name: 'Mme Référente Privée', email: 'referente.privee@ccas.example' } },
  });
  await h.db.taskEvent.create({ data: { id: randomUUID(), taskId, action: 'completed', details: { referent: 'Mme Référente Privée' } } });
  await h.db.timelineEvent.create({ data: { id: randomUUID(), idempotencyKey: `fixture-${id}:event:1`, householdId: id, type: 'caseClosed', actor: 'system', occurredAt: new Date(closedAt), data: { outcome: 'maintained' } } });
  await h.db.mailMessage.create({
    data: { id: randomUUID(), idempotencyKey: `fixture-${id}:event:1:mail:x`, householdId: id, recipient: 'referente.privee@ccas.example', subject: `[APRIL] bail ${household.tenancyReference}`, template: 'referent_alert', status: 'sent' },
  });
  const importId = randomUUID();
  await h.db.arrearsImport.create({ data: { id: importId, landlordId: LANDLORDS[1].id, uploadedById: randomUUID(), fileName: 'dettes.csv', format: 'csv', status: 'done' } });
  await h.db.arrearsImportRow.create({ data: { importId, rowNumber: 2, tenancyReference: household.tenancyReference, arrearsCents: 185_000, householdId: id, status: 'applied' } });
  return household;
}

test('a household closed longer ago than the retention period is anonymised, figures kept, with an audit row; a recent one is not', async () => {
  const old = await closedCase('2001-01-15T10:00:00Z');
  const older = await closedCase('2001-01-10T10:00:00Z');
  const recent = await closedCase('2001-12-01T10:00:00Z');
  const open = await householdRow(h.db, { phase: 'support', createdAt: new Date('2000-01-01') });

  // Batches of one: the run goes on until nothing is left, not just one batch.
  const first = await retention({ batchSize: 1 });
  expect(first.failed).toEqual([]);
  expect(first.done).toBeGreaterThanOrEqual(2);

  for (const household of [old, older]) {
    const after = await h.db.household.findUniqueOrThrow({ where: { id: household.id } });
    // Personal data: gone.
    expect(after).toMatchObject({
      headName: 'Ménage anonymisé', address: '', phone: null, email: null, referralNote: null, tenancyReference: `anonymise-${household.id}`,
      anonymisedAt: expect.any(Date),
    });
    // Figures: kept.
    expect(after).toMatchObject({
      landlordId: expect.any(String), monthlyRentCents: 41_250, arrearsCents: 185_000, procedureStage: 'summons', referralSource: 'pre_litigation',
      phase: 'closed', track: 'pre_litigation', outcome: 'maintained', closedAt: expect.any(Date), leaseStartDate: new Date('2019-04-01'),
    });
    expect(after.createdAt.toISOString()).toBe('2000-03-01T09:00:00.000Z');
    expect(await h.db.referral.findUniqueOrThrow({ where: { householdId: household.id } })).toMatchObject({ arrearsCents: 185_000, source: 'pre_litigation' });
    expect((await h.db.timelineEvent.findMany({ where: { householdId: household.id } })).map((e) => e.type)).toEqual(['caseClosed']);
    expect((await h.db.note.findFirstOrThrow({ where: { householdId: household.id } })).body).toBe('');
    expect(await h.db.referentWorker.findFirstOrThrow({ where: { householdId: household.id } })).toMatchObject({ name: 'Référent anonymisé', email: null, phone: null });
    const task = await h.db.task.findFirstOrThrow({ where: { householdId: household.id }, include: { events: true } });
    expect(task).toMatchObject({ type: 'partner_check', status: 'completed', result: null });
    expect(task.events[0]!.details).toBeNull();
    const mail = await h.db.mailMessage.findFirstOrThrow({ where: { householdId: household.id } });
    expect(mail).toMatchObject({ recipient: '[anonymisé]', subject: '[anonymisé]', template: 'referent_alert', status: 'sent' });
    expect(JSON.stringify(mail)).not.toContain(household.tenancyReference);
    // The landlord's file row keeps its figure, not the reference nor the link.
    expect(await h.db.arrearsImportRow.findFirst({ where: { OR: [{ householdId: household.id }, { tenancyReference: household.tenancyReference }] } })).toBeNull();
    // Who did it, in the append-only log (ids only).
    const audit = await h.db.auditEvent.findMany({ where: { householdId: household.id, action: 'household.anonymise' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('retention');
  }

  // Within the period, or still open: untouched.
  expect(await h.db.household.findUniqueOrThrow({ where: { id: recent.id } })).toMatchObject({ headName: recent.headName, tenancyReference: recent.tenancyReference, anonymisedAt: null });
  expect((await h.db.note.findFirstOrThrow({ where: { householdId: recent.id } })).body).not.toBe('');
  expect(await h.db.household.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ headName: open.headName, anonymisedAt: null });
  expect(await h.db.auditEvent.count({ where: { householdId: { in: [recent.id, open.id] }, action: 'household.anonymise' } })).toBe(0);

  // The next night: nothing more to do for these, no second audit row.
  const second = await retention({});
  expect(second.failed).toEqual([]);
  expect(await h.db.auditEvent.count({ where: { householdId: old.id, action: 'household.anonymise' } })).toBe(1);
  const stamped = (await h.db.household.findUniqueOrThrow({ where: { id: old.id } })).anonymisedAt;

  // A year later the recent one's period is over too.
  const later = await retention({ nowMs: nowMs + 365 * DAY });
  expect(later.failed).toEqual([]);
  expect(await h.db.household.findUniqueOrThrow({ where: { id: recent.id } })).toMatchObject({ headName: 'Ménage anonymisé', anonymisedAt: expect.any(Date) });
  expect((await h.db.household.findUniqueOrThrow({ where: { id: old.id } })).anonymisedAt).toEqual(stamped);
});

test('mails and arrears file lines older than the records period are erased, whoever they concern; newer ones are not', async () => {
  const old = new Date('2001-11-01T07:00:00Z');
  const recent = new Date('2002-05-20T07:00:00Z');
  const user = randomUUID();
  const mail = (key: string, data: Record<string, unknown>) => h.db.mailMessage.create({
    data: { id: randomUUID(), idempotencyKey: `${key}:${randomUUID()}`, recipient: 'membre.comite@example.org', template: 'committee_agenda', subject: '[APRIL] Ordre du jour', ...data },
  });
  // A committee agenda refused for good keeps its text (names) to be sent again; a sent digest, none.
  const failedAgenda = await mail('committee-agenda', { text: '1. Mme Nommée Ancienne – bail X', status: 'failed', lastError: '550 membre.comite@example.org', createdAt: old, userId: user });
  const sentDigest = await mail('digest', { template: 'daily_digest', status: 'sent', sentAt: old, createdAt: old, userId: user });
  const recentAgenda = await mail('committee-agenda', { text: '1. Mme Nommée Récente – bail Y', status: 'failed', createdAt: recent, userId: user });
  // A mail about a household still open: its text and error go, its subject and recipient stay with the case.
  const open = await householdRow(h.db, { phase: 'support', createdAt: new Date('2000-01-01') });
  const householdMail = await mail('household', {
    template: 'escalation_notice', householdId: open.id, subject: `[APRIL] bail ${open.tenancyReference}`, text: `bail ${open.tenancyReference}`, status: 'failed', lastError: '550 refused', createdAt: old,
  });
  const importId = randomUUID();
  await h.db.arrearsImport.create({ data: { id: importId, landlordId: LANDLORDS[1].id, uploadedById: randomUUID(), fileName: 'dettes.csv', format: 'csv', status: 'done', createdAt: old } });
  await h.db.arrearsImportRow.createMany({ data: [
    { importId, rowNumber: 2, tenancyReference: 'NON-SUIVI-0042', arrearsCents: 90_000, status: 'unmatched' },
    { importId, rowNumber: 3, tenancyReference: 'ILLISIBLE', status: 'invalid', error: 'Dette illisible : « Mme Untel »' },
  ] });

  const run = await retention({});
  expect(run.failed).toEqual([]);

  expect(await h.db.mailMessage.findMany({ where: { id: { in: [failedAgenda.id, sentDigest.id] } } })).toEqual([]);
  expect(await h.db.mailMessage.findUniqueOrThrow({ where: { id: recentAgenda.id } })).toMatchObject({ text: '1. Mme Nommée Récente – bail Y', status: 'failed' });
  expect(await h.db.mailMessage.findUniqueOrThrow({ where: { id: householdMail.id } })).toMatchObject({
    text: null, lastError: null, subject: `[APRIL] bail ${open.tenancyReference}`, status: 'failed', householdId: open.id,
  });
  const rows = await h.db.arrearsImportRow.findMany({ where: { importId }, orderBy: { rowNumber: 'asc' } });
  expect(rows).toMatchObject([
    { rowNumber: 2, tenancyReference: null, arrearsCents: 90_000, status: 'unmatched', error: null },
    { rowNumber: 3, tenancyReference: null, status: 'invalid', error: null },
  ]);

  // Idempotent; and a shorter period reaches the recent agenda.
  expect((await retention({})).failed).toEqual([]);
  expect(await h.db.mailMessage.findUnique({ where: { id: recentAgenda.id } })).not.toBeNull();
  await retention({ policy: { ...policy, recordsRetentionMs: 5 * DAY } });
  expect(await h.db.mailMessage.findUnique({ where: { id: recentAgenda.id } })).toBeNull();
});
