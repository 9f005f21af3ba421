import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { hashPassword } from '../../lib/passwords';
import { assetsStale, buildAssets } from '../../scripts/build-assets';
import type { AccountName } from './accounts';
import { TEST_PASSWORD } from './accounts';
import { openHarness, type Harness, type HarnessOptions } from './harness';

/**
 * Browser tests: Debian's Chromium driven by playwright-core (docs/design/runtime.md), a fresh
 * profile per launch, one context per person (signed in through the sign-in page, like a person).
 * Every page checked is screenshotted at 390 px and 1280 px into test-artifacts/screenshots/ and
 * audited by axe-core.
 */
export const CHROMIUM = process.env.APRIL_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The two widths every page is checked at: a phone and a laptop. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
export const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium introuvable (${CHROMIUM}) : installez-le (apt-get install chromium) ou relancez npm install en root.`);
  }
  if (assetsStale()) buildAssets();
  // playwright-core gives every launch a fresh temporary --user-data-dir of its own (it refuses
  // one passed in args) and removes it at close: no state survives from one run to the next.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * The harness's reference users (coordinator, demo educator) have no password: a person of the
 * same role and scope is created for the browser. Other accounts get the test password already.
 */
async function browserAccount(h: Harness, name: AccountName): Promise<string> {
  const account = h.as[name];
  const user = await h.db.user.findUniqueOrThrow({ where: { id: account.id } });
  if (user.passwordHash) return user.email;
  const email = `${name.replace(/_/g, '-')}-navigateur-${randomUUID().slice(0, 8)}@test.april.localhost`;
  await h.db.user.create({
    data: {
      id: randomUUID(), email, displayName: `${user.displayName} (navigateur)`, role: user.role,
      passwordHash: await hashPassword(TEST_PASSWORD), landlordId: user.landlordId, partnerOrganisationId: user.partnerOrganisationId,
    },
  });
  return email;
}

/** A fresh context signed in as `name` through /connexion. */
export async function signedInContext(session: BrowserSession, h: Harness, name: AccountName): Promise<BrowserContext> {
  const context = await session.browser.newContext({ baseURL: h.baseUrl, locale: 'fr-FR', viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(await browserAccount(h, name));
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/connexion')), page.getByRole('button', { name: 'Se connecter' }).click()]);
  await page.close();
  return context;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');

interface AxeViolation { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; html: string }[] }

/**
 * Runs axe-core on what `page` shows now and returns the serious and critical violations. The app's
 * CSP rightly refuses an injected script, so the markup is copied into a second context that
 * bypasses CSP (only there), on the same origin so that the stylesheet applies (contrast checks).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const html = await page.content();
  const copy = await auditPage(page);
  await copy.setViewportSize(page.viewportSize() ?? DESKTOP);
  // Any HTML page of the origin (setContent needs an HTML document), then the page's markup.
  const origin = new URL(page.url()).origin;
  if (new URL(copy.url()).origin !== origin) await copy.goto(`${origin}/connexion`);
  await copy.setContent(html, { waitUntil: 'load' });
  await copy.addScriptTag({ content: AXE_SOURCE });
  // A string: this runs in the page, where `axe` is the injected global (no DOM types here).
  const violations = await copy.evaluate<AxeViolation[]>('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)');
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.html.slice(0, 160)}`).join(' | ')}`);
}

/** One audit page per browser, reused by every audit (a context per audit cost a navigation each). */
const auditPages = new WeakMap<Browser, Promise<Page>>();
function auditPage(page: Page): Promise<Page> {
  const browser = page.context().browser()!;
  let audit = auditPages.get(browser);
  if (!audit) {
    audit = browser.newContext({ bypassCSP: true, locale: 'fr-FR', viewport: DESKTOP }).then((context) => context.newPage());
    auditPages.set(browser, audit);
  }
  return audit;
}

/** Console errors of a page (a CSP refusal, a script error): a page must have none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // A refusal page (403, 404) or a form re-rendered with its errors (400) is the expected answer.
    if (message.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

/** Screenshots of the page as shown, at 390 px (phone) and 1280 px, full height. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  const files: string[] = [];
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    const file = path.join(SCREENSHOTS, `${name}-${size.width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.setViewportSize(original);
  return files;
}

/** English words the govuk/MOJ components write by default: none may reach a page, even hidden. */
const ENGLISH_DEFAULTS = /\b(Error|Skip to main content|Previous|Next|Back|Success|Important|You can enter|characters? remaining|Showing|results|Page \d+ of)\b/;

/** The check every page gets: screenshots at both widths, French only, then axe (fails on serious/critical). */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshots(page, name);
  const text = await page.evaluate<string>('document.body.textContent');
  expect({ page: name, english: ENGLISH_DEFAULTS.exec(text)?.[0] }).toEqual({ page: name, english: undefined });
  const violations = await seriousViolations(page);
  if (violations.length) {
    console.error(`axe — ${name}:\n${violations.join('\n')}`);
  }
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

/** `checkPage`, then no console error since the page opened, then the page closed. */
export async function checkAndClose(page: Page, name: string, errors: string[]): Promise<void> {
  await checkPage(page, name);
  expect(errors).toEqual([]);
  await page.close();
}

/** The width the page's document takes at 390 px: more means the page itself scrolls sideways on a phone. */
export async function widthOnAPhone(page: Page): Promise<number> {
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(PHONE);
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  await page.setViewportSize(original);
  return width;
}

/**
 * What every browser test file needs, set up once for the file: the harness and Chromium, started
 * together; one signed-in context per person, kept for the file; everything closed afterwards.
 * Call it at the top of the file: its beforeAll runs before the file's own.
 */
export interface BrowserSuite {
  /** The file's harness (usable inside tests and hooks, once the suite's beforeAll has run). */
  readonly h: Harness;
  readonly session: BrowserSession;
  /** `name`'s context, signed in through /connexion the first time it is asked for. */
  contextOf(name: AccountName): Promise<BrowserContext>;
  /** A new page in `name`'s context (1280 px, or `size`), and the console errors it will log. */
  pageOf(name: AccountName, size?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }>;
}

export function useBrowser(options: HarnessOptions = {}): BrowserSuite {
  let h: Harness | undefined;
  let session: BrowserSession | undefined;
  const contexts = new Map<AccountName, Promise<BrowserContext>>();
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not open: use it inside a test or a beforeAll`);
    return value;
  };
  const suite: BrowserSuite = {
    // Stands for the harness once open, so that a file can name it at its top.
    h: new Proxy({} as Harness, { get: (_target, key) => Reflect.get(ready(h, 'the harness'), key) }),
    get session() { return ready(session, 'the browser'); },
    contextOf(name) {
      let context = contexts.get(name);
      if (!context) {
        context = signedInContext(suite.session, suite.h, name);
        contexts.set(name, context);
      }
      return context;
    },
    async pageOf(name, size) {
      const page = await (await suite.contextOf(name)).newPage();
      if (size) await page.setViewportSize(size);
      return { page, errors: watchConsole(page) };
    },
  };
  beforeAll(async () => {
    const [harness, browser] = await Promise.allSettled([openHarness(options), launchBrowser()]);
    if (harness.status === 'fulfilled') h = harness.value;
    if (browser.status === 'fulfilled') session = browser.value;
    for (const result of [harness, browser]) if (result.status === 'rejected') throw result.reason;
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    await h?.close();
  });
  return suite;
}

/** One refusal a person must meet: who opens which path, the 403 or 404 expected, the screenshot's name. */
export type Refusal = [who: AccountName, path: string, status: 403 | 404, name: string];

/** Each person opens the path and gets the French refusal page (checked like any other page). */
export async function expectRefusalPages(suite: BrowserSuite, cases: Refusal[]): Promise<void> {
  for (const [who, path, status, name] of cases) {
    const { page, errors } = await suite.pageOf(who);
    const response = await page.goto(path);
    expect({ who, path, status: response?.status() }).toEqual({ who, path, status });
    expect(await page.locator('h1').innerText()).toBe(status === 403 ? 'Accès refusé' : 'Page introuvable');
    await checkAndClose(page, name, errors);
  }
}

/** From the household page, the link to one of its actions (« Ce que vous pouvez faire »), then its page. */
export async function openAction(page: Page, householdId: string, slug: string): Promise<void> {
  await page.goto(`/menages/${householdId}`);
  await Promise.all([page.waitForURL(`**/menages/${householdId}/actions/${slug}`), page.locator(`#action-${slug}`).click()]);
}
