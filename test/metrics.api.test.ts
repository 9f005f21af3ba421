import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app';
import { createDb } from '../lib/db';
import { createLogger } from '../lib/logger';
import { NOT_READY_REASONS } from '../lib/health';
import { startOpsListener } from '../lib/metrics';
import { eventually, useHarness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';
import { metricNamesIn } from './support/promql';

/**
 * Metrics and probes (docs/design/runtime.md, "Metrics and probes"): what the API's operations
 * listener serves after a household's first steps, with no id or name in any label, and the
 * liveness and readiness answers.
 */
const h = useHarness();
const TOKEN = 'metrics-token-for-the-test-0123456789abcdef';

interface Sample { name: string; labels: Record<string, string>; value: number }

/** The Prometheus text format, sample lines only. */
function parseExposition(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    return { name: match[1]!, labels, value: Number(match[3]) };
  });
}

let listener: Awaited<ReturnType<typeof startOpsListener>>;
beforeAll(async () => {
  listener = await startOpsListener({
    host: '127.0.0.1', port: 0, token: TOKEN,
    metrics: async () => ({ contentType: h.metrics.contentType, body: await h.metrics.metrics() }),
  });
});
afterAll(() => listener.close());

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${listener.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return parseExposition(await res.text());
}

const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

describe('/metrics', () => {
  test('is not on the app’s port, and asks for the token when one is configured', async () => {
    expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${listener.port}/metrics`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${listener.port}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  test('after a household’s first steps: requests by route pattern, households by phase and track, no id or name in a label', async () => {
    const driver = processDriver(h);
    const before = await scrape();
    const created = { method: 'POST', route: '/api/households', status: '201' };
    const decided = { method: 'POST', route: '/api/households/:id/committee-decisions', status: '200' };
    const reads = { method: 'GET', route: '/api/households/:id', status: '200' };

    const id = await driver.refer({ headName: 'Mme Métrique Étiquette' });
    await driver.admit(id);
    const household = await h.db.household.findUniqueOrThrow({ where: { id } });
    expect(household).toMatchObject({ phase: 'contact', track: 'pre_litigation' });
    // The phase's first task, written by the workflow's activity just after the phase changes.
    const task = await eventually(() => h.db.task.findFirst({ where: { householdId: id, status: 'open' } }).then((t) => t ?? undefined), 20_000, 'an open task');

    const totalBefore = await h.db.household.count();
    const after = await scrape();
    const totalAfter = await h.db.household.count();

    // This app's own counters: exactly what this test sent.
    expect(value(after, 'april_http_requests_total', created) - value(before, 'april_http_requests_total', created)).toBe(1);
    expect(value(after, 'april_http_requests_total', decided) - value(before, 'april_http_requests_total', decided)).toBe(1);
    expect(value(after, 'april_http_requests_total', reads)).toBeGreaterThan(value(before, 'april_http_requests_total', reads));
    expect(value(after, 'april_http_request_duration_seconds_count', created)).toBe(value(after, 'april_http_requests_total', created));
    expect(after.some((s) => s.name === 'april_http_request_duration_seconds_bucket' && s.labels.route === '/api/households/:id' && s.labels.le === '+Inf')).toBe(true);

    // Programme-wide gauges (other households may move meanwhile: households are never deleted, so
    // the total read around the scrape bounds the sum).
    expect(value(after, 'april_households', { phase: 'contact', track: 'pre_litigation' })).toBeGreaterThanOrEqual(1);
    const sum = value(after, 'april_households', {});
    expect(sum).toBeGreaterThanOrEqual(totalBefore);
    expect(sum).toBeLessThanOrEqual(totalAfter);
    expect(value(after, 'april_tasks_open', { type: task.type })).toBeGreaterThanOrEqual(1);
    for (const status of ['pending', 'sent', 'failed']) expect(after.some((s) => s.name === 'april_mails' && s.labels.status === status)).toBe(true);
    for (const within of ['48h', '7d']) for (const task of ['open', 'done']) {
      expect(after.some((s) => s.name === 'april_legal_deadlines' && s.labels.within === within && s.labels.task === task)).toBe(true);
    }
    expect(value(after, 'april_dependency_up', { dependency: 'postgres' })).toBe(1);
    expect(value(after, 'april_dependency_up', { dependency: 'temporal' })).toBe(1);

    // No label holds an id, a name or an unbounded value.
    const labelValues = after.flatMap((s) => Object.entries(s.labels).filter(([k]) => k !== 'le' && k !== 'quantile').map(([k, v]) => `${s.name}{${k}=${v}}`));
    expect(labelValues.length).toBeGreaterThan(20);
    const offending = labelValues.filter((v) =>
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/i.test(v) || /\d{5,}/.test(v) || v.includes(id) || /Métrique|Étiquette|P-[0-9a-f]{8}/.test(v));
    expect(offending).toEqual([]);
    const routes = new Set(after.filter((s) => s.name === 'april_http_requests_total').map((s) => s.labels.route));
    expect([...routes].every((route) => route === 'static' || route === 'unmatched' || /^(\/(:id|[a-z][a-z.-]*))+$|^\/$/.test(route!))).toBe(true);
  }, 120_000);
});

test('every metric of the API the alert rules name is on its /metrics (the worker’s: npm-start.api.test.ts)', async () => {
  const rules = parse(fs.readFileSync(path.join(__dirname, '..', 'temporal-docker', 'prometheus', 'rules', 'april-alerts.yml'), 'utf8'));
  const named = new Set<string>(rules.groups.flatMap((g: any) => g.rules.flatMap((r: any) => metricNamesIn(r.expr))));
  const apiNames = [...named].filter((name) => name.startsWith('april_') && !name.startsWith('april_worker_')).map((name) => name.replace(/_(bucket|sum|count)$/, ''));
  expect(apiNames.length).toBeGreaterThan(8);
  const res = await fetch(`http://127.0.0.1:${listener.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  expect(apiNames.filter((name) => !text.includes(`# TYPE ${name} `))).toEqual([]);
});

describe('/health/live and /health/ready', () => {
  test('live and ready answer 200 when PostgreSQL and Temporal answer; /health is unchanged', async () => {
    const live = await request(h.baseUrl, 'GET', '/health/live');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await request(h.baseUrl, 'GET', '/health/ready');
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', reasons: [], checks: { postgres: { ok: true }, temporal: { ok: true } } } });
    expect((await request(h.baseUrl, 'GET', '/health')).body.status).toBe('ok');
  });

  test('ready says 503 with its reason when PostgreSQL is unreachable, or when the process is stopping; live still 200', async () => {
    // A database nobody listens on (port 1): the check fails at once.
    const db = createDb('postgresql://april:none@127.0.0.1:1/april');
    const { app, lifecycle, metrics } = createApp({ db, temporal: h.temporal, namespace: 'default', taskQueue: h.taskQueue, logger: createLogger('silent', 'april-test') });
    const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await request(base, 'GET', '/health/live')).status).toBe(200);
      const ready = await request(base, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'not_ready', reasons: [NOT_READY_REASONS.postgres], checks: { postgres: { ok: false }, temporal: { ok: true } } });
      expect(ready.body.reasons[0]).toBe('PostgreSQL injoignable / PostgreSQL unreachable');
      const samples = parseExposition(await metrics.metrics());
      expect(value(samples, 'april_dependency_up', { dependency: 'postgres' })).toBe(0);
      expect(value(samples, 'april_dependency_up', { dependency: 'temporal' })).toBe(1);

      lifecycle.stopping = true;
      const stopping = await request(base, 'GET', '/health/ready');
      expect(stopping.status).toBe(503);
      expect(stopping.body.reasons).toEqual([NOT_READY_REASONS.stopping, NOT_READY_REASONS.postgres]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
    }
  });
});
