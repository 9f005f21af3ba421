// npm run drill:fuzz — every endpoint of the OpenAPI document (GET /api/openapi.json, served by the
// app) fuzzed by schemathesis, a pinned tool in bench/.venv, authenticated as the coordinator
// (API token). Two phases, half the cases each:
// 1. negative data only (`--mode negative`): every answer must be a 4xx with the error shape, and
//    the database (row count of every table, a hash of the fixture households' rows) and the fixture
//    households' workflow histories must be exactly as before: a refused request changes nothing;
// 2. all data (`--mode all`, valid and invalid): no 5xx, every 4xx with the error shape. Accepted
//    requests legitimately change state here, so no snapshot comparison.
// Parameters: --cases=N (FUZZ_CASES, default 10000, split over the two phases and the operations),
// --budget-minutes=M (FUZZ_BUDGET_MINUTES, default 6, per phase), --seed=S (FUZZ_SEED, default 1),
// --workers=W (FUZZ_WORKERS, default 1). Observed with schemathesis 4.32: the fuzzing phase keeps
// generating until its time budget (-n did not cap it), so the budget bounds the count in practice;
// the verdict fails when fewer than half the asked cases ran.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { LANDLORDS } from '../lib/reference-data';
import { householdWorkflowId } from '../workflows/household/messages';
import { runApiDrill } from './support/api-drill';
import { call, hasErrorShape, type RunningApi } from './support/api-stack';
import { intParam, sleep } from './support/results';
import type { BenchStack } from './support/stack';

const log = (line: string) => console.log(line);
export const SCHEMATHESIS_VERSION = '4.32.5';
const VENV = path.resolve(__dirname, '.venv');
const SCHEMATHESIS = path.join(VENV, 'bin', 'schemathesis');
/** Checks that make sense for this API: no 5xx, statuses and content types as documented; in the negative phase, invalid data refused. */
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];

interface Snapshot {
  counts: Record<string, number>;
  fixtureHash: string;
  historyLengths: Record<string, number>;
}

interface PhaseFigures {
  mode: string;
  maxExamplesPerOperation: number;
  exitCode: number | null;
  seconds: number;
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: string[];
  withoutErrorShape: string[];
  accepted: number;
  acceptedWrites: number;
  schemathesisSummary: string[];
  schemathesisFailures: string[];
}

function main(): void {
  const cases = intParam('cases', 'FUZZ_CASES', 10_000);
  const budgetMinutes = intParam('budget-minutes', 'FUZZ_BUDGET_MINUTES', 6);
  const seed = intParam('seed', 'FUZZ_SEED', 1);
  const workers = intParam('workers', 'FUZZ_WORKERS', 1);
  runApiDrill('fuzz', `drill:fuzz — schemathesis ${SCHEMATHESIS_VERSION}, about ${cases} generated cases (half negative-only, half all data), seed ${seed}`, async ({ stack, api }) => {
    const fixtures = await referFixtures(stack, api, 3);
    const document = (await call(api.baseUrl, 'GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce((n, p) => n + Object.keys(p).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).length, 0);
    const perOperation = Math.max(1, Math.ceil(cases / 2 / operations));
    log(`OpenAPI document: ${operations} operations; ${perOperation} examples per operation and phase`);

    const before = await snapshot(stack, fixtures);
    const negative = await runPhase(api, 'negative', perOperation, seed, workers, budgetMinutes);
    // Workflow activities triggered before the phase could still be writing: let them settle.
    await sleep(2_000);
    const after = await snapshot(stack, fixtures);
    const changes = diff(before, after);
    log(`negative phase: state ${changes.length === 0 ? 'unchanged' : `CHANGED: ${changes.join('; ')}`}`);
    const all = await runPhase(api, 'all', perOperation, seed, workers, budgetMinutes);

    const phases = [negative, all];
    const requests = negative.requests + all.requests;
    const serverErrors = phases.flatMap((p) => p.serverErrors);
    const withoutShape = phases.flatMap((p) => p.withoutErrorShape);
    // A write accepted in the negative phase (schemathesis could not make that input invalid)
    // may change state legitimately: then a change cannot be blamed on a refused request.
    const refusedChanged = changes.length > 0;
    const problems = [
      ...(serverErrors.length ? [`${serverErrors.length} responses 5xx`] : []),
      ...(withoutShape.length ? [`${withoutShape.length} refusals without the error shape`] : []),
      ...(refusedChanged ? [`state changed during the negative phase (${changes.length} differences, ${negative.acceptedWrites} writes accepted there)`] : []),
      ...(requests < cases * 0.5 ? [`only ${requests} cases ran of about ${cases} asked`] : []),
    ];
    const conformance = phases.map((p) => `${p.mode}: schemathesis exit ${p.exitCode}`).join(', ');
    const verdict = problems.length === 0
      ? `VERDICT: PASS ${requests} generated requests over ${operations} operations, 0 responses 5xx, every 4xx with the error shape, no state change in the negative phase (${conformance})`
      : `VERDICT: FAIL ${problems.join('; ')} (${requests} requests; ${conformance})`;
    return {
      verdict,
      result: {
        parameters: { cases, seed, workers, budgetMinutes, schemathesis: SCHEMATHESIS_VERSION, checks: CHECKS, auth: 'coordinator API token' },
        operations, requests, phases, stateBefore: before, stateAfterNegative: after, stateChanges: changes,
      },
    };
  }, ensureSchemathesis);
}

function ensureSchemathesis(): void {
  if (!fs.existsSync(SCHEMATHESIS)) {
    throw new Error(`schemathesis is not installed: python3 -m venv bench/.venv && bench/.venv/bin/pip install schemathesis==${SCHEMATHESIS_VERSION}`);
  }
}

async function referFixtures(stack: BenchStack, api: RunningApi, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await call(api.baseUrl, 'POST', '/api/households', {
      landlordId: LANDLORDS[i % LANDLORDS.length]!.id, tenancyReference: `FUZZ-${randomUUID().slice(0, 8)}`, headName: 'M. Fixture', address: '7 rue du Hasard, 51100 Reims',
      leaseStartDate: '2021-03-01', monthlyRent: 420, arrears: 1260, procedureStage: 'none', referralSource: 'proximity',
    }, api.as.coordinator.headers);
    if (res.status !== 201) throw new Error(`referral refused (${res.status}): ${res.text}`);
    ids.push(res.body.id as string);
  }
  // The referral's own steps (partner checks, mails) must be over before the first snapshot.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ready = await stack.db.household.count({ where: { id: { in: ids }, phase: 'partner_check' } });
    if (ready === ids.length) break;
    await sleep(300);
  }
  await sleep(3_000);
  return ids;
}

async function snapshot(stack: BenchStack, fixtures: string[]): Promise<Snapshot> {
  const tables = await stack.db.$queryRawUnsafe<{ table_name: string }[]>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
  const counts: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const [row] = await stack.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
    counts[table] = Number(row?.n ?? -1);
  }
  const [hash] = await stack.db.$queryRawUnsafe<{ h: string | null }[]>(
    'SELECT md5(string_agg(h::text, \'|\' ORDER BY h.id)) AS h FROM households h WHERE h.id = ANY($1::uuid[])', fixtures);
  const historyLengths: Record<string, number> = {};
  for (const id of fixtures) {
    const description = await stack.client.workflow.getHandle(householdWorkflowId(id)).describe();
    historyLengths[id] = description.historyLength;
  }
  return { counts, fixtureHash: hash?.h ?? '', historyLengths };
}

function diff(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const table of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
    if (before.counts[table] !== after.counts[table]) changes.push(`${table}: ${before.counts[table]} → ${after.counts[table]} rows`);
  }
  if (before.fixtureHash !== after.fixtureHash) changes.push('fixture households\' rows changed');
  for (const id of Object.keys(before.historyLengths)) {
    if (before.historyLengths[id] !== after.historyLengths[id]) changes.push(`workflow of ${id}: ${before.historyLengths[id]} → ${after.historyLengths[id]} history events`);
  }
  return changes;
}

interface HarEntry {
  request: { method: string; url: string };
  response: { status: number; content?: { text?: string; encoding?: string } };
}

async function runPhase(api: RunningApi, mode: 'negative' | 'all', perOperation: number, seed: number, workers: number, budgetMinutes: number): Promise<PhaseFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `april-fuzz-${mode}-`));
  const har = path.join(dir, 'requests.har');
  const args = [
    'run', `${api.baseUrl}/api/openapi.json`, '--url', api.baseUrl,
    '-H', `${'Authorization'}: ${api.as.coordinator.headers.authorization}`,
    '--mode', mode, '--phases', 'fuzzing', '-n', String(perOperation), '--seed', String(seed), '-w', String(workers),
    '--checks', [...CHECKS, ...(mode === 'negative' ? ['negative_data_rejection'] : [])].join(','),
    '--continue-on-failure', '--max-failures', '100000', '--no-shrink', '--max-time', String(budgetMinutes * 60),
    '--request-timeout', '30', '--report', 'har', '--report-har-path', har, '--no-color', '--warnings', 'off',
  ];
  log(`\nphase ${mode}: schemathesis ${args.map((a) => (a.startsWith('Authorization') ? 'Authorization: Bearer …' : a)).join(' ')}`);
  const started = Date.now();
  const output: string[] = [];
  const exitCode = await new Promise<number | null>((resolve) => {
    // In a folder of its own: schemathesis leaves a `.schemathesis/` cache in its working directory.
    const child = spawn(SCHEMATHESIS, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    const take = (chunk: Buffer) => output.push(chunk.toString());
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolve(code));
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  const text = output.join('');
  fs.writeFileSync(path.join(dir, 'schemathesis.log'), text);
  const entries = fs.existsSync(har) ? ((JSON.parse(fs.readFileSync(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries) : [];
  const byStatus: Record<string, number> = {};
  const serverErrors: string[] = [];
  const withoutErrorShape: string[] = [];
  let accepted = 0;
  let acceptedWrites = 0;
  for (const e of entries) {
    const status = e.response.status;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const where = `${e.request.method} ${e.request.url.replace(api.baseUrl, '').slice(0, 140)}`;
    if (status >= 500) serverErrors.push(`${status} ${where}`);
    if (status >= 200 && status < 300) {
      accepted++;
      if (e.request.method !== 'GET') acceptedWrites++;
    }
    if (status >= 400 && status < 500) {
      let body: unknown;
      const raw = e.response.content?.text ?? '';
      try {
        body = JSON.parse(e.response.content?.encoding === 'base64' ? Buffer.from(raw, 'base64').toString('utf8') : raw);
      } catch {
        body = undefined;
      }
      if (!hasErrorShape(body)) withoutErrorShape.push(`${status} ${where}: ${raw.slice(0, 100)}`);
    }
  }
  const summary = text.split('\n').filter((line) => /passed|failed|Test cases|generated|Operations:|Impossible|Seed/i.test(line)).map((l) => l.trim());
  // Each failed check: the operation (a "___ METHOD /path ___" heading) and the check's verdict line.
  const failures = text.split('\n').filter((line) => /^_+ \w+ \/|^- ST\d+|^\s+(Received|Documented):/.test(line)).map((l) => l.replace(/_+/g, '').trim());
  log(`phase ${mode}: ${entries.length} requests in ${seconds} s; schemathesis exit ${exitCode}; statuses ${JSON.stringify(byStatus)}`);
  log(`  5xx: ${serverErrors.length}; 4xx without the error shape: ${withoutErrorShape.length}; 2xx: ${accepted} (${acceptedWrites} writes)`);
  for (const line of serverErrors.slice(0, 10)) log(`  5xx ${line}`);
  for (const line of withoutErrorShape.slice(0, 10)) log(`  NO ERROR SHAPE ${line}`);
  log(`  schemathesis summary (full log: ${path.join(dir, 'schemathesis.log')}):`);
  for (const line of summary) log(`    ${line}`);
  if (failures.length) log('  schemathesis check failures (operation, check, received / documented):');
  for (const line of failures.slice(0, 60)) log(`    ${line}`);
  return {
    mode, maxExamplesPerOperation: perOperation, exitCode, seconds, requests: entries.length, byStatus,
    serverErrors, withoutErrorShape, accepted, acceptedWrites, schemathesisSummary: summary, schemathesisFailures: failures,
  };
}

main();
