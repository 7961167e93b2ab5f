import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { createFileLogger } from '../../main/adapters/logging/file-logger.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { RENDERER_CSP } from '../../main/shell/security-policy.js';
import { decideNotifications, initialNotificationState } from '../../main/shell/notification-policy.js';
import { trayDetailFor, trayIconFor } from '../../main/shell/tray-icon.js';
import { POPUP_MIN_WIDTH, POPUP_SIZE } from '../../main/shell/tray-popup.js';
import type { StatusSnapshot } from '../../preload/contract.js';
import { countOf } from '../../preload/count-words.js';
import { lowContrastText, unlabelledControls } from './accessibility-probes.js';
import { seriousAxeViolations } from './axe-check.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * The tray window in real headless Chromium against the real AppService, engine, Stripe
 * simulator and Sage sandbox. The saved mapping sends refunds to a GL account the Sage chart
 * does not have, so refunds fail in Sage the way a mistyped mapping fails at a real site, the
 * payouts holding them cannot tie out, and the bookkeeper has a mapping error to fix. It also
 * parks customers whose text is too long for Sage (strict long-text mode).
 */

/**
 * Tests never rewrite tracked files: screenshots go to a temporary folder unless
 * `npm run screenshots` (scripts/screenshots.mjs) names docs/screenshots to refresh them.
 */
const SCREENSHOTS = process.env['S5SYNC_SCREENSHOTS_DIR'] ?? mkdtempSync(join(tmpdir(), 's5sync-screenshots-'));
const MISSING_REFUNDS_ACCOUNT = '4950-00';
const REFUNDS_ACCOUNT = '4900-00';
/** The simulator's default "now" (2026-11-02 12:00 UTC) is that day in the mapping's Chicago time. */
const DEMO_BUSINESS_DATE = '2026-11-02';

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let service: ClosableAppService;
let page: Page;
let disconnect: () => void;
const snapshots: StatusSnapshot[] = [];
const cspViolations: string[] = [];

/** A ledger whose saved mapping has the wrong refunds account, as the app finds it on start. */
function saveMappingWithMissingRefundsAccount(dataDir: string): void {
  const ledger = new SqliteLedger(join(dataDir, LEDGER_FILE_NAME));
  try {
    ledger.mappings.saveMapping({
      ...DEFAULT_MAPPING,
      accounts: { ...DEFAULT_MAPPING.accounts, refunds: MISSING_REFUNDS_ACCOUNT },
      // Strict long-text mode: customers whose state name does not fit StateID stay unplanned, as a site that chose it sees them.
      customers: { ...DEFAULT_MAPPING.customers, longText: 'park' },
    });
  } finally {
    ledger.close();
  }
}

const shoot = (view: string) => page.screenshot({ path: join(SCREENSHOTS, `${view}.png`) });
const openTab = (name: string) => page.getByRole('tab', { name, exact: false }).first().click();
const selectedTab = () => page.locator('[role="tab"][aria-selected="true"]').textContent();
const failingCount = async () => {
  const status = await service.getStatus(undefined);
  return status.counts.failed + status.counts.dead;
};

describe('tray window', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-ui-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir);
    createSandbox(join(dataDir, 'demo-sage-sandbox.sqlite'), { today: DEMO_BUSINESS_DATE });
    saveMappingWithMissingRefundsAccount(dataDir);
    service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), logsDirectory: join(workDir, 'logs') });
    service.onEvent('status', (snapshot) => snapshots.push(snapshot));
    page = await browser.newPage({ viewport: TRAY_WINDOW, colorScheme: 'light', permissions: ['clipboard-read', 'clipboard-write'] });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()) && !/frame-ancestors/.test(message.text())) cspViolations.push(message.text());
    });
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

  it('carries the shell CSP in its meta tag, with no inline styles needed', async () => {
    const html = readFileSync(join(process.cwd(), 'renderer', 'index.html'), 'utf8');
    expect(/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1]).toBe(RENDERER_CSP);
    expect(RENDERER_CSP).not.toContain('unsafe-inline');
    await page.getByRole('heading', { name: 'Set up Stripe Sync' }).waitFor();
    expect(await page.locator('[style]').count()).toBe(0);
  });

  it('completes the first-run wizard with demo data', async () => {
    expect(await unlabelledControls(page)).toEqual([]);
    await shoot('wizard');
    await page.getByRole('button', { name: 'Try with demo data' }).click();
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
    const settings = await service.getSettings(undefined);
    expect(settings.demo).toBe(true);
    expect(settings.sage.kind).toBe('sandbox');
    // Focus moves from the vanished wizard to the dashboard's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: 10_000 }).toBe('H1');
  });

  it('fits all seven tabs in the 420 px window', async () => {
    const tabs = await page.getByRole('tab').evaluateAll((elements) =>
      elements.map((tab) => {
        const box = tab.getBoundingClientRect();
        const label = tab.querySelector('.tab-label');
        return { text: label?.textContent ?? '', right: box.right, clipped: label ? label.scrollWidth > label.clientWidth : true };
      }),
    );
    expect(tabs.map((tab) => tab.text)).toEqual(['Home', 'Activity', 'Errors', 'Payouts', 'AR', 'Mapping', 'Settings']);
    for (const tab of tabs) {
      expect(tab.right).toBeLessThanOrEqual(TRAY_WINDOW.width);
      expect(tab.clipped).toBe(false);
    }
  });

  it('shows the backfill progressing to done without moving the page', async () => {
    const progress = page.getByRole('progressbar', { name: 'Sync progress' });
    await expect.poll(() => progress.getAttribute('aria-valuetext'), { timeout: 30_000 }).toMatch(/\d/);
    const todayDuringRun = await page.locator('#today-heading').boundingBox();
    // The machine may be busy: wait for the engine itself to finish the backfill, then for the window to say so.
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 180_000 }).not.toBe('syncing');
    await page.getByText(/Sync finished/).waitFor({ timeout: 30_000 });
    expect(snapshots.some((snapshot) => snapshot.progress !== null && snapshot.progress.done > 0)).toBe(true);
    expect((await page.locator('#today-heading').boundingBox())?.y).toBe(todayDuringRun?.y);
    const status = await service.getStatus(undefined);
    expect(status.counts.written).toBeGreaterThan(0);
    // The demo's "today" is the simulator's date, so the totals show its real activity.
    expect(status.today?.date).toBe(DEMO_BUSINESS_DATE);
    expect(status.today!.charges.count).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Today (Nov 2, 2026)' }).waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 30_000 }).toMatch(/Needs attention|Up to date/);
    await shoot('dashboard');
  });

  it('says "Needs attention" on Home, the Errors badge, the tray and one notification while records are not in Sage', async () => {
    const status = await service.getStatus(undefined);
    // The refunds Sage refused (wrong mapping) are parked; customers with a bad state code were not planned.
    expect(status.notInSage.parked).toBeGreaterThan(0);
    expect(status.notInSage.unplanned).toBeGreaterThan(0);
    expect(status.state).toBe('attention');
    await openTab('Home');
    await page.getByRole('heading', { level: 1, name: 'Needs attention' }).waitFor();
    const missing = status.notInSage.parked + status.notInSage.unplanned;
    expect(await page.getByRole('tab', { name: /Errors/ }).textContent()).toContain(`${missing} need attention`);
    expect(await page.locator('.facts').textContent()).toContain(`${missing.toLocaleString('en-US')} not in Sage`);
    const tooltip = trayIconFor(status.state, trayDetailFor(status)).tooltip;
    expect(tooltip).toMatch(/needs attention\n.*not written to Sage/);
    const decision = decideNotifications(initialNotificationState, status, Date.now(), { enabled: true });
    expect(decision.notifications).toHaveLength(1);
    expect(decision.notifications[0]!.body).toMatch(/\d+ documents? not written to Sage/);
    expect(decideNotifications(decision.state, await service.getStatus(undefined), Date.now() + 60_000, { enabled: true }).notifications).toEqual([]);
  });

  it('proves the balance on Home: Stripe balance against the Sage clearing account, exact, with what explains the difference', async () => {
    await openTab('Home');
    const proof = (await service.getBalanceProof(undefined))!;
    expect(proof).not.toBeNull();
    // The oracle for the Sage side: the clearing account's journal lines read straight from the sandbox file.
    const sage = new Database(join(workDir, 'data', 'demo-sage-sandbox.sqlite'), { readonly: true });
    const clearingCents = (() => {
      try {
        // The sandbox keeps decimal(15,3) as whole thousandths (main/simulators/sage-sandbox/ddl.ts).
        const rows = sage.prepare("SELECT d.PostAmt AS amount FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = '105000'").all() as { amount: number }[];
        return rows.reduce((sum, row) => sum + BigInt(row.amount), 0n) / 10n;
      } finally {
        sage.close();
      }
    })();
    const cents = (amount: string) => BigInt(Math.round(Number(amount) * 100));
    expect(cents(proof.booked)).toBe(clearingCents);
    expect(cents(proof.difference)).toBe(cents(proof.stripeBalance) - cents(proof.opening) - cents(proof.booked));
    // Refunds Sage refused are not on the clearing account: they are what explains the difference.
    expect(proof.exact).toBe(false);
    expect(proof.explanations.map((line) => line.words)).toContainEqual(expect.stringMatching(/^\d+ refunds?: Sage refused its journal$/));
    const explained = proof.explanations.reduce((sum, line) => sum + cents(line.amount), 0n);
    expect(explained).toBe(cents(proof.difference) - cents(proof.unexplained));

    const region = page.getByRole('region', { name: 'Balance proof' });
    const usd = region.getByRole('row', { name: /^USD/ });
    await usd.waitFor();
    const money = (amount: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'code' }).format(Number(amount));
    expect((await usd.getByRole('cell').allTextContents()).map((text) => text.replace(/\s/g, ' '))).toEqual([money(proof.stripeBalance), money(proof.booked), money(proof.difference)].map((text) => text.replace(/\s/g, ' ')));
    const verdict = await region.locator('.proof-verdict').textContent();
    expect(verdict).toMatch(proof.holds ? /every cent is explained below/ : /^Does not add up: USD [\d,.]+ of the difference is not explained/);
    expect(await region.getByRole('list', { name: 'What explains the difference' }).textContent()).toMatch(/refunds?: Sage refused its journal \(-?USD/);
    await page.evaluate(() => document.getElementById('proof-heading')?.scrollIntoView({ block: 'start' }));
    await shoot('balance-proof');
  });

  it('speaks words, not internals: a demo banner, one date format, money with its currency code, no raw values outside details', async () => {
    await openTab('Home');
    expect(await page.getByRole('status').filter({ hasText: 'Demo:' }).textContent()).toMatch(/Nothing here is real money/);
    const home = (await page.locator('.panel').textContent()) ?? '';
    expect(home).not.toMatch(/completed-with-e|Profile demo|\(s\)/);
    expect(home).toMatch(/USD\s[\d,]+\.\d{2}/);
    expect(home).not.toMatch(/\$\d/);
    await openTab('Activity');
    await page.locator('.list-item').first().waitFor();
    const activity = (await page.locator('.panel').textContent()) ?? '';
    expect(activity).toMatch(/USD\s[\d,]+\.\d{2}/);
    expect(activity).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const written = (await service.listActivity({ kind: 'charge', state: 'written', limit: 1, offset: 0 })).rows[0]!;
    await page.getByLabel('Search').fill(written.stripeObjectId);
    await page.getByRole('button', { name: new RegExp(written.stripeObjectId) }).click();
    await page.getByRole('heading', { name: 'Sage documents' }).waitFor();
    const trail = (await page.locator('.lineage').textContent()) ?? '';
    expect(trail).toContain('Sage GL journal');
    expect(trail).not.toMatch(/tglJournalHdr|state: /);
    await page.getByRole('button', { name: '← Back to Activity' }).click();
    await page.getByLabel('Search').fill('');
  });

  it('shows the logs in the window, filtered by level, copied for support, never with a secret; the log level is a setting', async () => {
    // Lines as the engine process writes them (main/shell/engine-process.ts), one quoting a key by mistake.
    const liveKey = ['sk', 'live', '51UiLogSecret'].join('_');
    const engineLog = createFileLogger({ logsDirectory: join(workDir, 'logs'), baseName: 'engine', level: 'debug' });
    engineLog.logger.debug('polling Stripe events');
    engineLog.logger.info({ objects: 12 }, 'run finished');
    engineLog.logger.error(`Stripe refused the key ${liveKey}`);
    engineLog.close();
    await openTab('Home');
    await page.getByRole('button', { name: 'Logs', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Logs' }).waitFor();
    const lines = page.getByRole('list', { name: 'Log lines' });
    await expect.poll(() => lines.textContent()).toContain('run finished');
    expect(await lines.textContent()).not.toContain('polling Stripe events');
    await page.getByLabel('Show').selectOption({ label: 'Everything (debug)' });
    await expect.poll(() => lines.textContent()).toContain('polling Stripe events');
    await page.getByLabel('Show').selectOption({ label: 'Errors only' });
    await expect.poll(() => lines.getByRole('listitem').count()).toBe(1);
    expect(await lines.textContent()).toContain(`Stripe refused the key sk_live_[REDACTED]`);
    expect(await page.locator('.panel').textContent()).not.toContain('51UiLogSecret');
    await page.getByRole('button', { name: 'Copy for support' }).click();
    await page.getByText(/^1 line copied/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/ERROR engine: Stripe refused the key sk_live_\[REDACTED\]$/);
    expect(copied).not.toContain('51UiLogSecret');
    await page.getByLabel('Log level (what the app writes)').selectOption({ label: 'Everything (debug)' });
    await expect.poll(async () => (await service.getSettings(undefined)).logLevel).toBe('debug');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shoot('logs');
    await page.getByRole('button', { name: '← Back to Home' }).click();
  });

  it('answers Sync now even when Stripe has nothing new, and lists every run in Run history', async () => {
    await openTab('Home');
    const before = (await service.getStatus(undefined)).lastRun!;
    expect(before.objectsSeen).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(/^No new Stripe activity since /).waitFor({ timeout: 30_000 });
    const after = await service.getStatus(undefined);
    expect(after.lastRun!.runId).toBe(before.runId + 1);
    expect(after.lastActivityAt).toBe(before.finishedAt);

    await page.getByRole('button', { name: 'Run history' }).click();
    await page.getByRole('heading', { level: 1, name: 'Run history' }).waitFor();
    const runs = page.getByRole('list', { name: 'Sync runs' }).getByRole('listitem');
    await expect.poll(() => runs.count()).toBe(2);
    expect(await runs.nth(0).textContent()).toContain('No new Stripe activity');
    expect(await runs.nth(1).textContent()).toMatch(new RegExp(`Read ${before.objectsSeen.toLocaleString('en-US')} Stripe records, wrote [\\d,]+ documents to Sage, parked [\\d,]+ documents? Sage refused`));
    expect(await runs.nth(1).textContent()).toMatch(/took \d+ s/);
    expect(await lowContrastText(page, '.run-head *, .muted')).toEqual([]);
    await shoot('run-history');
    await page.getByRole('button', { name: '← Back to Home' }).click();
    await page.getByRole('heading', { level: 1, name: 'Needs attention' }).waitFor();
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
    // Focus returns to the record that was opened.
    expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(charge!.stripeObjectId);
    await page.getByLabel('Search').fill('');
    expect(await unlabelledControls(page)).toEqual([]);
    await shoot('activity');
  });

  it('pages through every one of 1,000+ records, 50 at a time', async () => {
    await openTab('Activity');
    const notice = page.getByText(/^Showing \d/);
    await expect.poll(() => notice.textContent()).toMatch(/^Showing 1–50 of /);
    const total = (await service.listActivity({ limit: 1, offset: 0 })).total;
    expect(total).toBeGreaterThan(1_000);
    expect(await notice.textContent()).toBe(`Showing 1–50 of ${total.toLocaleString('en-US')} records`);
    const seen = new Set<string>();
    const older = page.getByRole('button', { name: 'Older →' });
    for (let pageIndex = 0; ; pageIndex += 1) {
      const first = pageIndex * 50 + 1;
      await expect.poll(() => notice.textContent()).toContain(`Showing ${first.toLocaleString('en-US')}–`);
      const ids = await page.getByRole('list', { name: 'Stripe records' }).locator('.list-main .mono').allTextContents();
      ids.forEach((id) => seen.add(id));
      if (await older.isDisabled()) break;
      await older.click();
    }
    expect(seen.size).toBe(total);
    const lastFirst = (Math.ceil(total / 50) - 2) * 50 + 1;
    await page.getByRole('button', { name: '← Newer' }).click();
    await expect.poll(() => notice.textContent()).toContain(`Showing ${lastFirst.toLocaleString('en-US')}–`);
  });

  it('finds records by customer name, amount and Sage number, and filters by kind, state and date', async () => {
    await openTab('Activity');
    const search = page.getByLabel('Search');
    const results = page.getByRole('list', { name: 'Stripe records' });
    const written = (await service.listActivity({ kind: 'charge', state: 'written', limit: 200, offset: 0 })).rows;
    const withCustomer = written.find((row) => row.customerName !== null && row.documents.some((doc) => doc.sageNumber));
    expect(withCustomer).toBeDefined();
    for (const text of [withCustomer!.customerName!, withCustomer!.amount!, withCustomer!.documents.find((doc) => doc.sageNumber)!.sageNumber!]) {
      await search.fill(text);
      await expect.poll(() => results.textContent(), { timeout: 10_000 }).toContain(withCustomer!.stripeObjectId);
    }
    await search.fill('');

    await page.getByLabel('Kind').selectOption({ label: 'Refunds' });
    await page.getByLabel('Sage state').selectOption({ label: 'Failed' });
    const failedRefunds = await service.listActivity({ kind: 'refund', state: 'failed', limit: 500, offset: 0 });
    expect(failedRefunds.total).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/^Showing \d|^No records/).textContent()).toContain(`of ${countOf(failedRefunds.total, 'record')}`);
    expect(await results.locator('.state').allTextContents()).toContain('Failed');

    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await page.getByLabel('From', { exact: true }).fill(DEMO_BUSINESS_DATE);
    await page.getByLabel('To', { exact: true }).fill(DEMO_BUSINESS_DATE);
    // The oracle: every record, its creation time turned into a Chicago calendar date by Intl.
    const all = await service.listActivity({ limit: 500, offset: 0 });
    const rest = await Promise.all(Array.from({ length: Math.ceil(all.total / 500) - 1 }, (_, index) => service.listActivity({ limit: 500, offset: (index + 1) * 500 })));
    const chicagoDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' });
    const onTheDay = [all, ...rest].flatMap((chunk) => chunk.rows).filter((row) => chicagoDate.format(new Date(row.created)) === DEMO_BUSINESS_DATE).length;
    expect(onTheDay).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/^Showing \d|^No records/).textContent()).toContain(`of ${countOf(onTheDay, 'record')}`);
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
  });

  it('retries a parked refund from its detail and says, with the time, that it failed again', async () => {
    const parked = (await service.listActivity({ kind: 'refund', state: 'failed', limit: 1, offset: 0 })).rows[0]!;
    await openTab('Activity');
    await page.getByLabel('Search').fill(parked.stripeObjectId);
    await page.getByRole('button', { name: new RegExp(parked.stripeObjectId) }).click();
    await page.getByRole('heading', { name: /Not in Sage: 1 document Sage refused/ }).waitFor();
    // The demo's records are not on stripe.com, so there is no Dashboard link to follow.
    expect(await page.getByRole('link', { name: /Stripe Dashboard/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    await page.getByText(/^Retried at .*: failed again at .*4950-00/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Skip…' }).waitFor();
    await page.getByRole('button', { name: '← Back to Activity' }).click();
    await page.getByLabel('Search').fill('');
  });

  it('holds its layout in the narrowest popup, 360 px wide: no clipped tab, no chip over an id, no sideways scroll', async () => {
    await page.setViewportSize({ width: POPUP_MIN_WIDTH, height: POPUP_SIZE.height });
    try {
      for (const view of ['Home', 'Activity', 'Errors', 'Payouts', 'Mapping', 'Settings']) {
        await openTab(view);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(POPUP_MIN_WIDTH);
        const clipped = await page.locator('.tab-label').evaluateAll((labels) => labels.filter((label) => label.scrollWidth > label.clientWidth).map((label) => label.textContent));
        expect(clipped).toEqual([]);
      }
      await openTab('Activity');
      await page.locator('.list-item').first().waitFor();
      const overlaps = await page.locator('.list-item').evaluateAll((items) =>
        items.flatMap((item) => {
          const id = item.querySelector('.list-main .mono')?.getBoundingClientRect();
          return [...item.querySelectorAll('.doc-chip')].filter((chip) => {
            const box = chip.getBoundingClientRect();
            return id !== undefined && box.left < id.right && box.right > id.left && box.top < id.bottom && box.bottom > id.top;
          }).map(() => item.textContent);
        }),
      );
      expect(overlaps).toEqual([]);
      await shoot('activity-360');
    } finally {
      await page.setViewportSize(TRAY_WINDOW);
    }
  });

  it('shows a payout blocked by its tie-out, with the explanation and what is not in Sage yet', async () => {
    const rows = await service.listPayouts({});
    const blocked = rows.find((row) => row.status === 'blocked' && /not booked in Sage yet/.test(row.explanation ?? ''));
    expect(blocked).toBeDefined();
    expect(blocked!.variance).not.toBeNull();
    await openTab('Payouts');
    const item = page.getByRole('button', { name: new RegExp(blocked!.payoutId) });
    await expect.poll(() => item.textContent()).toContain('not booked in Sage yet');
    expect(await item.textContent()).toContain('Does not tie out yet');
    expect(await item.textContent()).toMatch(/not in Sage yet/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/^stripe-payouts-.*\.csv$/);
    await shoot('payouts');
    await item.click();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('table').textContent()).toContain('Net to bank');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Payout/);
    await shoot('payout-report');
    await page.getByRole('button', { name: '← Back to Payouts' }).click();
  });

  it('shows each mapped account with its Sage name and type, and refuses an account of the wrong type with the reason', async () => {
    await openTab('Mapping');
    await page.getByRole('heading', { level: 1, name: 'Mapping' }).waitFor();
    const versionBefore = (await service.getMapping(undefined)).version;
    const fees = page.getByLabel('Stripe fees: stripe fee', { exact: true });
    await expect.poll(() => page.locator('#field-accounts\\.fees\\.stripe_fee-facts').textContent()).toBe('Stripe processing fees · Expense');
    // In the finder: a revenue account is marked and picking it is refused, saying why.
    await page.getByRole('button', { name: 'Find a Sage account for Stripe fees: stripe fee' }).click();
    await page.getByRole('searchbox', { name: 'Search Sage accounts for Stripe fees: stripe fee' }).fill('sales');
    const sales = page.getByRole('button', { name: 'Use 4000-00 Sales, Revenue, for Stripe fees: stripe fee (wrong type)' });
    await sales.click();
    await page.getByRole('alert').filter({ hasText: 'Not used for Stripe fees: stripe fee: 4000-00 Sales is a Revenue account, and Stripe fees are a cost of selling' }).waitFor();
    expect(await fees.inputValue()).toBe('6150-00');
    await shoot('mapping-wrong-type');
    await page.getByRole('button', { name: 'Find a Sage account for Stripe fees: stripe fee' }).click();
    // Typed in instead: the field says so at once, and main refuses to save it.
    await fees.fill('4000-00');
    await expect.poll(() => page.locator('#field-accounts\\.fees\\.stripe_fee-facts').textContent()).toMatch(/^Sales · Revenue Wrong type: 4000-00 Sales is a Revenue account/);
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Not saved: fix the problems shown.').waitFor();
    expect(await page.getByRole('list', { name: 'Problems' }).textContent()).toContain('Stripe fees: stripe fee: 4000-00 Sales is a Revenue account');
    expect(await fees.getAttribute('aria-invalid')).toBe('true');
    expect((await service.getMapping(undefined)).version).toBe(versionBefore);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('previews what a granularity change does to the documents waiting for Sage, without saving it', async () => {
    // Leaving and re-opening the view drops the unsaved edit above.
    await openTab('Home');
    await openTab('Mapping');
    await page.getByRole('heading', { level: 1, name: 'Mapping' }).waitFor();
    const versionBefore = (await service.getMapping(undefined)).version;
    // The oracle: journals not yet in Sage, straight from the ledger through the activity query.
    const failedRefunds = await service.listActivity({ kind: 'refund', state: 'failed', limit: 500, offset: 0 });
    const waitingJournals = failedRefunds.rows.flatMap((row) => row.documents.filter((doc) => doc.type === 'journal' && doc.state === 'failed'));
    expect(waitingJournals.length).toBeGreaterThan(0);
    await page.getByRole('radio', { name: 'One summary journal per day and kind' }).check();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: /waiting documents? would change/ });
    await preview.waitFor({ timeout: 30_000 });
    const changes = await service.previewMapping({ mapping: { ...(await service.getMapping(undefined)).mapping, granularity: 'daily-summary' } });
    expect(changes.total).toBeGreaterThanOrEqual(waitingJournals.length);
    expect(await page.getByRole('heading', { name: /would change/ }).textContent()).toBe(`${countOf(changes.total, 'waiting document')} would change`);
    expect(await preview.getByRole('list', { name: 'What changes' }).textContent()).toMatch(/The mapping is daily-summary now: \d+ documents?/);
    await shoot('mapping-preview');
    expect((await service.getMapping(undefined)).version).toBe(versionBefore);
    await openTab('Home');
  });

  it('explains the refunds mapping error and the records that could not be planned', async () => {
    const groups = await service.listErrors(undefined);
    const mappingError = groups.find((group) => group.cause.includes(MISSING_REFUNDS_ACCOUNT));
    expect(mappingError?.errorClass).toBe('configuration');
    const planning = groups.find((group) => group.items.every((entry) => entry.docKey.startsWith('object:')));
    expect(planning?.explanation).toMatch(/Maintain Customers/);
    expect(planning?.cause).not.toMatch(/cus_/);
    await openTab('Errors');
    await page.getByRole('heading', { name: /does not exist in this Sage company/ }).waitFor();
    await page.getByRole('heading', { name: 'Stripe records that could not become Sage documents' }).waitFor();
    const planningRegion = await page.getByRole('region', { name: 'Stripe records that could not become Sage documents' }).textContent();
    expect(planningRegion).toContain('StateID');
    // Customer names beside the cus_ ids, so the bookkeeper knows whom to fix in Stripe.
    const named = planning!.items.find((entry) => entry.stripeObjectId.startsWith('cus_'));
    expect(named?.customerName).toBeTruthy();
    expect(planningRegion).toContain(`${named!.customerName} ${named!.stripeObjectId}`);
    await shoot('errors');
  });

  it('fixes the mapping error in Mapping and retries the parked refunds until they are written', async () => {
    const failedBefore = await failingCount();
    const parked = (await service.listErrors(undefined)).find((group) => group.cause.includes(MISSING_REFUNDS_ACCOUNT))!;
    await page.getByRole('button', { name: 'Fix it in Mapping' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mapping' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Mapping');
    const refunds = page.getByLabel('Refunds', { exact: true });
    await expect.poll(() => refunds.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Find a Sage account for Refunds' }).click();
    await page.getByRole('searchbox', { name: 'Search Sage accounts for Refunds' }).fill('refund');
    const choice = page.getByRole('button', { name: `Use ${REFUNDS_ACCOUNT} Sales returns and refunds, Revenue, for Refunds` });
    await choice.waitFor();
    await page.evaluate(() => document.getElementById('field-accounts.refunds')?.closest('.field')?.scrollIntoView({ block: 'start' }));
    await shoot('mapping');
    await choice.click();
    expect(await refunds.inputValue()).toBe(REFUNDS_ACCOUNT);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-accounts.refunds');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByRole('region', { name: /waiting documents? would change/ });
    await preview.waitFor();
    expect(await preview.textContent()).toContain(`${MISSING_REFUNDS_ACCOUNT} → ${REFUNDS_ACCOUNT}`);
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Saved as version 2/).waitFor();
    expect((await service.getMapping(undefined)).version).toBe(2);

    await page.getByRole('button', { name: 'retry them in Errors' }).click();
    await page.getByRole('heading', { level: 1, name: 'Errors' }).waitFor();
    const retryAll = page.getByRole('region', { name: `Error: ${parked.cause}` }).getByRole('button', { name: /^Retry all/ });
    await retryAll.click();
    await page.getByText(/\d+ documents? sent again/).waitFor();
    await expect.poll(failingCount, { timeout: 60_000 }).toBe(failedBefore - parked.items.length);
    // The retry moves them to planned at once and starts a run; they are written when that run has written them.
    const parkedDocument = async (entry: (typeof parked.items)[number]) =>
      (await service.getObjectDetail({ stripeObjectId: entry.stripeObjectId })).plan.find((planned) => planned.docKey === entry.docKey)!;
    for (const entry of parked.items) {
      await expect.poll(async () => (await parkedDocument(entry)).state, { timeout: 60_000 }).toBe('written');
      const document = await parkedDocument(entry);
      expect(document.lines.map((line) => line.acctNo)).toContain(REFUNDS_ACCOUNT);
      expect(document.lines.map((line) => line.acctNo)).not.toContain(MISSING_REFUNDS_ACCOUNT);
    }
    // With the refunds in Sage, the payouts that held them tie out on the same run.
    await expect.poll(async () => (await service.listPayouts({})).filter((row) => /not booked in Sage yet/.test(row.explanation ?? '')).length, { timeout: 60_000 }).toBe(0);
  });

  it('retries Stripe records that could not be planned by planning them again', async () => {
    const planning = (await service.listErrors(undefined)).find((group) => group.items.every((entry) => entry.docKey.startsWith('object:')))!;
    await openTab('Errors');
    const card = page.getByRole('region', { name: `Error: ${planning.cause}` });
    await expect.poll(() => card.getByRole('button', { name: 'Skip…' }).count()).toBe(0);
    await card.getByRole('button', { name: `Retry all ${planning.items.length}` }).click();
    await page.getByText(`${countOf(planning.items.length, 'record')} will be prepared again`).waitFor();
    // The records are unchanged in Stripe, so planning them again finds the same problem.
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    const after = (await service.listErrors(undefined)).find((group) => group.cause === planning.cause);
    expect(after?.items.length).toBe(planning.items.length);
  });

  it('navigates the main views with the keyboard only, with focus always visible', async () => {
    await openTab('Home');
    await page.getByRole('tab', { name: 'Home' }).focus();
    for (const name of ['Activity', 'Errors', 'Payouts', 'AR', 'Mapping', 'Settings']) {
      await page.keyboard.press('ArrowRight');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      await expect.poll(selectedTab).toContain(name);
      await page.getByRole('heading', { level: 1, name }).waitFor();
      expect(await unlabelledControls(page)).toEqual([]);
      if (name === 'Settings') await shoot('settings');
    }
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(selectedTab).toContain('Home');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(selectedTab).toContain('Home');
    // Tab leaves the tab list for the panel's first control: Sync now.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Sync now/);
    expect(cspViolations).toEqual([]);
  });

  it('keeps muted and secondary text at 4.5:1 or better in both themes', async () => {
    const secondary = '.muted, .small, .lineage-level, .tab-label, .badge, .state, .payout-status, .error-text, .status-title, button.link';
    for (const view of ['Home', 'Errors', 'Payouts']) {
      await openTab(view);
      expect(await lowContrastText(page, secondary)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const view of ['Errors', 'Payouts', 'Home']) {
      await openTab(view);
      expect(await lowContrastText(page, secondary)).toEqual([]);
    }
  });

  it('has an axe-core check that catches a serious violation (an unlabelled field)', async () => {
    const probe = await browser.newPage();
    try {
      await probe.setContent('<!doctype html><html lang="en"><head><title>probe</title></head><body><main><input type="text"></main></body></html>');
      expect((await seriousAxeViolations(probe)).map((finding) => finding.rule)).toContain('label');
    } finally {
      await probe.close();
    }
  });

  it('passes axe-core with no serious or critical violation in every view, in both themes', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const view of ['Home', 'Activity', 'Errors', 'Payouts', 'Mapping', 'Settings']) {
        await openTab(view);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        expect({ view, scheme, violations: await seriousAxeViolations(page) }).toEqual({ view, scheme, violations: [] });
      }
    }
    await openTab('Activity');
    await page.locator('.list-item').first().click();
    await page.getByRole('heading', { name: 'Sage documents' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '← Back to Activity' }).click();
    await openTab('Home');
  });

  it('renders the dashboard in the dark theme', async () => {
    await page.getByRole('heading', { level: 1, name: /Needs attention|Up to date/ }).waitFor();
    await shoot('dashboard-dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(13, 17, 23)');
  });
});
