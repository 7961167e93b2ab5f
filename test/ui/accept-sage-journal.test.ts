import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { lowContrastText, unlabelledControls } from './accessibility-probes.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * The Errors view's "Accept Sage's journal…" (and a record's detail's) in headless Chromium against the real AppService,
 * engine and Sage sandbox of the demo. After the demo's sync, the ledger is made to hold what a
 * run leaves after refusing journals Sage's cross-reference already holds under their keys
 * (core/sage/found-journal.ts, as a power cut or a ledger rebuild leaves them): two charge
 * journals failed with the refusal's code (the cross-reference row of one then deleted in Sage by
 * a user), and one failed with another data error.
 */

const DEMO_BUSINESS_DATE = '2026-11-02';
const SANDBOX_FILE = 'demo-sage-sandbox.sqlite';
const REFUSAL = "Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as another journal, posted (tglTransaction), with other amounts";

let dataDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
let service: ClosableAppService;
let page: Page;
let disconnect: () => void;
let accepted: { docKey: string; stripeObjectId: string; sageNumber: string };
let deleted: { docKey: string; stripeObjectId: string };
let otherError: { docKey: string; stripeObjectId: string };

async function waitFor(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const syncFinished = async () => {
  const status = await service.getStatus(undefined);
  return status.lastRun?.finishedAt != null && status.state !== 'syncing';
};

describe("Errors view: Accept Sage's journal", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 's5sync-ui-accept-'));
    await buildRenderer(join(dataDir, 'renderer'));
    server = await serveDirectory(join(dataDir, 'renderer'));
    browser = await launchChromium();
    createSandbox(join(dataDir, SANDBOX_FILE), { today: DEMO_BUSINESS_DATE });
    service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), demo: true });
    await service.syncNow(undefined);
    await waitFor('the demo sync to finish', syncFinished, 300_000);

    const ledger = new Database(join(dataDir, LEDGER_FILE_NAME));
    try {
      const written = ledger
        .prepare("SELECT doc_key AS docKey, stripe_object_id AS stripeObjectId, sage_number AS sageNumber FROM documents WHERE type = 'journal' AND state = 'written' AND stripe_object_id LIKE 'ch_%' ORDER BY doc_key LIMIT 3")
        .all() as { docKey: string; stripeObjectId: string; sageNumber: string }[];
      expect(written).toHaveLength(3);
      [accepted, deleted, otherError] = written as [typeof accepted, typeof accepted, typeof accepted];
      const fail = ledger.prepare(
        "UPDATE documents SET state = 'failed', error_class = 'data', error_code = ?, last_error = ?, sage_table = NULL, sage_key = NULL, sage_number = NULL, batch_key = NULL WHERE doc_key = ?",
      );
      for (const { docKey } of [accepted, deleted]) expect(fail.run('found-journal-refused', `Journal ${docKey}: ${REFUSAL}`, docKey).changes).toBe(1);
      expect(fail.run(null, `Journal ${otherError.docKey}: account 4000-00 is inactive`, otherError.docKey).changes).toBe(1);
    } finally {
      ledger.close();
    }
    const sage = new Database(join(dataDir, SANDBOX_FILE));
    try {
      expect(sage.prepare('DELETE FROM tciStripeXref_STRIPE WHERE DocKey = ?').run(deleted.docKey).changes).toBe(1);
    } finally {
      sage.close();
    }

    page = await browser.newPage({ viewport: TRAY_WINDOW, colorScheme: 'light' });
    disconnect = await connectPage(page, service);
    await page.goto(server.url);
    await page.getByRole('tablist', { name: 'Views' }).waitFor();
  }, 400_000);

  afterAll(async () => {
    disconnect?.();
    await browser?.close();
    await service?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const acceptButton = (stripeObjectId: string) => page.getByRole('button', { name: `Accept Sage's journal for ${stripeObjectId}` });

  it('offers Accept only on a journal refused because Sage holds another journal under its key, beside Retry and Skip', async () => {
    await page.getByRole('tab', { name: 'Errors' }).click();
    await acceptButton(accepted.stripeObjectId).waitFor();
    expect(await acceptButton(deleted.stripeObjectId).count()).toBe(1);
    expect(await acceptButton(otherError.stripeObjectId).count()).toBe(0);
    expect(await page.getByRole('button', { name: `Skip ${otherError.stripeObjectId}` }).count()).toBe(1);
    await acceptButton(accepted.stripeObjectId).click();
    await page.getByLabel(`What you entered in Sage for ${accepted.stripeObjectId}`).waitFor();
    // The reason's bounds, as the request's (preload/contract.ts) and the core's.
    expect(await page.getByLabel(`What you entered in Sage for ${accepted.stripeObjectId}`).getAttribute('maxlength')).toBe('500');
    expect(await unlabelledControls(page)).toEqual([]);
    expect(await lowContrastText(page, 'form p, form label')).toEqual([]);
    // Closed again by its button.
    await acceptButton(accepted.stripeObjectId).click();
    expect(await page.getByLabel(`What you entered in Sage for ${accepted.stripeObjectId}`).count()).toBe(0);
  });

  it("says so when Sage's cross-reference no longer holds the key, and records nothing", async () => {
    await acceptButton(deleted.stripeObjectId).click();
    await page.getByLabel(`What you entered in Sage for ${deleted.stripeObjectId}`).fill('difference entered as journal 57');
    await page.getByRole('button', { name: "Accept Sage's journal", exact: true }).click();
    await page.getByText(/Sage's journal not accepted: .*no longer holds this key.*Retry the document to write it to Sage/).waitFor();
    const detail = await service.getObjectDetail({ stripeObjectId: deleted.stripeObjectId });
    expect(detail.plan.find((planned) => planned.docKey === deleted.docKey)?.state).toBe('failed');
  });

  it("records the journal as written under Sage's journal, and shows the reason in its lineage", async () => {
    await acceptButton(accepted.stripeObjectId).click();
    const reason = 'difference of 2.50 entered as journal 58';
    await page.getByLabel(`What you entered in Sage for ${accepted.stripeObjectId}`).fill(reason);
    await page.getByRole('button', { name: "Accept Sage's journal", exact: true }).click();
    await page.getByText("1 document recorded as written under Sage's journal").waitFor();
    await expect.poll(() => acceptButton(accepted.stripeObjectId).count()).toBe(0);
    await waitFor('the run Accept starts to finish', syncFinished, 120_000);
    const detail = await service.getObjectDetail({ stripeObjectId: accepted.stripeObjectId });
    expect(detail.plan.find((planned) => planned.docKey === accepted.docKey)?.state).toBe('written');
    expect(detail.lineage).toContainEqual(expect.objectContaining({ level: 'ledger', id: accepted.docKey, detail: `In Sage (Sage's journal accepted as this document by a user: ${reason})` }));
    expect(detail.lineage).toContainEqual(expect.objectContaining({ level: 'sage', id: accepted.sageNumber }));
    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByLabel('Search').fill(accepted.stripeObjectId);
    await page.getByRole('button', { name: new RegExp(accepted.stripeObjectId) }).click();
    await page.getByText(`Sage's journal accepted as this document by a user: ${reason}`).waitFor();
  });

  it("a record's detail offers Accept for its refused journal only, with the same refusal when Sage no longer holds the key", async () => {
    const openDetail = async (stripeObjectId: string) => {
      await page.getByRole('button', { name: '← Back to Activity' }).click();
      await page.getByLabel('Search').fill(stripeObjectId);
      await page.getByRole('button', { name: new RegExp(stripeObjectId) }).click();
      await page.getByRole('heading', { name: /Not in Sage: 1 document Sage refused/ }).waitFor();
    };
    await openDetail(otherError.stripeObjectId);
    await page.getByRole('button', { name: 'Skip…' }).waitFor();
    expect(await page.getByRole('button', { name: "Accept Sage's journal…" }).count()).toBe(0);
    await openDetail(deleted.stripeObjectId);
    await page.getByRole('button', { name: "Accept Sage's journal…" }).click();
    await page.getByLabel(`What you entered in Sage for ${deleted.stripeObjectId}`).fill('difference entered as journal 57');
    await page.getByRole('button', { name: "Accept Sage's journal", exact: true }).click();
    await page.getByText(/Sage's journal not accepted: .*no longer holds this key/).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
  });
});
