import type { AccountName } from './accounts';
import type { Harness } from './harness';
import { request } from './http';

// A date within the schema's window, whatever day the tests run.
export const heldOn = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);

/** Committee sessions through HTTP, as each role calls them (committee*.api.test.ts). */
export function committeeApi(h: Harness) {
  const as = (account: AccountName) => h.as[account].headers;
  const call = (account: AccountName, method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, as(account));
  const createSession = async (date = heldOn) => {
    const res = await call('coordinator', 'POST', '/api/committee-sessions', { heldOn: date });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  return { as, call, createSession };
}

export const fieldsOf = (body: any) => (body.details as { field: string }[]).map((d) => d.field);
