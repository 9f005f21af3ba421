import { randomUUID } from 'node:crypto';
import { loadConfig, requireExternalServices } from '../lib/config';
import { openRuntime, startWorkerPart } from '../lib/runtime';
import { ensureSchedules, SCHEDULE_IDS } from '../lib/schedules';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import { openHarness, type Harness } from './support/harness';

/**
 * The cross-household jobs are Temporal Schedules, set at every worker start: created when
 * missing, brought up to date when present, never failing because they exist.
 */
let h: Harness;
beforeAll(async () => {
  h = await openHarness({ startWorker: false });
});
afterAll(async () => {
  await h?.close();
});

const deleteQuietly = (ids: string[]) => Promise.all(ids.map((id) => h.temporal.schedule.getHandle(id).delete().catch(() => undefined)));

test('schedules: created once with their calendar, overlap policy and arguments; setting them again is harmless and keeps an operator\'s pause', async () => {
  const idPrefix = `test-${randomUUID().slice(0, 8)}-`;
  const ids = Object.values(SCHEDULE_IDS).map((id) => `${idPrefix}${id}`);
  try {
    const first = await ensureSchedules(h.temporal, { taskQueue: h.taskQueue, policy: defaultProgrammePolicy, idPrefix });
    expect(first).toEqual({ created: ids, updated: [] });

    const digest = await h.temporal.schedule.getHandle(`${idPrefix}april-daily-digest`).describe();
    expect(digest.spec.timezone).toBe('Europe/Paris');
    expect(digest.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    expect(digest.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyDigestWorkflow', taskQueue: h.taskQueue, args: [{}] });
    expect(digest.policies.overlap).toBe('SKIP');
    // The next run is at 07:00 in Paris (05:00 or 06:00 UTC with daylight saving).
    const next = digest.info.nextActionTimes[0]!;
    expect(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('07:00');

    const overdue = await h.temporal.schedule.getHandle(`${idPrefix}april-overdue-escalation`).describe();
    expect(overdue.action).toMatchObject({ workflowType: 'overdueEscalationWorkflow', taskQueue: h.taskQueue });
    const retention = await h.temporal.schedule.getHandle(`${idPrefix}april-retention`).describe();
    expect(retention.action).toMatchObject({ workflowType: 'retentionWorkflow', args: [{ policy: { retentionAfterClosureMs: defaultProgrammePolicy.retentionAfterClosureMs } }] });

    // An operator pauses one; the next deploy changes the task queue and the retention period.
    await h.temporal.schedule.getHandle(`${idPrefix}april-retention`).pause('en attente de validation CNIL');
    const again = await ensureSchedules(h.temporal, { taskQueue: `${h.taskQueue}-v2`, policy: { retentionAfterClosureMs: 1000 }, idPrefix });
    expect(again).toEqual({ created: [], updated: ids });
    const updated = await h.temporal.schedule.getHandle(`${idPrefix}april-retention`).describe();
    expect(updated.action).toMatchObject({ taskQueue: `${h.taskQueue}-v2`, args: [{ policy: { retentionAfterClosureMs: 1000 } }] });
    expect(updated.state).toMatchObject({ paused: true, note: 'en attente de validation CNIL' });
    expect((await h.temporal.schedule.getHandle(`${idPrefix}april-daily-digest`).describe()).action).toMatchObject({ taskQueue: `${h.taskQueue}-v2` });
  } finally {
    await deleteQuietly(ids);
  }
});

test('the worker part sets the production schedules when it starts', async () => {
  const ids = Object.values(SCHEDULE_IDS);
  // Hold them paused first, on a queue nobody polls: a run must not fire against the shared test
  // database while this test looks. The worker start must then bring them to its own queue.
  await deleteQuietly(ids);
  await ensureSchedules(h.temporal, { taskQueue: `nobody-${randomUUID()}`, policy: defaultProgrammePolicy });
  for (const id of ids) await h.temporal.schedule.getHandle(id).pause('test');
  const taskQueue = `test-worker-part-${randomUUID()}`;
  const config = loadConfig({
    DATABASE_URL: h.services.databaseUrl,
    TEMPORAL_ADDRESS: h.services.temporalAddress,
    SMTP_URL: h.services.smtpUrl,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKER_METRICS_PORT: '0',
    TEMPORAL_METRICS_PORT: '0',
    PAYLOAD_CODEC_KEYS: `test:${Buffer.alloc(32, 42).toString('base64')}`,
    LOG_LEVEL: 'silent',
  });
  const runtime = await openRuntime(config, requireExternalServices(config), 'april-test-worker');
  try {
    const worker = await startWorkerPart(config, requireExternalServices(config), runtime);
    await worker.shutdown();
    for (const id of ids) {
      const described = await h.temporal.schedule.getHandle(id).describe();
      expect(described.action).toMatchObject({ taskQueue });
      expect(described.state.paused).toBe(true);
    }
  } finally {
    await deleteQuietly(ids);
    await runtime.close();
  }
}, 120_000);
