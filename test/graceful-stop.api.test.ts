import http from 'node:http';
import { loadConfig, requireExternalServices } from '../lib/config';
import { openRuntime, startApiPart, type Runtime } from '../lib/runtime';
import { freePort } from './support/free-port';
import { testServices } from './support/harness';

/**
 * The API's graceful stop (lib/runtime.ts startApiPart, docs/design/runtime.md "Metrics and
 * probes"): a request in flight when the stop begins still gets its answer, and one that never
 * ends is cut at the bound, so the stop always ends.
 */
let runtime: Runtime;
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  const services = testServices();
  config = loadConfig({
    DATABASE_URL: services.databaseUrl,
    TEMPORAL_ADDRESS: services.temporalAddress,
    SMTP_URL: services.smtpUrl,
    PAYLOAD_CODEC_KEYS: `test:${Buffer.alloc(32, 42).toString('base64')}`,
    LOG_LEVEL: 'silent',
    PORT: String(await freePort()),
    METRICS_PORT: '0',
    // Far beyond the test's timeout: the drain must end with the answer, not at the bound.
    SHUTDOWN_TIMEOUT_SECONDS: '600',
  });
  runtime = await openRuntime(config, requireExternalServices(config), 'april-test-api');
});
afterAll(() => runtime.close());

/** A sign-in whose body is sent in two halves: the request is in flight in between. */
function halfSentRequest(port: number) {
  const body = JSON.stringify({ email: 'personne@example.org', password: 'pas-le-bon-mot-de-passe' });
  // An agent of its own, keeping its connection alive as browsers do (Node's server closes it once
  // answered when stopping), and never reusing a socket of an earlier test's server.
  const req = http.request({ agent: new http.Agent({ keepAlive: true }), host: '127.0.0.1', port, method: 'POST', path: '/api/session', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const answer = new Promise<{ status?: number; error?: string }>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
  });
  req.write(body.slice(0, 10));
  return { finish: () => req.end(body.slice(10)), answer };
}

test('a request in flight when the stop begins is answered before the server closes', async () => {
  const api = await startApiPart(config, runtime);
  const port = config.port;
  const arrived = new Promise<void>((resolve) => api.server.once('request', () => resolve()));
  const inFlight = halfSentRequest(port);
  await arrived;

  const closed = api.close();
  // New connections are refused from now on.
  const refused = await fetch(`http://127.0.0.1:${port}/health/live`).then(() => 'answered', () => 'refused');
  expect(refused).toBe('refused');

  inFlight.finish();
  // Answered, not cut; and the stop ends with it, long before its bound (600 s).
  const answer = await inFlight.answer;
  expect(answer).toEqual({ status: expect.any(Number) });
  expect(answer.status).toBeLessThan(500);
  await closed;
});

test('a request that never ends is cut at SHUTDOWN_TIMEOUT_SECONDS: the stop ends all the same', async () => {
  const api = await startApiPart({ ...config, shutdownTimeoutMs: 1_000 }, runtime);
  const arrived = new Promise<void>((resolve) => api.server.once('request', () => resolve()));
  const stuck = halfSentRequest(config.port);
  await arrived;
  await api.close();
  expect(await stuck.answer).toEqual({ error: expect.any(String) });
});
