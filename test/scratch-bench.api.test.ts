import { randomUUID } from 'node:crypto';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
let h: Harness;
beforeAll(async () => { h = await openHarness(); });
afterAll(async () => { await h?.close(); });
test('csv timing', async () => {
  const lines = Array.from({ length: 100_000 }, (_, i) => `BENCH-${i};${(i % 5000) + 0.5};${400 + (i % 300)}`);
  const csv = `reference_bail;dette;loyer\r\n${lines.join('\r\n')}\r\n`;
  const t = Date.now();
  const res = await fetch(`${h.baseUrl}/api/arrears-imports`, { method: 'POST', headers: { 'content-type': 'text/csv', ...h.as.landlord_agent.headers }, body: csv });
  const id = ((await res.json()) as any).id;
  console.error('TIMING accepted', Date.now() - t);
  await eventually(async () => ((await request(h.baseUrl, 'GET', `/api/arrears-imports/${id}`, undefined, h.as.landlord_agent.headers)).body.status === 'done' ? true : undefined), 120_000);
  console.error('TIMING done', Date.now() - t, randomUUID());
}, 300_000);
