import { randomUUID } from 'node:crypto';
import { LANDLORDS, PARTNER_ORGANISATIONS } from '../lib/reference-data';
import { checkAndClose, checkPage, useBrowser } from './support/browser';
import type { AccountName } from './support/accounts';
import { eventually } from './support/harness';
import { inboxUrl, receivedMail } from './support/mailbox';
import { patientPartnersPolicy } from './support/policy';
import { processDriver } from './support/process';

/**
 * The partner's pages in Chromium (issue 6): the CCAS worker lists its pending checks (minimum of
 * data), answers « followed » through the page the request mail links to (bad values → error
 * summary, nothing saved), the referent receives the alert mail; another organisation's check is
 * the 404 page; a handoff addressed to the CCAS is acknowledged from /partenaires/relais. The
 * partners' deadline is long so that the checks stay open while the pages answer them.
 */
const browser = useBrowser({ policy: patientPartnersPolicy });
const { h, pageOf } = browser;
let driver: ReturnType<typeof processDriver>;
const suffix = randomUUID().slice(0, 6);
const ccas = PARTNER_ORGANISATIONS[0];
const checked = { headName: `Mme Véra ${suffix}`, address: `9 rue des Vérifications ${suffix}, 51100 Reims`, tenancyReference: `VERIF-${suffix}` };
const handedOver = { headName: `M. Hugo ${suffix}`, address: `4 place du Relais ${suffix}, 51100 Reims` };
const referent = { name: `Mme Inès Référente ${suffix}`, email: `referente-${suffix}@ccas.test`, phone: '03 26 11 22 33' };
let checkedId: string;
let handedOverId: string;
let taskId: string;

const taskRow = () => h.db.task.findUniqueOrThrow({ where: { id: taskId } });

beforeAll(async () => {
  driver = processDriver(h);
  [checkedId, handedOverId] = await Promise.all([
    driver.refer({ ...checked, landlordId: LANDLORDS[1].id, arrears: 4321 }),
    driver.refer({ ...handedOver, landlordId: LANDLORDS[2].id }),
  ]);
  const task = await eventually(() => h.db.task.findFirst({ where: { householdId: checkedId, type: 'partner_check', partnerOrganisationId: ccas.id } }).then((t) => t ?? undefined), 20_000, 'CCAS check task');
  taskId = task.id;
});

test('the partner lists its pending checks with the minimum of data', async () => {
  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/verifications');
  const table = await page.getByTestId('checks').innerText();
  expect(table).toContain(checked.headName);
  expect(table).toContain(checked.address);
  // No debt, no lease reference: the partner needs to recognise the household, nothing more.
  expect(await page.locator('main').innerText()).not.toContain(checked.tenancyReference);
  expect(await page.locator('main').innerText()).not.toMatch(/4\s321/);
  expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Vérifications');
  await checkAndClose(page, 'partenaires-verifications', errors);
});

test('the partner answers « followed » on the page the mail links to: bad values are refused and save nothing, then the referent gets the alert mail', async () => {
  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/verifications');
  await page.getByRole('link', { name: new RegExp(checked.headName) }).click();
  await page.waitForURL(`**/partenaires/verifications/${taskId}`);
  expect(await page.locator('h1').innerText()).toBe(checked.headName);
  await checkPage(page, 'partenaires-verification');

  // Nothing chosen.
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.govuk-error-summary__list').innerText()).toContain('Réponse : indiquez si votre organisation suit déjà ce ménage');

  // « Followed » without the referent's name, with an e-mail that is not one.
  await page.getByLabel('Suivi par notre organisation').check();
  await page.getByLabel('Adresse e-mail du référent (facultatif)').fill('pas-une-adresse');
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.waitForLoadState();
  const summary = await page.locator('.govuk-error-summary__list').innerText();
  expect(summary).toContain('Nom du référent : ne doit pas être vide');
  expect(summary).toContain('E-mail du référent : adresse e-mail invalide');
  expect(await page.locator('#referentEmail-error').innerText()).toContain('Adresse e-mail invalide');
  expect(await page.getByLabel('Adresse e-mail du référent (facultatif)').inputValue()).toBe('pas-une-adresse');
  expect(await page.getByLabel('Suivi par notre organisation').isChecked()).toBe(true);
  await checkPage(page, 'partenaires-verification-erreurs');
  expect((await taskRow()).status).toBe('open');
  expect(await h.db.referentWorker.count({ where: { householdId: checkedId } })).toBe(0);

  await page.getByLabel('Nom du référent').fill(referent.name);
  await page.getByLabel('Adresse e-mail du référent (facultatif)').fill(referent.email);
  await page.getByLabel('Téléphone du référent (facultatif)').fill(referent.phone);
  await page.getByRole('button', { name: 'Envoyer la réponse' }).click();
  await page.waitForURL('**/partenaires/verifications');
  expect(await page.getByTestId('notice').innerText()).toContain(`le suivi de ${checked.headName} par votre organisation est enregistré`);
  // Gone from the checks to do; listed among the answers the partner may still correct.
  expect(await page.locator(`[data-testid="checks"] a[href="/partenaires/verifications/${taskId}"]`).count()).toBe(0);
  expect(await page.locator(`[data-testid="answered-checks"] a[href="/partenaires/verifications/${taskId}"]`).count()).toBe(1);
  await checkPage(page, 'partenaires-verifications-apres');

  expect((await taskRow()).status).toBe('completed');
  const saved = await h.db.referentWorker.findFirstOrThrow({ where: { householdId: checkedId } });
  expect(saved).toMatchObject({ partnerOrganisationId: ccas.id, ...referent });
  const state = (await driver.view(checkedId)).workflow.state;
  expect(state.partnerCheck.answers[ccas.id]).toMatchObject({ status: 'followed', referentWorkerRef: saved.id });
  const mail = await eventually(async () => (await receivedMail(inboxUrl())).find((m) => m.to.some((t) => t.address === referent.email)), 20_000, 'referent alert mail');
  expect(mail.subject).toMatch(/Un ménage que vous suivez est signalé/);
  expect(mail.text).toContain(`Bonjour ${referent.name}`);

  // The answered check shows the partner's own answer, correctable within the window.
  await page.goto(`/partenaires/verifications/${taskId}`);
  expect(await page.getByTestId('own-answer').innerText()).toContain(referent.name);
  expect(await page.getByTestId('correctable').innerText()).toContain('Vous pouvez corriger votre réponse');
  await checkPage(page, 'partenaires-verification-corriger');
  await page.getByLabel('Ménage inconnu de nos services').check();
  await page.getByLabel('Nom du référent').fill('');
  await page.getByLabel('Adresse e-mail du référent (facultatif)').fill('');
  await page.getByLabel('Téléphone du référent (facultatif)').fill('');
  await page.getByRole('button', { name: 'Corriger la réponse' }).click();
  await page.waitForURL('**/partenaires/verifications');
  await eventually(async () => ((await driver.view(checkedId)).workflow.state.partnerCheck.answers[ccas.id].status === 'not_known' ? true : undefined), 20_000, 'corrected answer');

  // Once the window has passed (the answer dated eight days back), the household leaves the partner's space.
  await h.db.task.update({ where: { id: taskId }, data: { completedAt: new Date(Date.now() - 8 * 86_400_000) } });
  const gone = await page.goto(`/partenaires/verifications/${taskId}`);
  expect(gone?.status()).toBe(404);
  expect((await page.goto(`/menages/${checkedId}`))?.status()).toBe(404);
  expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
  await page.close();
});

test('another organisation\'s check is the 404 page, read or answered; other roles get the 403 page', async () => {
  const other = await h.db.task.findFirstOrThrow({ where: { householdId: checkedId, type: 'partner_check', partnerOrganisationId: PARTNER_ORGANISATIONS[2].id } });
  const { page, errors } = await pageOf('partner_worker');
  const response = await page.goto(`/partenaires/verifications/${other.id}`);
  expect(response?.status()).toBe(404);
  expect(await page.locator('h1').innerText()).toBe('Page introuvable');
  await checkPage(page, 'refus-verification-autre-organisation');
  // Answering it through a forged form is 404 too, and changes nothing.
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const posted = await (await browser.contextOf('partner_worker')).request.post(`${h.baseUrl}/partenaires/verifications/${other.id}`, { form: { _csrf: csrf, answer: 'not_known' }, maxRedirects: 0 });
  expect(posted.status()).toBe(404);
  expect((await h.db.task.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('open');
  expect(errors).toEqual([]);
  await page.close();

  const cases: [AccountName, string, number, string][] = [
    ['other_partner_worker', `/partenaires/verifications/${taskId}`, 404, 'refus-verification-autre-partenaire'],
    ['educator', '/partenaires/verifications', 403, 'refus-verifications-educateur'],
    ['landlord_agent', `/partenaires/verifications/${taskId}`, 403, 'refus-verification-bailleur'],
    ['committee_member', '/partenaires/relais', 403, 'refus-relais-comite'],
    ['admin', '/partenaires/relais', 403, 'refus-relais-admin'],
  ];
  for (const [who, path, status, name] of cases) {
    const { page: refused, errors: refusedErrors } = await pageOf(who);
    const answer = await refused.goto(path);
    expect({ who, path, status: answer?.status() }).toEqual({ who, path, status });
    expect(await refused.locator('h1').innerText()).toBe(status === 403 ? 'Accès refusé' : 'Page introuvable');
    await checkPage(refused, name);
    expect(refusedErrors).toEqual([]);
    await refused.close();
  }
});

test('a handoff addressed to the CCAS is acknowledged from the relay page; another organisation does not see it', async () => {
  await driver.reach(handedOverId);
  // Debt cleared first: the watch after the handoff would otherwise see a relapse and reopen the support.
  expect((await driver.post(handedOverId, 'arrears', { arrears: 0 })).status).toBe(202);
  const started = await driver.post(handedOverId, 'handoff', { schemes: [{ scheme: 'fsl', partnerOrgId: ccas.id }] });
  expect(started.status).toBe(200);
  const ack = await eventually(() => h.db.task.findFirst({ where: { householdId: handedOverId, type: 'handoff_acknowledgement', status: 'open' } }).then((t) => t ?? undefined), 20_000, 'handoff task');

  const { page: other } = await pageOf('other_partner_worker');
  await other.goto('/partenaires/relais');
  expect(await other.locator('main').innerText()).not.toContain(handedOver.headName);
  await other.close();

  const { page, errors } = await pageOf('partner_worker');
  await page.goto('/partenaires/relais');
  const item = page.locator(`#relais-${ack.id}`);
  expect(await item.innerText()).toContain(handedOver.headName);
  expect(await item.innerText()).toContain('FSL');
  await checkPage(page, 'partenaires-relais');
  await page.getByRole('button', { name: `Accuser réception pour ${handedOver.headName} (FSL)` }).click();
  await page.waitForURL('**/partenaires/relais');
  expect(await page.getByTestId('notice').innerText()).toContain(`La prise de relais de ${handedOver.headName} est confirmée`);
  expect(await page.locator(`#relais-${ack.id}`).count()).toBe(0);
  await checkPage(page, 'partenaires-relais-apres');

  const done = await h.db.task.findUniqueOrThrow({ where: { id: ack.id } });
  expect(done).toMatchObject({ status: 'completed', result: { scheme: 'fsl', acknowledged: true } });
  // The workflow took the acknowledgement (its own timeline event); the overlap then ends and the
  // household goes on to the watch (1 s overlap and 4 s watch in the fast policy: maybe closed already).
  await eventually(() => h.db.timelineEvent.findFirst({ where: { householdId: handedOverId, type: 'handoffAcknowledged' } }).then((e) => e ?? undefined), 20_000, 'handoffAcknowledged');
  await eventually(async () => (['watch', 'closed'].includes((await driver.view(handedOverId)).workflow.state.phase) ? true : undefined), 20_000, 'after the handoff');
  expect(errors).toEqual([]);
  await page.close();
});
