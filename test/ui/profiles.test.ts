import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings } from '../../main/app/app-settings.js';
import { trayDetailFor, trayIconFor } from '../../main/shell/tray-icon.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { CredentialStore } from '../../main/adapters/credentials/credential-store.js';
import { seriousAxeViolations } from './axe-check.js';
import { unlabelledControls } from './accessibility-probes.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * Settings profiles in real headless Chromium against the real AppService, engine, two Stripe
 * simulators (one per profile, different histories) and two Sage sandboxes: a second profile
 * is added and set up through the wizard, the window switches between them, the profile bar
 * and tray tooltip follow, and each profile shows only its own activity. Keys are assembled at
 * run time.
 */

const testKey = (tail: string) => ['rk', 'test', tail].join('_');
const liveKey = (tail: string) => ['rk', 'live', tail].join('_');
const SIMULATED_TODAY = '2026-11-02';

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let liveStripe: StripeSimulator;
let practiceStripe: StripeSimulator;
let service: ClosableAppService;
let credentials: CredentialStore;
let page: Page;
let disconnect: () => void;
let dataDir: string;

const badge = () => page.locator('.profile-bar .profile-badge').textContent();
const testAndContinue = () => page.getByRole('button', { name: 'Test and continue' }).click();
const atStep = (title: string) => page.getByText(new RegExp(`^Step \\d of 8: ${title}$`)).waitFor();
const failure = () => page.getByRole('alert', { name: 'Test failed' });

async function syncAndSettle(): Promise<void> {
  const before = (await service.getStatus(undefined)).lastRun?.runId ?? 0;
  await service.syncNow(undefined);
  await expect.poll(async () => (await service.getStatus(undefined)).lastRun?.runId ?? 0, { timeout: 120_000 }).toBeGreaterThan(before);
  await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 120_000 }).not.toBe('syncing');
}

/** The Activity view's count line, for the profile in use. */
async function activityCount(): Promise<string> {
  await page.getByRole('tab', { name: /Activity/ }).click();
  const line = page.getByText(/^Showing 1–\d+ of [\d,]+ records$/);
  await line.waitFor();
  return (await line.textContent())!;
}

const sandboxAt = (name: string): string => {
  const path = join(workDir, `${name}.sqlite`);
  createSandbox(path, { today: SIMULATED_TODAY });
  return path;
};

describe('settings profiles in the window', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-profiles-ui-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    liveStripe = await startStripeSimulator({ days: 6, now: DEFAULT_SIMULATED_NOW });
    practiceStripe = await startStripeSimulator({ days: 2, seed: 9, now: DEFAULT_SIMULATED_NOW });
    // An installation from before profiles, set up as "live" (the window called it that), here on a test key.
    dataDir = join(workDir, 'app-data');
    mkdirSync(dataDir, { recursive: true });
    saveAppSettings(dataDir, { ...DEFAULT_APP_SETTINGS, configured: true, stripe: { apiBase: liveStripe.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath: sandboxAt('live-sandbox') } });
    writeFileSync(join(dataDir, 'profiles.json'), JSON.stringify({ version: 1, active: 'default', profiles: [{ id: 'default', name: 'Live', kind: 'live' }] }));
    credentials = createMemoryCredentialStore();
    await credentials.set('stripeApiKey', testKey('profilesLive1'));
    service = await createAppService({ dataDir, env: {}, credentials });
    page = await browser.newPage({ viewport: TRAY_WINDOW });
    disconnect = await connectPage(page, service);
    await page.goto(server.url);
  }, 240_000);

  afterAll(async () => {
    disconnect?.();
    await page?.close();
    await service?.close();
    await liveStripe?.close();
    await practiceStripe?.close();
    await browser?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  let liveActivity: string;

  it('labels a live profile on a Stripe test key on every screen and in the tray tooltip', async () => {
    await syncAndSettle();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    for (const view of ['Home', 'Activity', 'Errors', 'Payouts', 'AR', 'Mapping', 'Settings']) {
      await page.getByRole('tab', { name: view, exact: false }).first().click();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await badge()).toBe('Live, test key');
      await page.getByRole('status', { name: /^Profile: Live, test key\. Live\. A live profile using a Stripe TEST key/ }).waitFor();
    }
    const status = await service.getStatus(undefined);
    expect(trayIconFor(status.state, trayDetailFor(status)).tooltip).toContain('Profile Live (live, Stripe TEST key)');
    liveActivity = await activityCount();
    expect(liveActivity).toMatch(new RegExp(`of ${(await service.listActivity({ limit: 1, offset: 0 })).total.toLocaleString('en-US')} records$`));
  }, 180_000);

  it('adds a test profile from Settings and sets it up in the wizard, refusing a live key there', async () => {
    await page.getByRole('tab', { name: /Settings/ }).click();
    const list = page.getByRole('list', { name: 'Profiles' });
    await list.waitFor();
    expect(await list.textContent()).toContain('Live, test key');
    await page.getByRole('button', { name: 'Add a profile' }).click();
    const form = page.getByRole('form', { name: 'Add a profile' });
    await form.getByLabel('Profile name').fill('Practice');
    await form.getByLabel(/^A test company/).check();
    expect(await unlabelledControls(page)).toEqual([]);
    await form.getByRole('button', { name: 'Add and set up' }).click();

    await page.getByRole('heading', { name: 'Set up Stripe Sync' }).waitFor();
    await expect.poll(badge).toBe('Test');
    await page.getByRole('status', { name: /^Profile: Test\. Practice\. Setting up a test profile\./ }).waitFor();
    await page.getByRole('group', { name: 'Other profiles' }).getByRole('button', { name: 'Back to profile Live' }).waitFor();
    // The Stripe API address is not a window setting; the test points the new profile at its own simulator.
    await service.saveSettings({ stripe: { apiBase: practiceStripe.apiBase } });

    await page.getByLabel(/Stripe restricted key/).fill(liveKey('profilesPractice1'));
    await testAndContinue();
    await failure().waitFor();
    expect(await failure().textContent()).toContain('"Practice" is a test profile');
    expect(await credentials.get('stripeApiKey@practice')).toBeNull();

    await page.getByLabel(/Stripe restricted key/).fill(testKey('profilesPractice1'));
    await testAndContinue();
    await atStep('SQL Server');
    await page.getByLabel('A practice sandbox file (for trying it out)').check();
    await page.getByLabel('Sandbox file', { exact: true }).fill(sandboxAt('practice-sandbox'));
    await testAndContinue();
    await atStep('Sage company');
    await testAndContinue();
    await atStep('Sage checks');
    await testAndContinue();
    await Promise.race([atStep('Account mapping'), failure().waitFor()]);
    if (await failure().isVisible()) await page.getByRole('button', { name: 'Save untested and continue' }).click();
    await atStep('Account mapping');
    await testAndContinue();
    await atStep('Schedule');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Finish' }).click();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    expect(await badge()).toBe('Test');
    expect(await credentials.get('stripeApiKey@practice')).toBe(testKey('profilesPractice1'));
    expect(await credentials.get('stripeApiKey')).toBe(testKey('profilesLive1'));
  }, 120_000);

  it("shows only the new profile's own activity, then switches back to the live profile and its own", async () => {
    await syncAndSettle();
    const practice = await service.listActivity({ limit: 1, offset: 0 });
    expect(practice.total).toBeGreaterThan(0);
    const practiceActivity = await activityCount();
    expect(practiceActivity).toMatch(new RegExp(`of ${practice.total.toLocaleString('en-US')} records$`));
    expect(practiceActivity).not.toBe(liveActivity);
    expect(existsSync(join(dataDir, 'profiles', 'practice', 'ledger.sqlite'))).toBe(true);

    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('button', { name: 'Switch to Live' }).click();
    await expect.poll(badge).toBe('Live, test key');
    await page.getByText('Switched to "Live".').waitFor();
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 120_000 }).not.toBe('syncing');
    // The live profile's Settings, not the practice profile's.
    await page.getByText(/live-sandbox\.sqlite/).waitFor();
    expect(await activityCount()).toMatch(new RegExp(`of ${(await service.listActivity({ limit: 1, offset: 0 })).total.toLocaleString('en-US')} records$`));
    expect((await service.listActivity({ limit: 1, offset: 0 })).total).not.toBe(practice.total);
    const status = await service.getStatus(undefined);
    expect(trayIconFor(status.state, trayDetailFor(status)).tooltip).toContain('Profile Live (live, Stripe TEST key)');
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('list', { name: 'Profiles' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 240_000);

  it('renames a profile, and deletes one after a confirmation saying its folder is kept and its secrets removed', async () => {
    await page.getByRole('button', { name: 'Rename Practice' }).click();
    await page.getByLabel('New name for Practice').fill('Practice company');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('button', { name: 'Delete Practice company' }).click();
    const confirm = page.getByRole('group', { name: 'Delete profile Practice company' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`Its ledger, settings and history are kept on this computer in ${join(dataDir, 'profiles', 'practice')}`);
    expect(await confirm.textContent()).toContain('Its Stripe key and SQL password are removed from memory.');
    await confirm.getByRole('button', { name: 'Delete profile' }).click();
    await page.getByText('Profile "Practice company" deleted; its folder is kept.').waitFor();
    expect((await service.listProfiles(undefined)).profiles.map((profile) => profile.name)).toEqual(['Live']);
    expect(await credentials.get('stripeApiKey@practice')).toBeNull();
    expect(existsSync(join(dataDir, 'profiles', 'practice', 'ledger.sqlite'))).toBe(true);
  }, 60_000);
});
