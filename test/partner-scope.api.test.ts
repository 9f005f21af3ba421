import { randomUUID } from 'node:crypto';
import { NEVER_FOR_PARTNERS } from '../api/access/fields';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { AccountName } from './support/accounts';
import { eventually, openHarness, type Harness } from './support/harness';
import { request } from './support/http';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * What a partner and a landlord read, field by field, and how long a partner reads a household
 * (docs/design/roles-and-access.md): every answer open to them is walked and searched for the
 * fields they never get; a partner's scope follows the checks addressed to it while open, then
 * for the correction window after its answer, then nothing.
 */
let h: Harness;
let driver: ReturnType<typeof processDriver>;
const ownOrg = PARTNER_ORGANISATIONS[0];
const suffix = randomUUID().slice(0, 8);
let householdId: string;

beforeAll(async () => {
  h = await openHarness({ policy: patientPartnersPolicy });
  driver = processDriver(h);
  householdId = await driver.refer({ landlordId: LANDLORDS[0].id, headName: `Mme Portée ${suffix}`, phone: '0326000000', email: `portee-${suffix}@example.org` });
  await eventually(async () => (await h.db.task.count({ where: { householdId, type: 'partner_check' } })) === PARTNER_ORGANISATIONS.length || undefined, 20_000, 'partner check tasks');
  // Another organisation has answered, with a referent: its answer must never reach ours.
  const other = await request(h.baseUrl, 'POST', `/api/households/${householdId}/partner-answers`, {
    partnerOrgId: PARTNER_ORGANISATIONS[1].id, answer: 'followed', referent: { name: `Référent Autre ${suffix}`, email: 'autre@example.org' },
  }, h.as.coordinator.headers);
  expect(other.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

const call = (account: AccountName, method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as[account].headers);
const checkOf = () => h.db.task.findFirstOrThrow({ where: { householdId, type: 'partner_check', partnerOrganisationId: ownOrg.id } });

/** Every key, at any depth, of a JSON answer. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

/** The GET answers a role may read about households and tasks, as it would call them. */
async function readsOf(account: AccountName) {
  const paths = ['/api/households?limit=500', `/api/households/${householdId}`, '/api/tasks?view=all&limit=200'];
  if (account.startsWith('partner')) paths.push('/api/partner-checks', `/api/partner-checks/${(await checkOf()).id}`);
  const answers: { path: string; status: number; body: unknown }[] = [];
  for (const path of paths) {
    const res = await call(account, 'GET', path);
    answers.push({ path, status: res.status, body: res.body });
  }
  return answers;
}

describe('each role\'s answers carry only its fields', () => {
  test('a partner reads names, addresses, landlords, the question and its own answer: never money, procedure, notes or another organisation\'s answer', async () => {
    const answers = await readsOf('partner_worker');
    for (const answer of answers) expect({ path: answer.path, status: answer.status }).toEqual({ path: answer.path, status: 200 });
    const forbidden = answers.map(({ path, body }) => ({ path, keys: keysOf(body).filter((key) => (NEVER_FOR_PARTNERS as readonly string[]).includes(key)) }));
    expect(forbidden).toEqual(answers.map(({ path }) => ({ path, keys: [] })));
    const text = JSON.stringify(answers);
    expect(text).not.toContain(`Référent Autre ${suffix}`);
    expect(text).not.toContain(PARTNER_ORGANISATIONS[1].id);
    expect(text).not.toContain('0326000000');

    const check = answers.find((a) => a.path.startsWith('/api/partner-checks/'))!.body as Record<string, unknown>;
    expect(Object.keys(check).sort()).toEqual(['address', 'askedOn', 'dueAt', 'headName', 'householdId', 'landlord', 'question', 'status', 'taskId']);
    const row = (answers[0]!.body as { households: Record<string, unknown>[] }).households.find((r) => r.id === householdId)!;
    expect(Object.keys(row).sort()).toEqual(['createdAt', 'id', 'landlordId', 'phase']);
  });

  test('a landlord agent reads its own file and where the household stands: no notes, no partners, no educator, no contact details', async () => {
    const answers = await readsOf('landlord_agent');
    expect(answers.map((a) => a.status)).toEqual([200, 200, 403]);
    const keys = answers.slice(0, 2).flatMap((a) => keysOf(a.body));
    for (const hidden of ['note', 'notes', 'partnerAnswers', 'partnerCheck', 'educatorId', 'phone', 'email', 'supportPlan', 'contactAttempts', 'state', 'legal']) {
      expect({ hidden, present: keys.includes(hidden) }).toEqual({ hidden, present: false });
    }
  });

  test('a partner\'s action answer is where the household stands, not its file', async () => {
    const res = await call('partner_worker', 'POST', `/api/households/${householdId}/partner-answers`, { partnerOrgId: ownOrg.id, answer: 'not_known' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['acceptedCommands', 'phase']);
  });
});

describe('a partner\'s scope follows what is asked of it', () => {
  test('after answering, the partner reads its own answer and may correct it within the window', async () => {
    await eventually(async () => ((await checkOf()).status === 'completed' ? true : undefined), 20_000, 'check closed by the answer');
    const check = (await checkOf()).id;
    const read = await call('partner_worker', 'GET', `/api/partner-checks/${check}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'completed', ownAnswer: { answer: 'not_known' }, correctableUntil: expect.any(String) });

    const correction = await call('partner_worker', 'POST', `/api/partner-checks/${check}/answer`, { answer: 'followed', referent: { name: `Référent Nôtre ${suffix}` } });
    expect(correction.status).toBe(200);
    expect(Object.keys(correction.body).sort()).toEqual(['answer', 'householdId', 'phase', 'referentId', 'taskId']);
    const state = (await call('coordinator', 'GET', `/api/households/${householdId}`)).body.workflow.state;
    expect(state.partnerCheck.answers[ownOrg.id]).toMatchObject({ status: 'followed' });
    const reread = await call('partner_worker', 'GET', `/api/partner-checks/${check}`);
    expect(reread.body.ownAnswer).toMatchObject({ answer: 'followed', referentName: `Référent Nôtre ${suffix}` });
    // Still listed among its recent answers.
    expect(((await call('partner_worker', 'GET', '/api/partner-checks')).body.checks as { taskId: string }[]).map((c) => c.taskId)).toContain(check);
  });

  test('once the window has passed, the household is gone from the partner\'s space: 404 everywhere, as if it never existed', async () => {
    const check = await checkOf();
    // The answer was given eight days ago (the policy's window is seven).
    await h.db.task.update({ where: { id: check.id }, data: { completedAt: new Date(Date.now() - 8 * 86_400_000) } });
    for (const path of [`/api/households/${householdId}`, `/api/partner-checks/${check.id}`]) {
      expect([path, (await call('partner_worker', 'GET', path)).status]).toEqual([path, 404]);
    }
    const late = await call('partner_worker', 'POST', `/api/partner-checks/${check.id}/answer`, { answer: 'not_known' });
    expect(late.status).toBe(404);
    const listed = (await call('partner_worker', 'GET', '/api/households?limit=500')).body.households as { id: string }[];
    expect(listed.map((r) => r.id)).not.toContain(householdId);
    const checks = (await call('partner_worker', 'GET', '/api/partner-checks')).body.checks as { taskId: string }[];
    expect(checks.map((c) => c.taskId)).not.toContain(check.id);
    // The team still reads it, of course.
    expect((await call('coordinator', 'GET', `/api/households/${householdId}`)).status).toBe(200);
  });

  test('a cancelled check opens nothing', async () => {
    const cancelledFor = await driver.refer({ landlordId: LANDLORDS[1].id, headName: `M. Annulé ${suffix}` });
    await eventually(async () => (await h.db.task.count({ where: { householdId: cancelledFor, type: 'partner_check' } })) === PARTNER_ORGANISATIONS.length || undefined, 20_000, 'partner check tasks');
    expect((await call('partner_worker', 'GET', `/api/households/${cancelledFor}`)).status).toBe(200);
    const own = await h.db.task.findFirstOrThrow({ where: { householdId: cancelledFor, type: 'partner_check', partnerOrganisationId: ownOrg.id } });
    await h.db.task.update({ where: { id: own.id }, data: { status: 'cancelled' } });
    expect((await call('partner_worker', 'GET', `/api/households/${cancelledFor}`)).status).toBe(404);
    expect((await call('partner_worker', 'GET', `/api/partner-checks/${own.id}`)).status).toBe(404);
    const tasks = (await call('partner_worker', 'GET', '/api/tasks?view=all&limit=200')).body.tasks as { id: string }[];
    expect(tasks.map((t) => t.id)).not.toContain(own.id);
  });
});

describe('a handoff tells the receiving organisation the scheme, APRIL\'s referent and what the household agreed to share', () => {
  test('and nothing else of the case file', async () => {
    const handedOver = await driver.refer({ landlordId: LANDLORDS[0].id, headName: `M. Relais ${suffix}` });
    await driver.reach(handedOver);
    await driver.post(handedOver, 'support-plan', { changes: { budget: { status: 'in_progress', goal: `Objectif budget secret ${suffix}` } } }, 'educator');
    const shared = `Le ménage accepte que le CCAS connaisse sa dette FSL ${suffix}`;
    const started = await driver.post(handedOver, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: ownOrg.id, shared }, { scheme: 'asll' }] }, 'educator');
    expect(started.status).toBe(200);
    const task = await eventually(() => h.db.task.findFirst({ where: { householdId: handedOver, type: 'handoff_acknowledgement', partnerOrganisationId: ownOrg.id } }).then((t) => t ?? undefined), 20_000, 'handoff task');

    const read = await call('partner_worker', 'GET', `/api/tasks/${task.id}`);
    expect(read.status).toBe(200);
    const educator = await h.db.user.findFirstOrThrow({ where: { id: (await h.db.household.findUniqueOrThrow({ where: { id: handedOver } })).educatorId! } });
    expect(read.body.handoff).toEqual({ scheme: 'fsl', referent: { displayName: educator.displayName, contact: educator.email }, sharedWithPartner: shared });
    const text = JSON.stringify(read.body);
    expect(text).not.toContain(`Objectif budget secret ${suffix}`);
    expect(keysOf(read.body).filter((key) => (NEVER_FOR_PARTNERS as readonly string[]).includes(key))).toEqual([]);
    // The text is a note of the case file: the team reads it there too, and retention erases it with the others.
    expect(await h.db.note.count({ where: { householdId: handedOver, kind: 'handoff_shared:fsl', body: shared } })).toBe(1);
  });
});
