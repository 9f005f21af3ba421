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
let strictServer: Server;
let strictUrl: string;

const listen = async (codecEndpoint: Parameters<typeof createApp>[0]['codecEndpoint']) => {
  const { app } = createApp({
    db: h.db, temporal: h.temporal, namespace: 'default', taskQueue: h.taskQueue, logger: createLogger('silent'), codecEndpoint,
  });
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  return { listening, address: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
};

beforeAll(async () => {
  h = await openHarness({ startWorker: false });
  ({ listening: server, address: url } = await listen({ codec: testPayloadCodec, token: TOKEN, uiOrigin: 'http://127.0.0.1:8233' }));
  // As in production (lib/runtime.ts): a payload that is not ours is not echoed back.
  ({ listening: strictServer, address: strictUrl } = await listen({ codec: testPayloadCodec, token: TOKEN, refuseUnencrypted: true }));
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await new Promise((resolve) => strictServer?.close(resolve));
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

test('checks the token before reading the body: a bad token with 4 MB of non-JSON is a token error', async () => {
  const junk = `{${'x'.repeat(4 * 1024 * 1024 - 2)}`;
  const bad = await fetch(`${url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: junk });
  expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([403, 'forbidden']);
  const none = await fetch(`${url}/codec/encode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: junk });
  expect(none.status).toBe(401);
  // The holder of the token gets the JSON error: the body is read after the check only.
  const mine = await fetch(`${url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: '{nope' });
  expect(mine.status).toBe(400);
});

test('in production, /decode refuses a payload that is not encrypted by APRIL', async () => {
  const plain = defaultPayloadConverter.toPayload({ householdId: 'abc' });
  const [encrypted] = await testPayloadCodec.encode([plain]);
  const headers = { authorization: `Bearer ${TOKEN}` };
  // Passed through by default (histories written before encryption), refused when asked.
  expect((await request(url, 'POST', '/codec/decode', { payloads: [asJson(plain)] }, headers)).status).toBe(200);
  const refused = await request(strictUrl, 'POST', '/codec/decode', { payloads: [asJson(encrypted!), asJson(plain)] }, headers);
  expect([refused.status, refused.body.error]).toEqual([400, 'unencrypted_payload']);
  const ok = await request(strictUrl, 'POST', '/codec/decode', { payloads: [asJson(encrypted!)] }, headers);
  expect(JSON.parse(Buffer.from(ok.body.payloads[0].data, 'base64').toString())).toEqual({ householdId: 'abc' });
});
