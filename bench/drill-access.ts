// npm run drill:access — the role × action × scope matrix through HTTP with every role's account:
// every household endpoint (test/support/access-endpoints.ts) and every other route of the API
// (the declared routes of api/routes.ts, `routeDocs`), each account, a resource in its scope
// and one outside it. Expected: no sign-in → 401; the role may not → 403 (api/access/permissions.ts
// `isAllowed`); allowed but out of scope → 404; allowed and in scope → the call reaches validation
// (400 with a body no schema accepts, 415 for the import or the caseload list without a file) or reads (200).
// Prints the matrix and the count of cross-scope reads (a 2xx on an out-of-scope resource, or a
// 2xx whose body names a household, task or import outside the caller's scope); must be 0.
// Parameters: none beyond the stack's (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, BENCH_TOPOLOGY).
import { randomUUID } from 'node:crypto';
import { hashSecret, newSecret } from '../api/auth/secrets';
import { isAllowed, taskInScope, type Permission, type Viewer } from '../api/access/permissions';
import type { ApiContext } from '../api/context';
import { routeDocs } from '../api/routes';
import type { Role, TaskStatus } from '../generated/prisma/client';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { AccountName } from '../test/support/accounts';
import { HOUSEHOLD_ENDPOINTS, MATRIX_PROBE_BODY } from '../test/support/access-endpoints';
import { runApiDrill } from './support/api-drill';
import { call, hasErrorShape, type RunningApi } from './support/api-stack';
import { sleep } from './support/results';
import type { BenchStack } from './support/stack';

const log = (line: string) => console.log(line);

interface Account {
  name: string;
  role: Role | 'anonymous';
  viewer?: Viewer;
  userId?: string;
  headers: Record<string, string>;
}

/** One column of the matrix: a route (or household endpoint) with its policy action. */
interface Column {
  key: string;
  method: string;
  path: string;
  action: Permission;
  /** The concrete path for a target, and whether that target is in the account's scope. */
  targets: (a: Account) => { path: string; inScope: boolean }[];
  /** Statuses that mean "allowed, in scope, stopped at validation or answered". */
  allowedStatuses: number[];
  body?: unknown;
}

interface Fixture {
  householdA: string;
  householdB: string;
  task: { id: string; candidateRole: Role; partnerOrganisationId: string | null; status: TaskStatus; completedAt: Date | null };
  sessionId: string;
  importId: string;
  importLandlordId: string;
  tokenIdOf: (userId: string) => string;
  someUserId: string;
  /** Whose token the others try to revoke (the coordinator tries someUserId's). */
  coordinatorId: string;
  mailId: string;
}

runApiDrill('access', 'drill:access — role × action × scope through HTTP', async ({ stack, api }) => {
  const { accounts, fixture } = await prepare(stack, api);
  const outcome = await walk(api, accounts, columns(fixture), fixture);
  const pass = outcome.crossScopeReads.length === 0 && outcome.unexpected.length === 0 && outcome.badErrorShape.length === 0;
  const verdict = pass
    ? `VERDICT: PASS ${outcome.cells} calls, ${accounts.length} accounts × ${outcome.columns} actions, 0 cross-scope reads, 0 unexpected statuses`
    : `VERDICT: FAIL ${outcome.crossScopeReads.length} cross-scope reads, ${outcome.unexpected.length} unexpected statuses, ${outcome.badErrorShape.length} refusals without the error shape (of ${outcome.cells} calls)`;
  return {
    verdict,
    result: {
      accounts: accounts.map((a) => ({ name: a.name, role: a.role, landlordId: a.viewer?.landlordId ?? null, partnerOrganisationId: a.viewer?.partnerOrganisationId ?? null })),
      calls: outcome.cells, matrix: outcome.matrix, legend: outcome.legend,
      crossScopeReads: outcome.crossScopeReads, unexpected: outcome.unexpected, badErrorShape: outcome.badErrorShape,
    },
  };
});

async function prepare(stack: BenchStack, api: RunningApi) {
  const coordinator = api.as.coordinator.headers;
  const refer = async (landlordId: string) => {
    const res = await call(api.baseUrl, 'POST', '/api/households', {
      landlordId, tenancyReference: `ACCES-${randomUUID().slice(0, 8)}`, headName: 'Mme Matrice', address: '3 rue du Périmètre, 51100 Reims',
      leaseStartDate: '2021-03-01', monthlyRent: 420, arrears: 1260, procedureStage: 'none', referralSource: 'proximity',
    }, coordinator);
    if (res.status !== 201) throw new Error(`referral refused (${res.status}): ${res.text}`);
    return res.body.id as string;
  };
  const householdA = await refer(LANDLORDS[0].id);
  const householdB = await refer(LANDLORDS[1].id);
  // The partner checks are opened by the workflow: wait for household A's task of the first partner.
  const deadline = Date.now() + 120_000;
  let task: Fixture['task'] | null = null;
  while (!task && Date.now() < deadline) {
    task = await stack.db.task.findFirst({
      where: { householdId: householdA, partnerOrganisationId: PARTNER_ORGANISATIONS[0].id, status: 'open' },
      select: { id: true, candidateRole: true, partnerOrganisationId: true, status: true, completedAt: true },
    });
    const b = await stack.db.household.findUnique({ where: { id: householdB }, select: { phase: true } });
    if (!task || b?.phase !== 'partner_check') {
      task = null;
      await sleep(300);
    }
  }
  if (!task) throw new Error('the partner check tasks were not opened within 2 minutes');

  // A partner organisation created after the referrals: nothing was ever addressed to it.
  const organisationId = randomUUID();
  await stack.db.partnerOrganisation.create({ data: { id: organisationId, code: `isole-${organisationId.slice(0, 8)}`, name: 'Partenaire isolé' } });
  const lonelyId = randomUUID();
  await stack.db.user.create({ data: { id: lonelyId, email: `isole-${lonelyId.slice(0, 8)}@bench.april.localhost`, displayName: 'Isolé', role: 'partner_worker', partnerOrganisationId: organisationId } });
  const token = newSecret('april');
  await stack.db.apiToken.create({ data: { id: randomUUID(), userId: lonelyId, name: 'drill', prefix: token.slice(0, 12), tokenHash: hashSecret(token) } });

  const session = await call(api.baseUrl, 'POST', '/api/committee-sessions', { heldOn: new Date().toISOString().slice(0, 10) }, coordinator);
  if (session.status !== 201) throw new Error(`committee session refused (${session.status}): ${session.text}`);
  const imported = await fetch(`${api.baseUrl}/api/arrears-imports?landlordId=${LANDLORDS[0].id}&fileName=acces.csv`, {
    method: 'POST', headers: { ...coordinator, 'content-type': 'text/csv' }, body: 'reference_bail;dette;loyer\nACCES-INCONNU;120,50;400\n',
  });
  const importBody = (await imported.json()) as { id?: string };
  if (imported.status !== 202 || !importBody.id) throw new Error(`import refused (${imported.status}): ${JSON.stringify(importBody)}`);

  // The partner check's mails, written by the workflow's activities: one is the mail log's target.
  let mail: { id: string } | null = null;
  for (const until = Date.now() + 60_000; !mail && Date.now() < until; await sleep(300)) {
    mail = await stack.db.mailMessage.findFirst({ where: { householdId: householdA }, select: { id: true } });
  }
  if (!mail) throw new Error('no mail was written for the referral within a minute');
  const mailId = mail.id;
  const tokens = await stack.db.apiToken.findMany({ select: { id: true, userId: true } });
  const tokenIdOf = (userId: string) => tokens.find((t) => t.userId === userId)?.id ?? randomUUID();
  const users = await stack.db.user.findMany({ where: { id: { in: Object.values(api.as).map((a) => a.id) } }, select: { id: true, role: true, landlordId: true, partnerOrganisationId: true } });
  const viewerOf = (id: string): Viewer => {
    const u = users.find((x) => x.id === id);
    if (!u) throw new Error(`account ${id} not found`);
    return { role: u.role, landlordId: u.landlordId, partnerOrganisationId: u.partnerOrganisationId };
  };
  const names: AccountName[] = ['coordinator', 'committee_member', 'educator', 'educator2', 'landlord_agent', 'other_landlord_agent', 'partner_worker', 'other_partner_worker', 'admin'];
  const accounts: Account[] = [
    ...names.map((name) => ({ name, role: api.as[name].role, viewer: viewerOf(api.as[name].id), userId: api.as[name].id, headers: api.as[name].headers })),
    { name: 'lonely_partner', role: 'partner_worker', viewer: { role: 'partner_worker', landlordId: null, partnerOrganisationId: organisationId }, userId: lonelyId, headers: { authorization: `Bearer ${token}` } },
    { name: 'anonymous', role: 'anonymous', headers: {} },
  ];
  const fixture: Fixture = {
    householdA, householdB, task, sessionId: session.body.id as string, importId: importBody.id, importLandlordId: LANDLORDS[0].id,
    tokenIdOf, someUserId: api.as.educator2.id, coordinatorId: api.as.coordinator.id, mailId,
  };
  return { accounts, fixture };
}

/** Households in a viewer's scope, as api/access/permissions.ts `householdInScope` decides for these two. */
function householdScope(a: Account, f: Fixture): { id: string; inScope: boolean }[] {
  const v = a.viewer;
  const at = (id: string, landlordId: string) => {
    if (!v) return false;
    switch (v.role) {
      case 'coordinator': case 'committee_member': case 'educator': return true;
      case 'landlord_agent': return v.landlordId === landlordId;
      // Every partner of the platform at the time of the referral was asked about it.
      case 'partner_worker': return PARTNER_ORGANISATIONS.some((p) => p.id === v.partnerOrganisationId);
      case 'admin': return false;
    }
  };
  return [{ id: f.householdA, inScope: at(f.householdA, LANDLORDS[0].id) }, { id: f.householdB, inScope: at(f.householdB, LANDLORDS[1].id) }];
}

/** Any account: only used to see whether a route's targets leave a parameter unfilled. */
const accountsProbe: Account = { name: 'probe', role: 'coordinator', viewer: { role: 'coordinator', landlordId: null, partnerOrganisationId: null }, headers: {} };

function columns(f: Fixture): Column[] {
  const taskIn = (a: Account) => !!a.viewer && taskInScope(a.viewer, f.task, new Date(0));
  const importIn = (a: Account) => !!a.viewer && (a.viewer.role === 'coordinator' || (a.viewer.role === 'landlord_agent' && a.viewer.landlordId === f.importLandlordId));
  const cols: Column[] = HOUSEHOLD_ENDPOINTS.map((e) => ({
    key: `${e.method} ${e.path(':id')}`, method: e.method, path: e.path(':id'), action: e.action,
    targets: (a) => householdScope(a, f).map((h) => ({ path: e.path(h.id), inScope: h.inScope })),
    allowedStatuses: e.method === 'GET' ? [200] : [400],
    ...(e.method !== 'GET' && { body: MATRIX_PROBE_BODY }),
  }));
  const householdPaths = new Set(cols.map((c) => `${c.method} ${c.path}`));
  const seen = new Set<string>();
  for (const route of routeDocs({} as ApiContext)) {
    const method = route.method.toUpperCase();
    const key = `${method} ${route.path}`;
    if (route.access === 'public' || householdPaths.has(key) || seen.has(key)) continue;
    seen.add(key);
    const action = route.access;
    const fill = (path: string, values: Record<string, string>) => path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? `:${name}`);
    let targets: Column['targets'] = () => [{ path: route.path, inScope: true }];
    if (route.path.startsWith('/api/tasks/:id') || route.path.startsWith('/api/partner-checks/:taskId')) {
      targets = (a) => [{ path: fill(route.path, { id: f.task.id, taskId: f.task.id }), inScope: taskIn(a) }];
    } else if (route.path.startsWith('/api/committee-sessions/:id')) {
      // Sessions have no scope beyond the role.
      targets = () => [{ path: fill(route.path, { id: f.sessionId }), inScope: true }];
    } else if (route.path.startsWith('/api/arrears-imports/:id')) {
      targets = (a) => [{ path: fill(route.path, { id: f.importId }), inScope: importIn(a) }];
    } else if (route.path === '/api/admin/users/:id') {
      targets = () => [{ path: fill(route.path, { id: f.someUserId }), inScope: true }];
    } else if (route.path.startsWith('/api/admin/mails/:id')) {
      // Mails have no scope beyond the role; the referrals' partner mails are the targets.
      targets = () => [{ path: fill(route.path, { id: f.mailId }), inScope: true }];
    } else if (route.path === '/api/me/tokens/:tokenId') {
      // Only someone else's token (revoking one's own would end the walk): always out of scope.
      targets = (a) => [{ path: fill(route.path, { tokenId: f.tokenIdOf(a.name === 'coordinator' ? f.someUserId : f.coordinatorId) }), inScope: false }];
    }
    // A route added since this drill was written, with a resource it does not know: an unknown id,
    // which an allowed role must get as 404 (said in the output as out of scope).
    if (/:\w+/.test(targets(accountsProbe)[0]?.path ?? '')) targets = () => [{ path: route.path.replace(/:\w+/g, randomUUID()), inScope: false }];
    let allowedStatuses: number[];
    if (method === 'GET') allowedStatuses = [200];
    else if (route.body) allowedStatuses = [400];
    // Raw-file routes: the probe is not the file (the caseload list answers 415 as the import does).
    else if (route.path === '/api/arrears-imports' || (route.path === '/api/caseload-list' && method === 'PUT')) allowedStatuses = [415];
    // Claiming or handing back a task changes who holds it: either answer is a right one.
    else allowedStatuses = [200, 409];
    cols.push({ key, method, path: route.path, action, targets, allowedStatuses, ...(route.body && { body: MATRIX_PROBE_BODY }) });
  }
  return cols;
}

async function walk(api: RunningApi, accounts: Account[], cols: Column[], f: Fixture) {
  const matrix: Record<string, Record<string, string>> = {};
  const unexpected: string[] = [];
  const crossScopeReads: string[] = [];
  const badErrorShape: string[] = [];
  let cells = 0;
  // Ids a 2xx body must never name for an account outside their scope (lists included). The
  // administration's audit and mail logs name households by design (platform view, no case file).
  const scanned = (path: string) => !path.startsWith('/api/admin/audit') && !path.startsWith('/api/admin/mails');
  for (const a of accounts) {
    const row: Record<string, string> = {};
    const hidden = [
      ...householdScope(a, f).filter((h) => !h.inScope).map((h) => h.id),
      ...(a.viewer && taskInScope(a.viewer, f.task, new Date(0)) ? [] : [f.task.id]),
      ...(a.viewer && (a.viewer.role === 'coordinator' || a.viewer.landlordId === f.importLandlordId) ? [] : [f.importId]),
    ];
    for (const col of cols) {
      const allowed = a.role !== 'anonymous' && isAllowed(a.role, col.action);
      const statuses: string[] = [];
      for (const target of col.targets(a)) {
        const res = await call(api.baseUrl, col.method, target.path, col.body, a.headers);
        cells++;
        const expected = a.role === 'anonymous' ? [401] : !allowed ? [403] : !target.inScope ? [404] : col.allowedStatuses;
        const label = `${a.name} ${col.method} ${target.path} (${col.action}, ${target.inScope ? 'in scope' : 'out of scope'})`;
        statuses.push(`${res.status}`);
        if (!expected.includes(res.status)) unexpected.push(`${label}: ${res.status}, expected ${expected.join(' or ')} — ${res.text.slice(0, 160)}`);
        if (res.status >= 400 && !hasErrorShape(res.body)) badErrorShape.push(`${label}: ${res.status} ${res.text.slice(0, 120)}`);
        if (res.status < 300 && !target.inScope) crossScopeReads.push(`${label}: ${res.status}`);
        else if (res.status < 300 && scanned(target.path)) {
          const leaked = hidden.filter((id) => res.text.includes(id));
          if (leaked.length) crossScopeReads.push(`${label}: ${res.status} names ${leaked.join(', ')}`);
        }
      }
      row[col.key] = statuses.join('|');
    }
    matrix[a.name] = row;
  }
  // Lists are read with the scope as a filter: also walk them with a query that asks for the other side.
  for (const a of accounts.filter((x) => x.viewer?.role === 'landlord_agent')) {
    const other = LANDLORDS.find((l) => l.id !== a.viewer?.landlordId)!.id;
    const res = await call(api.baseUrl, 'GET', `/api/households?landlordId=${other}`, undefined, a.headers);
    cells++;
    const hidden = householdScope(a, f).filter((h) => !h.inScope).map((h) => h.id);
    if (res.status < 300 && hidden.some((id) => res.text.includes(id))) crossScopeReads.push(`${a.name} GET /api/households?landlordId=<other landlord>: names a household of the other landlord`);
  }
  printMatrix(accounts, cols, matrix);
  log(`\ncalls: ${cells}; cross-scope reads: ${crossScopeReads.length}; unexpected statuses: ${unexpected.length}; refusals without the error shape: ${badErrorShape.length}`);
  for (const line of crossScopeReads) log(`  CROSS-SCOPE ${line}`);
  for (const line of unexpected) log(`  UNEXPECTED ${line}`);
  for (const line of badErrorShape.slice(0, 20)) log(`  NO ERROR SHAPE ${line}`);
  const legend = Object.fromEntries(cols.map((c, i) => [`c${String(i + 1).padStart(2, '0')}`, `${c.key} (${c.action})`]));
  return { matrix, legend, unexpected, crossScopeReads, badErrorShape, cells, columns: cols.length };
}

/** Rows: accounts; columns: actions (numbered, legend below); a cell is "A|B" for a household endpoint. */
function printMatrix(accounts: Account[], cols: Column[], matrix: Record<string, Record<string, string>>) {
  const width = 22;
  const perBlock = 12;
  for (let start = 0; start < cols.length; start += perBlock) {
    const block = cols.slice(start, start + perBlock);
    log('');
    log(`${'account'.padEnd(width)}${block.map((_, i) => `c${String(start + i + 1).padStart(2, '0')}`.padEnd(8)).join('')}`);
    for (const a of accounts) log(`${`${a.name} (${a.role})`.slice(0, width - 1).padEnd(width)}${block.map((c) => (matrix[a.name]?.[c.key] ?? '').padEnd(8)).join('')}`);
  }
  log('\ncolumns (household endpoints: "A|B" = the household at the first landlord | at the second; landlord agents and the lonely partner have one or both out of scope, admin both):');
  cols.forEach((c, i) => log(`  c${String(i + 1).padStart(2, '0')} ${c.key} — ${c.action}: ${PERMISSIONS_TEXT(c.action)}`));
}

const PERMISSIONS_TEXT = (action: Permission) => (['coordinator', 'committee_member', 'educator', 'landlord_agent', 'partner_worker', 'admin'] as Role[]).filter((r) => isAllowed(r, action)).join(', ');
