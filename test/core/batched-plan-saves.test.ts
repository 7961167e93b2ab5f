import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { BatchedPlanSaves } from '../../main/core/engine/batched-plan-saves.js';
import { mapping } from './fixtures/stripe.js';
import { twoLineJournal as journal } from '../support/two-line-journal.js';

let dir: string;
let ledger: SqliteLedger;
let version: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-batched-saves-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  version = ledger.mappings.saveMapping(mapping());
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});


describe('plan saves batched for a page', () => {
  it('reach the ledger in the order the pass made them: a withdrawal or skip after a save applies to what was saved', () => {
    const saves = new BatchedPlanSaves(ledger.documents);
    ledger.inTransaction(() => {
      saves.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
      saves.withdrawDocuments(['ch_1:txn_1']);
      saves.savePlan('ch_2', [journal('ch_2:txn_2', 'txn_2')], version, 'planned');
      saves.savePlan('ch_3', [journal('ch_3:txn_3', 'txn_3')], version, 'planned');
      saves.skipDocuments(['ch_2:txn_2'], 'by hand');
      saves.savePlan('ch_4', [journal('ch_4:txn_4', 'txn_4')], version, 'shadow');
      saves.flush();
    });
    expect(ledger.documents.getDocument('ch_1:txn_1')).toBeNull();
    expect(ledger.documents.documentsTracing('txn_1')).toEqual([]);
    expect(ledger.documents.getDocument('ch_2:txn_2')).toMatchObject({ state: 'skipped', skipReason: 'by hand' });
    expect(ledger.documents.getDocument('ch_3:txn_3')).toMatchObject({ state: 'planned', stripeObjectId: 'ch_3' });
    expect(ledger.documents.getDocument('ch_4:txn_4')).toMatchObject({ state: 'shadow' });
    expect(ledger.documents.documentsTracing('txn_3').map((stored) => stored.docKey)).toEqual(['ch_3:txn_3']);
  });

  it("a withdrawal or skip of documents no pending save is of leaves the page's saves in one ledger call", () => {
    const calls: number[] = [];
    const counted = Object.create(ledger.documents) as typeof ledger.documents;
    counted.savePlans = (...args) => (calls.push(args[0].length), ledger.documents.savePlans(...args));
    ledger.documents.savePlan('ch_0', [journal('ch_0:txn_0', 'txn_0'), journal('ch_0:txn_9', 'txn_9')], version, 'planned');
    const saves = new BatchedPlanSaves(counted);
    ledger.inTransaction(() => {
      saves.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
      saves.withdrawDocuments(['ch_0:txn_0']);
      saves.savePlan('ch_2', [journal('ch_2:txn_2', 'txn_2')], version, 'planned');
      saves.skipDocuments(['ch_0:txn_9'], 'by hand');
      saves.savePlan('ch_3', [journal('ch_3:txn_3', 'txn_3')], version, 'planned');
      saves.flush();
    });
    expect(calls).toEqual([3]);
    expect(ledger.documents.getDocument('ch_0:txn_0')).toBeNull();
    expect(ledger.documents.getDocument('ch_0:txn_9')).toMatchObject({ state: 'skipped' });
    expect(ledger.documents.countDocuments()).toMatchObject({ planned: 3, skipped: 1 });
  });

  it('saves nothing until flushed, and nothing twice', () => {
    const saves = new BatchedPlanSaves(ledger.documents);
    saves.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
    expect(ledger.documents.getDocument('ch_1:txn_1')).toBeNull();
    saves.flush();
    saves.flush();
    expect(ledger.documents.countDocuments()).toMatchObject({ planned: 1 });
  });

  it("hands a page's withdrawals to the ledger in one call", () => {
    const calls: string[][] = [];
    const counted = Object.create(ledger.documents) as typeof ledger.documents;
    counted.withdrawDocuments = (docKeys) => (calls.push([...docKeys]), ledger.documents.withdrawDocuments(docKeys));
    ledger.documents.savePlan('ch_0', [journal('ch_0:txn_0', 'txn_0')], version, 'planned');
    const saves = new BatchedPlanSaves(counted);
    ledger.inTransaction(() => {
      saves.withdrawDocuments(['ch_0:txn_0', 'ch_0:txn_0:ar-receipt']);
      saves.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
      saves.withdrawDocuments([]);
      saves.withdrawDocuments(['ch_1:txn_1:ar-receipt']);
      saves.flush();
    });
    expect(calls).toEqual([['ch_0:txn_0', 'ch_0:txn_0:ar-receipt', 'ch_1:txn_1:ar-receipt']]);
    expect(ledger.documents.getDocument('ch_0:txn_0')).toBeNull();
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'planned' });
  });

  it('applies a withdrawal, a new plan and a skip of one document in that order: the plan is saved and skipped, not withdrawn', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
    const saves = new BatchedPlanSaves(ledger.documents);
    ledger.inTransaction(() => {
      saves.withdrawDocuments(['ch_1:txn_1']);
      saves.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_2')], version, 'planned');
      saves.skipDocuments(['ch_1:txn_1'], 'by hand');
      saves.flush();
    });
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'skipped', skipReason: 'by hand' });
    expect(ledger.documents.documentsTracing('txn_2').map((stored) => stored.docKey)).toEqual(['ch_1:txn_1']);
    expect(ledger.documents.documentsTracing('txn_1')).toEqual([]);
  });

  it('applies a withdrawal before a later skip of the same document: withdrawn, the skip finds nothing', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1')], version, 'planned');
    const saves = new BatchedPlanSaves(ledger.documents);
    ledger.inTransaction(() => {
      saves.withdrawDocuments(['ch_1:txn_1']);
      expect(saves.skipDocuments(['ch_1:txn_1'], 'by hand')).toBe(0);
      saves.flush();
    });
    expect(ledger.documents.getDocument('ch_1:txn_1')).toBeNull();
  });
});
