// What the administration reads through the API: the audit log, the mail log (and sending a
// failed mail again), the policy in force. Accounts and organisations: admin.api.test.ts.
import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { eventually, useHarness } from './support/harness';
import { request } from './support/http';
import { inboxUrl, receivedMail } from './support/mailbox';

const h = useHarness();
const asAdmin = (method: string, path: string, body?: unknown) => request(h.baseUrl, method, path, body, h.as.admin.headers);
const fieldsOf = (body: any) => (body.details as { field: string }[]).map((d) => d.field);

function referral() {
  return {
    landlordId: LANDLORDS[0].id,
    tenancyReference: `ADM-${randomUUID().slice(0, 8)}`,
    headName: 'Mme Auditée Témoin',
    address: '8 rue du Journal, 51100 Reims',
    leaseStartDate: '2020-01-01',
    monthlyRent: 380,
    arrears: 1200,
    procedureStage: 'payment_order',
    referralSource: 'pre_litigation',
  };
}

describe('audit log', () => {
  test('reading a household leaves an entry, listed by household and by user, newest first', async () => {
    const referred = await request(h.baseUrl, 'POST', '/api/households', referral(), h.as.coordinator.headers);
    expect(referred.status).toBe(201);
    const householdId = referred.body.id as string;
    const reads: string[] = [];
    for (let i = 0; i < 2; i++) {
      const read = await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.coordinator.headers);
      expect(read.status).toBe(200);
      reads.push(read.headers.get('x-request-id')!);
    }

    const byHousehold = await asAdmin('GET', `/api/admin/audit?householdId=${householdId}`);
    expect(byHousehold.status).toBe(200);
    const events = byHousehold.body.events as any[];
    expect(events.every((e) => e.householdId === householdId)).toBe(true);
    // Each read is there, by whom and when, newest first.
    const readEntries = events.filter((e) => e.action === 'household.read');
    expect(readEntries.map((e) => e.requestId)).toEqual([reads[1], reads[0]]);
    expect(readEntries.every((e) => e.actor === h.as.coordinator.id && typeof e.at === 'string')).toBe(true);
    expect(events.map((e) => e.action)).toContain('household.create');
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const byUser = await asAdmin('GET', `/api/admin/audit?userId=${h.as.coordinator.id}&limit=500`);
    expect(byUser.body.events.every((e: any) => e.actor === h.as.coordinator.id)).toBe(true);
    expect(byUser.body.events.map((e: any) => e.requestId)).toEqual(expect.arrayContaining(reads));

    // Another person's reads are not listed under the coordinator.
    await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.educator.headers);
    const educatorReads = await asAdmin('GET', `/api/admin/audit?userId=${h.as.educator.id}&householdId=${householdId}`);
    expect(educatorReads.body.events).toEqual([expect.objectContaining({ action: 'household.read', actor: h.as.educator.id })]);
  });

  test('pages by cursor without repeating or skipping, and filters by time', async () => {
    const referred = await request(h.baseUrl, 'POST', '/api/households', referral(), h.as.coordinator.headers);
    const householdId = referred.body.id as string;
    for (let i = 0; i < 3; i++) await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.coordinator.headers);
    const all = (await asAdmin('GET', `/api/admin/audit?householdId=${householdId}&limit=500`)).body.events.map((e: any) => e.id);
    expect(all.length).toBeGreaterThanOrEqual(4);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await asAdmin('GET', `/api/admin/audit?householdId=${householdId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.events.length).toBeLessThanOrEqual(2);
      paged.push(...res.body.events.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await asAdmin('GET', `/api/admin/audit?householdId=${householdId}&from=${encodeURIComponent(future)}`)).body.events).toEqual([]);
    expect((await asAdmin('GET', `/api/admin/audit?householdId=${householdId}&to=2000-01-01`)).body.events).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await asAdmin('GET', `/api/admin/audit?householdId=${householdId}&from=${today}&to=${today}&limit=500`)).body.events.length).toBe(all.length);
  });

  test.each([
    ['limit=0', 'limit'], ['limit=abc', 'limit'], ['householdId=42', 'householdId'], ['from=hier', 'from'], ['cursor=nimportequoi', 'cursor'], ['extra=1', '(corps)'],
  ])('?%s is a 400 naming the parameter', async (query, field) => {
    const res = await asAdmin('GET', `/api/admin/audit?${query}`);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });
});

describe('mail log', () => {
  test('lists a household\'s mails with their status and the recipients masked', async () => {
    const referred = await request(h.baseUrl, 'POST', '/api/households', referral(), h.as.coordinator.headers);
    const householdId = referred.body.id as string;
    const mails = await eventually(async () => {
      const res = await asAdmin('GET', `/api/admin/mails?householdId=${householdId}`);
      return res.body.mails.length >= 1 + PARTNER_ORGANISATIONS.length && res.body.mails.every((m: any) => m.status === 'sent') ? res.body.mails : undefined;
    }, 30_000, 'the referral mails sent');
    for (const mail of mails) {
      expect(mail).toEqual(expect.objectContaining({
        id: expect.any(String), status: 'sent', template: expect.any(String), subject: expect.stringContaining('[APRIL]'),
        attempts: 1, lastError: null, createdAt: expect.any(String), sentAt: expect.any(String), householdId,
      }));
      expect(mail.recipient).toMatch(/^[^*@\s]\*\*\*@[\w.-]+$/);
    }
    expect(mails.map((m: any) => m.recipient)).toContain('c***@april.localhost');
    expect(JSON.stringify(mails)).not.toContain('ccas@april.localhost');
  });

  test('a mail that failed for good shows its error, addresses masked, and filters by status', async () => {
    const id = randomUUID();
    await h.db.mailMessage.create({
      data: {
        id, idempotencyKey: `admin-test:${id}`, recipient: 'Personne <personne.reelle@exemple.fr>', subject: '[APRIL] Essai', template: 'test',
        status: 'failed', attempts: 5, lastError: 'Error: 550 5.1.1 <personne.reelle@exemple.fr>: Recipient address rejected',
      },
    });
    try {
      const failed = await asAdmin('GET', '/api/admin/mails?status=failed&limit=500');
      expect(failed.body.mails.every((m: any) => m.status === 'failed')).toBe(true);
      const mail = failed.body.mails.find((m: any) => m.id === id);
      expect(mail).toEqual(expect.objectContaining({ recipient: 'p***@exemple.fr', attempts: 5, lastError: 'Error: 550 5.1.1 <p***@exemple.fr>: Recipient address rejected' }));
      expect((await asAdmin('GET', '/api/admin/mails?status=lost')).status).toBe(400);
    } finally {
      // Not a mail of the product: other files counting failed mails must not see it.
      await h.db.mailMessage.delete({ where: { id } });
    }
  });

  test('a failed mail is sent again from the mail log, once; a sent one or one without its text cannot be', async () => {
    const id = randomUUID();
    const to = `renvoi-${id.slice(0, 8)}@april.localhost`;
    await h.db.mailMessage.create({
      data: {
        id, idempotencyKey: `admin-retry:${id}`, recipient: to, subject: `[APRIL] Renvoi ${id.slice(0, 8)}`, text: 'Bonjour, ceci est un renvoi.', template: 'test',
        status: 'failed', attempts: 3, lastError: 'Error: 451 temporary',
      },
    });
    const withoutText = randomUUID();
    await h.db.mailMessage.create({
      data: { id: withoutText, idempotencyKey: `admin-retry:${withoutText}`, recipient: to, subject: 'x', template: 'test', status: 'failed' },
    });
    try {
      expect((await request(h.baseUrl, 'POST', `/api/admin/mails/${id}/retry`, undefined, h.as.educator.headers)).status).toBe(403);
      const retried = await request(h.baseUrl, 'POST', `/api/admin/mails/${id}/retry`, undefined, h.as.coordinator.headers);
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual({ id, status: 'sent', lastError: null });
      expect(await h.db.mailMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
      const received = await eventually(async () => {
        const mails = (await receivedMail(inboxUrl())).filter((m) => m.to.some((t) => t.address === to));
        return mails.length ? mails : undefined;
      }, 20_000, 'the mail sent again');
      expect(received).toHaveLength(1);
      expect(received[0]!.text).toContain('ceci est un renvoi');
      // Sent now: a second click sends nothing.
      expect((await request(h.baseUrl, 'POST', `/api/admin/mails/${id}/retry`, undefined, h.as.coordinator.headers)).status).toBe(409);
      const noText = await request(h.baseUrl, 'POST', `/api/admin/mails/${withoutText}/retry`, undefined, h.as.admin.headers);
      expect(noText.status).toBe(409);
      expect(noText.body.message).toContain('pas été conservé');
      expect((await request(h.baseUrl, 'POST', `/api/admin/mails/${randomUUID()}/retry`, undefined, h.as.admin.headers)).status).toBe(404);
      expect((await request(h.baseUrl, 'POST', '/api/admin/mails/pas-un-id/retry', undefined, h.as.admin.headers)).status).toBe(404);
      expect(await h.db.auditEvent.count({ where: { action: 'mail.retry', actor: h.as.coordinator.id } })).toBeGreaterThan(0);
    } finally {
      await h.db.mailMessage.deleteMany({ where: { id: { in: [id, withoutText] } } });
    }
  });
});

describe('policy', () => {
  test('shows the policy in force with French labels and durations in days', async () => {
    const res = await asAdmin('GET', '/api/admin/policy');
    expect(res.status).toBe(200);
    // The harness runs the tests' policy: four seconds to answer a partner check.
    expect(res.body.policy.partnerCheck.deadlineMs).toBe(4000);
    expect(res.body.settings).toEqual(expect.arrayContaining([
      expect.objectContaining({ key: 'partnerCheck.deadlineMs', label: expect.stringContaining('partenaires'), value: 4000, display: '4 secondes' }),
      expect.objectContaining({ key: 'retentionAfterClosureMs', days: 730, display: '730 jours' }),
      expect.objectContaining({ key: 'capacity.perLandlord', value: 20, display: '20 ménages' }),
    ]));
  });
});
