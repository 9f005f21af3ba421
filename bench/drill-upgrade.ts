// npm run drill:upgrade — the release procedure's rehearsal (docs/operations/releases.md): households
// started and left at every phase on the previous release's workflow code, then the worker replaced
// by the next release's; every household must go on to where its path leads with no failed
// workflow task, and households started afterwards must run the new code. Ends with one VERDICT line.
//
// The two releases:
// - previous: `--from=<ref>` (DRILL_FROM_REF), else the newest tag v* reachable from HEAD, else HEAD;
//   its workflows/ and domain/ by git archive into a temporary folder, bundled from there;
// - next: the working tree's workflow code plus bench/fixtures/upgrade/next-release.patch, a real
//   change to the state (a new field with a default and a new timer) behind patched(): the drill
//   needs one even when the current code brings none, and says so. `--no-fixture` runs the working
//   tree as it is (when it carries its own change); `--unguarded` applies the fixture without its
//   patched() guard, and the drill must then FAIL (proof that it catches an unversioned change).
//
// Both workers run the current activities (the previous release's activities would need its
// database schema); what changes between them is the workflow code, which is what replay concerns.
// Parameters: --per-phase (DRILL_PER_PHASE, 4 households per phase), --gap-seconds
// (DRILL_GAP_SECONDS, 5: no worker at all between the two), --timeout-minutes (DRILL_TIMEOUT_MINUTES, 10).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { ProgrammePolicy } from '../domain/programme/policy';
import { AesGcmPayloadCodec } from '../lib/payload-codec';
import { createLogger } from '../lib/logger';
import { createMailer } from '../lib/mailer';
import { DEMO_EDUCATOR, LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { dataConverterFor } from '../lib/temporal';
import type { AccountName } from '../test/support/accounts';
import { HISTORIES_DIR, recordedHistories } from '../test/support/histories';
import { householdWorkflowId } from '../workflows/household/messages';
import { startHouseholdWorker, type RunningWorker } from '../workers/worker';
import { call, startApi, type RunningApi } from './support/api-stack';
import { phaseWaiter } from './support/households';
import { describeMachine, machineFacts } from './support/machine';
import { benchPolicy } from './support/policy';
import { applyPatch, bundleTree, changedSince, copyWorkingTree, exportRelease, previousReleaseRef } from './support/releases';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const FIXTURE = path.resolve(__dirname, 'fixtures', 'upgrade', 'next-release.patch');
const PATCH_ID = 'drill-upgrade-probe';

/**
 * Durations in seconds where a household must move by itself around the switch: the partner check
 * reminds at 30 s and ends at 60 s, the handoff overlap lasts 30 s, the watch 90 s with a check
 * every 20 s, a support review is asked after 60 s. Long enough for the timers of the households
 * left at those phases to be pending when the worker is replaced, short enough to fire after it.
 */
const upgradePolicy: ProgrammePolicy = {
  ...benchPolicy,
  partnerCheck: { deadlineMs: 60 * SECOND, reminderLeadMs: 30 * SECOND },
  contact: { attemptSpacingMs: 100, maxFailedAttempts: 6, maxDurationMs: 24 * HOUR },
  support: { reviewPeriodMs: 60 * SECOND },
  handoff: { overlapMs: 30 * SECOND, acknowledgementReminderMs: 24 * HOUR },
  watch: { ...benchPolicy.watch, lengthMs: 90 * SECOND, checkPeriodMs: 20 * SECOND, relapseThroughCommittee: false },
};

/** Where each household is left on the previous release, and where its path ends on the next. */
interface Plan {
  name: string;
  /** Phase at the switch (the case file's projection). */
  leftAt: string;
  /** What the household waits for at the switch. */
  waiting: string;
  /** Timers the workflow has pending at the switch (it waits for one deadline at a time). */
  pendingTimers: number;
  phase: string;
  outcome: string | null;
}

const PLANS: Record<string, Plan> = {
  partnerCheck: { name: 'partner check, timers pending', leftAt: 'partner_check', waiting: 'its reminder (30 s) and deadline (60 s)', pendingTimers: 1, phase: 'closed', outcome: 'rejected' },
  committee: { name: 'committee, waiting for a person', leftAt: 'committee', waiting: 'the committee (no timer)', pendingTimers: 0, phase: 'support', outcome: null },
  contactClaimed: { name: 'contact, attempt task claimed', leftAt: 'contact', waiting: 'the educator who claimed the attempt task', pendingTimers: 1, phase: 'closed', outcome: 'maintained' },
  support: { name: 'support, review timer pending', leftAt: 'support', waiting: 'the review timer (60 s)', pendingTimers: 1, phase: 'closed', outcome: 'withdrawn' },
  handoff: { name: 'handoff open, acknowledgement task open', leftAt: 'handoff', waiting: "the partner's acknowledgement (partners complete tasks without claiming them) and the overlap timer (30 s)", pendingTimers: 1, phase: 'closed', outcome: 'maintained' },
  watch: { name: 'watch, check timers pending', leftAt: 'watch', waiting: 'the watch checks (20 s) and its end (90 s)', pendingTimers: 1, phase: 'closed', outcome: 'maintained' },
};
const NEW_PLAN: Plan = { name: 'new household on the next release', leftAt: '-', waiting: '-', pendingTimers: 0, phase: 'closed', outcome: 'rejected' };

interface DrillHousehold {
  id: string;
  plan: Plan;
  old: boolean;
  taskId?: string;
}

async function main(): Promise<void> {
  const perPhase = intParam('per-phase', 'DRILL_PER_PHASE', 4);
  const gapMs = intParam('gap-seconds', 'DRILL_GAP_SECONDS', 5) * SECOND;
  const timeoutMs = intParam('timeout-minutes', 'DRILL_TIMEOUT_MINUTES', 10) * 60_000;
  const unguarded = process.argv.includes('--unguarded');
  const noFixture = process.argv.includes('--no-fixture');
  const machine = machineFacts();
  log(`drill:upgrade — ${perPhase} households per phase left on the previous release, the worker replaced, ${perPhase} new households on the next`);
  log(`machine: ${describeMachine(machine)}`);
  let verdict = 'VERDICT: FAIL the drill did not finish';
  try {
    const stack = await startBenchStack({ name: 'drill-upgrade', log });
    log(`topology: ${stack.topology}`);
    await withStack(stack, async () => {
      const outcome = await drill(stack, { perPhase, gapMs, timeoutMs, unguarded, noFixture });
      verdict = outcome.verdict;
      const file = writeResult('upgrade', { drill: 'upgrade', at: new Date().toISOString(), topology: stack.topology, machine, parameters: { perPhase, gapMs, unguarded, noFixture }, ...outcome });
      log(`JSON: ${file}`);
    });
  } catch (error) {
    console.error(error);
    verdict = `VERDICT: FAIL the drill could not run to its end: ${String(error).split('\n')[0]}`;
  }
  console.log(verdict);
  process.exit(verdict.startsWith('VERDICT: PASS') ? 0 : 1);
}

async function drill(stack: BenchStack, p: { perPhase: number; gapMs: number; timeoutMs: number; unguarded: boolean; noFixture: boolean }) {
  const t0 = Date.now();
  // The two releases' workflow code, each in a folder of its own, bundled from there.
  const previous = previousReleaseRef();
  const changes = changedSince(previous.commit);
  const releasesDir = path.join(stack.dataDir, 'releases');
  const previousTree = exportRelease(previous.ref, previous.commit, path.join(releasesDir, 'previous'));
  let nextTree = copyWorkingTree(path.join(releasesDir, 'next'));
  if (!p.noFixture) {
    nextTree = applyPatch(nextTree, FIXTURE, p.unguarded ? (text) => text.replace(`patched('${PATCH_ID}')`, 'true /* unguarded: no patched() */') : undefined);
  }
  log(`previous release: ${previousTree.description} — ${previous.why}`);
  log(`next release: ${nextTree.description}`);
  log(`workflow code changed between them, before the fixture: ${changes.split('\n').pop()}`);
  if (!p.noFixture) {
    log(`the fixture adds what the issue asks of a release: a new state field with a default (carried 'upgrade', {} for households of the previous release) and a new timer, behind patched('${PATCH_ID}')${p.unguarded ? ' — UNGUARDED here: the drill must FAIL' : ''}`);
  }
  const previousBundle = await bundleTree(previousTree);
  const nextBundle = await bundleTree(nextTree);
  if (previousBundle.code === nextBundle.code) log('warning: both releases bundle to the same code: this run proves nothing about a change');
  log(`bundles built in ${round((Date.now() - t0) / 1000, 1)} s`);

  const api = await startApi(stack, { worker: false, policy: upgradePolicy });
  const mailer = createMailer(stack.services.smtpUrl, stack.config.mail.from);
  const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent', 'april-drill-upgrade');
  const startWorker = (codePath: string) => startHouseholdWorker({
    temporalAddress: stack.services.temporalAddress, namespace: stack.config.temporal.namespace, taskQueue: api.taskQueue,
    workflowBundle: { codePath }, payloadCodec: stack.codec,
    deps: { db: stack.db, mailer, clock: () => new Date(), logger, publicUrl: api.baseUrl },
  });
  let worker: RunningWorker | undefined;
  try {
    worker = await startWorker(previousBundle.codePath);
    log('worker of the previous release polling');
    const d = driver(stack, api);

    // 1. Households left at every phase on the previous release. The watch households go first
    // (their handoff overlap must end before the switch), the others once they are in watch, so
    // that the others' timers are still pending when the worker is replaced.
    const setupStarted = Date.now();
    const households: DrillHousehold[] = [];
    const make = (plan: Plan, n: number) => Array.from({ length: n }, () => ({ id: '', plan, old: true }) as DrillHousehold);
    const watch = make(PLANS.watch!, p.perPhase);
    const toWatch = await pool(watch, 10, async (h) => {
      h.id = await d.refer();
      households.push(h);
      await d.reach(h.id);
      await d.clearArrears(h.id);
      await d.startHandoff(h.id);
      await d.as('partner_worker', h.id, 'handoff/acknowledgements', { scheme: 'fsl' });
      await d.waitForPhase(h.id, 'watch', 2 * 60_000);
    });
    if (toWatch.length) throw new Error(`setting up the watch households failed: ${String(toWatch[0])}`);
    const others = [
      ...make(PLANS.support!, p.perPhase), ...make(PLANS.committee!, p.perPhase), ...make(PLANS.contactClaimed!, p.perPhase),
      ...make(PLANS.handoff!, p.perPhase), ...make(PLANS.partnerCheck!, p.perPhase),
    ];
    const setupErrors = await pool(others, 10, async (h) => {
      h.id = await d.refer();
      households.push(h);
      switch (h.plan) {
        case PLANS.partnerCheck:
          return;
        case PLANS.committee:
          return d.answerPartners(h.id);
        case PLANS.contactClaimed: {
          await d.admit(h.id);
          h.taskId = await d.openTask(h.id, 'contact_attempt');
          return d.claim('educator', h.taskId);
        }
        case PLANS.support:
          return d.reach(h.id);
        case PLANS.handoff: {
          await d.reach(h.id);
          await d.clearArrears(h.id);
          await d.startHandoff(h.id);
          await d.waitForPhase(h.id, 'handoff');
          h.taskId = await d.openTask(h.id, 'handoff_acknowledgement');
          return;
        }
        default:
          throw new Error(`no setup for ${h.plan.name}`);
      }
    });
    if (setupErrors.length) throw new Error(`setting up the households failed (${setupErrors.length}): ${String(setupErrors[0])}`);
    await d.settle(households.map((h) => h.id));
    const setupSeconds = round((Date.now() - setupStarted) / 1000, 1);
    log(`${households.length} households left at their phases on the previous release in ${setupSeconds} s`);

    // 2. The switch: the previous release's worker stops, then (after a gap with no worker at all)
    // the replay gate, then the next release's worker starts.
    await worker.shutdown();
    worker = undefined;
    const switchAt = Date.now();
    log('worker of the previous release stopped');
    const atSwitch = await stateAtSwitch(stack, households);
    for (const line of atSwitch.lines) log(`  ${line}`);
    const gate = await replayGate(stack, nextBundle.code, households);
    log(`replay gate: ${gate.passed}/${gate.total} histories replay against the next release (${gate.recorded} recorded in test/histories, ${gate.total - gate.recorded} of this drill's households)`);
    for (const failure of gate.failures.slice(0, 3)) log(`  ${failure}`);
    await sleep(Math.max(0, p.gapMs - (Date.now() - switchAt)));
    worker = await startWorker(nextBundle.codePath);
    const nextAt = Date.now();
    log(`worker of the next release polling, ${round((nextAt - switchAt) / 1000, 1)} s after the previous one stopped`);

    // 3. Every household goes on to the end of its path; new ones start on the next release.
    const newHouseholds = Array.from({ length: p.perPhase }, () => ({ id: '', plan: NEW_PLAN, old: false }) as DrillHousehold);
    const deadline = p.unguarded ? Math.min(p.timeoutMs, 90 * SECOND) : p.timeoutMs;
    const driving = pool([...households, ...newHouseholds], 20, async (h) => {
      if (!h.old) {
        h.id = await d.refer();
        households.push(h);
        await d.answerPartners(h.id);
        return d.reject(h.id);
      }
      switch (h.plan) {
        case PLANS.partnerCheck:
          // Both timers were started by the previous release and fire on the next.
          await d.waitForPhase(h.id, 'committee', 3 * 60_000);
          return d.reject(h.id);
        case PLANS.committee:
          await d.admitDecision(h.id);
          await d.waitForPhase(h.id, 'contact');
          await d.as('educator', h.id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' });
          return d.waitForPhase(h.id, 'support');
        case PLANS.contactClaimed:
          await d.complete('educator', h.taskId!, { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' });
          await d.waitForPhase(h.id, 'support');
          await d.clearArrears(h.id);
          await d.startHandoff(h.id);
          await d.as('partner_worker', h.id, 'handoff/acknowledgements', { scheme: 'fsl' });
          return d.waitForPhase(h.id, 'closed', 4 * 60_000);
        case PLANS.support:
          await d.waitForTimeline(h.id, 'supportReviewRequested', 3 * 60_000);
          await d.as('coordinator', h.id, 'withdraw', {});
          return d.waitForPhase(h.id, 'closed');
        case PLANS.handoff:
          await d.complete('partner_worker', h.taskId!, {});
          return d.waitForPhase(h.id, 'closed', 4 * 60_000);
        case PLANS.watch:
          return d.waitForPhase(h.id, 'closed', 3 * 60_000);
        default:
          throw new Error(`no path for ${h.plan.name}`);
      }
    });
    const driveErrors = await Promise.race([driving, sleep(deadline).then(() => [new Error(`households not at the end of their paths after ${deadline / 60_000} min`)])]);
    log(`driving after the switch done in ${round((Date.now() - nextAt) / 1000, 1)} s, ${driveErrors.length} driver errors`);
    for (const error of driveErrors.slice(0, 3)) log(`  driver error: ${String(error).split('\n')[0]}`);
    if (!p.unguarded) await d.settle(households.map((h) => h.id));

    // 4. The checks, from the workflows' histories and the case file.
    const checks = await checkHouseholds(stack, households, { previous: sha256(previousBundle.code), next: sha256(nextBundle.code) }, p.noFixture, p.unguarded);
    log(`workflow tasks completed: ${checks.workflowTasksCompletedBy.previous} by the previous release's bundle, ${checks.workflowTasksCompletedBy.next} by the next's${checks.workflowTasksCompletedBy.other ? `, ${checks.workflowTasksCompletedBy.other} by neither` : ''}; ${checks.failedTasks} failed (${checks.unhandledCommandRetries} UNHANDLED_COMMAND retries), ${checks.timedOutTasks} timed out`);
    const totalSeconds = round((Date.now() - t0) / 1000, 1);
    const perPlan = Object.fromEntries([...Object.values(PLANS), NEW_PLAN].map((plan) => [plan.name, households.filter((h) => h.plan === plan).length]));
    const pass = checks.problems.length === 0 && driveErrors.length === 0 && gate.failures.length === 0 && atSwitch.problems.length === 0;
    const summary = `${households.length - newHouseholds.length} households left at ${Object.keys(PLANS).length} phases on ${previous.ref} (${atSwitch.pendingTimers} timers pending, ${atSwitch.claimedTasks} tasks claimed, ${atSwitch.openHandoffs} handoffs open at the switch), ` +
      `worker replaced by ${p.noFixture ? 'the working tree' : `the working tree + fixture${p.unguarded ? ' (unguarded)' : ''}`}, ${newHouseholds.length} new households; ` +
      `${checks.atEnd}/${households.length} at the end of their path, ${checks.failedTasks} failed workflow tasks, ${checks.adopted}/${households.length} on the next release's code, ` +
      `replay gate ${gate.passed}/${gate.total}; ${totalSeconds} s in all (${setupSeconds} s setup, ${round((nextAt - switchAt) / 1000, 1)} s without worker)`;
    const gateProblem = gate.failures.length ? [`replay gate: ${gate.failures.length} of ${gate.total} histories do not replay against the next release (e.g. ${gate.failures[0]!.slice(0, 160)}…)`] : [];
    const problems = [...atSwitch.problems, ...gateProblem, ...checks.problems, ...(driveErrors.length ? [`${driveErrors.length} driver errors (${String(driveErrors[0]).split('\n')[0]})`] : [])];
    const verdict = pass ? `VERDICT: PASS ${summary}` : `VERDICT: FAIL ${problems.slice(0, 5).join('; ')} — ${summary}`;
    return {
      verdict, pass, totalSeconds, setupSeconds, switchSeconds: round((nextAt - switchAt) / 1000, 1),
      previous: { ref: previous.ref, commit: previous.commit, why: previous.why, changedSince: changes }, next: nextTree.description,
      households: perPlan, atSwitch, replayGate: gate, checks, driverErrors: driveErrors.map(String).slice(0, 20),
    };
  } finally {
    await worker?.shutdown().catch(() => undefined);
    await api.close();
    mailer.close();
  }
}

/** The household actions through HTTP, as each role calls them (the tests' accounts). */
function driver(stack: BenchStack, api: RunningApi) {
  const waitForProjection = phaseWaiter(stack.db);
  const as = async (who: AccountName, id: string, action: string, body: unknown) => {
    const res = await call(api.baseUrl, 'POST', `/api/households/${id}/${action}`, body, api.as[who].headers);
    if (res.status !== 200 && res.status !== 202) throw new Error(`${action} for ${id}: ${res.status} ${res.text.slice(0, 300)}`);
    return res.body;
  };
  const task = async (who: AccountName, taskId: string, verb: 'claim' | 'complete', body?: unknown) => {
    const res = await call(api.baseUrl, 'POST', `/api/tasks/${taskId}/${verb}`, body ?? {}, api.as[who].headers);
    if (res.status !== 200) throw new Error(`${verb} task ${taskId}: ${res.status} ${res.text.slice(0, 300)}`);
  };
  const waitForPhase = (id: string, phase: string, timeoutMs = 60_000) => waitForProjection(id, phase, timeoutMs);
  const admitDecision = (id: string) => as('committee_member', id, 'committee-decisions', {
    sessionId: 'comite-drill', decision: { kind: 'admit', track: 'pre_litigation', educatorId: DEMO_EDUCATOR.id },
  });
  const answerPartners = async (id: string) => {
    for (const partner of PARTNER_ORGANISATIONS) await as('coordinator', id, 'partner-answers', { partnerOrgId: partner.id, answer: 'not_known' });
    await waitForPhase(id, 'committee');
  };
  const admit = async (id: string) => {
    await answerPartners(id);
    await admitDecision(id);
    await waitForPhase(id, 'contact');
  };
  return {
    as,
    waitForPhase,
    admitDecision,
    answerPartners,
    admit,
    async refer(): Promise<string> {
      const res = await call(api.baseUrl, 'POST', '/api/households', {
        landlordId: LANDLORDS[0].id, tenancyReference: `UPG-${randomUUID().slice(0, 8)}`, headName: 'Ménage de répétition',
        address: '3 rue de la Mise à jour, 51100 Reims', leaseStartDate: '2020-02-01', monthlyRent: 400, arrears: 2400,
        procedureStage: 'payment_order', referralSource: 'pre_litigation',
      }, api.as.coordinator.headers);
      if (res.status !== 201) throw new Error(`referral refused: ${res.status} ${res.text.slice(0, 300)}`);
      const id = res.body.id as string;
      await waitForPhase(id, 'partner_check');
      return id;
    },
    async reach(id: string) {
      await admit(id);
      await as('educator', id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made' });
      await waitForPhase(id, 'support');
    },
    reject: async (id: string) => {
      await as('committee_member', id, 'committee-decisions', { sessionId: 'comite-drill', decision: { kind: 'reject', reason: 'not_eligible' } });
      await waitForPhase(id, 'closed');
    },
    // Paid off: without it the watch would see a relapse and the household would not close as maintained.
    clearArrears: (id: string) => as('coordinator', id, 'arrears', { arrears: 0 }),
    startHandoff: (id: string) => as('educator', id, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: PARTNER_ORGANISATIONS[0].id }] }),
    claim: (who: AccountName, taskId: string) => task(who, taskId, 'claim'),
    complete: (who: AccountName, taskId: string, body: unknown) => task(who, taskId, 'complete', body),
    async openTask(householdId: string, type: string): Promise<string> {
      for (let i = 0; i < 300; i++) {
        const row = await stack.db.task.findFirst({ where: { householdId, type, status: 'open' }, select: { id: true } });
        if (row) return row.id;
        await sleep(200);
      }
      throw new Error(`no open ${type} task for ${householdId}`);
    },
    async waitForTimeline(householdId: string, type: string, timeoutMs: number) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (await stack.db.timelineEvent.count({ where: { householdId, type } })) return;
        await sleep(500);
      }
      throw new Error(`no ${type} for ${householdId} after ${timeoutMs / 1000} s`);
    },
    /** Until no mail of these households waits in the outbox (a worker stopped mid-activity would leave one to retry). */
    async settle(ids: string[]) {
      for (let i = 0; i < 120; i++) {
        if (await stack.db.mailMessage.count({ where: { householdId: { in: ids }, status: { not: 'sent' } } }) === 0) return;
        await sleep(500);
      }
    },
  };
}

type History = temporal.api.history.v1.IHistory;
const sha256 = (code: string) => createHash('sha256').update(code).digest('hex');

/** A patch marker (the SDK's `core_patch`, written by Temporal's core, not by our codec) for this patch id. */
function marksPatch(marker: temporal.api.history.v1.IMarkerRecordedEventAttributes, patchId: string): boolean {
  if (marker.markerName !== 'core_patch') return false;
  return Object.values(marker.details ?? {}).some((payloads) =>
    (payloads.payloads ?? []).some((payload) => Buffer.from(payload.data ?? []).toString('utf8').includes(patchId)));
}

/**
 * What a household's workflow waits for in its history: timers started and not yet fired or
 * cancelled; and whether work is in flight (an activity not yet closed, or a workflow task scheduled
 * and not completed: a timer that fired or an activity that ended while no worker handled it yet).
 */
function waitingOn(history: History): { timers: number; inFlight: boolean } {
  const timers = new Set<string>();
  const activities = new Set<string>();
  let taskScheduled = false;
  for (const e of history.events ?? []) {
    const id = String(e.eventId ?? '');
    if (e.timerStartedEventAttributes) timers.add(e.timerStartedEventAttributes.timerId ?? '');
    if (e.timerFiredEventAttributes) timers.delete(e.timerFiredEventAttributes.timerId ?? '');
    if (e.timerCanceledEventAttributes) timers.delete(e.timerCanceledEventAttributes.timerId ?? '');
    if (e.activityTaskScheduledEventAttributes) activities.add(id);
    for (const closed of [e.activityTaskCompletedEventAttributes, e.activityTaskFailedEventAttributes, e.activityTaskTimedOutEventAttributes, e.activityTaskCanceledEventAttributes]) {
      if (closed) activities.delete(String(closed.scheduledEventId ?? ''));
    }
    if (e.workflowTaskScheduledEventAttributes) taskScheduled = true;
    if (e.workflowTaskCompletedEventAttributes) taskScheduled = false;
  }
  return { timers: timers.size, inFlight: activities.size > 0 || taskScheduled };
}

/** Where the households are when the previous release's worker has stopped: what the drill promised. */
async function stateAtSwitch(stack: BenchStack, households: DrillHousehold[]) {
  const problems: string[] = [];
  const rows = await stack.db.household.findMany({ where: { id: { in: households.map((h) => h.id) } }, select: { id: true, phase: true } });
  const phaseOf = new Map(rows.map((r) => [r.id, r.phase as string]));
  let timers = 0;
  let inFlight = 0;
  const lines: string[] = [];
  for (const plan of Object.values(PLANS)) {
    const mine = households.filter((h) => h.plan === plan);
    let inPhase = 0;
    let withTimers = 0;
    let busy = 0;
    for (const h of mine) {
      if (phaseOf.get(h.id) === plan.leftAt) inPhase++;
      const waiting = waitingOn(await stack.client.workflow.getHandle(householdWorkflowId(h.id)).fetchHistory());
      timers += waiting.timers;
      if (waiting.inFlight) busy++;
      // A household between two timers (the one that fired being handled when the worker stopped)
      // has work in flight instead: the next release's worker handles it and starts the next timer.
      if (waiting.timers === plan.pendingTimers || (plan.pendingTimers > 0 && waiting.timers === 0 && waiting.inFlight)) withTimers++;
    }
    inFlight += busy;
    lines.push(`${mine.length} × ${plan.name}: ${inPhase} in ${plan.leftAt}, ${withTimers} with ${plan.pendingTimers} timer${plan.pendingTimers === 1 ? '' : 's'} pending or between two, ${busy} with work in flight — waiting for ${plan.waiting}`);
    if (inPhase !== mine.length) problems.push(`${mine.length - inPhase} "${plan.name}" households not in ${plan.leftAt} at the switch`);
    if (withTimers !== mine.length) problems.push(`${mine.length - withTimers} "${plan.name}" households neither with their pending timer nor between two at the switch (setup too slow?)`);
  }
  const claimedByPlan = households.filter((h) => h.plan === PLANS.contactClaimed).map((h) => h.taskId!);
  const claimed = await stack.db.task.count({ where: { id: { in: claimedByPlan }, status: 'claimed' } });
  const expectedClaims = claimedByPlan.length;
  if (claimed !== expectedClaims) problems.push(`${expectedClaims - claimed} claimed tasks no longer claimed at the switch`);
  const openHandoffs = households.filter((h) => h.plan === PLANS.handoff && phaseOf.get(h.id) === 'handoff').length;
  lines.push(`${claimed} tasks claimed, ${openHandoffs} handoffs open, ${timers} timers pending, ${inFlight} households with work in flight`);
  return { lines, problems, pendingTimers: timers, householdsWithWorkInFlight: inFlight, claimedTasks: claimed, openHandoffs };
}

/**
 * The release procedure's replay gate, run here at the switch: every recorded history of
 * test/histories and the history of every household of this drill replay against the next
 * release's bundle (a failure there means a change that needs patched()).
 */
async function replayGate(stack: BenchStack, nextCode: string, households: DrillHousehold[]) {
  const failures: string[] = [];
  let passed = 0;
  const testCodec = new AesGcmPayloadCodec({ keys: [{ id: 'test', key: Buffer.alloc(32, 42) }], activeKeyId: 'test' });
  const recorded = recordedHistories();
  for (const file of recorded) {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { code: nextCode }, dataConverter: dataConverterFor(testCodec) }, history, `replay-${file}`)
      .then(() => passed++, (error: unknown) => failures.push(`test/histories/${file}: ${String(error).split('\n')[0]}`));
  }
  for (const h of households) {
    const workflowId = householdWorkflowId(h.id);
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { code: nextCode }, dataConverter: dataConverterFor(stack.codec) }, history, workflowId)
      .then(() => passed++, (error: unknown) => failures.push(`${workflowId} (${h.plan.name}): ${String(error).split('\n')[0]}`));
  }
  return { total: recorded.length + households.length, recorded: recorded.length, passed, failures };
}

/**
 * Each household at the end of its path (case file and workflow status), no failed workflow task,
 * and the next release's code in charge: the patch marker in the history (at the first task for a
 * new household, after tasks of the previous release for the others) and the new timer fired.
 */
async function checkHouseholds(stack: BenchStack, households: DrillHousehold[], builds: { previous: string; next: string }, noFixture: boolean, unguarded: boolean) {
  const problems: string[] = [];
  const client: Client = stack.client;
  const rows = await stack.db.household.findMany({ where: { id: { in: households.map((h) => h.id) } }, select: { id: true, phase: true, outcome: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const wrong = households.filter((h) => byId.get(h.id)?.phase !== h.plan.phase || (byId.get(h.id)?.outcome ?? null) !== h.plan.outcome);
  if (wrong.length) problems.push(`${wrong.length} households not at the end of their path (e.g. ${wrong.slice(0, 3).map((h) => `${h.plan.name}: ${byId.get(h.id)?.phase}/${byId.get(h.id)?.outcome} ≠ ${h.plan.phase}/${h.plan.outcome}`).join(', ')})`);

  // A closed case file is written one step before the workflow returns: give them a moment.
  const expectedStatus = (h: DrillHousehold) => (h.plan.phase === 'closed' ? 'COMPLETED' : 'RUNNING');
  const statusOf = async (h: DrillHousehold) => (await client.workflow.getHandle(householdWorkflowId(h.id)).describe()).status.name;
  for (let i = 0; i < (unguarded ? 1 : 30); i++) {
    const pending = (await Promise.all(households.map(async (h) => (await statusOf(h)) !== expectedStatus(h)))).filter(Boolean).length;
    if (pending === 0) break;
    await sleep(1_000);
  }

  const statuses: Record<string, number> = {};
  const failedCauses: Record<string, number> = {};
  let failedTasks = 0;
  let unhandledCommand = 0;
  let timedOutTasks = 0;
  const tasksBy = { previous: 0, next: 0, other: 0 };
  let adopted = 0;
  const notAdopted: string[] = [];
  let timersFired = 0;
  await pool(households, 10, async (h) => {
    const handle = client.workflow.getHandle(householdWorkflowId(h.id));
    const status = (await handle.describe()).status.name;
    statuses[status] = (statuses[status] ?? 0) + 1;
    const history = await handle.fetchHistory();
    // Which release completed each workflow task (the SDK's build id ends with its bundle's SHA-256),
    // and after how many tasks the patch marker was recorded.
    const releases: ('previous' | 'next' | 'other')[] = [];
    let markerTask: number | undefined;
    for (const e of history.events ?? []) {
      const failed = e.workflowTaskFailedEventAttributes;
      if (failed) {
        // UNHANDLED_COMMAND: a message arrived while the task completed; the SDK retries it at once.
        if (failed.cause === 1) unhandledCommand++;
        else {
          failedTasks++;
          const cause = temporal.api.enums.v1.WorkflowTaskFailedCause[failed.cause ?? 0]?.replace('WORKFLOW_TASK_FAILED_CAUSE_', '') ?? String(failed.cause);
          failedCauses[cause] = (failedCauses[cause] ?? 0) + 1;
        }
      }
      // A task that outlived its timeout (10 s: a whole history replayed on a busy machine) is
      // retried by the server: counted, not a failure of the code.
      if (e.workflowTaskTimedOutEventAttributes) timedOutTasks++;
      const completed = e.workflowTaskCompletedEventAttributes;
      if (completed) {
        const buildId = completed.workerVersion?.buildId || completed.binaryChecksum || completed.deploymentVersion?.buildId || '';
        const release = buildId.endsWith(builds.previous) ? 'previous' : buildId.endsWith(builds.next) ? 'next' : 'other';
        releases.push(release);
        tasksBy[release]++;
      }
      const marker = e.markerRecordedEventAttributes;
      if (marker && markerTask === undefined && marksPatch(marker, PATCH_ID)) markerTask = releases.length - 1;
    }
    if (noFixture) return;
    // The next release takes over at its first task: every task before it by the previous release
    // (at least one, for a household of the previous release; none for a new one), every task from
    // it by the next; and the marker recorded by one of the next release's tasks.
    const firstNext = releases.indexOf('next');
    const ok = markerTask !== undefined && firstNext >= 0 && markerTask >= firstNext
      && releases.slice(0, firstNext).every((r) => r === 'previous') && releases.slice(firstNext).every((r) => r === 'next')
      && (h.old ? firstNext > 0 : firstNext === 0);
    if (ok) adopted++;
    else notAdopted.push(`${h.plan.name}: tasks ${releases.map((r) => r[0]).join('')}, marker at task ${markerTask ?? 'none'}`);
    if (!unguarded) {
      const probe = await handle.query<{ adoptedAt?: string; timerFiredAt?: string }>('getUpgradeProbe').catch(() => undefined);
      if (probe?.timerFiredAt) timersFired++;
    }
  });
  if (failedTasks) problems.push(`${failedTasks} failed workflow tasks (causes ${JSON.stringify(failedCauses)})`);
  const expected: Record<string, number> = {};
  for (const h of households) expected[expectedStatus(h)] = (expected[expectedStatus(h)] ?? 0) + 1;
  if (JSON.stringify(Object.entries(statuses).sort()) !== JSON.stringify(Object.entries(expected).sort())) problems.push(`workflow statuses ${JSON.stringify(statuses)}, expected ${JSON.stringify(expected)}`);
  if (!noFixture) {
    if (adopted !== households.length) problems.push(`${households.length - adopted} households not handed over from one release to the other as expected (e.g. ${notAdopted.slice(0, 2).join('; ')})`);
    if (!unguarded && timersFired !== households.length) problems.push(`the next release's new timer fired for ${timersFired} of ${households.length} households`);
  }
  return {
    problems, atEnd: households.length - wrong.length, statuses, failedTasks, failedCauses, unhandledCommandRetries: unhandledCommand, timedOutTasks,
    workflowTasksCompletedBy: tasksBy, adopted: noFixture ? undefined : adopted, newTimerFired: noFixture ? undefined : timersFired,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`VERDICT: FAIL ${String(error)}`);
  process.exit(1);
});
