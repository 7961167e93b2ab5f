import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { lastBalanceProof } from '../../main/core/engine/balance-proof-step.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { newWorkspace, openWorkspaceRuntime, sageSnapshot, type Workspace } from './harness.js';
import { booksDifference, sageBooks } from './sage-books.js';

/**
 * A power cut under synchronous = NORMAL can take back a run's last ledger commits, both a
 * journal's "writing" and "written" marks among them, while Sage keeps what it committed. If the
 * journal is then planned again under its key with another body before it is written, Sage's
 * journal must not be recorded as that body (core/sage/found-journal.ts). Here the ledger is
 * taken back whole (the copy from before the first write: no ledger) and the body changes by a
 * mapping change (revenue 4000-00 → 4010-00), through the real sync: the Stripe simulator over
 * loopback, the Sage sandbox, daily summaries. Every expectation about Sage is read from Sage's
 * own tables by SQL in this test.
 */

const SEED = 71;

/** The journals the cross-reference holds with a line on this (unmasked) account, read from Sage. */
function journalsOnAccount(sandboxPath: string, glAcctNo: string): { docKey: string; jrnlNo: string; batchNo: number }[] {
  const db = new Database(sandboxPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT DISTINCT x.DocKey AS docKey, x.SageNumber AS jrnlNo, b.BatchNo AS batchNo FROM tciStripeXref_STRIPE x
         JOIN tglJournalDetl d ON x.SageTable = 'tglJournalHdr' AND d.JrnlHdrKey = x.SageKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey JOIN tciBatchLog b ON b.BatchKey = x.BatchKey
         WHERE a.GLAcctNo = ? ORDER BY x.DocKey`,
      )
      .all(glAcctNo) as { docKey: string; jrnlNo: string; batchNo: number }[];
  } finally {
    db.close();
  }
}

/** Every journal's key in the cross-reference, read from Sage. */
function journalKeys(sandboxPath: string): string[] {
  const db = new Database(sandboxPath, { readonly: true });
  try {
    return (db.prepare("SELECT DocKey FROM tciStripeXref_STRIPE WHERE SageTable = 'tglJournalHdr' ORDER BY DocKey").all() as { DocKey: string }[]).map((row) => row.DocKey);
  } finally {
    db.close();
  }
}

function loseLedger(workspace: Workspace): void {
  for (const suffix of ['', '-wal', '-shm']) {
    const path = join(workspace.dataDir, `${LEDGER_FILE_NAME}${suffix}`);
    if (existsSync(path)) rmSync(path);
  }
}

describe('a journal found in Sage after a power cut, planned again with another body', () => {
  let simulator: StripeSimulator;
  let workspace: Workspace;
  beforeEach(async () => {
    simulator = await startStripeSimulator({ seed: SEED, days: 3 });
    workspace = newWorkspace('found-journal', simulator);
    workspace.config = { mapping: { granularity: 'daily-summary' } };
  });
  afterEach(async () => {
    await simulator.close();
  });

  it('is refused with Sage\'s journal and lines named, the rest written or adopted; after the user corrects Sage, Retry adopts it', async () => {
    const first = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      expect((await first.engine.runOnce()).outcome).toBe('succeeded');
    } finally {
      await first.close();
    }
    const onRevenue = journalsOnAccount(workspace.sandboxPath, '400000');
    expect(onRevenue.some(({ docKey }) => docKey.startsWith('daily:charges:'))).toBe(true);
    const booksBefore = sageBooks(workspace.sandboxPath);
    const before = sageSnapshot(workspace.sandboxPath);

    loseLedger(workspace);
    workspace.config = { mapping: { granularity: 'daily-summary', accounts: { revenue: '4010-00' } } };
    const second = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      const summary = await second.engine.runOnce();
      expect(summary.documentsFailed).toBe(onRevenue.length);
      // The balance proof lists the refused charge summaries' transactions (the invoice summaries have no clearing line) as not
      // booked, with the refusal, which names Sage's journal, as the reason.
      const proof = lastBalanceProof(second.ledger.runs)!;
      expect(proof.exact).toBe(false);
      for (const { docKey } of onRevenue.filter(({ docKey }) => docKey.startsWith('daily:charges:'))) {
        expect(proof.items.some((item) => item.reason.startsWith(`Sage refused its journal: Journal ${docKey}: Sage's cross-reference`))).toBe(true);
      }
      for (const { docKey, jrnlNo, batchNo } of onRevenue) {
        const stored = second.ledger.documents.getDocument(docKey)!;
        expect(stored.state).toBe('failed');
        expect(stored.errorClass).toBe('data');
        expect(stored.lastError).toContain(`already holds this key as journal ${jrnlNo} in GL batch ${batchNo}, unposted`);
        // Sage's revenue account as Sage stores it (unmasked): no line of this document names it.
        expect(stored.lastError).toMatch(/400000: Sage (-[\d.]+), this document none; 4010-00: Sage none, this document \1\./);
      }
      // Every other journal Sage held is adopted as written (customers Sage holds are matched, not planned), nothing written.
      const refused = new Set(onRevenue.map(({ docKey }) => docKey));
      const journals = second.ledger.documents.documentsInState('written', 100_000).filter((doc) => doc.type === 'journal').map((doc) => doc.docKey).sort();
      expect(journals).toEqual(journalKeys(workspace.sandboxPath).filter((docKey) => !refused.has(docKey)));
    } finally {
      await second.close();
    }
    expect(booksDifference(booksBefore, sageBooks(workspace.sandboxPath))).toEqual([]);
    expect(sageSnapshot(workspace.sandboxPath)).toEqual(before);

    // The user corrects each journal in Sage (pending: its batch is open) as the new mapping books it.
    const sage = new Database(workspace.sandboxPath);
    try {
      const moved = sage
        .prepare(
          `UPDATE tglJournalDetl SET GLAcctKey = (SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = '401000')
           WHERE GLAcctKey = (SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = '400000')
             AND JrnlHdrKey IN (SELECT SageKey FROM tciStripeXref_STRIPE WHERE SageTable = 'tglJournalHdr')`,
        )
        .run().changes;
      expect(moved).toBeGreaterThanOrEqual(onRevenue.length);
    } finally {
      sage.close();
    }
    const corrected = sageSnapshot(workspace.sandboxPath);
    const third = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      expect(third.ledger.documents.retryDocuments({ all: true })).toBe(onRevenue.length);
      const summary = await third.engine.runOnce();
      expect(summary.documentsFailed).toBe(0);
      for (const { docKey, jrnlNo } of onRevenue) expect(third.ledger.documents.getDocument(docKey)).toMatchObject({ state: 'written', ref: { sageNumber: jrnlNo } });
    } finally {
      await third.close();
    }
    expect(sageSnapshot(workspace.sandboxPath)).toEqual(corrected);
    expect(journalsOnAccount(workspace.sandboxPath, '400000')).toEqual([]);
  }, 180_000);
  it('recovery: a journal left "writing" whose body Sage does not hold (the writer\'s refusal lost to a kill) fails, not recorded as written', async () => {
    const first = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      expect((await first.engine.runOnce()).outcome).toBe('succeeded');
    } finally {
      await first.close();
    }
    const [changed, same] = journalsOnAccount(workspace.sandboxPath, '400000').filter(({ docKey }) => docKey.startsWith('daily:charges:'));
    expect(changed && same).toBeTruthy();
    const before = sageSnapshot(workspace.sandboxPath);
    // The ledger as the power cut and then the kill leave it: both in flight, one with a body Sage does not hold (revenue on 4010-00).
    const ledgerFile = new Database(join(workspace.dataDir, LEDGER_FILE_NAME));
    try {
      const toPlanned = ledgerFile.prepare("UPDATE documents SET state = 'planned' WHERE doc_key = ?");
      const markWriting = ledgerFile.prepare("INSERT INTO documents_writing (doc_key, started_at) VALUES (?, 'then')");
      for (const { docKey } of [changed!, same!]) expect([toPlanned.run(docKey).changes, markWriting.run(docKey).changes]).toEqual([1, 1]);
      expect(ledgerFile.prepare("UPDATE documents SET body = replace(body, '\"4000-00\"', '\"4010-00\"') WHERE doc_key = ?").run(changed!.docKey).changes).toBe(1);
    } finally {
      ledgerFile.close();
    }

    const restarted = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      await restarted.engine.runOnce();
      // An account this document does not have is named as Sage stores it (unmasked): what the other documents in flight spell does not matter.
      expect(restarted.ledger.documents.getDocument(changed!.docKey)).toMatchObject({
        state: 'failed',
        errorClass: 'data',
        lastError: expect.stringMatching(new RegExp(`already holds this key as journal ${changed!.jrnlNo} in GL batch ${changed!.batchNo}, unposted .*400000: Sage (-[\\d.]+), this document none; 4010-00: Sage none, this document \\1\\.`)),
      });
      expect(restarted.ledger.documents.getDocument(same!.docKey)).toMatchObject({ state: 'written', ref: { sageNumber: same!.jrnlNo } });
    } finally {
      await restarted.close();
    }
    expect(sageSnapshot(workspace.sandboxPath)).toEqual(before);
  }, 180_000);
});
