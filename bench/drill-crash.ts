// npm run drill:crash — households in flight while the worker is killed with SIGKILL at random
// moments and restarted, the Temporal server restarted once and PostgreSQL restarted once; then
// every household must be in the phase its inputs lead to, with no failed workflow and no
// duplicate task, timeline event or mail. Ends with one VERDICT line.
// Parameters: --households (DRILL_HOUSEHOLDS, 1000), --kills (DRILL_KILLS, 20), --concurrency
// (DRILL_CONCURRENCY, 50), --timeout-minutes (DRILL_TIMEOUT_MINUTES, 40: the whole drill).
import { randomUUID } from 'node:crypto';
import { householdWorkflowId } from '../workflows/household/messages';
import { checkHouseholds, PLANS, type Plan } from './support/crash-checks';
import { createHouseholdRows, householdDriver, startHousehold, type BenchHousehold } from './support/households';
import { describeMachine, loadSampler, machineFacts } from './support/machine';
import { benchPolicy } from './support/policy';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';
import { spawnWorker, writeWorkflowBundle, type WorkerChild } from './support/worker-supervisor';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const n = intParam('households', 'DRILL_HOUSEHOLDS', 1000);
  const kills = intParam('kills', 'DRILL_KILLS', 20);
  const concurrency = intParam('concurrency', 'DRILL_CONCURRENCY', 50);
  const timeoutMs = intParam('timeout-minutes', 'DRILL_TIMEOUT_MINUTES', 40) * 60_000;
  const machine = machineFacts();
  log(`drill:crash — ${n} households, ${kills} worker SIGKILLs, one Temporal restart, one PostgreSQL restart`);
  log(`machine: ${describeMachine(machine)}`);
  let verdict = 'VERDICT: FAIL the drill did not finish';
  try {
    const stack = await startBenchStack({ name: 'drill-crash', log, restartable: true });
    log(`topology: ${stack.topology}`);
    await withStack(stack, async () => {
      const load = loadSampler();
      const outcome = await Promise.race([
        drill(stack, { n, kills, concurrency }),
        sleep(timeoutMs).then(() => {
          throw new Error(`drill timed out after ${timeoutMs / 60_000} min`);
        }),
      ]);
      verdict = outcome.verdict;
      const file = writeResult('crash', { drill: 'crash', at: new Date().toISOString(), topology: stack.topology, machine, loadAverage: load.stop(), parameters: { households: n, kills, concurrency }, ...outcome });
      log(`JSON: ${file}`);
    });
  } catch (error) {
    console.error(error);
    verdict = `VERDICT: FAIL the drill could not run to its end: ${String(error).split('\n')[0]}`;
  }
  console.log(verdict);
  process.exit(verdict.startsWith('VERDICT: PASS') ? 0 : 1);
}

async function drill(stack: BenchStack, p: { n: number; kills: number; concurrency: number }) {
  const taskQueue = `drill-crash-${randomUUID()}`;
  const bundle = await writeWorkflowBundle(stack.dataDir);
  let worker: WorkerChild = await spawnWorker(stack, taskQueue, bundle);
  let killing = false;
  let unexpectedExits = 0;
  // A worker that dies without our kill (the server gone for a moment, say) is started again too.
  const superviseWorker = (w: WorkerChild) => {
    void w.exited.then(async () => {
      if (killing || w !== worker || stopped) return;
      unexpectedExits++;
      log(`worker exited on its own (${unexpectedExits}); starting another`);
      worker = await restartWorker();
    });
  };
  let stopped = false;
  const restartWorker = async (): Promise<WorkerChild> => {
    for (;;) {
      try {
        const next = await spawnWorker(stack, taskQueue, bundle);
        worker = next;
        superviseWorker(next);
        return next;
      } catch (error) {
        log(`worker start failed, again in 2 s: ${String(error).split('\n')[0]}`);
        await sleep(2_000);
      }
    }
  };
  superviseWorker(worker);

  const households = await createHouseholdRows(stack.db, p.n, 2);
  const planOf = (index: number): Plan => PLANS[index % PLANS.length]!;
  const driver = householdDriver(stack.client, stack.db);
  const drive = async (h: BenchHousehold, index: number) => {
    const plan = planOf(index);
    await startHousehold(stack.client, taskQueue, h, benchPolicy);
    await driver.waitForProjection(h.id, 'partner_check', 20 * 60_000);
    if (plan.name === 'withdrawn') return driver.withdraw(h);
    await driver.answerPartners(h);
    if (plan.name === 'rejected') return driver.reject(h);
    if (plan.name === 'committee') return;
    await driver.admit(h);
    await driver.reach(h);
    if (plan.name === 'support') return;
    await driver.clearArrears(h);
    await driver.startHandoff(h, true);
    await driver.acknowledge(h);
  };

  // The faults: kills at random moments, the Temporal server and PostgreSQL restarted once each,
  // a third and two thirds of the way through the kills.
  const faults = { kills: 0, temporalRestarts: 0, postgresRestarts: 0, skipped: [] as string[] };
  let driving = true;
  let faultError: unknown;
  const faulting = (async () => {
    for (let k = 1; k <= p.kills; k++) {
      await sleep(1_000 + Math.random() * (driving ? 6_000 : 3_000));
      killing = true;
      worker.child.kill('SIGKILL');
      await worker.exited;
      faults.kills++;
      log(`worker SIGKILL ${k}/${p.kills}`);
      if (k === Math.ceil(p.kills / 3)) {
        if (stack.restartTemporal) {
          log('restarting the Temporal server…');
          await stack.restartTemporal();
          faults.temporalRestarts++;
          log('Temporal server back');
        } else faults.skipped.push('Temporal restart (external server)');
      }
      if (k === Math.ceil((2 * p.kills) / 3)) {
        if (stack.restartPostgres) {
          log('restarting PostgreSQL…');
          await stack.restartPostgres();
          faults.postgresRestarts++;
          log('PostgreSQL back');
        } else faults.skipped.push('PostgreSQL restart (external server)');
      }
      await restartWorker();
      killing = false;
    }
  })().catch(async (error: unknown) => {
    // A fault we could not inject (or recover from) fails the drill, after the checks still run.
    faultError = error;
    log(`fault injection failed: ${String(error).split('\n')[0]}`);
    killing = false;
    if (worker.child.exitCode !== null) await restartWorker();
  });

  const t0 = Date.now();
  let done = 0;
  const progress = setInterval(() => log(`  driven ${done}/${p.n}`), 15_000);
  const errors = await pool(households, p.concurrency, async (h, index) => {
    await drive(h, index);
    done++;
  });
  clearInterval(progress);
  driving = false;
  log(`driving done in ${round((Date.now() - t0) / 1000, 1)} s, ${errors.length} driver errors`);
  for (const error of errors.slice(0, 5)) log(`  driver error: ${String(error)}`);
  await faulting;
  log(`faults done: ${faults.kills} kills, ${faults.temporalRestarts} Temporal restart, ${faults.postgresRestarts} PostgreSQL restart`);

  // Activities the killed workers held are retried after their timeouts (30 s to 1 min): wait for
  // the households to settle, then check everything.
  const checks = await checkHouseholds(stack, households.map((h, i) => ({ id: h.id, workflowId: householdWorkflowId(h.id), plan: planOf(i) })), log);
  stopped = true;
  worker.child.kill('SIGTERM');
  await Promise.race([worker.exited, sleep(15_000)]);
  if (worker.child.exitCode === null) worker.child.kill('SIGKILL');

  const faultsOk = !faultError && faults.kills === p.kills && (faults.temporalRestarts === 1 || faults.skipped.length > 0) && (faults.postgresRestarts === 1 || faults.skipped.length > 0);
  const pass = checks.problems.length === 0 && errors.length === 0 && faultsOk;
  const summary = `${p.n} households, ${faults.kills} SIGKILLs, ${faults.temporalRestarts} Temporal and ${faults.postgresRestarts} PostgreSQL restarts` +
    `${faults.skipped.length ? ` (skipped: ${faults.skipped.join(', ')})` : ''}; ${checks.summary}`;
  const verdict = pass
    ? `VERDICT: PASS ${summary}`
    : `VERDICT: FAIL ${[...checks.problems.slice(0, 5), ...(errors.length ? [`${errors.length} driver errors`] : []), ...(faultsOk ? [] : [`not every fault was injected${faultError ? ` (${String(faultError).split('\n')[0]})` : ''}`])].join('; ')} — ${summary}`;
  return { verdict, pass, faults, unexpectedWorkerExits: unexpectedExits, driverErrors: errors.map(String).slice(0, 20), checks };
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`VERDICT: FAIL ${String(error)}`);
  process.exit(1);
});
