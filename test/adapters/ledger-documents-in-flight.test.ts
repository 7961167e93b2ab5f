import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { SageRef } from '../../main/core/sage/documents.js';
import { charge, mapping, T0 } from '../core/fixtures/stripe.js';
import { twoLineJournal as journal } from '../support/two-line-journal.js';

/**
 * A document being written is a row of documents_writing, not a value of its own row's state
 * (migration-documents-writing.ts). Every reader of a document's state must see "writing" while
 * that row exists, and every rule about writing documents must hold: these fail if a query
 * forgets the in-flight table.
 */

let dir: string;
let ledger: SqliteLedger;
let version: number;
let tick: number;
const at = (second: number) => new Date(Date.UTC(2026, 2, 10, 12, 0, second)).toISOString();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-in-flight-'));
  tick = 0;
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => at(tick++) });
  version = ledger.mappings.saveMapping(mapping());
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});


const ref = (docKey: string): SageRef => ({ docKey, sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '12', batchKey: 3 });
const documents = () => ledger.documents;

describe('a document in flight', () => {
  beforeEach(() => {
    documents().savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
    documents().savePlan('ch_2', [journal('ch_2:txn_2', 'txn_2')], version, 'planned');
  });

  it('reads as writing, on the attempt under way since it started, wherever its state is read', () => {
    ledger.objects.upsertObjects([charge({ id: 'ch_1', created: T0 })]);
    tick = 30;
    documents().markWritingAll(['ch_1:txn_1']);
    expect(documents().getDocument('ch_1:txn_1')).toMatchObject({ state: 'writing', attempts: 1, updatedAt: at(30) });
    expect(documents().documentsForObject('ch_1').map((doc) => doc.state)).toEqual(['writing']);
    expect(documents().documentsTracing('txn_1').map((doc) => doc.state)).toEqual(['writing']);
    expect(documents().documentsInState('writing', 10).map((doc) => doc.docKey)).toEqual(['ch_1:txn_1']);
    expect(documents().documentsInState('planned', 10).map((doc) => doc.docKey)).toEqual(['ch_2:txn_2']);
    expect(documents().countDocuments()).toMatchObject({ planned: 1, writing: 1 });
    // The payout proof counts its lines (planned or written: any state but skipped).
    expect(ledger.reconciliation.linesOnAccountTracing('1050-00', ['txn_1'])).toEqual([{ traceId: 'txn_1', amount: '10.000' }]);
    expect(ledger.objects.searchObjects({ documentState: 'writing', limit: 10, offset: 0 }).objects.map((stored) => stored.id)).toEqual(['ch_1']);
    expect(ledger.objects.searchObjects({ documentState: 'planned', limit: 10, offset: 0 }).total).toBe(0);
  });

  it('is neither due, nor unwritten, nor re-planned, noted, skipped, retried, withdrawn or adopted from Sage', () => {
    documents().markWritingAll(['ch_1:txn_1']);
    expect(documents().documentsToWrite(at(99), 10).map((doc) => doc.docKey)).toEqual(['ch_2:txn_2']);
    expect(documents().documentsNotWritten(10).map((doc) => doc.docKey)).toEqual(['ch_2:txn_2']);
    expect(documents().unwrittenJournals().map((doc) => doc.docKey)).toEqual(['ch_2:txn_2']);
    documents().savePlan('ch_1', [journal('ch_1:txn_1', 'txn_9')], version, 'planned');
    documents().noteWaiting([{ docKey: 'ch_1:txn_1', note: 'waits for its payout' }]);
    expect(documents().skipDocuments(['ch_1:txn_1'], 'keyed by hand')).toBe(0);
    expect(documents().withdrawDocuments(['ch_1:txn_1'])).toBe(0);
    documents().recordFoundInSage([{ document: journal('ch_1:txn_1', 'txn_8'), ref: ref('ch_1:txn_1') }], version);
    const inFlight = documents().getDocument('ch_1:txn_1')!;
    expect([inFlight.state, inFlight.document, inFlight.lastError, inFlight.ref]).toEqual(['writing', journal('ch_1:txn_1', 'txn_1'), null, null]);
    expect(documents().documentsTracing('txn_9')).toEqual([]);
    expect(() => documents().markWritingAll(['ch_1:txn_1'])).toThrow(/ch_1:txn_1 is not waiting to be written/);
  });

  it('a failed document retried is writing, not failed, until it leaves flight', () => {
    documents().markWritingAll(['ch_1:txn_1']);
    documents().markFailed('ch_1:txn_1', { errorClass: 'transient', message: 'timeout', nextAttemptAt: at(0), dead: false });
    expect(documents().failedDocuments().map((doc) => doc.docKey)).toEqual(['ch_1:txn_1']);
    documents().markWritingAll(['ch_1:txn_1']);
    expect(documents().getDocument('ch_1:txn_1')).toMatchObject({ state: 'writing', attempts: 2, errorClass: 'transient' });
    expect(documents().failedDocuments()).toEqual([]);
    expect(documents().documentsInState('failed', 10)).toEqual([]);
    expect(documents().documentsToWrite(at(99), 10).map((doc) => doc.docKey)).toEqual(['ch_2:txn_2']);
    expect(documents().retryDocuments({ all: true })).toBe(0);
    expect(documents().countDocuments()).toMatchObject({ planned: 1, writing: 1, failed: 0 });
    documents().markWrittenAll([{ docKey: 'ch_1:txn_1', ref: ref('ch_1:txn_1') }]);
    expect(documents().getDocument('ch_1:txn_1')).toMatchObject({ state: 'written', attempts: 2, errorClass: null, lastError: null });
  });

  it('counts each attempt sent, once: written, failed, or put back after a crash or an unavailable Sage', () => {
    documents().markFailed('ch_2:txn_2', { errorClass: 'data', message: 'its invoice is missing', nextAttemptAt: null, dead: false });
    expect(documents().getDocument('ch_2:txn_2')?.attempts).toBe(0);
    documents().markWritingAll(['ch_1:txn_1']);
    documents().requeue(['ch_1:txn_1', 'ch_2:txn_2']);
    expect([documents().getDocument('ch_1:txn_1'), documents().getDocument('ch_2:txn_2')]).toMatchObject([
      { state: 'planned', attempts: 1 },
      { state: 'failed', attempts: 0 },
    ]);
    documents().markWritingAll(['ch_1:txn_1']);
    documents().markFailed('ch_1:txn_1', { errorClass: 'transient', message: 'timeout', nextAttemptAt: at(0), dead: false });
    documents().markWritingAll(['ch_1:txn_1']);
    expect(documents().getDocument('ch_1:txn_1')?.attempts).toBe(3);
    documents().markWritten('ch_1:txn_1', ref('ch_1:txn_1'));
    expect(documents().getDocument('ch_1:txn_1')).toMatchObject({ state: 'written', attempts: 3, ref: ref('ch_1:txn_1') });
    expect(documents().documentsInState('writing', 10)).toEqual([]);
  });

  it("the document's own row never says writing, and its in-flight row needs the document", () => {
    ledger.close();
    const file = new Database(join(dir, 'ledger.sqlite'));
    try {
      file.pragma('foreign_keys = ON');
      expect(() => file.prepare(`UPDATE documents SET state = 'writing' WHERE doc_key = 'ch_1:txn_1'`).run()).toThrow(/CHECK constraint failed/);
      expect(() => file.prepare(`INSERT INTO documents_writing (doc_key, started_at) VALUES ('ch_9:txn_9', 'now')`).run()).toThrow(/FOREIGN KEY/);
    } finally {
      file.close();
      ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
    }
  });
});
