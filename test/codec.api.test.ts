import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import { createApp } from '../api/app';
import { createLogger } from '../lib/logger';
import { openHarness, testPayloadCodec, type Harness } from './support/harness';
import { request } from './support/http';

/** The Temporal web UI's codec endpoint: decrypts for whoever holds the token, nobody else. */
const TOKEN = 'x'.repeat(40);
let h: Harness;
let server: Server;
let url: string;

beforeAll(async () => {
  h = await openHarness({ startWorker: false });
  const { app } = createApp({
    db: h.db, temporal: h.temporal, namespace: 'default', taskQueue: h.taskQueue, logger: createLogger('silent'),
    codecEndpoint: { codec: testPayloadCodec, token: TOKEN, uiOrigin: 'http://127.0.0.1:8233' },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.close();
});

const asJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

test('decodes what the workers encrypted, for the holder of the token only', async () => {
  const plain = defaultPayloadConverter.toPayload({ householdId: 'abc', phase: 'contact' });
  const [encrypted] = await testPayloadCodec.encode([plain]);
  const body = { payloads: [asJson(encrypted!)] };
  expect(Buffer.from(body.payloads[0]!.data, 'base64').toString()).not.toContain('contact');

  const ok = await request(url, 'POST', '/codec/decode', body, { authorization: `Bearer ${TOKEN}`, 'x-namespace': 'default' });
  expect(ok.status).toBe(200);
  expect(JSON.parse(Buffer.from(ok.body.payloads[0].data, 'base64').toString())).toEqual({ householdId: 'abc', phase: 'contact' });

  expect((await request(url, 'POST', '/codec/decode', body)).status).toBe(401);
  expect((await request(url, 'POST', '/codec/decode', body, { authorization: 'Bearer wrong' })).status).toBe(403);
  expect((await request(url, 'POST', '/codec/decode', { payloads: 'nope' }, { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
});

test('answers the web UI\'s preflight for its own origin only', async () => {
  const preflight = await fetch(`${url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233' } });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
  const other = await fetch(`${url}/codec/decode`, { method: 'OPTIONS', headers: { origin: 'http://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('without a token configured, the endpoint does not exist', async () => {
  const res = await request(h.baseUrl, 'POST', '/codec/decode', { payloads: [] }, { authorization: `Bearer ${TOKEN}` });
  expect(res.status).toBe(404);
});
