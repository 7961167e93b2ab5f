import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { unlabelledControls } from './accessibility-probes.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * AR payments in the Mapping view (issue #21), in real headless Chromium against the real
 * AppService and Sage sandbox: on a site that proved no cash receipt, every AR document type is
 * unavailable with the reason ar-readiness gives, and the metadata key and the unmatched choice
 * are saved with the mapping (and checked by main).
 */

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let service: ClosableAppService;
let page: Page;
let disconnect: () => void;

describe('AR payments in the Mapping view', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-ui-ar-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir);
    createSandbox(join(dataDir, 'demo-sage-sandbox.sqlite'), { today: '2026-11-02' });
    service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), demo: true });
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

  it('shows each AR document type unavailable with its reason, and saves the metadata key and the unmatched choice', async () => {
    await page.getByRole('tab', { name: 'Mapping' }).first().click();
    const ar = page.getByRole('group', { name: 'AR payments' });
    await ar.waitFor();
    const receipts = ar.getByRole('checkbox', { name: /Cash receipts applied to Sage invoices/ });
    await expect.poll(() => receipts.getAttribute('aria-describedby')).toBe('ar-document-cash-receipt-reason');
    expect(await receipts.isDisabled()).toBe(true);
    expect(await receipts.isChecked()).toBe(false);
    expect(await page.locator('#ar-document-cash-receipt-reason').textContent()).toMatch(/^AR payments are unavailable: no cash receipt was captured on this Sage site; have a Sage user enter one cash receipt/);
    const creditMemos = ar.getByRole('checkbox', { name: /AR credit memos and refunds/ });
    expect(await creditMemos.isDisabled()).toBe(true);
    expect(await page.locator('#ar-document-credit-memo-reason').textContent()).toMatch(/no public source shows the refund batch's pending tables/);
    const saleInvoices = ar.getByRole('checkbox', { name: /AR invoices for Stripe sales/ });
    expect(await saleInvoices.isDisabled()).toBe(true);
    expect(await saleInvoices.isChecked()).toBe(false);
    expect(await page.locator('#ar-document-stripe-sale-invoice-reason').textContent()).toMatch(/^AR invoices for Stripe sales are unavailable: no AR invoice was captured on this Sage site/);
    expect(await unlabelledControls(page)).toEqual([]);

    // Main checks the key as Stripe limits it (40 characters) and names the field.
    const key = ar.getByLabel('Stripe metadata key holding the Sage invoice number');
    await key.fill('x'.repeat(41));
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByRole('list', { name: 'Problems' }).getByText(/Stripe metadata keys have at most 40 characters/).waitFor();
    expect(await key.getAttribute('aria-invalid')).toBe('true');

    await key.fill('erp_invoice');
    await ar.getByLabel('A payment that names no Sage invoice, from a customer known in Sage').selectOption('on-account');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText(/Saved as version \d+/).waitFor();
    const saved = await service.getMapping(undefined);
    expect((saved.mapping as { arPayments: unknown }).arPayments).toEqual({ enabled: false, metadataKey: 'erp_invoice', unmatched: 'on-account', invoicesForStripeSales: false });
  }, 120_000);
});
