import type { Page } from 'playwright-core';
import { eventually, type Harness } from './harness';
import { request } from './http';

/**
 * What the browser tests that walk a household through its pages share (walk, pages, tasks): the
 * referral form, the phase and situation the household page shows, the contact attempt form, the
 * keyboard, and the workflow's state and tasks read behind the pages.
 */

/**
 * Fills the referral form (/orienter) for `headName` at `address` (rent 412,50 €, lease from
 * 1 February 2020, debt 1 650 €, payment order, pre-litigation), sends it and returns the id of
 * the household page it opens. The lease reference is the caller's to fill.
 */
export async function referThroughTheForm(page: Page, headName: string, address: string): Promise<string> {
  await page.getByLabel('Nom du ou de la titulaire du bail').fill(headName);
  await page.getByLabel('Adresse du logement').fill(address);
  await page.getByLabel('Loyer mensuel, charges comprises').fill('412,50');
  await page.getByLabel('Jour').fill('1');
  await page.getByLabel('Mois').fill('2');
  await page.getByLabel('Année').fill('2020');
  await page.getByLabel('Dette locative').fill('1 650');
  await page.getByLabel('Étape de la procédure').selectOption('payment_order');
  await page.getByLabel('pré-contentieux').check();
  await page.getByRole('button', { name: 'Orienter le ménage' }).click();
  await page.waitForURL(/\/menages\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The phase the household page marks as current (the path of the eight phases). */
export const currentPhase = async (page: Page) => (await page.locator('[data-testid="path"] [aria-current="step"]').innerText()).replace(/\s*\(phase actuelle\)\s*$/, '').trim();

/** Reloads the household page until it shows `phase` (the workflow moves on its own time). */
export async function expectPhase(page: Page, householdId: string, phase: string, timeoutMs = 30_000) {
  await eventually(async () => {
    await page.goto(`/menages/${householdId}`);
    return (await currentPhase(page)) === phase ? true : undefined;
  }, timeoutMs, `phase « ${phase} » on the household page`);
}

/** The value of a row of the « Situation » summary list. */
export const situation = async (page: Page, key: string) => (await page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^\\s*${key}\\s*$`) })
  .locator('xpath=following-sibling::dd[1]').innerText()).trim();

/** Presses Tab until `selector` has the focus (at most `max` times): how a keyboard user gets there. */
export async function tabTo(page: Page, selector: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    // A string: it runs in the page (no DOM types in the tests' TypeScript).
    if (await page.evaluate<boolean>(`!!document.activeElement && document.activeElement.matches(${JSON.stringify(selector)})`)) return;
  }
  throw new Error(`${selector} never got the focus with Tab`);
}

/** Checks the three choices of a contact attempt form: when, how, and what came of it. */
export async function chooseAttempt(page: Page, slot: string, channel: string, outcome: string) {
  await page.locator(`input[name="slot"][value="${slot}"]`).check();
  await page.locator(`input[name="channel"][value="${channel}"]`).check();
  await page.locator(`input[name="outcome"][value="${outcome}"]`).check();
}

/** The latest open task of this type for the household (waits for the workflow to open it). */
export const openTask = (h: Harness, householdId: string, type: string, extra: Record<string, unknown> = {}) => eventually(async () => (await h.db.task.findFirst({
  where: { householdId, type, status: 'open', ...extra }, orderBy: { createdAt: 'desc' },
})) ?? undefined, 30_000, `an open ${type} task`);

/** The household's workflow state, read through the API as the coordination. */
export const workflowState = async (h: Harness, householdId: string) =>
  (await request(h.baseUrl, 'GET', `/api/households/${householdId}`, undefined, h.as.coordinator.headers)).body.workflow.state;
