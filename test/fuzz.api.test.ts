import { createHash, randomUUID } from 'node:crypto';
import type { Role } from '../generated/prisma/client';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import type { AccountName } from './support/accounts';
import { invalidBodies, seededRandom, type FuzzCase, type Schema } from './support/fuzz';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { processDriver } from './support/process';

/**
 * The check: "fuzzed invalid bodies on every endpoint get 4xx with a message and change
 * nothing". Reads the OpenAPI document, and for every operation with a request body sends invalid
 * bodies derived from its JSON Schema, as an account allowed to call it, on real fixtures; each
 * answer must be 4xx with the error shape, and the database must be as it was.
 */
const SEED = 20_260_501;

/** Who calls: the first of these whose role the operation allows (the document lists the roles). */
const CALLERS: [Role, AccountName][] = [
  ['coordinator', 'coordinator'], ['educator', 'educator'], ['committee_member', 'committee_member'], ['admin', 'admin'],
  ['landlord_agent', 'landlord_agent'], ['partner_worker', 'partner_worker'],
];

let h: Harness;
const fixtures = { householdId: '', taskId: '', partnerCheckTaskId: '', sessionId: '', userId: '' };

beforeAll(async () => {
  // The deployment's rhythm: no timer fires during the run, so the fixtures hold still.
  h = await openHarness({ policy: defaultProgrammePolicy, quietDatabase: true });
  const driver = processDriver(h);
  // Landlord 0 is the test landlord agent's: every caller below has the household in scope.
  fixtures.householdId = await driver.refer({ landlordId: LANDLORDS[0].id });
  const check = await eventually(() => h.db.task.findFirst({
    where: { householdId: fixtures.householdId, type: 'partner_check', partnerOrganisationId: PARTNER_ORGANISATIONS[0].id, status: 'open' },
  }).then((task) => task ?? undefined), 30_000, 'the partner check task');
  fixtures.taskId = check.id;
  fixtures.partnerCheckTaskId = check.id;
  const session = await request(h.baseUrl, 'POST', '/api/committee-sessions', { heldOn: new Date().toISOString().slice(0, 10) }, h.as.coordinator.headers);
  expect(session.status).toBe(201);
  fixtures.sessionId = session.body.id;
  fixtures.userId = h.as.educator2.id;
  // Let the referral's activities finish (mails, tasks) before the first snapshot.
  await eventually(async () => {
    const mails = await h.db.mailMessage.findMany({ where: { householdId: fixtures.householdId } });
    const tasks = await h.db.task.count({ where: { householdId: fixtures.householdId } });
    return mails.length >= 1 + PARTNER_ORGANISATIONS.length && mails.every((m) => m.status === 'sent') && tasks >= PARTNER_ORGANISATIONS.length ? true : undefined;
  }, 30_000, 'the referral to settle');
  await new Promise((resolve) => setTimeout(resolve, 1000));
});
afterAll(async () => {
  await h?.close();
});

/** A real id for each path parameter, by the collection it names. */
function fillPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (name === 'taskId') return fixtures.partnerCheckTaskId;
    if (name === 'tokenId') return randomUUID();
    if (path.startsWith('/api/households/')) return fixtures.householdId;
    if (path.startsWith('/api/tasks/')) return fixtures.taskId;
    if (path.startsWith('/api/committee-sessions/')) return fixtures.sessionId;
    if (path.startsWith('/api/admin/users/')) return fixtures.userId;
    throw new Error(`no fixture for {${name}} in ${path}: add one`);
  });
}

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex');

/**
 * Counts of every table, and a hash of every row a request on the fixtures could touch. The
 * other integration files wait while this one runs (quietDatabase), and nothing else in this file
 * writes once settled.
 */
async function snapshot() {
  const db = h.db;
  const householdId = fixtures.householdId;
  const accountIds = Object.values(h.as).map((a) => a.id);
  const counts = {
    landlords: await db.landlord.count(), partnerOrganisations: await db.partnerOrganisation.count(), users: await db.user.count(),
    sessions: await db.session.count(), apiTokens: await db.apiToken.count(), households: await db.household.count(),
    referrals: await db.referral.count(), tasks: await db.task.count(), taskEvents: await db.taskEvent.count(),
    committeeSessions: await db.committeeSession.count(), committeeDecisions: await db.committeeDecision.count(),
    notes: await db.note.count(), referentWorkers: await db.referentWorker.count(), timelineEvents: await db.timelineEvent.count(),
    auditEvents: await db.auditEvent.count(), mailMessages: await db.mailMessage.count(),
  };
  const rows = {
    household: sha(await db.household.findUnique({ where: { id: householdId } })),
    tasks: sha(await db.task.findMany({ where: { householdId }, orderBy: { id: 'asc' } })),
    taskEvents: sha(await db.taskEvent.findMany({ where: { task: { householdId } }, orderBy: { id: 'asc' } })),
    notes: sha(await db.note.findMany({ where: { householdId }, orderBy: { id: 'asc' } })),
    timeline: sha(await db.timelineEvent.findMany({ where: { householdId }, orderBy: { id: 'asc' } })),
    referents: sha(await db.referentWorker.findMany({ where: { householdId }, orderBy: { id: 'asc' } })),
    session: sha(await db.committeeSession.findUnique({ where: { id: fixtures.sessionId }, include: { decisions: true } })),
    users: sha(await db.user.findMany({ where: { id: { in: accountIds } }, orderBy: { id: 'asc' } })),
    tokens: sha(await db.apiToken.findMany({ where: { userId: { in: accountIds } }, orderBy: { id: 'asc' }, select: { id: true, revokedAt: true } })),
  };
  return { counts, rows };
}

interface Operation {
  path: string;
  method: string;
  schema: Schema;
  roles: Role[] | undefined;
}

async function operationsWithBody(): Promise<Operation[]> {
  const res = await request(h.baseUrl, 'GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  return Object.entries(res.body.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.requestBody)
      .map(([method, op]) => ({ path, method, schema: op.requestBody.content['application/json'].schema as Schema, roles: op['x-april-roles'] as Role[] | undefined })));
}

async function send(method: string, path: string, headers: Record<string, string>, fuzz: FuzzCase) {
  const body = fuzz.raw ? fuzz.raw.text : JSON.stringify(fuzz.body);
  const contentType = fuzz.raw ? fuzz.raw.contentType : 'application/json';
  const response = await fetch(`${h.baseUrl}${path}`, { method: method.toUpperCase(), headers: { ...headers, 'content-type': contentType }, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json, requestId: response.headers.get('x-request-id') };
}

test('invalid bodies on every endpoint get a 4xx with a message and change nothing', async () => {
  const operations = await operationsWithBody();
  // A sanity floor: the document lists the household actions, sign-in, admin… (a broken read would fuzz nothing).
  expect(operations.length).toBeGreaterThanOrEqual(25);
  const random = seededRandom(SEED);
  const before = await snapshot();
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  const requestIds: string[] = [];
  let cases = 0;

  for (const op of operations) {
    const caller = op.roles ? CALLERS.find(([role]) => op.roles!.includes(role))?.[1] : undefined;
    if (op.roles && !caller) throw new Error(`${op.method} ${op.path}: no test account may call it`);
    const headers = caller ? h.as[caller].headers : {};
    const path = fillPath(op.path);
    let validationErrors = 0;
    for (const fuzz of invalidBodies(op.schema, random)) {
      cases++;
      const res = await send(op.method, path, headers, fuzz);
      const where = `${op.method.toUpperCase()} ${op.path} as ${caller ?? 'anonymous'} — ${fuzz.name}`;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.requestId) requestIds.push(res.requestId);
      const shaped = typeof res.body === 'object' && res.body !== null && typeof res.body.error === 'string'
        && typeof res.body.message === 'string' && res.body.message.length > 0 && typeof res.body.requestId === 'string';
      if (res.status < 400 || res.status >= 500 || !shaped) failures.push(`${where}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      if (res.status === 400 && res.body?.error && res.body.error !== 'invalid_json') validationErrors++;
    }
    // Each operation's validation was reached (not stopped earlier by access or a missing fixture).
    if (validationErrors === 0) failures.push(`${op.method.toUpperCase()} ${op.path}: no case reached validation`);
  }

  const after = await snapshot();
  console.log(`fuzz: ${cases} invalid bodies on ${operations.length} operations (seed ${SEED}); statuses ${JSON.stringify(statuses)}`);
  expect(failures).toEqual([]);
  expect(after).toEqual(before);
  // Nothing any of those requests did left an audit row (every write of the API is audited).
  expect(await h.db.auditEvent.count({ where: { requestId: { in: requestIds } } })).toBe(0);
  expect(cases).toBeGreaterThan(500);
});

test('the document and its browsable view are public; the view needs nothing the CSP forbids', async () => {
  const json = await request(h.baseUrl, 'GET', '/api/openapi.json');
  expect(json.status).toBe(200);
  expect(json.body.openapi).toBe('3.1.0');
  const page = await fetch(`${h.baseUrl}/api/docs`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toContain('default-src \'self\'');
  const html = await page.text();
  expect(html).toContain('Actions sur un ménage');
  expect(html).toContain('/api/households/{id}/contact-attempts');
  expect(html).not.toMatch(/<script|<style|style="/i);
  const css = await fetch(`${h.baseUrl}/api/docs/style.css`);
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toMatch(/^text\/css/);
});
