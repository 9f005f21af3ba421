import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { householdWorkflowId } from '../workflows/household/messages';
import { eventually, openHarness, type Harness } from './support/harness';
import { fastPolicy } from './support/policy';
import { inboxUrl, receivedMail } from './support/mailbox';
import { processDriver } from './support/process';

/**
 * A worker killed with SIGKILL in the middle of a household's work: nothing lost, nothing twice.
 * It waits on the dead worker's activity timeouts, so it takes from seconds to about a minute.
 */
let h: Harness;
beforeAll(async () => {
  // No partner-check timer may fire while the dead worker's activities time out (a minute): the
  // reminders would add mails and events the counts below do not expect.
  h = await openHarness({ startWorker: false, policy: { ...fastPolicy, partnerCheck: { deadlineMs: 30 * 60_000, reminderLeadMs: 10 * 60_000 } } });
});
afterAll(async () => {
  await h?.close();
});

function startWorkerProcess(taskQueue: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'worker-process.ts')], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, NODE_OPTIONS: '', WORKER_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('READY') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
  });
}

test('killed while writing the referral: the next worker finishes, with no duplicate', async () => {
  const worker = await startWorkerProcess(h.taskQueue);
  const d = processDriver(h);
  const created = await fetch(`${h.baseUrl}/api/households`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...h.as.coordinator.headers },
    body: JSON.stringify({
      landlordId: '6f1c2a52-0000-4000-8000-000000000001', tenancyReference: `K-${Date.now()}`, headName: 'M. Crash Test',
      address: '1 rue du Kill, 51100 Reims', leaseStartDate: '2021-01-01', monthlyRent: 300, arrears: 900,
      procedureStage: 'none', referralSource: 'proximity',
    }),
  });
  const { id } = (await created.json()) as { id: string };
  // Kill as soon as the first write has landed: the partner check and the mails are under way.
  await eventually(async () => ((await h.db.timelineEvent.count({ where: { householdId: id } })) > 0 ? true : undefined), 20_000, 'first write');
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));

  await h.startWorker();
  try {
    const state = await d.waitForPhase(id, 'partner_check', 90_000);
    const expectedMails = 1 + PARTNER_ORGANISATIONS.length;
    const sent = () => h.db.mailMessage.count({ where: { idempotencyKey: { startsWith: `${householdWorkflowId(id)}:` }, status: 'sent' } });
    // Activities the dead worker had started are retried once their start-to-close timeout
    // (1 minute for mail) has passed: that is how Temporal learns a worker died without a word.
    // A loaded CI machine can add a retry interval or two: wait generously, it is time, not luck.
    await eventually(async () => ((await sent()) === expectedMails ? true : undefined), 300_000, 'mails after the crash').catch(async (error: unknown) => {
      // Say what is stuck, for whoever investigates.
      const rows = await h.db.mailMessage.findMany({ where: { idempotencyKey: { startsWith: `${householdWorkflowId(id)}:` } } });
      console.error(JSON.stringify(rows.map((r) => ({ key: r.idempotencyKey.split(':').slice(1).join(':'), status: r.status, attempts: r.attempts, lastError: r.lastError })), null, 1));
      const history = await h.temporal.workflow.getHandle(householdWorkflowId(id)).fetchHistory();
      console.error((history.events ?? []).map((e) => `${e.eventId} ${Object.keys(e).find((k) => k.endsWith('Attributes'))}`).join('\n'));
      throw error;
    });

    expect(await h.db.timelineEvent.count({ where: { householdId: id } })).toBe(state.eventSeq);
    expect(await h.db.referral.count({ where: { householdId: id } })).toBe(1);
    expect(await h.db.task.count({ where: { householdId: id, type: 'partner_check' } })).toBe(PARTNER_ORGANISATIONS.length);
    const reference = (await h.db.household.findUniqueOrThrow({ where: { id } })).tenancyReference;
    const inbox = (await receivedMail(inboxUrl())).filter((m) => m.text.includes(reference));
    // The outbox sends each mail once; the one window left (SMTP accepted, crash before the row
    // says so) would show here as a duplicate with the same Message-ID.
    expect(inbox).toHaveLength(expectedMails);
  } finally {
    await h.stopWorker();
  }
}, 480_000);
