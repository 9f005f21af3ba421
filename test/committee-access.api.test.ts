/**
 * Committee sessions through HTTP (issue 5, item 4): who may use them, and opening one (bad bodies,
 * unknown ids). The agenda, the decisions and the minutes: committee.api.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { committeeApi, fieldsOf, heldOn } from './support/committee';
import { useHarness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';

// It counts every committee session of the database: no other file may write one meanwhile.
const h = useHarness({ quietDatabase: true });
const driver = processDriver(h);
const { as, call, createSession } = committeeApi(h);
const phaseOf = async (id: string) => (await driver.view(id)).workflow.state.phase as string;
let deferred: string; // waits for the committee: no refused call may decide for it

beforeAll(async () => {
  deferred = await driver.refer({ headName: 'M. Sam Attente', procedureStage: 'summons' });
  await driver.answerPartners(deferred);
});

describe('who may use committee sessions', () => {
  test('landlord agents, partners, educators and admin get 403 everywhere; only the coordination opens a session', async () => {
    const session = await createSession();
    const routes: [string, string, unknown?][] = [
      ['POST', '/api/committee-sessions', { heldOn }],
      ['GET', '/api/committee-sessions'],
      ['GET', `/api/committee-sessions/${session}`],
      ['POST', `/api/committee-sessions/${session}/decisions`, { decisions: [{ householdId: deferred, decision: { kind: 'defer' } }] }],
      ['GET', `/api/committee-sessions/${session}/minutes`],
    ];
    for (const account of ['landlord_agent', 'partner_worker', 'educator', 'admin'] as const) {
      for (const [method, path, body] of routes) {
        const res = await call(account, method, path, body);
        expect([account, method, path, res.status, res.body?.error]).toEqual([account, method, path, 403, 'forbidden']);
      }
    }
    // A committee member reads and decides, but does not open sessions.
    expect((await call('committee_member', 'POST', '/api/committee-sessions', { heldOn })).status).toBe(403);
    expect((await call('committee_member', 'GET', `/api/committee-sessions/${session}`)).status).toBe(200);
    expect((await request(h.baseUrl, 'GET', '/api/committee-sessions')).status).toBe(401);
    // Nothing was decided by all these refusals.
    expect(await h.db.committeeDecision.count({ where: { sessionId: session } })).toBe(0);
    expect(await phaseOf(deferred)).toBe('committee');
  });
});

describe('POST /api/committee-sessions', () => {
  test('opens a session (201, Location) and lists it', async () => {
    const res = await call('coordinator', 'POST', '/api/committee-sessions', { heldOn });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/committee-sessions/${res.body.id}`);
    expect(res.body).toMatchObject({ heldOn, createdById: h.as.coordinator.id });
    const row = await h.db.committeeSession.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.heldOn.toISOString().slice(0, 10)).toBe(heldOn);

    const list = await call('committee_member', 'GET', '/api/committee-sessions');
    expect(list.status).toBe(200);
    expect(list.body.sessions).toContainEqual(expect.objectContaining({ id: res.body.id, heldOn, decisionCount: 0 }));
  });

  test('invalid bodies get 400 naming the field, and no session is created', async () => {
    const before = await h.db.committeeSession.count();
    const cases: [unknown, string][] = [
      [{}, 'heldOn'],
      [{ heldOn: '10/12/2026' }, 'heldOn'],
      [{ heldOn: '2026-02-30' }, 'heldOn'],
      [{ heldOn: '1999-01-01' }, 'heldOn'],
      [{ heldOn: '2099-01-01' }, 'heldOn'],
      [{ heldOn: 20261210 }, 'heldOn'],
      [{ heldOn, room: 'salle 2' }, '(corps)'],
      [[], '(corps)'],
    ];
    for (const [body, field] of cases) {
      const res = await call('coordinator', 'POST', '/api/committee-sessions', body);
      expect([body, res.status, res.body.error]).toEqual([body, 400, 'validation_error']);
      expect(fieldsOf(res.body)).toContain(field);
      expect(typeof res.body.message).toBe('string');
    }
    const notJson = await request(h.baseUrl, 'POST', '/api/committee-sessions', `heldOn=${heldOn}`, { ...as('coordinator'), 'content-type': 'application/x-www-form-urlencoded' });
    expect(notJson.status).toBe(400);
    expect(await h.db.committeeSession.count()).toBe(before);
  });

  test('an unknown or malformed session id is 404', async () => {
    for (const path of [`/api/committee-sessions/${randomUUID()}`, '/api/committee-sessions/pas-un-id', `/api/committee-sessions/${randomUUID()}/minutes`]) {
      const res = await call('coordinator', 'GET', path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const res = await call('coordinator', 'POST', `/api/committee-sessions/${randomUUID()}/decisions`, { decisions: [{ householdId: deferred, decision: { kind: 'defer' } }] });
    expect(res.status).toBe(404);
  });
});
