import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checkAndClose, checkPage, DESKTOP, useBrowser } from './support/browser';
import { eventually } from './support/harness';
import { inboxUrl, receivedMail } from './support/mailbox';

/**
 * Accounts by invitation in Chromium (issue 13, « Trust »): the admin creates an account in the
 * page (no password field), the invitee opens the link of the mail the SMTP catcher received, in a
 * browser of their own, chooses a password (a mismatch is named beside its field), signs in, and
 * changes it from « Mon compte »; the used link then says it is not valid any more.
 */
const browser = useBrowser();
const { h, pageOf } = browser;
const suffix = randomUUID().slice(0, 8);
const PASSWORD = 'ma phrase de passe du navigateur';

const submit = async (page: Page, button: string) => {
  await Promise.all([page.waitForLoadState('load'), page.waitForNavigation(), page.getByRole('button', { name: button }).click()]);
};

test('the admin invites an educator in the page; the invitee sets a password from the mailed link, signs in and changes it', async () => {
  const email = `educatrice-invitee-${suffix}@test.april.localhost`;
  const name = `Éducatrice invitée ${suffix}`;
  const { page: admin, errors: adminErrors } = await pageOf('admin');
  await admin.goto('/admin/utilisateurs');
  await admin.getByLabel('Nom affiché').fill(name);
  await admin.getByLabel('Adresse e-mail').fill(email);
  await admin.getByLabel('Rôle').selectOption('educator');
  await submit(admin, 'Créer le compte');
  expect(await admin.getByTestId('notice').innerText()).toContain('Une invitation lui est envoyée par courriel');
  const row = admin.locator(`[data-user="${(await h.db.user.findUniqueOrThrow({ where: { email } })).id}"]`);
  expect(await row.innerText()).toContain('invitation en attente');
  await checkAndClose(admin, 'admin-invitation-envoyee', adminErrors);

  const mail = await eventually(async () => (await receivedMail(inboxUrl())).find((m) => m.to.some((t) => t.address === email)), 20_000, 'invitation mail');
  expect(mail.subject).toBe('APRIL : votre compte est créé, choisissez votre mot de passe');
  const link = /(https?:\/\/\S+\/mot-de-passe\/l_[\w-]{43})/.exec(mail.text)?.[1];
  expect(link?.startsWith(`${h.baseUrl}/mot-de-passe/`)).toBe(true);

  // The invitee: a browser of their own, nobody signed in.
  const context = await browser.session.browser.newContext({ baseURL: h.baseUrl, locale: 'fr-FR', viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(link!);
    expect(await page.locator('h1').innerText()).toBe('Activer votre compte');
    await checkPage(page, 'invitation-mot-de-passe');
    await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
    await page.getByLabel('Confirmez le mot de passe').fill(`${PASSWORD} !`);
    await submit(page, 'Enregistrer le mot de passe');
    expect(await page.locator('#confirmation-error').innerText()).toMatch(/les deux mots de passe ne sont pas identiques/i);
    expect(await page.getByLabel('Nouveau mot de passe').inputValue()).toBe('');
    expect((await h.db.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();
    await checkPage(page, 'invitation-mot-de-passe-erreurs');

    await page.getByLabel('Nouveau mot de passe').fill(PASSWORD);
    await page.getByLabel('Confirmez le mot de passe').fill(PASSWORD);
    await submit(page, 'Enregistrer le mot de passe');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(await page.getByTestId('notice').innerText()).toContain('Votre mot de passe est enregistré');

    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await submit(page, 'Se connecter');
    expect(new URL(page.url()).pathname).toBe('/taches');

    // From « Mon compte »: a wrong current password is named beside its field; the right one changes it.
    await page.goto('/compte');
    await page.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('un tout nouveau mot de passe');
    await page.getByLabel('Confirmez le nouveau mot de passe').fill('un tout nouveau mot de passe');
    await submit(page, 'Changer le mot de passe');
    expect(await page.locator('#currentPassword-error').innerText()).toMatch(/mot de passe actuel incorrect/i);
    await checkPage(page, 'compte-mot-de-passe-erreurs');
    await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('un tout nouveau mot de passe');
    await page.getByLabel('Confirmez le nouveau mot de passe').fill('un tout nouveau mot de passe');
    await submit(page, 'Changer le mot de passe');
    expect(await page.getByTestId('notice').innerText()).toContain('Votre mot de passe est changé');

    // The link served once.
    await page.goto(link!);
    expect(await page.locator('h1').innerText()).toBe('Ce lien n’est pas valable');
    await checkPage(page, 'lien-non-valable');
    await page.close();
  } finally {
    await context.close();
  }
});

test('« Mot de passe oublié » from the sign-in page says the same for any address', async () => {
  const context = await browser.session.browser.newContext({ baseURL: h.baseUrl, locale: 'fr-FR', viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto('/connexion');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Mot de passe oublié ?' }).click()]);
    await checkPage(page, 'mot-de-passe-oublie');
    await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
    await submit(page, 'Recevoir un lien');
    expect(await page.locator('#email-error').innerText()).toContain('Adresse e-mail invalide');
    await page.getByLabel('Adresse e-mail').fill(`personne-${suffix}@test.april.localhost`);
    await submit(page, 'Recevoir un lien');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    expect(await page.getByTestId('notice').innerText()).toContain('Si un compte actif existe à cette adresse');
    await page.close();
  } finally {
    await context.close();
  }
});
