import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { unlabelledControls } from './accessibility-probes.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * The rules editor in real headless Chromium against the real AppService, engine, Stripe
 * simulator (the demo) and Sage sandbox. The saved mapping sends revenue to an account the
 * Sage chart does not have, so the sales wait unwritten, as they would at a site whose
 * bookkeeper is still setting up; a rule then routes EUR sales to an account that exists.
 */

const MISSING_REVENUE_ACCOUNT = '4999-00';
const EU_REVENUE_ACCOUNT = '4010-00';
const DEMO_BUSINESS_DATE = '2026-11-02';

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let service: ClosableAppService;
let page: Page;
let disconnect: () => void;

/** Waits until `done` holds, checking every half second; fails with `what` after `timeoutMs`. */
async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function syncAndWait(): Promise<void> {
  const before = (await service.getStatus(undefined)).lastRun?.runId ?? 0;
  await service.syncNow(undefined);
  await waitFor('a sync run to finish', async () => {
    const status = await service.getStatus(undefined);
    return (status.lastRun?.runId ?? 0) > before && status.state !== 'syncing';
  }, 300_000);
}

describe('rules editor', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-ui-rules-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir);
    createSandbox(join(dataDir, 'demo-sage-sandbox.sqlite'), { today: DEMO_BUSINESS_DATE });
    const ledger = new SqliteLedger(join(dataDir, LEDGER_FILE_NAME));
    try {
      ledger.mappings.saveMapping({ ...DEFAULT_MAPPING, accounts: { ...DEFAULT_MAPPING.accounts, revenue: MISSING_REVENUE_ACCOUNT } });
    } finally {
      ledger.close();
    }
    service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), demo: true });
    await syncAndWait();
    page = await browser.newPage({ viewport: TRAY_WINDOW, colorScheme: 'light' });
    disconnect = await connectPage(page, service);
    await page.goto(server.url);
  }, 400_000);

  afterAll(async () => {
    disconnect?.();
    await browser?.close();
    await service?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('creates a rule, shows its match count, previews and saves it, and the next run books by it', async () => {
    await page.getByRole('tab', { name: 'Mapping' }).first().click();
    await page.getByRole('heading', { name: 'Rules' }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Rule name').fill('EU web shop');
    await page.getByLabel('Condition 1: field').selectOption('presentmentCurrency');
    await page.getByLabel('Condition 1: values, separated by commas').fill('eur');
    await page.getByLabel('Action 1: instead of the mapping\'s account for').selectOption('revenue');
    await page.getByLabel('Action 1: GL account').fill(EU_REVENUE_ACCOUNT);

    const count = page.locator('.rule-matches');
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toMatch(/^Matches [1-9][\d,]* of the last [\d,]+ objects$/);
    const examples = await page.getByRole('list', { name: 'Examples' }).getByRole('listitem').allTextContents();
    expect(examples.length).toBeGreaterThan(0);
    const eurCharge = examples.map((text) => text.split(' ')[0]!).find((id) => id.startsWith('ch_'));
    expect(eurCharge).toBeDefined();
    // The example is an EUR payment, as Stripe holds it.
    const detail = await service.getObjectDetail({ stripeObjectId: eurCharge! });
    expect(detail.row.currency?.toLowerCase()).toBe('eur');
    expect(await unlabelledControls(page)).toEqual([]);
    // Sage's own ids are offered for a rule's customer class, item and warehouse (the sandbox seed's).
    expect(await page.locator('#rule-sage-classes option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toContain(DEFAULT_MAPPING.customers.custClassId);
    expect(await page.locator('#rule-sage-items option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toContain(DEFAULT_MAPPING.salesOrders.defaultItemId);
    expect(await page.locator('#rule-sage-warehouses option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toContain(DEFAULT_MAPPING.salesOrders.warehouseId);

    await page.getByRole('button', { name: 'Preview rule changes' }).click();
    const preview = page.getByLabel('Rule preview');
    await expect.poll(() => preview.textContent(), { timeout: 30_000 }).toMatch(/[1-9][\d,]* waiting documents? would change/);
    expect(await preview.textContent()).toContain(`${MISSING_REVENUE_ACCOUNT}`);
    expect(await preview.textContent()).toContain(`→`);
    expect(await preview.textContent()).toContain(EU_REVENUE_ACCOUNT);

    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText(/Rules saved as mapping version \d+/).waitFor();
    const saved = await service.getMapping(undefined);
    expect((saved.mapping.rules as { name: string }[]).map((rule) => rule.name)).toEqual(['EU web shop']);

    await syncAndWait();
    await page.getByRole('tab', { name: 'Activity' }).first().click();
    await page.getByLabel('Search').fill(eurCharge!);
    await page.getByRole('button', { name: new RegExp(eurCharge!) }).click();
    await page.getByRole('heading', { name: 'Sage documents' }).waitFor();
    const rules = page.getByRole('list', { name: 'Business rules' }).first();
    await expect.poll(() => rules.textContent(), { timeout: 20_000 }).toContain(`rule "EU web shop" set revenue to ${EU_REVENUE_ACCOUNT}`);
    expect(await page.locator('table').first().textContent()).toContain(EU_REVENUE_ACCOUNT);

    // Why it applies, condition by condition: the detail asks the service's testRules, the answer of `s5sync rules test --object`.
    await page.getByText('Business rules on this record').click();
    const onRecord = page.getByRole('list', { name: 'Rules on this record' });
    await expect.poll(() => onRecord.textContent(), { timeout: 20_000 }).toContain('EU web shop: applies to this record');
    expect(await onRecord.textContent()).toContain('holds: the customer paid in EUR');
    expect(await onRecord.textContent()).not.toContain('does not hold');
  }, 400_000);
});
