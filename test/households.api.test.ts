import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { createLogger } from '../lib/logger';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { householdWorkflowId } from '../workflows/household/messages';
import { eventually, useHarness } from './support/harness';
import { request } from './support/http';
import { inboxUrl, receivedMail } from './support/mailbox';

const foyerRemois = LANDLORDS[1].id;

function referral(overrides: Record<string, unknown> = {}) {
  return {
    landlordId: foyerRemois,
    tenancyReference: `T-${randomUUID().slice(0, 8)}`,
    headName: 'Mme Camille Testard',
    address: '3 allée des Essais, 51100 Reims',
    phone: '06 00 00 00 00',
    leaseStartDate: '2021-03-01',
    monthlyRent: 412.5,
    arrears: 1650.75,
    procedureStage: 'payment_order',
    referralSource: 'pre_litigation',
    note: 'Ne répond plus aux courriers depuis janvier.',
    ...overrides,
  };
}

const h = useHarness();

// Other files and households' workflows write at the same time: count what this request could write.
const countRows = async (tenancyReference: string) => ({ households: await h.db.household.count({ where: { tenancyReference } }) });
const auditedBy = (requestId: string) => h.db.auditEvent.count({ where: { requestId } });

async function stateOf(id: string) {
  const res = await request(h.baseUrl, 'GET', `/api/households/${id}`, undefined, h.as.coordinator.headers);
  return res.body.workflow?.available && res.body.workflow.state.phase === 'partner_check' ? res.body : undefined;
}

describe('POST /api/households then GET /api/households/:id', () => {
  test('creates the household, starts its workflow, records the referral and tells the coordination team', async () => {
    const body = referral();
    const created = await request(h.baseUrl, 'POST', '/api/households', body, h.as.coordinator.headers);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/households/${id}`);
    expect(created.body.workflowId).toBe(householdWorkflowId(id));

    const shown = await eventually(() => stateOf(id), 20_000, 'referral recorded');
    expect(shown).toMatchObject({
      id,
      landlord: { id: foyerRemois, name: 'Foyer Rémois' },
      tenancyReference: body.tenancyReference,
      headName: body.headName,
      monthlyRent: 412.5,
      arrears: 1650.75,
      leaseStartDate: '2021-03-01',
      workflow: { available: true, state: { householdId: id, phase: 'partner_check', referral: { source: 'pre_litigation' } } },
    });
    // The partner check opens at once: one task per partner organisation of the platform. The
    // query shows the workflow's state as soon as it is decided; its activity writes just after.
    await eventually(async () => (await h.db.task.count({ where: { householdId: id, type: 'partner_check', status: 'open' } })) === PARTNER_ORGANISATIONS.length || undefined, 20_000, 'partner check tasks written');

    // The workflow wrote through its activity: referral, timeline event, and the audit trail.
    expect(await h.db.referral.count({ where: { householdId: id } })).toBe(1);
    const timeline = await h.db.timelineEvent.findMany({ where: { householdId: id }, orderBy: { idempotencyKey: 'asc' } });
    expect(timeline.map((e) => [e.type, e.actor])).toEqual([['referralRecorded', 'api'], ['partnerCheckOpened', 'system']]);
    const audit = await h.db.auditEvent.findMany({ where: { householdId: id }, orderBy: { at: 'asc' } });
    // One create, then one read per GET (the polling above included).
    expect(audit[0]!.action).toBe('household.create');
    expect(audit.length).toBeGreaterThan(1);
    expect(new Set(audit.slice(1).map((a) => a.action))).toEqual(new Set(['household.read']));

    // The workflow id and search attributes carry no personal data.
    const description = await h.temporal.workflow.getHandle(householdWorkflowId(id)).describe();
    expect(JSON.stringify(description.typedSearchAttributes)).not.toMatch(/Testard|Essais/);
    expect(description.typedSearchAttributes.get({ name: 'AprilPhase', type: 'KEYWORD' } as never)).toBe('partner_check');

    const mails = await eventually(async () => {
      const all = (await receivedMail(inboxUrl())).filter((m) => m.text.includes(body.tenancyReference) && m.subject.includes('Nouveau signalement'));
      return all.length > 0 ? all : undefined;
    }, 20_000, 'referral mail');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('[APRIL] Nouveau signalement – Foyer Rémois');
    expect(mails[0]!.to[0]!.address).toBe('coordination@april.localhost');
    expect(mails[0]!.text).toMatch(/1\s650,75\s€/u);
    expect(mails[0]!.text).not.toMatch(/Testard|Essais/);
  });

  test('an invalid body is refused with every failing field named, and nothing is written', async () => {
    const body = referral();
    const before = await countRows(body.tenancyReference);
    const res = await request(h.baseUrl, 'POST', '/api/households', {
      ...body,
      landlordId: 'not-a-uuid',
      monthlyRent: -5,
      arrears: 12.345,
      leaseStartDate: '2999-01-01',
      procedureStage: 'unknown_stage',
      headName: '   ',
      unexpected: true,
    }, h.as.coordinator.headers);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'validation_error', message: expect.any(String), requestId: expect.any(String) });
    const fields = (res.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['(corps)', 'arrears', 'headName', 'landlordId', 'leaseStartDate', 'monthlyRent', 'procedureStage'].sort());
    expect(await countRows(body.tenancyReference)).toEqual(before);
    expect(await auditedBy(res.body.requestId)).toBe(0);
  });

  test('a missing field says it is required', async () => {
    const { headName: _omitted, ...withoutName } = referral();
    const res = await request(h.baseUrl, 'POST', '/api/households', withoutName, h.as.coordinator.headers);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'headName', message: 'champ obligatoire' }]);
  });

  test('malformed JSON and non-JSON bodies get the same error shape', async () => {
    const malformed = await request(h.baseUrl, 'POST', '/api/households', '{"landlordId": ', h.as.coordinator.headers);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: 'invalid_json', requestId: expect.any(String) });

    const form = await fetch(`${h.baseUrl}/api/households`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...h.as.coordinator.headers },
      body: 'headName=x',
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: 'validation_error' });
  });

  test('an unknown landlord is a validation error on landlordId, and nothing is written', async () => {
    const body = referral({ landlordId: randomUUID() });
    const before = await countRows(body.tenancyReference);
    const res = await request(h.baseUrl, 'POST', '/api/households', body, h.as.coordinator.headers);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'landlordId', message: 'Bailleur inconnu.' }]);
    expect(await countRows(body.tenancyReference)).toEqual(before);
    expect(await auditedBy(res.body.requestId)).toBe(0);
  });

  test('a second open referral of the same tenancy is a conflict that names the existing household', async () => {
    const body = referral();
    const first = await request(h.baseUrl, 'POST', '/api/households', body, h.as.coordinator.headers);
    expect(first.status).toBe(201);
    const again = await request(h.baseUrl, 'POST', '/api/households', { ...body, headName: 'Autre nom' }, h.as.coordinator.headers);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'conflict', details: { householdId: first.body.id } });
    expect(await h.db.household.count({ where: { tenancyReference: body.tenancyReference } })).toBe(1);

    // The same reference at another landlord is another tenancy.
    const elsewhere = await request(h.baseUrl, 'POST', '/api/households', { ...body, landlordId: LANDLORDS[0].id }, h.as.coordinator.headers);
    expect(elsewhere.status).toBe(201);
  });

  test('unknown, malformed ids and unknown routes are 404 with the error shape', async () => {
    for (const path of [`/api/households/${randomUUID()}`, '/api/households/not-an-id', '/api/nothing-here']) {
      const res = await request(h.baseUrl, 'GET', path, undefined, h.as.coordinator.headers);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'not_found', message: expect.any(String), requestId: expect.any(String) });
    }
  });

  test('listing households writes one audit row per household shown, naming who read them', async () => {
    const created = await request(h.baseUrl, 'POST', '/api/households', referral(), h.as.coordinator.headers);
    expect(created.status).toBe(201);
    const listed = await request(h.baseUrl, 'GET', `/api/households?landlordId=${foyerRemois}&limit=500`, undefined, h.as.coordinator.headers);
    expect(listed.status).toBe(200);
    const requestId = listed.headers.get('x-request-id')!;
    const rows = await h.db.auditEvent.findMany({ where: { requestId }, select: { actor: true, action: true, householdId: true } });
    expect(rows).toHaveLength(listed.body.households.length);
    expect(rows).toEqual(expect.arrayContaining([{ actor: h.as.coordinator.id, action: 'household.list', householdId: created.body.id }]));
  });

  test('GET /health reports PostgreSQL and Temporal reachable', async () => {
    const res = await request(h.baseUrl, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });
});

describe('when Temporal cannot be reached', () => {
  test('POST answers 503 and leaves no household behind; /health says Temporal is down', async () => {
    // A client whose server is gone: a closed port on this machine.
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1 second' });
    const temporal = new Client({ connection, namespace: 'default' });
    const { app } = createApp({ db: h.db, temporal, namespace: 'default', taskQueue: h.taskQueue, logger: createLogger('silent') });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const body = referral();
      const res = await request(url, 'POST', '/api/households', body, h.as.coordinator.headers);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'service_unavailable' });
      expect(await h.db.household.count({ where: { tenancyReference: body.tenancyReference } })).toBe(0);

      const health = await request(url, 'GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', checks: { postgres: { ok: true }, temporal: { ok: false } } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
