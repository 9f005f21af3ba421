import { randomUUID } from 'node:crypto';
import { DEMO_EDUCATOR, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { committeeApi, fieldsOf, heldOn } from './support/committee';
import { eventually, useHarness } from './support/harness';
import { processDriver } from './support/process';

/**
 * Committee sessions through HTTP (issue 5, item 4): "the coordinator opens a committee session and
 * records three decisions at once" (who may use sessions, and opening one: committee-access.api.test.ts).
 * The households belong to a landlord created for this file, so that its capacity figures move only
 * with what this file does (other files run at the same time).
 */
const h = useHarness();
const driver = processDriver(h);
const { as, call, createSession } = committeeApi(h);
const suffix = randomUUID().slice(0, 8);
const landlord = { id: randomUUID(), code: `comite-${suffix}`, name: `Bailleur <b>"Essai"</b> & Cie ${suffix}` };
const hostileName = `<script>alert("pv")</script> Dupont & fils ${suffix}`;
const referent = { name: 'Mme Rose Référente', email: `referente-${suffix}@partenaire.test` };
const ccas = PARTNER_ORGANISATIONS[0].id;

let admitted: string; // hostile name, followed by the CCAS; admitted
let reoriented: string;
let deferred: string;
let later: string; // decided in a second session, next to a refused one

beforeAll(async () => {
  await h.db.landlord.create({ data: landlord });
  const refer = (headName: string, arrears: number) => driver.refer({ landlordId: landlord.id, headName, arrears, procedureStage: 'summons' });
  [admitted, reoriented, deferred, later] = await Promise.all([
    refer(hostileName, 3120.5), refer(`Mme Claire Martin ${suffix}`, 800), refer(`M. Sam O'Brien ${suffix}`, 1500), refer(`Mme Lina Durand ${suffix}`, 950),
  ]);
  await Promise.all([
    driver.answerPartners(admitted, { [ccas]: referent }),
    driver.answerPartners(reoriented), driver.answerPartners(deferred), driver.answerPartners(later),
  ]);
  // The workflow's state moves a moment before its activity writes the projection the agenda reads.
  const ours = [admitted, reoriented, deferred, later];
  await eventually(async () => (await h.db.household.count({ where: { id: { in: ours }, phase: 'committee' } })) === ours.length || undefined, 20_000, 'committee phase projected');
});

const phaseOf = async (id: string) => (await driver.view(id)).workflow.state.phase as string;
const ourCapacity = (body: any) => body.capacity.perLandlord.find((c: any) => c.landlordId === landlord.id);

describe('a session: agenda, three decisions at once, minutes', () => {
  let session: string;
  beforeAll(async () => {
    session = await createSession();
  });

  test('the agenda lists the households awaiting a decision with what the committee weighs, and reading it is audited', async () => {
    const res = await call('committee_member', 'GET', `/api/committee-sessions/${session}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: session, heldOn, createdBy: { id: h.as.coordinator.id }, decisions: [] });
    const agenda = res.body.agenda as any[];
    for (const id of [admitted, reoriented, deferred, later]) expect(agenda.map((a) => a.id)).toContain(id);
    const item = agenda.find((a) => a.id === admitted);
    expect(item).toMatchObject({
      headName: hostileName,
      landlord: { id: landlord.id, name: landlord.name },
      arrears: 3120.5,
      procedureStage: 'summons',
      decisionInThisSession: null,
    });
    expect(Date.parse(item.waitingSince)).not.toBeNaN();
    // Every partner asked has a line; the CCAS follows the household, with its referent's contact.
    expect(item.partnerAnswers).toHaveLength(PARTNER_ORGANISATIONS.length);
    const followed = item.partnerAnswers.find((p: any) => p.organisation.id === ccas);
    expect(followed).toMatchObject({ organisation: { name: PARTNER_ORGANISATIONS[0].name }, answer: 'followed', referents: [{ name: referent.name, email: referent.email }] });
    const others = item.partnerAnswers.filter((p: any) => p.organisation.id !== ccas);
    expect(new Set(others.map((p: any) => p.answer))).toEqual(new Set(['not_known']));

    expect(ourCapacity(res.body)).toEqual({ landlordId: landlord.id, landlordName: landlord.name, active: 0, capacity: 20, full: false });
    expect(res.body.capacity.total).toMatchObject({ capacity: 60 });

    const requestId = res.headers.get('x-request-id')!;
    const audit = await h.db.auditEvent.findMany({ where: { requestId, action: 'household.read' } });
    for (const id of [admitted, reoriented, deferred, later]) {
      expect(audit.find((a) => a.householdId === id)).toMatchObject({ actor: h.as.committee_member.id, details: { via: 'committee_agenda' } });
    }
  });

  test('invalid decisions get 400 naming each field, and nothing is decided', async () => {
    const before = await h.db.committeeDecision.count({ where: { sessionId: session } });
    const admit = { kind: 'admit', track: 'pre_litigation', educatorId: h.as.educator.id };
    const cases: [unknown, string[]][] = [
      [{}, ['decisions']],
      [{ decisions: [] }, ['decisions']],
      [{ decisions: [{ householdId: deferred, decision: { kind: 'maybe' } }] }, ['decisions.0.decision.kind']],
      [{ decisions: [{ householdId: 'x', decision: { kind: 'defer' } }] }, ['decisions.0.householdId']],
      [{ decisions: [{ householdId: deferred, decision: { kind: 'admit', track: 'pre_litigation' } }] }, ['decisions.0.decision.educatorId']],
      [{ decisions: [{ householdId: deferred, decision: { kind: 'reorient', scheme: 'nowhere' } }] }, ['decisions.0.decision.scheme']],
      [{ decisions: [{ householdId: deferred, decision: { kind: 'defer' }, note: 'x' }] }, ['decisions.0']],
      // Each household once per batch.
      [{ decisions: [{ householdId: deferred, decision: { kind: 'defer' } }, { householdId: deferred, decision: admit }] }, ['decisions.1.householdId']],
      // An educator that does not exist, and a household that does not exist: checked before anything is sent.
      [{ decisions: [{ householdId: admitted, decision: admit }, { householdId: reoriented, decision: { ...admit, educatorId: randomUUID() } }] }, ['decisions.1.decision.educatorId']],
      [{ decisions: [{ householdId: admitted, decision: admit }, { householdId: randomUUID(), decision: { kind: 'defer' } }] }, ['decisions.1.householdId']],
      // A committee member is not an educator.
      [{ decisions: [{ householdId: admitted, decision: { ...admit, educatorId: h.as.committee_member.id } }] }, ['decisions.0.decision.educatorId']],
    ];
    for (const [body, fields] of cases) {
      const res = await call('coordinator', 'POST', `/api/committee-sessions/${session}/decisions`, body);
      expect([JSON.stringify(body), res.status, res.body.error]).toEqual([JSON.stringify(body), 400, 'validation_error']);
      for (const field of fields) expect(fieldsOf(res.body)).toContain(field);
    }
    expect(await h.db.committeeDecision.count({ where: { sessionId: session } })).toBe(before);
    for (const id of [admitted, reoriented, deferred, later]) expect(await phaseOf(id)).toBe('committee');
  });

  const threeDecisions = () => ({
    decisions: [
      { householdId: admitted, decision: { kind: 'admit', track: 'pre_litigation', educatorId: h.as.educator.id } },
      { householdId: reoriented, decision: { kind: 'reorient', scheme: 'fsl' } },
      { householdId: deferred, decision: { kind: 'defer' } },
    ],
  });

  test('the coordinator records three decisions at once', async () => {
    const res = await call('coordinator', 'POST', `/api/committee-sessions/${session}/decisions`, threeDecisions());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sessionId: session, recorded: 3, refused: 0 });
    expect(res.body.results).toEqual([
      { householdId: admitted, status: 'recorded', phase: 'contact', alreadyRecorded: false },
      { householdId: reoriented, status: 'recorded', phase: 'closed', alreadyRecorded: false },
      { householdId: deferred, status: 'recorded', phase: 'committee', alreadyRecorded: false },
    ]);

    // The households as the coordination sees them.
    const admittedView = (await driver.view(admitted)).workflow.state;
    expect(admittedView).toMatchObject({ phase: 'contact', track: 'pre_litigation', educatorId: h.as.educator.id });
    expect((await driver.view(reoriented)).workflow.state).toMatchObject({ phase: 'closed', outcome: 'reoriented' });
    const deferredView = (await driver.view(deferred)).workflow.state;
    expect(deferredView.phase).toBe('committee');
    expect(deferredView.committee.decisions).toEqual([expect.objectContaining({ sessionId: session, decision: { kind: 'defer' } })]);

    const rows = await h.db.committeeDecision.findMany({ where: { sessionId: session } });
    expect(rows.map((r) => r.householdId).sort()).toEqual([admitted, reoriented, deferred].sort());
    expect(rows.every((r) => r.decidedById === h.as.coordinator.id)).toBe(true);

    // The session now shows its decisions; the deferred household stays on the agenda, marked.
    const shown = (await call('committee_member', 'GET', `/api/committee-sessions/${session}`)).body;
    expect(shown.decisions.map((d: any) => [d.householdId, d.decision.kind])).toEqual([[admitted, 'admit'], [reoriented, 'reorient'], [deferred, 'defer']]);
    expect(shown.decisions[0]).toMatchObject({ headName: hostileName, educator: { id: h.as.educator.id, name: DEMO_EDUCATOR.displayName }, decidedBy: { id: h.as.coordinator.id } });
    const agendaIds = shown.agenda.map((a: any) => a.id);
    expect(agendaIds).not.toContain(admitted);
    expect(agendaIds).not.toContain(reoriented);
    expect(shown.agenda.find((a: any) => a.id === deferred)).toMatchObject({ decisionInThisSession: { kind: 'defer' } });
    // The admitted household now counts against its landlord's capacity.
    expect(ourCapacity(shown)).toMatchObject({ active: 1, capacity: 20, full: false });
    expect(shown.capacity.total.active).toBeGreaterThanOrEqual(1);
  });

  test('sending the same batch again applies nothing twice; a different decision for a decided household is refused', async () => {
    const timelineBefore = await h.db.timelineEvent.count({ where: { householdId: { in: [admitted, reoriented, deferred] }, type: 'committeeDecisionRecorded' } });
    expect(timelineBefore).toBe(3);
    const retry = await call('coordinator', 'POST', `/api/committee-sessions/${session}/decisions`, threeDecisions());
    expect(retry.status).toBe(200);
    expect(retry.body.results).toEqual([
      { householdId: admitted, status: 'recorded', phase: 'contact', alreadyRecorded: true },
      { householdId: reoriented, status: 'recorded', phase: 'closed', alreadyRecorded: true },
      { householdId: deferred, status: 'recorded', phase: 'committee', alreadyRecorded: true },
    ]);
    expect(await h.db.committeeDecision.count({ where: { sessionId: session } })).toBe(3);
    expect(await h.db.timelineEvent.count({ where: { householdId: { in: [admitted, reoriented, deferred] }, type: 'committeeDecisionRecorded' } })).toBe(3);
    expect((await driver.view(deferred)).workflow.state.committee.decisions).toHaveLength(1);

    const contradiction = await call('committee_member', 'POST', `/api/committee-sessions/${session}/decisions`, {
      decisions: [{ householdId: deferred, decision: { kind: 'reject', reason: 'not_eligible' } }],
    });
    expect(contradiction.status).toBe(200);
    expect(contradiction.body.results).toEqual([{ householdId: deferred, status: 'refused', code: 'already_decided', reason: expect.stringMatching(/déjà été enregistrée/) }]);
    expect(await phaseOf(deferred)).toBe('committee');
    expect(await h.db.committeeDecision.count({ where: { sessionId: session } })).toBe(3);
  });

  test('a retry after a lost write lands on the same Update (and the timeline repairs a closed case\'s row)', async () => {
    // As if the API had crashed after the Updates and before writing the session's rows.
    await h.db.committeeDecision.deleteMany({ where: { sessionId: session, householdId: { in: [reoriented, deferred] } } });
    const retry = await call('coordinator', 'POST', `/api/committee-sessions/${session}/decisions`, {
      decisions: threeDecisions().decisions.filter((d) => d.householdId !== admitted),
    });
    expect(retry.status).toBe(200);
    expect(retry.body.results).toEqual([
      { householdId: reoriented, status: 'recorded', phase: 'closed', alreadyRecorded: true },
      { householdId: deferred, status: 'recorded', phase: 'committee', alreadyRecorded: false },
    ]);
    // Still one deferral: the same Update id returned the first Update's outcome.
    expect((await driver.view(deferred)).workflow.state.committee.decisions).toHaveLength(1);
    expect(await h.db.timelineEvent.count({ where: { householdId: { in: [reoriented, deferred] }, type: 'committeeDecisionRecorded' } })).toBe(2);
    const rows = await h.db.committeeDecision.findMany({ where: { sessionId: session }, orderBy: { decidedAt: 'asc' } });
    expect(rows.map((r) => r.householdId).sort()).toEqual([admitted, reoriented, deferred].sort());
    expect(rows.find((r) => r.householdId === reoriented)).toMatchObject({ decidedById: h.as.coordinator.id, decision: { kind: 'reorient', scheme: 'fsl' } });
  });

  test('the minutes are a printable French HTML document listing the decisions, every value escaped', async () => {
    const res = await fetch(`${h.baseUrl}/api/committee-sessions/${session}/minutes`, { headers: as('committee_member') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="proces-verbal-comite-${heldOn}.html"`);
    const html = await res.text();
    expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    expect(html).toContain('Procès-verbal du comité');
    // Who decided (the coordination recorded them), and each decision in words.
    expect(html).toContain('Coordination APRIL (coordination)');
    expect(html).toContain('Admission');
    expect(html).toContain('parcours pré-contentieux, suivi par Éducateur (démo)');
    expect(html).toContain('Réorientation');
    expect(html).toContain('vers : FSL');
    expect(html).toContain('Report');
    expect(html).toContain(`Mme Claire Martin ${suffix}`);
    expect(html).toContain(`M. Sam O&#39;Brien ${suffix}`);
    // Names typed by people cannot inject markup.
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>"Essai"</b>');
    expect(html).toContain(`&lt;script&gt;alert(&quot;pv&quot;)&lt;/script&gt; Dupont &amp; fils ${suffix}`);
    expect(html).toContain(`Bailleur &lt;b&gt;&quot;Essai&quot;&lt;/b&gt; &amp; Cie ${suffix}`);
    // The capacity: the caseload when each decision was taken, and the landlord's figure now.
    expect(html).toContain('0 / 20 chez le bailleur');
    expect(html).toMatch(new RegExp(`Bailleur &lt;b&gt;&quot;Essai&quot;&lt;/b&gt; &amp; Cie ${suffix}</td><td>1</td><td>20</td>`));
    // Reading the minutes is reading the three households' files.
    const requestId = res.headers.get('x-request-id')!;
    const audited = await h.db.auditEvent.findMany({ where: { requestId, action: 'household.read' } });
    expect(audited.map((a) => a.householdId).sort()).toEqual([admitted, reoriented, deferred].sort());
    expect(audited.every((a) => (a.details as any)?.via === 'committee_minutes')).toBe(true);
  });

  test('a decision the rules refuse does not undo the others of the batch', async () => {
    const next = await createSession();
    const res = await call('committee_member', 'POST', `/api/committee-sessions/${next}/decisions`, {
      decisions: [
        // Already admitted in the first session: the rules refuse a committee decision in contact.
        { householdId: admitted, decision: { kind: 'reject', reason: 'other' } },
        { householdId: later, decision: { kind: 'admit', track: 'post_termination', educatorId: h.as.educator.id } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ recorded: 1, refused: 1 });
    expect(res.body.results[0]).toEqual({ householdId: admitted, status: 'refused', code: 'wrong_phase', reason: expect.stringContaining('prise de contact') });
    expect(res.body.results[1]).toEqual({ householdId: later, status: 'recorded', phase: 'contact', alreadyRecorded: false });
    expect(await phaseOf(admitted)).toBe('contact');
    expect((await driver.view(later)).workflow.state).toMatchObject({ phase: 'contact', track: 'post_termination' });
    // Only the applied decision is in the session.
    expect((await h.db.committeeDecision.findMany({ where: { sessionId: next } })).map((r) => r.householdId)).toEqual([later]);
    const shown = (await call('coordinator', 'GET', `/api/committee-sessions/${next}`)).body;
    expect(ourCapacity(shown)).toMatchObject({ active: 2 });
    expect(shown.decisions).toEqual([expect.objectContaining({ householdId: later, decidedBy: expect.objectContaining({ id: h.as.committee_member.id }) })]);
  });
});
