import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../lib/tracing';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';

/**
 * Traces through the real stack (docs/design/runtime.md, « Traces »): a referral's HTTP request,
 * the client's start of the workflow, the workflow's run and the activities it schedules, then an
 * action's Update, all in one trace per request; spans named by route patterns and Temporal
 * operations, with no personal data. The exporter is in memory; production sends OTLP/HTTP.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let h: Harness;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'april-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  h = await openHarness({ tracing });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await tracing?.shutdown();
});

const spans = () => exporter.getFinishedSpans();
const inTrace = (traceId: string) => spans().filter((s) => s.spanContext().traceId === traceId);
const named = (list: ReadableSpan[], pattern: RegExp) => list.filter((s) => pattern.test(s.name)).map((s) => s.name);

test('tracing off by default: a plain start registers nothing and traces nothing', () => {
  const off = startTracing({ serviceName: 'april-test' });
  expect(off.enabled).toBe(false);
  expect(off.worker).toBeUndefined();
  expect(off.clientInterceptors).toEqual([]);
});

test('a referral is one trace: the HTTP request, the workflow start and the activities the workflow schedules', async () => {
  const driver = processDriver(h);
  const headName = 'Mme Trace Sans Nom';
  const householdId = await driver.refer({ headName });
  const server = await eventually(async () => spans().find((s) => s.name === 'POST /api/households' && s.attributes['http.response.status_code'] === 201), 20_000, 'the request span');
  const traceId = server.spanContext().traceId;
  // The workflow's spans reach the exporter through the worker's sink, its activities' directly.
  const trace = await eventually(async () => {
    const all = inTrace(traceId);
    return named(all, /^RunActivity:/).length > 0 && named(all, /^StartActivity:/).length > 0 ? all : undefined;
  }, 30_000, 'workflow and activity spans in the referral\'s trace');
  expect(named(trace, /^StartWorkflow:householdWorkflow$/)).toHaveLength(1);
  // The workflow's own span (RunWorkflow) ends with the household's path, months later: the
  // activities it scheduled meanwhile are its children, in the referral's trace.
  expect(named(trace, /^StartActivity:recordHouseholdEvents$/).length).toBeGreaterThan(0);
  expect(named(trace, /^RunActivity:recordHouseholdEvents$/).length).toBeGreaterThan(0);
  const start = trace.find((s) => s.name === 'StartWorkflow:householdWorkflow')!;
  expect(start.parentSpanId).toBe(server.spanContext().spanId);
  expect(server.attributes['april.request_id']).toEqual(expect.any(String));

  // An action's Update: its own trace, from the request to the workflow's handling of it.
  const answered = await request(h.baseUrl, 'POST', `/api/households/${householdId}/partner-answers`, { partnerOrgId: (await h.db.partnerOrganisation.findFirstOrThrow({ orderBy: { code: 'asc' } })).id, answer: 'not_known' }, h.as.coordinator.headers);
  expect(answered.status).toBe(200);
  const action = await eventually(async () => spans().find((s) => s.name === 'POST /api/households/:id/partner-answers'), 20_000, 'the action\'s request span');
  const updateTrace = await eventually(async () => {
    const all = inTrace(action.spanContext().traceId);
    return named(all, /^StartWorkflowUpdate:/).length > 0 && named(all, /^HandleUpdate:/).length > 0 ? all : undefined;
  }, 30_000, 'the Update in the action\'s trace');
  expect(named(updateTrace, /^StartWorkflowUpdate:/)).toHaveLength(1);

  // No personal data in span names or attributes.
  const text = JSON.stringify(spans().map((s) => ({ name: s.name, attributes: s.attributes })));
  expect(text).not.toContain(headName);
  expect(text).not.toContain('rue du Processus');
});
