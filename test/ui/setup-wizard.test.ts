import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type AppServiceOptions, type ClosableAppService } from '../../main/app/app-service.js';
import { DEMO_LEDGERS_FOLDER } from '../../main/app/app-session.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings, type AppSettings } from '../../main/app/app-settings.js';
import { decideNotifications, initialNotificationState } from '../../main/shell/notification-policy.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { businessDate } from '../../main/core/time/business-date.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { CredentialStore } from '../../main/adapters/credentials/credential-store.js';
import { unlabelledControls } from './accessibility-probes.js';
import { seriousAxeViolations } from './axe-check.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * Setup, going live and starting without a connection, in real headless Chromium against the
 * real AppService, engine, Stripe simulator (which refuses a restricted key's missing
 * permissions with Stripe's 403) and Sage sandbox; the SQL Server failures come from the real
 * mssql driver connecting to a port nothing listens on. Keys are assembled at run time.
 */

const stripeKey = (tail: string) => ['rk', 'test', tail].join('_');
/** The simulator's "now" (2026-11-02 12:00 UTC) as a business date; go-live two days before it. */
const SIMULATED_TODAY = '2026-11-02';
const GO_LIVE = '2026-10-31';

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let simulator: StripeSimulator;
const cleanups: (() => Promise<void> | void)[] = [];

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Window {
  page: Page;
  service: ClosableAppService;
  credentials: CredentialStore;
  dataDir: string;
}

/** A data folder with these settings, the real AppService on it, and the window open on it. */
async function openWindow(name: string, settings: Partial<AppSettings>, secrets: Record<string, string> = {}, demo = false, runtimeOptions: AppServiceOptions['runtimeOptions'] = {}): Promise<Window> {
  const dataDir = join(workDir, name);
  mkdirSync(dataDir, { recursive: true });
  saveAppSettings(dataDir, { ...DEFAULT_APP_SETTINGS, stripe: { apiBase: simulator.apiBase }, ...settings });
  const credentials = createMemoryCredentialStore();
  for (const [secret, value] of Object.entries(secrets)) await credentials.set(secret as 'stripeApiKey', value);
  const service = await createAppService({ dataDir, env: {}, credentials, demo, reconnectDelaysMs: [300], runtimeOptions });
  const page = await browser.newPage({ viewport: TRAY_WINDOW });
  const disconnect = await connectPage(page, service);
  cleanups.push(async () => {
    disconnect();
    await page.close();
    await service.close();
  });
  await page.goto(server.url);
  return { page, service, credentials, dataDir };
}

const sandboxAt = (name: string): string => {
  const path = join(workDir, `${name}.sqlite`);
  createSandbox(path, { today: SIMULATED_TODAY });
  return path;
};

const failure = (page: Page) => page.getByRole('alert', { name: 'Test failed' });
const testAndContinue = (page: Page) => page.getByRole('button', { name: 'Test and continue' }).click();
const atStep = (page: Page, title: string) => page.getByText(new RegExp(`^Step \\d of 8: ${title}$`)).waitFor();

/** Walks the steps after the Stripe key with a sandbox, each passing (or the checks saved untested where the sandbox lacks them). */
async function connectSandbox(page: Page, sandboxPath: string): Promise<void> {
  await atStep(page, 'SQL Server');
  await page.getByLabel('A practice sandbox file (for trying it out)').check();
  await page.getByLabel('Sandbox file', { exact: true }).fill(sandboxPath);
  await testAndContinue(page);
  await atStep(page, 'Sage company');
  await testAndContinue(page);
  await atStep(page, 'Sage checks');
}

describe('setup wizard, going live and offline start', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-setup-ui-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    simulator = await startStripeSimulator({ days: 8, now: DEFAULT_SIMULATED_NOW });
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await simulator?.close();
    await browser?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  let setup: Window;

  it('tests every step before the next: a failing then a passing probe for each, "save untested" recorded, and nothing configured before Finish', async () => {
    // The engine on the simulator's clock, so an hour passed in the simulator is an hour to the sync too.
    setup = await openWindow('wizard', {}, {}, false, { clock: { now: () => simulator.now() * 1000, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) } });
    const { page, service, credentials } = setup;
    await page.getByRole('heading', { name: 'Set up Stripe Sync' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);

    // Stripe key: not a key at all, then a restricted key missing two read permissions, then one that may read everything.
    await page.getByLabel(/Stripe restricted key/).fill('hello world');
    await testAndContinue(page);
    await failure(page).getByText('This is not a Stripe API key').waitFor();
    expect(await credentials.isSet('stripeApiKey')).toBe(false);
    const partial = stripeKey('wizardPartial1');
    simulator.restrictKey(partial, ['rak_payout_read', 'rak_dispute_read']);
    await page.getByLabel(/Stripe restricted key/).fill(partial);
    await testAndContinue(page);
    const missing = page.getByRole('list', { name: 'Missing permissions' });
    await missing.waitFor();
    expect(await missing.getByRole('listitem').allTextContents()).toEqual(['Disputes: Read (GET /v1/disputes was refused)', 'Payouts: Read (GET /v1/payouts was refused)']);
    expect(await credentials.isSet('stripeApiKey')).toBe(false);
    const full = stripeKey('wizardFull1');
    await page.getByLabel(/Stripe restricted key/).fill(full);
    await testAndContinue(page);
    await atStep(page, 'SQL Server');
    await page.getByRole('status').filter({ hasText: 'Connected to' }).getByText(/with a test restricted key/).waitFor();
    expect(await credentials.get('stripeApiKey')).toBe(full);
    // The key went to main once; the window never holds or shows it again.
    expect(await page.content()).not.toContain(full);

    // SQL Server: nothing listens at the address, then a missing sandbox file, then the sandbox.
    const port = await closedPort();
    await page.getByLabel('SQL Server (server or server\\instance)').fill('127.0.0.1');
    await page.getByLabel(/^Port/).fill(String(port));
    await page.getByLabel('Sage database').fill('SOA_App');
    await page.getByLabel('User', { exact: true }).fill('stripe_sync');
    await page.getByLabel(/^Password/).fill('not-a-real-password');
    expect(await page.getByLabel('Encrypt the connection').isChecked()).toBe(true);
    expect(await page.getByLabel(/Trust the server certificate/).isChecked()).toBe(false);
    await page.getByLabel('A Windows account (domain, user and password)').check();
    await page.getByLabel('Windows domain').fill('OFFICE');
    // What Windows sign-in means here is said where it is chosen: NTLM with the password, no integrated security.
    await page.getByText(/Signing in as the Windows user running this app without a password is not available/).waitFor();
    await testAndContinue(page);
    await failure(page).getByText(`Nothing answered at 127.0.0.1, port ${port}`).waitFor();
    expect(await failure(page).textContent()).toMatch(/TCP\/IP is enabled in SQL Server Configuration Manager/);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await credentials.isSet('sqlPassword')).toBe(false);
    await page.getByLabel('A practice sandbox file (for trying it out)').check();
    await page.getByLabel('Sandbox file', { exact: true }).fill(join(workDir, 'missing.sqlite'));
    await testAndContinue(page);
    await failure(page).getByText('The sandbox file cannot be opened').waitFor();
    const sandboxPath = sandboxAt('wizard-sandbox');
    await page.getByLabel('Sandbox file', { exact: true }).fill(sandboxPath);
    await testAndContinue(page);
    await atStep(page, 'Sage company');
    await page.getByRole('status').getByText('Connected: 1 Sage company found.').waitFor();

    // Company: picked from tsmCompany.
    expect(await page.getByLabel('Sage company').locator('option').allTextContents()).toEqual([expect.stringMatching(/^SOA — /)]);
    await testAndContinue(page);

    // Sage checks: whatever the sandbox lacks is listed with the fix; saving untested is explicit and recorded.
    await atStep(page, 'Sage checks');
    await testAndContinue(page);
    const checks = await service.setupPreflight({ saveUntested: false });
    if (checks.passed) {
      await atStep(page, 'Account mapping');
    } else {
      await failure(page).getByRole('list', { name: 'Sage checks' }).waitFor();
      await page.getByRole('button', { name: 'Save untested and continue' }).click();
      await atStep(page, 'Account mapping');
      await page.getByRole('list', { name: 'Setup steps' }).getByText('Sage checks — saved untested').waitFor();
    }

    // Mapping: an account the Sage chart does not have, then one it has.
    const refunds = page.getByLabel('Refunds', { exact: true });
    await refunds.fill('4950-00');
    await testAndContinue(page);
    await failure(page).getByRole('list', { name: 'Account problems' }).getByText(/^Refunds \(4950-00\): /).waitFor();
    expect(await refunds.getAttribute('aria-invalid')).toBe('true');
    await refunds.fill('4900-00');
    await testAndContinue(page);
    await atStep(page, 'Schedule');
    expect(await page.getByRole('list', { name: 'Setup steps' }).textContent()).toMatch(/Stripe key — tested.*SQL Server — tested.*Sage company — tested.*Account mapping — tested/);

    // Nothing is configured until Finish.
    expect((await service.getStatus(undefined)).configured).toBe(false);
    await page.getByLabel('Sync every (minutes)').fill('15');
    await page.getByRole('button', { name: 'Next' }).click();
    await atStep(page, 'Go-live date');
    await page.getByLabel(/^Go-live date/).fill(GO_LIVE);
    await page.getByLabel(/^Read Stripe history from/).fill('2026-10-26');
    await page.getByRole('button', { name: 'Next' }).click();
    await atStep(page, 'Shadow or live');
    expect(await page.getByRole('radio', { name: /Shadow: show what would be written/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();

    const settings = await service.getSettings(undefined);
    expect(settings).toMatchObject({ shadowMode: true, goLiveDate: GO_LIVE, historyFrom: '2026-10-26', schedule: { pollIntervalMinutes: 15 }, sage: { kind: 'sandbox', sandboxPath, companyId: 'SOA' } });
    expect(settings.setupSteps.stripe?.result).toBe('passed');
    expect(settings.setupSteps.mapping?.result).toBe('passed');
    expect((await service.getMapping(undefined)).mapping).toMatchObject({ accounts: { refunds: '4900-00' } });
    if (!checks.passed) {
      await page.getByRole('tab', { name: /Settings/ }).click();
      await page.getByRole('group', { name: 'Saved untested' }).getByText(/Sage checks/).waitFor();
    }
  });

  it('shows the profile (Test) in the app frame on every view', async () => {
    const { page } = setup;
    for (const view of ['Home', 'Activity', 'Errors', 'Payouts', 'Mapping', 'Settings']) {
      await page.getByRole('tab', { name: view, exact: false }).first().click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await page.locator('.profile-bar .profile-badge').textContent()).toBe('Test');
      expect(await page.getByRole('status', { name: /^Profile: Test\./ }).count()).toBe(1);
    }
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('tests the saved key again from Settings, naming a read permission taken away since', async () => {
    const { page } = setup;
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('button', { name: 'Test Stripe key' }).click();
    await page.getByText(/^Connected to .* \(test\)$/).waitFor();
    simulator.restrictKey(stripeKey('wizardFull1'), ['rak_refund_read']);
    try {
      await page.getByRole('button', { name: 'Test Stripe key' }).click();
      await page.getByText(/^The key may not read Refunds\./).waitFor();
    } finally {
      simulator.restrictKey(stripeKey('wizardFull1'), []);
    }
  });

  it('reopens the wizard from Settings with every step as it was saved, and cancels back', async () => {
    const { page } = setup;
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('button', { name: /run the setup again/ }).click();
    await page.getByRole('heading', { name: 'Set up Stripe Sync' }).waitFor();
    // A configured app never offers the demo: it would write simulated records into a real ledger.
    expect(await page.getByRole('button', { name: 'Try with demo data' }).count()).toBe(0);
    expect(await page.locator('.profile-bar .profile-badge').textContent()).toBe('Test');
    await page.getByRole('list', { name: 'Setup steps' }).getByText('Stripe key — tested').waitFor();
    await page.getByRole('button', { name: 'Keep as saved' }).click();
    await atStep(page, 'SQL Server');
    expect(await page.getByLabel('Sandbox file', { exact: true }).inputValue()).toMatch(/wizard-sandbox\.sqlite$/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  });

  /**
   * The test's own reading of Stripe at the cutover, from the simulator's objects (USD cents × 10 =
   * Sage thousandths): clearing holds every transaction dated before go-live (the simulated
   * account starts empty); in transit, the payouts created before go-live that had neither
   * arrived (the bank's date, midnight UTC) nor failed before it.
   */
  function stripeAtCutover(timeZone: string): { clearing: number; inTransit: number } {
    const transactions = simulator.objects('balance_transaction');
    const byId = new Map(transactions.map((bt) => [bt.id, bt]));
    const before = (seconds: number) => businessDate(seconds, timeZone) < GO_LIVE;
    const utcDate = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
    const crossing = simulator.objects('payout').filter((payout) => {
      const own = byId.get(payout.balance_transaction as string);
      const failure = payout.failure_balance_transaction ? byId.get(payout.failure_balance_transaction as string) : undefined;
      const arrivedBefore = payout.status === 'paid' && utcDate(payout.arrival_date) < GO_LIVE;
      return own !== undefined && before(own.created) && !arrivedBefore && !(failure && before(failure.created));
    });
    return {
      clearing: transactions.filter((bt) => before(bt.created)).reduce((sum, bt) => sum + bt.net * 10, 0),
      inTransit: crossing.reduce((sum, payout) => sum + payout.amount * 10, 0),
    };
  }
  const thousandths = (text: string) => Math.round(Number(text) * 1000);
  const money = (thousandthsOfUnit: number) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', currencyDisplay: 'code' }).format(thousandthsOfUnit / 1000);

  it('goes live at the cutover: the opening balance is shown and confirmed in the window, the previewed backlog (count and dates shown) is kept out of Sage, and the balance proof holds after the next run', async () => {
    const { page, service } = setup;
    await service.syncNow(undefined);
    await expect.poll(async () => (await service.getStatus(undefined)).lastRun?.finishedAt ?? null, { timeout: 120_000 }).not.toBeNull();
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    const previewed = (await service.getSettings(undefined)).previewed!;
    expect(previewed.count).toBeGreaterThan(0);
    expect(previewed.from! >= GO_LIVE).toBe(true);
    const expected = stripeAtCutover(String((await service.getMapping(undefined)).mapping.timeZone));
    expect(expected.clearing).not.toBe(0);

    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByLabel(/^Shadow mode/).click();
    const choice = page.getByRole('group', { name: 'Going live: previewed documents' });
    await choice.waitFor();
    expect(await choice.textContent()).toContain(`${previewed.count.toLocaleString('en-US')} documents dated ${previewed.from} to ${previewed.to} were previewed in shadow mode`);
    expect(await choice.textContent()).toContain(`before the go-live date ${GO_LIVE} are never written`);

    // The opening-balance journal at the cutover, proposed from the shadow run: each account, what it is made of, the date.
    const journal = choice.getByRole('table', { name: 'Opening-balance journal' });
    await journal.waitFor();
    const rows = await journal.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^1050-00 Stripe clearing\d[\d,]* Stripe transactions? before go-live/);
    expect(rows[0]!.endsWith(money(expected.clearing))).toBe(true);
    expect(rows[1]).toMatch(/^1020-00 Payouts in transit\d+ payouts? on the way to the bank at go-live/);
    expect(rows[1]!.endsWith(money(expected.inTransit))).toBe(true);
    expect(rows[2]!.endsWith(money(-(expected.clearing + expected.inTransit)))).toBe(true);
    await choice.getByRole('heading', { name: /^Opening balance at go-live, / }).waitFor();
    await choice.getByRole('button', { name: /^Confirm the opening balance/ }).click();
    await choice.getByRole('status', { name: 'Opening balance state' }).getByText(/^Confirmed: the first sync after going live writes this journal/).waitFor();
    const confirmed = (await service.getOpeningBalance(undefined))!;
    expect(confirmed.state).toBe('confirmed');
    expect(thousandths(confirmed.clearing!)).toBe(expected.clearing);
    expect(thousandths(confirmed.inTransit!)).toBe(expected.inTransit);

    await choice.getByRole('button', { name: 'Keep them out of Sage and go live' }).click();
    await expect.poll(async () => (await service.getSettings(undefined)).shadowMode).toBe(false);
    const status = await service.getStatus(undefined);
    expect(status.counts.skipped).toBeGreaterThanOrEqual(previewed.count);
    expect(status.counts.shadow).toBe(0);

    // The next run writes none of the kept-out backlog: Sage's journal lines are the opening balance's alone, dated on the go-live date.
    const runBefore = status.lastRun!.runId;
    await service.syncNow(undefined);
    await expect.poll(async () => (await service.getStatus(undefined)).lastRun?.runId, { timeout: 60_000 }).toBe(runBefore + 1);
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    const sage = new Database((await service.getSettings(undefined)).sage.sandboxPath!, { readonly: true });
    try {
      const lines = sage
        .prepare('SELECT a.GLAcctNo AS account, d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey ORDER BY a.GLAcctNo')
        .all();
      expect(lines).toEqual(
        [
          { account: '102000', amount: expected.inTransit, date: GO_LIVE },
          { account: '105000', amount: expected.clearing, date: GO_LIVE },
          { account: '199000', amount: -(expected.clearing + expected.inTransit), date: GO_LIVE },
        ].filter((line) => line.amount !== 0),
      );
    } finally {
      sage.close();
    }
    expect((await service.getOpeningBalance(undefined))!.state).toBe('written');
    // The balance proof holds: every cent between Stripe's balance and the clearing account is
    // explained. It is made by a run that reads Stripe's balance history: one after new activity.
    simulator.advanceSeconds(3_600);
    await service.syncNow(undefined);
    await expect.poll(async () => (await service.getStatus(undefined)).lastRun?.runId, { timeout: 60_000 }).toBe(runBefore + 2);
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    const proof = (await service.getBalanceProof(undefined))!;
    expect(proof).not.toBeNull();
    expect(proof.holds, JSON.stringify({ ...proof, transactions: proof.transactions.slice(0, 4) })).toBe(true);
    expect(JSON.stringify(proof.explanations)).not.toMatch(/opening-balance journal/);
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('status', { name: 'Opening balance state' }).getByText('Written to Sage.').waitFor();
  });

  it('opens with no dead end when Sage cannot be reached: the window, the offline banner and state, one notification naming the reason, and Settings', async () => {
    const port = await closedPort();
    const offline = await openWindow(
      'offline-sage',
      {
        configured: true,
        sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'mssql', server: '127.0.0.1', port, database: 'SOA_App', user: 'stripe_sync', encrypt: false },
      },
      { stripeApiKey: stripeKey('offlineSage1'), sqlPassword: 'not-a-real-password' },
    );
    const { page, service } = offline;
    const banner = page.getByRole('alert', { name: 'Cannot reach Sage 500' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`Nothing answered at 127.0.0.1, port ${port}`);
    expect(await banner.textContent()).toMatch(/Trying again on its own at/);
    const status = await service.getStatus(undefined);
    expect(status.state).toBe('offline');
    const notices = decideNotifications(initialNotificationState, status, Date.now(), { enabled: true }).notifications;
    expect(notices.map((notice) => notice.title)).toEqual(['Cannot reach Sage 500']);
    expect(notices[0]!.body).toContain(`Nothing answered at 127.0.0.1, port ${port}`);
    await banner.getByRole('button', { name: 'Open Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: /run the setup again/ }).waitFor();
  });

  it('says when Stripe comes back after starting without it, and syncs', async () => {
    const stripePort = await closedPort();
    const sandboxPath = sandboxAt('offline-stripe');
    const offline = await openWindow(
      'offline-stripe',
      { configured: true, stripe: { apiBase: `http://127.0.0.1:${stripePort}` }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } },
      { stripeApiKey: stripeKey('offlineStripe1') },
    );
    const { page, service } = offline;
    const banner = page.getByRole('alert', { name: 'Cannot reach Stripe' });
    await banner.waitFor();
    const down = await service.getStatus(undefined);
    expect(down.state).toBe('offline');
    let policy = decideNotifications(initialNotificationState, down, Date.now(), { enabled: true });
    expect(policy.notifications.map((notice) => notice.title)).toEqual(['Cannot reach Stripe']);
    const back = await startStripeSimulator({ days: 3, port: stripePort });
    cleanups.push(() => back.close());
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    const up = await service.getStatus(undefined);
    expect(up.connection).toBeNull();
    policy = decideNotifications(policy.state, up, Date.now(), { enabled: true });
    // The run started on reconnecting may already have ended, and what it found is its own notice
    // (this shadow-mode site's payouts past their arrival date are not tied out): not an outage's.
    expect(policy.notifications.map((notice) => notice.title).filter((title) => title !== 'Stripe Sync needs attention')).toEqual(['Connected to Stripe again']);
    // The run missed while offline starts on its own.
    await expect.poll(async () => (await service.getStatus(undefined)).lastRun !== null, { timeout: 60_000 }).toBe(true);
  });

  it('leaves the demo for a real setup without losing the demo: its ledger is kept aside, the preferences carry over', async () => {
    const demo = await openWindow('leave-demo', {}, {}, true);
    const { page, service, dataDir } = demo;
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    expect(await page.locator('.profile-bar .profile-badge').textContent()).toBe('Demo');
    await page.getByRole('tab', { name: /Settings/ }).click();
    // A controlled checkbox: it changes once main has saved the setting.
    await page.getByLabel('Show notifications').click();
    await expect.poll(async () => (await service.getSettings(undefined)).notifications).toBe(false);
    await page.getByRole('button', { name: 'Leave the demo: set up my own Stripe and Sage' }).click();
    await page.getByRole('heading', { name: 'Leave the demo: set up your own Stripe and Sage' }).waitFor();
    await page.getByLabel(/Stripe restricted key/).fill(stripeKey('leaveDemo1'));
    await testAndContinue(page);
    await connectSandbox(page, sandboxAt('leave-demo-sandbox'));
    await testAndContinue(page);
    await Promise.race([atStep(page, 'Account mapping'), failure(page).waitFor()]);
    if (await failure(page).isVisible()) await page.getByRole('button', { name: 'Save untested and continue' }).click();
    await atStep(page, 'Account mapping');
    await testAndContinue(page);
    await atStep(page, 'Schedule');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    await expect.poll(() => page.locator('.profile-bar .profile-badge').textContent()).toBe('Test');
    const settings = await service.getSettings(undefined);
    expect(settings).toMatchObject({ demo: false, notifications: false, sage: { kind: 'sandbox' }, shadowMode: true });
    // The demo's ledger is kept, not deleted, and not mixed with the real one.
    const kept = readdirSync(join(dataDir, DEMO_LEDGERS_FOLDER));
    expect(kept.some((file) => /^demo-ledger-.*\.sqlite$/.test(file))).toBe(true);
    expect(existsSync(join(dataDir, 'demo-sage-sandbox.sqlite'))).toBe(true);
    expect((await service.listActivity({ limit: 1, offset: 0 })).total).toBe(0);
  });
});
