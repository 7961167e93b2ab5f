import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { journal, openFixture, rowCount, type SandboxFixture } from '../adapters/sage-fixtures.js';
import { newWorkspace, openWorkspaceRuntime, sageSnapshot, type Workspace } from './harness.js';
import { booksDifference, sageBooks } from './sage-books.js';

/**
 * One test per exactly-once guard (issue #18 item 11), each written so that it fails when its
 * guard alone is removed, while the other guards stay (each was checked by deleting the guard):
 *
 * 1. the pre-check: `JournalWriter.write` looks the key up in tciStripeXref_STRIPE before it
 *    reserves keys or opens a transaction;
 * 2. the in-transaction re-check: `writeGroup` looks the keys up again inside the transaction
 *    that writes them, so a key another writer committed meanwhile does not break the chunk
 *    (behind it, the xref's primary key and the pre-check of the one-by-one retry);
 * 3. recovery through the xref: `recoverInterruptedWrites` settles documents a crash left
 *    "writing" from the xref, marking them written with their Sage keys instead of writing them.
 */

const surrogateKeys = (fx: SandboxFixture): unknown[] => fx.raw.prepare('SELECT TableName, NextKey FROM tciSurrogateKey ORDER BY TableName').all();

describe('the writer guards', () => {
  let fx: SandboxFixture;
  beforeEach(() => {
    fx = openFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it('pre-check: a key already in the xref is answered from it, before any key is reserved', async () => {
    const first = await fx.writer.write(journal('je:pre'), { runId: 1 });
    const keysBefore = surrogateKeys(fx);
    const again = await new SageWriter(fx.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }).write(journal('je:pre'), { runId: 2 });
    expect(again).toEqual(first);
    // Without the pre-check the transaction's re-check still prevents a duplicate, but a
    // surrogate key for a header that is never written is spent first.
    expect(surrogateKeys(fx)).toEqual(keysBefore);
    expect([rowCount(fx.raw, 'tglJournalHdr'), rowCount(fx.raw, 'tciStripeXref_STRIPE')]).toEqual([1, 1]);
  });

  it('in-transaction re-check: writeMany of a key another writer committed returns that document, writes nothing', async () => {
    const other = new SageWriter(fx.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    const [committed] = await other.writeMany([journal('je:race')], { runId: 1 });
    const lines = rowCount(fx.raw, 'tglJournalDetl');
    const warnings: string[] = [];
    const outcomes = await fx.writer.writeMany([journal('je:race'), journal('je:fresh')], { runId: 2, warn: (message) => warnings.push(message) });
    expect(outcomes[0]).toEqual(committed);
    // Without the re-check the xref's primary key refuses the second row, the chunk's shared
    // transaction rolls back and every journal is retried alone (the pre-check then answers):
    // still no duplicate, but the guard is gone. The chunk commits at once with it.
    expect(warnings).toEqual([]);
    expect(outcomes[1]).toHaveProperty('ref');
    expect(rowCount(fx.raw, 'tglJournalHdr')).toBe(2);
    expect(rowCount(fx.raw, 'tglJournalDetl')).toBe(2 * lines);
    expect(rowCount(fx.raw, 'tciStripeXref_STRIPE')).toBe(2);
  });
});

describe('recovery through the xref', () => {
  const SEED = 67;
  let simulator: StripeSimulator;
  let workspace: Workspace;
  beforeEach(async () => {
    simulator = await startStripeSimulator({ seed: SEED, days: 3 });
    workspace = newWorkspace('guard-recovery', simulator);
  });
  afterEach(async () => {
    await simulator.close();
  });

  it('a document a crash left "writing" after Sage committed it is marked written with its Sage keys, not written again', async () => {
    const runtime = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    let interrupted: string[] = [];
    let refs: unknown[] = [];
    try {
      expect((await runtime.engine.runOnce()).outcome).toBe('succeeded');
      // The crash: Sage committed these, the ledger had not recorded it yet.
      interrupted = runtime.ledger.documents.documentsInState('written', 5).map((doc) => doc.docKey);
      refs = interrupted.map((key) => runtime.ledger.documents.getDocument(key)!.ref);
    } finally {
      await runtime.close();
    }
    // The ledger as a kill between the Sage commit and markWritten leaves it (no port moves a written document back).
    const ledgerFile = new Database(join(workspace.dataDir, LEDGER_FILE_NAME));
    try {
      // In flight: a row of documents_writing, the document's own row as it was before it started.
      const unwritten = ledgerFile.prepare("UPDATE documents SET state = 'planned' WHERE doc_key = ?");
      const markWriting = ledgerFile.prepare("INSERT INTO documents_writing (doc_key, started_at) VALUES (?, 'then')");
      for (const key of interrupted) expect([unwritten.run(key).changes, markWriting.run(key).changes]).toEqual([1, 1]);
    } finally {
      ledgerFile.close();
    }
    expect(interrupted).toHaveLength(5);
    const booksBefore = sageBooks(workspace.sandboxPath);
    const keysBefore = sageSnapshot(workspace.sandboxPath);

    const restarted = await openWorkspaceRuntime(simulator, workspace, { backfillDays: 8 });
    try {
      const summary = await restarted.engine.runOnce();
      expect(summary.outcome).toBe('succeeded');
      // Recovered, not rewritten: nothing reached the writer (a requeue would have gone through it and counted).
      expect(summary.documentsWritten).toBe(0);
      expect(interrupted.map((key) => restarted.ledger.documents.getDocument(key)!.state)).toEqual(interrupted.map(() => 'written'));
      expect(interrupted.map((key) => restarted.ledger.documents.getDocument(key)!.ref)).toEqual(refs);
    } finally {
      await restarted.close();
    }
    expect(booksDifference(booksBefore, sageBooks(workspace.sandboxPath))).toEqual([]);
    expect(sageSnapshot(workspace.sandboxPath).journalHeaders).toBe(keysBefore.journalHeaders);
  }, 120_000);
});
