// npm run drill:restore — households in flight, an online backup (`npm run backup`) while work goes
// on, more work, then everything destroyed (worker killed, PostgreSQL and Temporal stopped, their
// data and the codec key deleted; the SMTP server stays: it is the outside world), `npm run restore`
// onto the empty data folder, and the stack started again. Then: the projection must equal the
// workflows, every household must go on (Updates accepted, timers firing), no mail may go out twice
// because of the restore; the drill counts what was lost after the backup point (RPO) and how long
// the restore took (RTO). Ends with one VERDICT line. Embedded runtime only (dev server, SQLite):
// the production topology's Temporal databases are backed up with pg_dump (temporal-docker/README.md).
// Parameters: --households (DRILL_HOUSEHOLDS, 60), --timeout-minutes (DRILL_TIMEOUT_MINUTES, 20).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskChangesFor } from '../activities/household-tasks';
import type { HouseholdEvent } from '../domain/household';
import type { BackupManifest } from '../lib/backup/manifest';
import type { ReconcileReport } from '../lib/backup/reconcile';
import { getHouseholdStateQuery, householdWorkflowId } from '../workflows/household/messages';
import { createHouseholdRows, householdDriver, startHousehold, type BenchHousehold } from './support/households';
import { describeMachine, loadSampler, machineFacts } from './support/machine';
import { receivedMail } from './support/mailbox';
import { benchPolicy } from './support/policy';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, temporalFlavour, withStack, type BenchStack } from './support/stack';
import { spawnWorker, writeWorkflowBundle, type WorkerChild } from './support/worker-supervisor';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const SECOND = 1000;

/** The bench rhythm, with a long watch checked every 15 s: timers keep firing across the restore. */
const drillPolicy = { ...benchPolicy, watch: { ...benchPolicy.watch, lengthMs: 60 * 60 * SECOND, checkPeriodMs: 15 * SECOND } };

/** Where each household stands at the backup, what it does after, and what it does once restored. */
type Plan = 'partner_check' | 'committee' | 'contact' | 'watch';
const PLANS: Plan[] = ['partner_check', 'committee', 'contact', 'watch'];

async function main(): Promise<void> {
  const n = intParam('households', 'DRILL_HOUSEHOLDS', 60);
  const timeoutMs = intParam('timeout-minutes', 'DRILL_TIMEOUT_MINUTES', 20) * 60_000;
  const machine = machineFacts();
  log(`drill:restore — ${n} households in flight, an online backup, more work, everything destroyed, restore`);
  log(`machine: ${describeMachine(machine)}`);
  let verdict = 'VERDICT: FAIL the drill did not finish';
  try {
    if (temporalFlavour() === 'production' || process.env.DATABASE_URL || process.env.TEMPORAL_ADDRESS) {
      throw new Error('drill:restore runs on the embedded runtime only (its backup holds the dev server\'s SQLite file); the production topology\'s procedure (pg_dump, WAL archiving) is documented in temporal-docker/README.md');
    }
    const stack = await startBenchStack({ name: 'drill-restore', log, restartable: true });
    log(`topology: ${stack.topology}`);
    await withStack(stack, async () => {
      const load = loadSampler();
      const outcome = await Promise.race([
        drill(stack, n),
        sleep(timeoutMs).then(() => {
          throw new Error(`drill timed out after ${timeoutMs / 60_000} min`);
        }),
      ]);
      verdict = outcome.verdict;
      const file = writeResult('restore', { drill: 'restore', at: new Date().toISOString(), topology: stack.topology, machine, loadAverage: load.stop(), parameters: { households: n }, ...outcome });
      log(`JSON: ${file}`);
    });
  } catch (error) {
    console.error(error);
    verdict = `VERDICT: FAIL the drill could not run to its end: ${String(error).split('\n')[0]}`;
  }
  console.log(verdict);
  process.exit(verdict.startsWith('VERDICT: PASS') ? 0 : 1);
}

/** The product's own scripts, as an operator runs them, on the stack's embedded data folder and ports. */
function runScript(script: string, args: string[], stack: BenchStack, extraEnv: Record<string, string> = {}, onLine?: (line: string) => void): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: stack.dataDir,
    EMBEDDED_POSTGRES_PORT: String(stack.config.database.embeddedPort), EMBEDDED_TEMPORAL_PORT: String(stack.config.temporal.embeddedPort), ...extraEnv };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'PAYLOAD_CODEC_KEYS']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '..', 'scripts', script), ...args], { cwd: path.resolve(__dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        log(`  ${line}`);
        onLine?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

interface Snapshot {
  seq: Map<string, number>;
  phase: Map<string, string>;
  outboxKeys: Set<string>;
}

async function snapshot(stack: BenchStack, ids: string[]): Promise<Snapshot> {
  const rows = await stack.db.household.findMany({ where: { id: { in: ids } }, select: { id: true, phase: true } });
  const seqRows = await stack.db.$queryRaw<{ household_id: string; seq: number }[]>`
    SELECT household_id::text, max(split_part(idempotency_key, ':event:', 2)::int) AS seq FROM timeline_events GROUP BY household_id`;
  const outbox = await stack.db.mailMessage.findMany({ where: { idempotencyKey: { startsWith: 'household-' } }, select: { idempotencyKey: true } });
  return {
    seq: new Map(seqRows.filter((r) => ids.includes(r.household_id)).map((r) => [r.household_id, Number(r.seq)])),
    phase: new Map(rows.map((r) => [r.id, r.phase])),
    outboxKeys: new Set(outbox.map((m) => m.idempotencyKey)),
  };
}

/**
 * Projection against workflow, until they agree or `settleMs` passes: an activity in flight when
 * Temporal was copied is retried only after its timeout (30 s), and a watch timer may fire between
 * the query and the read.
 */
async function convergence(stack: BenchStack, households: BenchHousehold[], settleMs = 120_000) {
  const deadline = Date.now() + settleMs;
  let pending = households;
  for (;;) {
    const problems = await convergenceOnce(stack, pending);
    if (problems.length === 0 || Date.now() > deadline) return problems.map((p) => p.problem);
    pending = households.filter((h) => problems.some((p) => p.id === h.id));
    await sleep(3_000);
  }
}

/** Phase, timeline numbered 1..eventSeq, tasks exactly those the events open. */
async function convergenceOnce(stack: BenchStack, households: BenchHousehold[]) {
  const problems: { id: string; problem: string }[] = [];
  const ids = households.map((h) => h.id);
  const rows = new Map((await stack.db.household.findMany({ where: { id: { in: ids } }, select: { id: true, phase: true } })).map((r) => [r.id, r.phase]));
  const timeline = await stack.db.timelineEvent.findMany({ where: { householdId: { in: ids } }, select: { householdId: true, idempotencyKey: true, type: true, occurredAt: true, data: true } });
  const tasks = await stack.db.task.findMany({ where: { householdId: { in: ids } }, select: { householdId: true, idempotencyKey: true } });
  await pool(households, 10, async (h) => {
    const problem = (text: string) => problems.push({ id: h.id, problem: `${h.id}: ${text}` });
    const view = await stack.client.workflow.getHandle(householdWorkflowId(h.id)).query(getHouseholdStateQuery).catch((error: unknown) => {
      problem(`query failed: ${String(error).split('\n')[0]}`);
      return undefined;
    });
    if (!view) return;
    const events = timeline.filter((e) => e.householdId === h.id);
    const seqs = events.map((e) => Number(e.idempotencyKey.split(':').pop()));
    if (rows.get(h.id) !== view.state.phase) problem(`projection ${rows.get(h.id)} ≠ workflow ${view.state.phase}`);
    if (events.length !== view.eventSeq || Math.max(0, ...seqs) !== view.eventSeq) problem(`${events.length} timeline rows (max ${Math.max(0, ...seqs)}) ≠ workflow eventSeq ${view.eventSeq}`);
    const expected = events.flatMap((row) => {
      const event = { ...(row.data as object), type: row.type, at: row.occurredAt.toISOString() } as HouseholdEvent;
      return taskChangesFor({ seq: Number(row.idempotencyKey.split(':').pop()), event }, { workflowId: householdWorkflowId(h.id), householdId: h.id }).create.map((t) => t.idempotencyKey);
    }).sort();
    const got = tasks.filter((t) => t.householdId === h.id).map((t) => t.idempotencyKey).sort();
    if (JSON.stringify(expected) !== JSON.stringify(got)) problem('tasks differ from those its events open');
  });
  return problems;
}

async function drill(stack: BenchStack, n: number) {
  const taskQueue = `drill-restore-${randomUUID()}`;
  const bundle = await writeWorkflowBundle(stack.dataDir);
  let worker: WorkerChild = await spawnWorker(stack, taskQueue, bundle);
  const driver = householdDriver(stack.client, stack.db);
  const backupRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'april-drill-restore-backups-'));
  const planOf = (i: number) => PLANS[i % PLANS.length]!;

  try {
    // 1. Households in flight, each brought to the phase of its plan.
    const households = await createHouseholdRows(stack.db, n, 2);
    const t0 = Date.now();
    const errors1 = await pool(households, 20, async (h, i) => {
      await startHousehold(stack.client, taskQueue, h, drillPolicy);
      await driver.waitForProjection(h.id, 'partner_check');
      const plan = planOf(i);
      if (plan === 'partner_check') return;
      await driver.answerPartners(h);
      await driver.waitForProjection(h.id, 'committee');
      if (plan === 'committee') return;
      await driver.admit(h);
      await driver.waitForProjection(h.id, 'contact');
      if (plan === 'contact') return;
      await driver.reach(h);
      await driver.clearArrears(h);
      await driver.startHandoff(h, true);
      await driver.acknowledge(h);
      await driver.waitForProjection(h.id, 'watch');
    });
    if (errors1.length) throw new Error(`${errors1.length} households could not be brought in flight: ${String(errors1[0])}`);
    log(`${n} households in flight in ${round((Date.now() - t0) / 1000, 1)} s (partner check, committee, contact, watch)`);
    await sleep(2_000);

    // 2. The backup, online, while more work starts: a referral wave and one more step for most households.
    const later = Math.max(1, Math.floor(n / 5));
    const newRows: BenchHousehold[] = [];
    const tBackup = Date.now();
    // The work starts as the backup opens its database snapshot: some lands between the two copies.
    let snapshotStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (snapshotStarted = resolve));
    const backingUp = runScript('backup.ts', [`--out=${backupRoot}`], stack, {}, (line) => line.includes('export cohérent') && snapshotStarted());
    const moreWork = (async () => {
      await Promise.race([started, backingUp]);
      const errors = await pool(households, 20, async (h, i) => {
        const plan = planOf(i);
        if (plan === 'partner_check') await driver.answerPartners(h);
        else if (plan === 'committee') await driver.admit(h);
        else if (plan === 'contact') await driver.reach(h);
      });
      newRows.push(...(await createHouseholdRows(stack.db, later, 2)));
      errors.push(...(await pool(newRows, 20, async (h) => {
        await startHousehold(stack.client, taskQueue, h, drillPolicy);
        await driver.waitForProjection(h.id, 'partner_check');
      })));
      return errors;
    })();
    const backup = await backingUp;
    const backupMs = Date.now() - tBackup;
    const errors2 = await moreWork;
    if (backup.code !== 0) throw new Error(`npm run backup failed (${backup.code})`);
    const backupDir = fs.readdirSync(backupRoot).map((d) => path.join(backupRoot, d)).find((d) => fs.existsSync(path.join(d, 'manifest.json')))!;
    const manifest = JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    if (errors2.length) throw new Error(`${errors2.length} errors in the work after the backup: ${String(errors2[0])}`);
    // Let the watch timers fire a few more times, and the mails go out.
    await sleep(20_000);
    const all = [...households, ...newRows];
    const before = await snapshot(stack, all.map((h) => h.id));
    const mailsBefore = (await receivedMail(stack.mailInboxUrl!)).length;
    log(`backup ${path.basename(backupDir)}: ${manifest.database.rows} rows, ${round(manifest.totalBytes / 1024, 0)} KiB, ${backupMs} ms; gap between the two copies ${manifest.gapMs} ms`);
    log(`after the backup: ${later} households referred, one more step for ${n - Math.ceil(n / 4)}; ${mailsBefore} mails in the SMTP server`);

    // 3. Everything destroyed, then restored.
    worker.child.kill('SIGKILL');
    await worker.exited;
    let restoreResult: { durationMs: number; reconcile: ReconcileReport } | undefined;
    let restoreStartedAt = 0;
    const resultFile = path.join(backupRoot, 'restore-result.json');
    await stack.restartTemporal!(() => stack.restartPostgres!(async () => {
      for (const part of ['postgres', 'temporal', 'payload-codec.keys']) fs.rmSync(path.join(stack.dataDir, part), { recursive: true, force: true });
      log('destroyed: worker killed, PostgreSQL and Temporal stopped, their data and the codec key deleted');
      restoreStartedAt = Date.now();
      const restored = await runScript('restore.ts', [backupDir], stack, { RESTORE_RESULT_FILE: resultFile });
      if (restored.code !== 0) throw new Error(`npm run restore failed (${restored.code})`);
      restoreResult = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as typeof restoreResult;
    }));
    worker = await spawnWorker(stack, taskQueue, bundle);
    const rtoMs = Date.now() - restoreStartedAt;
    log(`RTO: ${round(rtoMs / 1000, 1)} s from the empty machine to a worker polling (restore script ${round(restoreResult!.durationMs / 1000, 1)} s)`);

    // 4. RPO, counted: what the stores held before the disaster and no longer hold.
    const restoredRows = new Set((await stack.db.household.findMany({ where: { id: { in: all.map((h) => h.id) } }, select: { id: true } })).map((r) => r.id));
    const present = all.filter((h) => restoredRows.has(h.id));
    const after = await snapshot(stack, present.map((h) => h.id));
    const lostHouseholds = all.length - present.length;
    let lostEvents = 0;
    let regressed = 0;
    for (const h of present) {
      const lost = (before.seq.get(h.id) ?? 0) - (after.seq.get(h.id) ?? 0);
      lostEvents += Math.max(0, lost);
      if (before.phase.get(h.id) !== after.phase.get(h.id)) regressed++;
    }
    const lostMailRecords = [...before.outboxKeys].filter((k) => !after.outboxKeys.has(k)).length;
    const rpo = { windowSeconds: round((restoreStartedAt - tBackup) / 1000, 1), householdsReferredAfterBackupLost: lostHouseholds, householdsBackInAnEarlierPhase: regressed, timelineEventsLost: lostEvents, mailRecordsLost: lostMailRecords };
    log(`RPO: ${lostHouseholds} of ${later} households referred after the backup lost, ${regressed} households back in an earlier phase, ${lostEvents} events lost, ${lostMailRecords} sent mails no longer in the mail log`);

    // 5. Convergence: the projection equals the workflows.
    const problems: string[] = [];
    const converged = await convergence(stack, present);
    if (converged.length) problems.push(`after restore: ${converged.length} projection mismatches (e.g. ${converged.slice(0, 2).join('; ')})`);
    const report = restoreResult!.reconcile;
    if (report.missingWorkflows.length) problems.push(`${report.missingWorkflows.length} case files without their workflow`);

    // 6. Every household goes on: an Update each (partner check, committee, contact), timers for the watch.
    const restoredSeq = after.seq;
    const errors3 = await pool(present, 20, async (h) => {
      const phase = after.phase.get(h.id);
      if (phase === 'partner_check') {
        await driver.answerPartners(h);
        await driver.waitForProjection(h.id, 'committee');
      } else if (phase === 'committee') {
        await driver.admit(h);
        await driver.waitForProjection(h.id, 'contact');
      } else if (phase === 'contact') {
        await driver.reach(h);
        await driver.waitForProjection(h.id, 'support');
      } else if (phase === 'support') {
        await driver.planSupport(h);
      } else if (phase === 'watch') {
        const deadline = Date.now() + 3 * 60_000;
        for (;;) {
          const fired = await stack.db.timelineEvent.count({ where: { householdId: h.id, type: 'watchCheckRequested', occurredAt: { gt: new Date(restoreStartedAt) } } });
          if (fired > 0) break;
          if (Date.now() > deadline) throw new Error(`${h.id}: no watch check fired after the restore`);
          await sleep(1_000);
        }
      } else throw new Error(`${h.id}: unexpected phase ${phase} after the restore`);
    });
    if (errors3.length) problems.push(`${errors3.length} households did not go on after the restore (e.g. ${String(errors3[0]).split('\n')[0]})`);
    const updatesAccepted = present.filter((h) => after.phase.get(h.id) !== 'watch').length - errors3.length;
    const timersFired = present.filter((h) => after.phase.get(h.id) === 'watch').length;

    // 7. Mails: settled, then no Message-ID twice because of the restore. A step lost after the
    //    backup and taken again sends its mails again under the same key and Message-ID: that is
    //    the RPO showing, counted apart.
    const settleDeadline = Date.now() + 3 * 60_000;
    while (Date.now() < settleDeadline && (await stack.db.mailMessage.count({ where: { status: { not: 'sent' }, householdId: { in: present.map((h) => h.id) } } })) > 0) await sleep(2_000);
    const unsent = await stack.db.mailMessage.count({ where: { status: { not: 'sent' }, householdId: { in: present.map((h) => h.id) } } });
    if (unsent) problems.push(`${unsent} mails not sent after the restore`);
    const final = await convergence(stack, present);
    if (final.length) problems.push(`at the end: ${final.length} projection mismatches (e.g. ${final.slice(0, 2).join('; ')})`);
    const received = await receivedMail(stack.mailInboxUrl!);
    const byMessageId = new Map<string, number>();
    for (const m of received) {
      const id = m.messageId ?? m.headers['message-id'] ?? m.id;
      byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
    }
    const duplicated = [...byMessageId].filter(([, count]) => count > 1).map(([id]) => id);
    const rows = await stack.db.mailMessage.findMany({ where: { messageId: { in: duplicated.map((id) => (id.startsWith('<') ? id : `<${id}>`)) } }, select: { idempotencyKey: true, householdId: true, messageId: true } });
    let redone = 0;
    const causedByRestore: string[] = [];
    for (const id of duplicated) {
      const row = rows.find((r) => r.messageId === (id.startsWith('<') ? id : `<${id}>`));
      const seq = row ? Number(/:event:(\d+):/.exec(row.idempotencyKey)?.[1] ?? NaN) : NaN;
      if (row?.householdId && Number.isFinite(seq) && seq > (restoredSeq.get(row.householdId) ?? 0)) redone++;
      else causedByRestore.push(row?.idempotencyKey ?? id);
    }
    if (causedByRestore.length) problems.push(`${causedByRestore.length} mails sent twice because of the restore (e.g. ${causedByRestore.slice(0, 3).join(', ')})`);

    const figures = {
      backup: { dir: path.basename(backupDir), ms: manifest.durationMs, rows: manifest.database.rows, bytes: manifest.totalBytes, gapMs: manifest.gapMs, households: n, tables: manifest.database.tables.length, temporalMethod: manifest.temporal.included ? manifest.temporal.method : undefined },
      rtoSeconds: round(rtoMs / 1000, 1),
      restoreScriptSeconds: round(restoreResult!.durationMs / 1000, 1),
      rpo,
      reconcile: { households: report.households, inStep: report.inStep, caughtUp: report.caughtUp.length, rolledBack: report.rolledBack.length, projectionFixed: report.projectionFixed.length, mailsSetAside: report.mailsSetAside, missingWorkflows: report.missingWorkflows.length, orphanWorkflows: report.orphanWorkflows.length },
      afterRestore: { updatesAccepted, timersFired, convergenceMismatches: converged.length, finalMismatches: final.length },
      mails: { received: received.length, distinct: byMessageId.size, resentForLostStepsTakenAgain: redone, sentTwiceBecauseOfRestore: causedByRestore.length },
    };
    const summary = `${n} households (+${later} after the backup); backup ${round(manifest.totalBytes / 1024, 0)} KiB in ${manifest.durationMs} ms (gap ${manifest.gapMs} ms); ` +
      `RTO ${figures.rtoSeconds} s; RPO: ${lostHouseholds} referrals, ${regressed} households a step back, ${lostEvents} events, ${lostMailRecords} mail records lost; ` +
      `reconcile ${report.caughtUp.length} caught up, ${report.rolledBack.length} set back, ${report.orphanWorkflows.length} orphan workflows flagged; ` +
      `after restore ${updatesAccepted} Updates accepted, ${timersFired} watch timers fired, ${converged.length}+${final.length} mismatches; ` +
      `mails ${received.length} received, ${redone} re-sent for lost steps taken again, ${causedByRestore.length} twice because of the restore`;
    const verdict = problems.length === 0 ? `VERDICT: PASS ${summary}` : `VERDICT: FAIL ${problems.slice(0, 5).join('; ')} — ${summary}`;
    return { verdict, pass: problems.length === 0, problems, figures };
  } finally {
    worker.child.kill('SIGTERM');
    await Promise.race([worker.exited, sleep(15_000)]);
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    if (!process.env.BENCH_KEEP_DATA) fs.rmSync(backupRoot, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`VERDICT: FAIL ${String(error)}`);
  process.exit(1);
});
