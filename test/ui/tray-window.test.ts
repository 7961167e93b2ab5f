import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../main/adapters/sage/sandbox/sandbox.js';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import type { StatusSnapshot } from '../../preload/contract.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * The tray window in real headless Chromium against the real AppService, engine, Stripe
 * simulator and Sage sandbox. The sandbox's refunds account starts inactive, so refunds fail
 * in Sage the way a real misconfigured chart fails, and the Errors view has something to fix.
 */

const SCREENSHOTS = join(process.cwd(), 'docs', 'screenshots');
const REFUNDS_ACCOUNT = '490000';
const SAGE_INACTIVE = 2;
const SAGE_ACTIVE = 1;

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let service: ClosableAppService;
let page: Page;
let disconnect: () => void;
const snapshots: StatusSnapshot[] = [];

function setRefundsAccountStatus(status: number): void {
  const sandbox = new Database(join(workDir, 'data', 'demo-sage-sandbox.sqlite'));
  try {
    sandbox.prepare('UPDATE tglAccount SET Status = ? WHERE GLAcctNo = ?').run(status, REFUNDS_ACCOUNT);
  } finally {
    sandbox.close();
  }
}

const shoot = (view: string) => page.screenshot({ path: join(SCREENSHOTS, `${view}.png`) });
const openTab = (name: string) => page.getByRole('tab', { name, exact: false }).first().click();

describe('tray window', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-ui-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    mkdirSync(join(workDir, 'data'));
    createSandbox(join(workDir, 'data', 'demo-sage-sandbox.sqlite'));
    setRefundsAccountStatus(SAGE_INACTIVE);
    service = await createAppService({ dataDir: join(workDir, 'data'), env: {}, credentials: createMemoryCredentialStore() });
    service.onEvent('status', (snapshot) => snapshots.push(snapshot));
    page = await browser.newPage({ viewport: TRAY_WINDOW, colorScheme: 'light' });
    disconnect = await connectPage(page, service);
    await page.goto(server.url);
  }, 120_000);

  afterAll(async () => {
    disconnect?.();
    await browser?.close();
    await service?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('completes the first-run wizard with demo data', async () => {
    await page.getByRole('heading', { name: 'Set up Stripe Sync' }).waitFor();
    await shoot('wizard');
    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    const settings = await service.getSettings(undefined);
    expect(settings.profile).toBe('demo');
    expect(settings.sage.kind).toBe('sandbox');
  });

  it('shows the backfill progressing to done', async () => {
    await page.getByText(/Sync finished/).waitFor({ timeout: 90_000 });
    expect(snapshots.some((snapshot) => snapshot.progress !== null && snapshot.progress.done > 0)).toBe(true);
    const status = await service.getStatus(undefined);
    expect(status.counts.written).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toMatch(/Needs attention|Up to date/);
    await shoot('dashboard');
  });

  it('finds a payment and its Sage journal in Activity', async () => {
    const written = await service.listActivity({ kind: 'charge', state: 'written', limit: 1, offset: 0 });
    const charge = written.rows[0];
    expect(charge).toBeDefined();
    await openTab('Activity');
    await page.getByLabel('Search').fill(charge!.stripeObjectId);
    await page.getByRole('button', { name: new RegExp(charge!.stripeObjectId) }).click();
    await page.getByRole('heading', { name: 'Sage documents' }).waitFor();
    const journal = charge!.documents.find((doc) => doc.type === 'journal' && doc.sageNumber);
    expect(journal).toBeDefined();
    await expect.poll(() => page.locator('.lineage').textContent()).toContain(journal!.sageNumber!);
    expect(await page.locator('table').first().textContent()).toContain('1050-00');
    await shoot('activity-detail');
    await page.getByRole('button', { name: '← Back to Activity' }).click();
    await page.getByLabel('Search').fill('');
    await shoot('activity');
  });

  it('shows payouts blocked by the failed refunds, with the breakdown and a CSV export', async () => {
    await openTab('Payouts');
    await page.getByRole('button', { name: 'Export CSV' }).waitFor();
    const rows = await service.listPayouts({});
    expect(rows.length).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^stripe-payouts-.*\.csv$/);
    await shoot('payouts');
    await page.locator('.list-item').first().click();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').textContent()).toContain('Net to bank');
    await shoot('payout-report');
    await page.getByRole('button', { name: '← Back to Payouts' }).click();
  });

  it('explains a Sage error and retries it after the fix', async () => {
    const before = await service.listErrors(undefined);
    expect(before.length).toBeGreaterThan(0);
    await openTab('Errors');
    await page.getByRole('heading', { name: /inactive in Sage/ }).first().waitFor();
    await shoot('errors');
    // The bookkeeper reactivates the account in Sage, then retries everything with that cause.
    setRefundsAccountStatus(SAGE_ACTIVE);
    const count = before[0]!.items.length;
    await page.getByRole('button', { name: `Retry all ${count}` }).first().click();
    await page.getByText(`${count} document(s) sent again`).waitFor();
    await expect.poll(async () => (await service.getStatus(undefined)).counts.failed + (await service.getStatus(undefined)).counts.dead, { timeout: 60_000 }).toBeLessThan(
      before.reduce((sum, group) => sum + group.items.length, 0),
    );
  });

  it('navigates the main views with the keyboard only', async () => {
    await openTab('Home');
    await page.getByRole('tab', { name: 'Home' }).focus();
    const expected = ['Activity', 'Errors', 'Payouts', 'Mapping', 'Settings'];
    for (const name of expected) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[role="tab"][aria-selected="true"]').textContent()).toContain(name);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      if (name === 'Mapping' || name === 'Settings') await shoot(name.toLowerCase());
    }
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[role="tab"][aria-selected="true"]').textContent()).toContain('Home');
    // Tab leaves the tab list for the panel's first control: Sync now.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Sync now|Pause|Resume/);
  });

  it('renders the dashboard in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot('dashboard-dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
  });
});
