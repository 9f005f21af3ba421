import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD } from '../lib/demo-accounts';
import { TEMPORAL_SDK_METRICS } from '../lib/metrics';
import { LANDLORDS } from '../lib/reference-data';
import { eventually } from './support/harness';
import { request, signIn } from './support/http';
import { freePort } from './support/free-port';

/**
 * `npm start` as a new user runs it: everything embedded, one line per part, Ctrl-C stops every
 * process, and a second start finds the first one's data.
 */
const root = path.resolve(__dirname, '..');
let dataDir: string;
let env: NodeJS.ProcessEnv;
let baseUrl: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'april-start-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const { DATABASE_URL: _d, TEMPORAL_ADDRESS: _t, SMTP_URL: _s, ...inherited } = process.env;
  env = {
    ...inherited,
    NODE_OPTIONS: '',
    DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_UI_PORT: String(await freePort()),
    EMBEDDED_SMTP_PORT: String(await freePort()),
    EMBEDDED_MAIL_WEB_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
    WORKER_METRICS_PORT: String(await freePort()),
    TEMPORAL_METRICS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
});

// A failed assertion must not leave an `npm start` (and its services) running.
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started.filter((c) => c.exitCode === null && c.signalCode === null)) await stop(child);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C pour tout arrêter')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start exited early (${code}):\n${output}`)));
  });
  return { child, output: () => output, ready };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

/** Processes still running whose command line mentions the data folder (postgres, temporal, maildev). */
function leftovers(): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes(dataDir) && !line.includes('ps -eo'));
}

test('npm start runs every part, stops cleanly on Ctrl-C, and finds its data again', async () => {
  const first = start();
  await first.ready;
  for (const part of ['API et pages', 'PostgreSQL (embarqué)', 'Temporal (embarqué)', 'Temporal, interface web', 'SMTP (embarqué)', 'Boîte aux lettres de test']) {
    expect(first.output()).toContain(part);
  }
  expect((await request(baseUrl, 'GET', '/health')).body.status).toBe('ok');
  expect((await request(baseUrl, 'GET', '/health/ready')).status).toBe(200);
  // Metrics on loopback listeners of their own, not on the app's port; the worker's carry the
  // Temporal SDK's (its runtime's exporter, installed by scripts/start.ts).
  expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
  const apiMetrics = await (await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).text();
  expect(apiMetrics).toContain('april_http_requests_total{method="GET",route="/health",status="200"}');
  expect(apiMetrics).toContain('april_households');
  const workerBase = `http://127.0.0.1:${env.WORKER_METRICS_PORT}`;
  expect((await fetch(`${workerBase}/health/live`)).status).toBe(200);
  await eventually(async () => ((await fetch(`${workerBase}/health/ready`)).status === 200 || undefined), 30_000, 'worker ready');
  const workerMetrics = await eventually(async () => {
    const text = await (await fetch(`${workerBase}/metrics`)).text();
    return text.includes('temporal_num_pollers') ? text : undefined;
  }, 30_000, 'SDK metrics on the worker listener');
  expect(workerMetrics).toContain('april_worker_polling{queue="households"} 1');
  // The SDK's gauges present from the worker's start (its counters appear with their first event).
  for (const name of ['temporal_worker_task_slots_available', 'temporal_worker_task_slots_used', 'temporal_request']) {
    expect(workerMetrics).toContain(`# TYPE ${name} `);
  }
  const uiPort = env.EMBEDDED_TEMPORAL_UI_PORT;
  expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${env.EMBEDDED_MAIL_WEB_PORT}/`, { headers: { accept: 'text/html' } })).status).toBe(200);

  // The demo accounts are printed at start; the landlord's agent signs in and refers.
  expect(first.output()).toContain('bailleur@april.localhost');
  expect(first.output()).toContain(DEMO_PASSWORD);
  const agent = await signIn(baseUrl, 'bailleur@april.localhost', DEMO_PASSWORD);
  const created = await request(baseUrl, 'POST', '/api/households', {
    landlordId: LANDLORDS[0].id,
    tenancyReference: `S-${randomUUID().slice(0, 8)}`,
    headName: 'Mme Persistante',
    address: '2 rue du Redémarrage, 51100 Reims',
    leaseStartDate: '2022-09-01',
    monthlyRent: 350,
    arrears: 700,
    procedureStage: 'none',
    referralSource: 'proximity',
  }, agent);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await eventually(async () => {
    const res = await request(baseUrl, 'GET', `/api/households/${id}`, undefined, agent);
    return res.body.workflow?.phase === 'partner_check' ? true : undefined;
  }, 30_000, 'referral recorded');

  // Once a workflow ran: the SDK's task and cache metrics, under the names the alert rules and the
  // dashboard use (lib/metrics/worker.ts TEMPORAL_SDK_METRICS).
  const afterWork = await (await fetch(`${workerBase}/metrics`)).text();
  const sdkNames = new Set([...afterWork.matchAll(/^# TYPE (temporal_\w+) /gm)].map((m) => m[1] as string));
  expect([...sdkNames].filter((name) => !(TEMPORAL_SDK_METRICS as readonly string[]).includes(name))).toEqual([]);
  for (const name of ['temporal_workflow_task_execution_latency', 'temporal_activity_execution_latency', 'temporal_sticky_cache_size', 'temporal_workflow_task_schedule_to_start_latency']) {
    expect(sdkNames).toContain(name);
  }

  expect(await stop(first.child)).toBe(0);
  expect(first.output()).toContain('Arrêté.');
  await eventually(async () => (leftovers().length === 0 ? true : undefined), 10_000, `no process left:\n${leftovers().join('\n')}`);

  const second = start();
  await second.ready;
  try {
    const again = await request(baseUrl, 'GET', `/api/households/${id}`, undefined, agent);
    expect(again.status).toBe(200);
    // The session survived the restart (it lives in the database).
    expect(again.body).toMatchObject({ id, headName: 'Mme Persistante' });
    const coordination = await signIn(baseUrl, 'coordination@april.localhost', DEMO_PASSWORD);
    const state = await eventually(async () => {
      const res = await request(baseUrl, 'GET', `/api/households/${id}`, undefined, coordination);
      return res.body.workflow?.available ? res.body.workflow.state : undefined;
    }, 30_000, 'workflow state after restart');
    expect(state).toMatchObject({ householdId: id, phase: 'partner_check', referral: { source: 'proximity' } });
  } finally {
    expect(await stop(second.child)).toBe(0);
  }
  await eventually(async () => (leftovers().length === 0 ? true : undefined), 10_000, 'no process left after the second stop');
});
