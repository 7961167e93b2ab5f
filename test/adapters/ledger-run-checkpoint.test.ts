import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { SageDocument } from '../../main/core/sage/documents.js';

/**
 * A run's end is synced to the ledger's file, not left in the WAL until a checkpoint that, with
 * one every 10,000 pages, can come many runs later in the tray app. A power cut loses what the
 * WAL held unsynced; the copy of the file alone, without its WAL, stands for it here.
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-run-checkpoint-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the ledger's file holds without its WAL: the state after a power cut before a checkpoint. */
function fileAlone<T>(read: (db: Database.Database) => T): T {
  const copy = join(dir, 'file-alone.sqlite');
  copyFileSync(join(dir, 'ledger.sqlite'), copy);
  const db = new Database(copy, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe("a run's end is checkpointed", () => {
  it('the documents a run marked written and the run itself are in the file, not only in the WAL', () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    const runId = ledger.runs.startRun('2026-11-28T07:00:00.000Z');
    const document = { type: 'customer', key: 'cus_A:customer' } as unknown as SageDocument;
    ledger.documents.savePlan('cus_A', [document], version, 'planned');
    ledger.documents.markWriting('cus_A:customer');
    ledger.documents.markWritten('cus_A:customer', { docKey: 'cus_A:customer', sageTable: 'tarCustomer', sageKey: 7, sageNumber: 'C000007', batchKey: null });
    expect(existsSync(join(dir, 'ledger.sqlite-wal')) && statSync(join(dir, 'ledger.sqlite-wal')).size).toBeGreaterThan(0);
    // Before the run ends, its marks are in the WAL alone.
    expect(fileAlone((db) => db.prepare('SELECT COUNT(*) AS n FROM documents').get())).toEqual({ n: 0 });

    ledger.runs.finishRun({
      runId,
      startedAt: '2026-11-28T07:00:00.000Z',
      finishedAt: '2026-11-28T07:00:05.000Z',
      outcome: 'succeeded',
      objectsSeen: 1,
      eventsApplied: 0,
      documentsWritten: 1,
      documentsFailed: 0,
      stripeRequests: 1,
      message: null,
    });

    expect(fileAlone((db) => db.prepare('SELECT state, sage_key FROM documents WHERE doc_key = ?').get('cus_A:customer'))).toEqual({ state: 'written', sage_key: 7 });
    expect(fileAlone((db) => db.prepare('SELECT outcome FROM runs WHERE run_id = ?').get(runId))).toEqual({ outcome: 'succeeded' });
  });
});
