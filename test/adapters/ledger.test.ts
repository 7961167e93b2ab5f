import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { JournalDocument, SageRef } from '../../main/core/sage/documents.js';
import { plainCustomerDocument } from '../support/plain-customer-document.js';
import { bt, charge, creditNote, mapping, payout, refund, T0 } from '../core/fixtures/stripe.js';

let dir: string;
let ledger: SqliteLedger;
let version: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-ledger-'));
  let tick = 0;
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => new Date(Date.UTC(2026, 2, 10, 12, 0, tick++)).toISOString() });
  version = ledger.mappings.saveMapping(mapping());
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function journal(key: string, amount = '10.000', postDate = '2026-03-10'): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate,
    stripeObjectId: key.split(':')[0]!,
    description: `Stripe ${key}`,
    lines: [
      { acctNo: '1050-00', amount, comment: 'net', traceId: 'txn_1' },
      { acctNo: '4000-00', amount: amount.startsWith('-') ? amount.slice(1) : `-${amount}`, comment: 'sale', traceId: 'txn_1' },
    ],
  };
}

const REF: SageRef = { docKey: 'ch_1:txn_1', sageTable: 'tglJournal', sageKey: 4711, sageNumber: 'GJ-000123', batchKey: 88 };

const state = (key: string) => ledger.documents.getDocument(key)?.state;
const body = (key: string) => ledger.documents.getDocument(key)?.document;

describe('Stripe objects', () => {
  it('upsertObjects counts new and changed objects and ignores identical bodies', () => {
    const a = charge({ id: 'ch_a' });
    const b = refund({ id: 're_b' });
    expect(ledger.objects.upsertObjects([a, b])).toBe(2);
    expect(ledger.objects.upsertObjects([a, b])).toBe(0);
    expect(ledger.objects.upsertObjects([{ ...a, amount_refunded: 2_500, refunded: false }, b])).toBe(1);
    expect(ledger.objects.getObject('ch_a')?.object).toMatchObject({ amount_refunded: 2_500 });
    expect(ledger.objects.countObjects()).toMatchObject({ charge: 1, refund: 1, payout: 0 });
    expect(ledger.objects.upsertObjects([])).toBe(0);
  });

  it('a changed object is planned again; an identical one is not', () => {
    const a = charge({ id: 'ch_a' });
    ledger.objects.upsertObjects([a]);
    expect(ledger.objects.objectsToPlan(10, null).map((o) => o.id)).toEqual(['ch_a']);
    ledger.objects.markPlanned(['ch_a']);
    expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
    ledger.objects.upsertObjects([a]);
    expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
    ledger.objects.upsertObjects([{ ...a, disputed: true }]);
    expect(ledger.objects.objectsToPlan(10, null).map((o) => o.id)).toEqual(['ch_a']);
  });

  it('a body changed back to one planned before, or changed by a later connection, is planned again', () => {
    const a = charge({ id: 'ch_a' });
    ledger.objects.upsertObjects([a]);
    ledger.objects.markPlanned(['ch_a']);
    ledger.objects.upsertObjects([{ ...a, disputed: true }]);
    ledger.objects.markPlanned(['ch_a']);
    expect(ledger.objects.upsertObjects([a])).toBe(1);
    expect(ledger.objects.objectsToPlan(10, null).map((o) => o.id)).toEqual(['ch_a']);
    ledger.objects.markPlanned(['ch_a']);
    ledger.close();
    ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
    expect(ledger.objects.upsertObjects([a])).toBe(0);
    expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
    expect(ledger.objects.upsertObjects([{ ...a, disputed: true }])).toBe(1);
    expect(ledger.objects.objectsToPlan(10, null).map((o) => o.id)).toEqual(['ch_a']);
  });

  it('objectsToPlan pages by (created, id) without skipping or repeating', () => {
    const objects = [
      charge({ id: 'ch_c', created: T0 }),
      charge({ id: 'ch_a', created: T0 }),
      refund({ id: 're_z', created: T0 - 10 }),
      charge({ id: 'ch_b', created: T0 }),
      payout({ id: 'po_x', created: T0 + 10 }),
    ];
    ledger.objects.upsertObjects(objects);
    const seen: string[] = [];
    let after: { created: number; id: string } | null = null;
    for (;;) {
      const page = ledger.objects.objectsToPlan(2, after);
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((o) => o.id));
      const last = page.at(-1)!;
      after = { created: last.created, id: last.id };
    }
    expect(seen).toEqual(['re_z', 'ch_a', 'ch_b', 'ch_c', 'po_x']);
  });

  it('lists the objects naming a balance transaction, by id or expanded, earliest (created, id) first', () => {
    ledger.objects.upsertObjects([
      refund({ id: 're_late', created: 300, balance_transaction: 'txn_shared' }),
      charge({ id: 'ch_b', created: 200, balance_transaction: bt({ id: 'txn_shared', amount: 1_000, source: null }) }),
      refund({ id: 're_a', created: 200, balance_transaction: null, failure_balance_transaction: 'txn_shared' }),
      charge({ id: 'ch_other', created: 100, balance_transaction: 'txn_other' }),
    ]);
    expect(ledger.objects.objectsNamingBalanceTransaction('txn_shared')).toEqual(['ch_b', 're_a', 're_late']);
    expect(ledger.objects.objectsNamingBalanceTransaction('txn_none')).toEqual([]);
  });

  it('stores credit note → refund links', () => {
    ledger.objects.upsertObjects([creditNote({ id: 'cn_1', total: 3_000, refunds: [{ refund: 're_1', amount_refunded: 3_000 }] })]);
    expect(ledger.objects.creditNoteForRefund('re_1')).toBe('cn_1');
    expect(ledger.objects.creditNoteForRefund('re_2')).toBeNull();
  });

  it("setObjectIssues clears a page's planned objects' issues and records the others' in one call", () => {
    ledger.objects.setObjectIssue({ objectId: 'ch_fixed', errorClass: 'data', message: 'no customer' });
    ledger.objects.setObjectIssue({ objectId: 'ch_still', errorClass: 'data', message: 'no customer' });
    ledger.objects.setObjectIssue({ objectId: 'ch_other', errorClass: 'configuration', message: 'no account' });
    ledger.objects.setObjectIssues([
      { objectId: 'ch_fixed', errorClass: null },
      { objectId: 'ch_still', errorClass: 'waiting', message: 'day not over' },
      { objectId: 'ch_new', errorClass: 'data', message: 'bad amount' },
    ]);
    expect(ledger.objects.objectIssues()).toEqual([
      { objectId: 'ch_new', errorClass: 'data', message: 'bad amount' },
      { objectId: 'ch_other', errorClass: 'configuration', message: 'no account' },
      { objectId: 'ch_still', errorClass: 'waiting', message: 'day not over' },
    ]);
  });

  it('payoutsToItemise lists reconciled automatic standard payouts until their items are read', () => {
    ledger.objects.upsertObjects([
      payout({ id: 'po_done' }),
      payout({ id: 'po_pending', reconciliation_status: 'in_progress' }),
      payout({ id: 'po_manual', automatic: false, reconciliation_status: 'not_applicable' }),
      payout({ id: 'po_instant', method: 'instant' }),
    ]);
    expect(ledger.objects.payoutsToItemise()).toEqual(['po_done']);
    ledger.objects.upsertBalanceTransactions([], 'po_done');
    expect(ledger.objects.payoutsToItemise()).toEqual([]);
  });
});

describe('balance transactions and payout items', () => {
  it('payoutItems is null until the payout is itemised, then its BTs (even none)', () => {
    expect(ledger.objects.payoutItems('po_1')).toBeNull();
    const sale = bt({ id: 'txn_1', amount: 10_000, source: { id: 'ch_1', object: 'charge' } });
    ledger.objects.upsertBalanceTransactions([sale], null);
    expect(ledger.objects.payoutItems('po_1')).toBeNull();
    expect(ledger.objects.getBalanceTransaction('txn_1')?.source).toBe('ch_1');
    ledger.objects.upsertBalanceTransactions([sale, bt({ id: 'txn_0', amount: -500 })], 'po_1');
    expect(ledger.objects.payoutItems('po_1')?.map((entry) => entry.id)).toEqual(['txn_0', 'txn_1']);
    // Re-reading the BT without a payout keeps its payout link.
    ledger.objects.upsertBalanceTransactions([{ ...sale, status: 'available' }], null);
    expect(ledger.objects.payoutItems('po_1')).toHaveLength(2);
    ledger.objects.upsertBalanceTransactions([], 'po_empty');
    expect(ledger.objects.payoutItems('po_empty')).toEqual([]);
  });

  it("a transaction's lineage names the payout whose list holds it, read page by page or not yet itemised", () => {
    const sale = bt({ id: 'txn_1', amount: 10_000, source: { id: 'ch_1', object: 'charge' } });
    const refund = bt({ id: 'txn_2', amount: -500, source: { id: 'ch_1', object: 'charge' } });
    ledger.objects.upsertBalanceTransactions([sale, refund], null);
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ payoutId }) => payoutId)).toEqual([null, null]);
    ledger.objects.addPayoutItems([bt({ id: 'txn_0', amount: 1 })], 'po_a');
    ledger.objects.addPayoutItems([refund], 'po_b');
    expect(ledger.objects.isPayoutItemised('po_b')).toBe(false);
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ transaction, payoutId }) => [transaction.id, payoutId])).toEqual([
      ['txn_1', null],
      ['txn_2', 'po_b'],
    ]);
    ledger.objects.addPayoutItems([sale, refund], 'po_b');
    expect(ledger.objects.payoutItemsAfter('po_b', null, 10).map((item) => item.id)).toEqual(['txn_1', 'txn_2']);
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ payoutId }) => payoutId)).toEqual(['po_b', 'po_b']);
  });

  it("a transaction of a failed payout, listed again by the later payout that paid it, is shown as that payout's", () => {
    // Stripe returns a failed payout's funds to the balance and pays them out again, so the
    // transaction is in both lists; the failed one sorts first by id and was created first.
    ledger.objects.upsertObjects([payout({ id: 'po_A', status: 'failed', created: T0 }), payout({ id: 'po_Z', status: 'paid', created: T0 + 86_400 })]);
    const sale = bt({ id: 'txn_1', amount: 10_000, source: { id: 'ch_1', object: 'charge' } });
    ledger.objects.upsertBalanceTransactions([sale], 'po_A');
    ledger.objects.upsertBalanceTransactions([sale], 'po_Z');
    expect(ledger.objects.payoutItems('po_A')?.map((item) => item.id)).toEqual(['txn_1']);
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ payoutId }) => payoutId)).toEqual(['po_Z']);
    // A later payout that failed too does not take it from the one that paid.
    ledger.objects.upsertObjects([payout({ id: 'po_ZZ', status: 'failed', created: T0 + 2 * 86_400 })]);
    ledger.objects.upsertBalanceTransactions([sale], 'po_ZZ');
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map(({ payoutId }) => payoutId)).toEqual(['po_Z']);
  });
});

describe('savePlan', () => {
  it('stores planned or shadow documents with the mapping version; a shadow plan becomes planned when re-planned live', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'shadow');
    expect(state('ch_1:txn_1')).toBe('shadow');
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    expect(state('ch_1:txn_1')).toBe('planned');
    expect(ledger.documents.getDocument('ch_1:txn_1')?.mappingVersion).toBe(version);
  });

  it('refuses a mapping version that was never saved (foreign key)', () => {
    expect(() => ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version + 7, 'planned')).toThrow(/FOREIGN KEY/);
  });

  it.each(['writing', 'written', 'skipped'] as const)('never replaces a %s document', (target) => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    if (target === 'writing' || target === 'written') ledger.documents.markWriting('ch_1:txn_1');
    if (target === 'written') ledger.documents.markWritten('ch_1:txn_1', REF);
    if (target === 'skipped') ledger.documents.skipDocuments(['ch_1:txn_1'], 'booked by hand');
    const v2 = ledger.mappings.saveMapping(mapping({ journalId: 'SJ' }));
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', '99.000')], v2, 'planned');
    const stored = ledger.documents.getDocument('ch_1:txn_1')!;
    expect(stored.state).toBe(target);
    expect(stored.document).toEqual(journal('ch_1:txn_1'));
    expect(stored.mappingVersion).toBe(version);
  });

  it.each(['failed', 'dead'] as const)('re-plans a %s document whose plan changed, clearing its error', (target) => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    ledger.documents.markWriting('ch_1:txn_1');
    ledger.documents.markFailed('ch_1:txn_1', { errorClass: 'configuration', message: 'account 4000-00 is inactive', nextAttemptAt: null, dead: target === 'dead' });
    expect(state('ch_1:txn_1')).toBe(target);
    const v2 = ledger.mappings.saveMapping(mapping({ accounts: { ...mapping().accounts, revenue: '4010-00' } }));
    const replanned = journal('ch_1:txn_1', '12.000');
    ledger.documents.savePlan('ch_1', [replanned], v2, 'planned');
    const stored = ledger.documents.getDocument('ch_1:txn_1')!;
    expect(stored).toMatchObject({ state: 'planned', errorClass: null, lastError: null, nextAttemptAt: null, mappingVersion: v2, attempts: 1 });
    expect(stored.document).toEqual(replanned);
  });

  it('leaves a failed document alone when the new plan is identical (retry is explicit)', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    ledger.documents.markFailed('ch_1:txn_1', { errorClass: 'data', message: 'bad', nextAttemptAt: null, dead: false });
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'failed', lastError: 'bad' });
  });

  it("a journal's traces follow its plan: a new one is found by its traces, a changed one no longer by those it dropped", () => {
    const tracing = (traceId: string) => ledger.documents.documentsTracing(traceId).map((doc) => doc.docKey);
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    expect(tracing('txn_1')).toEqual(['ch_1:txn_1']);
    const moved = journal('ch_1:txn_1');
    moved.lines = moved.lines.map((line) => ({ ...line, traceId: 'txn_9' }));
    ledger.documents.savePlans([{ objectId: 'ch_1', documents: [moved] }], version, 'planned');
    expect(tracing('txn_1')).toEqual([]);
    expect(tracing('txn_9')).toEqual(['ch_1:txn_1']);
    // Saved again unchanged, in the same call as a new document: neither is traced twice.
    ledger.documents.savePlans([{ objectId: 'ch_1', documents: [moved] }, { objectId: 'ch_2', documents: [journal('ch_2:txn_1')] }], version, 'planned');
    expect(tracing('txn_9')).toEqual(['ch_1:txn_1']);
    expect(tracing('txn_1')).toEqual(['ch_2:txn_1']);
  });

  it('withdrawDocuments removes unwritten documents with their traces and leaves written, in-flight and unknown ones', () => {
    ledger.documents.savePlans(
      [
        { objectId: 'ch_1', documents: [journal('ch_1:txn_1')] },
        { objectId: 'ch_2', documents: [journal('ch_2:txn_1')] },
        { objectId: 'ch_3', documents: [journal('ch_3:txn_1')] },
        { objectId: 'ch_4', documents: [journal('ch_4:txn_1')] },
      ],
      version,
      'planned',
    );
    ledger.documents.markWritingAll(['ch_2:txn_1', 'ch_3:txn_1']);
    ledger.documents.markWrittenAll([{ docKey: 'ch_2:txn_1', ref: { ...REF, docKey: 'ch_2:txn_1' } }]);
    ledger.documents.markFailed('ch_4:txn_1', { errorClass: 'data', message: 'bad', nextAttemptAt: null, dead: false });
    expect(ledger.documents.withdrawDocuments(['ch_9:txn_1', 'ch_2:txn_1', 'ch_3:txn_1'])).toBe(0);
    expect(ledger.documents.withdrawDocuments(['ch_9:txn_1', 'ch_1:txn_1', 'ch_2:txn_1', 'ch_4:txn_1'])).toBe(2);
    expect([state('ch_1:txn_1'), state('ch_2:txn_1'), state('ch_3:txn_1'), state('ch_4:txn_1')]).toEqual([undefined, 'written', 'writing', undefined]);
    expect(ledger.documents.documentsTracing('txn_1').map((doc) => doc.docKey)).toEqual(['ch_2:txn_1', 'ch_3:txn_1']);
  });

  it('updates a planned document in place when its plan changes', () => {
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', '11.000')], version, 'planned');
    expect(body('ch_1:txn_1')).toEqual(journal('ch_1:txn_1', '11.000'));
    expect(ledger.documents.countDocuments().planned).toBe(1);
  });
});

describe('document state machine', () => {
  beforeEach(() => {
    ledger.documents.savePlan('ch_2', [journal('ch_2:txn_2', '10.000', '2026-03-11')], version, 'planned');
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1', '10.000', '2026-03-10')], version, 'planned');
    ledger.documents.savePlan('cus_1', [plainCustomerDocument('cus_1:customer')], version, 'planned');
  });

  it('writes customers first, then journals by date', () => {
    expect(ledger.documents.documentsToWrite('2026-03-10T12:00:00Z', 10).map((doc) => doc.docKey)).toEqual(['cus_1:customer', 'ch_1:txn_1', 'ch_2:txn_2']);
    expect(ledger.documents.documentsToWrite('2026-03-10T12:00:00Z', 1)).toHaveLength(1);
  });

  it('planned → writing → written records the Sage reference', () => {
    ledger.documents.markWriting('ch_1:txn_1');
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'writing', attempts: 1 });
    expect(ledger.documents.documentsToWrite('2030-01-01T00:00:00Z', 10).map((doc) => doc.docKey)).not.toContain('ch_1:txn_1');
    ledger.documents.markWritten('ch_1:txn_1', REF);
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'written', ref: REF, lastError: null });
    expect(ledger.documents.documentsInState('written', 10).map((doc) => doc.docKey)).toEqual(['ch_1:txn_1']);
  });

  it('requeue puts only interrupted (writing) documents back to planned', () => {
    ledger.documents.markWriting('ch_1:txn_1');
    ledger.documents.markWriting('ch_2:txn_2');
    ledger.documents.markWritten('ch_2:txn_2', { ...REF, docKey: 'ch_2:txn_2' });
    ledger.documents.requeue(['ch_1:txn_1', 'ch_2:txn_2', 'cus_1:customer', 'nope']);
    expect([state('ch_1:txn_1'), state('ch_2:txn_2'), state('cus_1:customer')]).toEqual(['planned', 'written', 'planned']);
    expect(ledger.documents.getDocument('ch_1:txn_1')?.attempts).toBe(1);
  });

  it('a transient failure is due again at its retry time; a dead one never', () => {
    ledger.documents.markWriting('ch_1:txn_1');
    ledger.documents.markFailed('ch_1:txn_1', { errorClass: 'transient', message: 'SQL Server timeout', nextAttemptAt: '2026-03-10T12:05:00.000Z', dead: false });
    ledger.documents.markWriting('ch_2:txn_2');
    ledger.documents.markFailed('ch_2:txn_2', { errorClass: 'transient', message: 'SQL Server timeout', nextAttemptAt: null, dead: true });
    const due = (now: string) => ledger.documents.documentsToWrite(now, 10).map((doc) => doc.docKey);
    expect(due('2026-03-10T12:04:59.999Z')).toEqual(['cus_1:customer']);
    expect(due('2026-03-10T12:05:00.000Z')).toEqual(['cus_1:customer', 'ch_1:txn_1']);
    expect(ledger.documents.getDocument('ch_2:txn_2')).toMatchObject({ state: 'dead', errorClass: 'transient', lastError: 'SQL Server timeout' });
    ledger.documents.markFailed('cus_1:customer', { errorClass: 'data', message: 'duplicate', nextAttemptAt: '2000-01-01T00:00:00Z', dead: false });
    expect(due('2030-01-01T00:00:00Z')).toEqual(['ch_1:txn_1']);
  });

  it('retryDocuments by keys, by cause and all, counting only failed and dead ones', () => {
    ledger.documents.markFailed('ch_1:txn_1', { errorClass: 'configuration', message: 'account 6150-00 missing', nextAttemptAt: null, dead: false });
    ledger.documents.markFailed('ch_2:txn_2', { errorClass: 'configuration', message: 'account 6150-00 missing', nextAttemptAt: null, dead: true });
    ledger.documents.markFailed('cus_1:customer', { errorClass: 'data', message: 'CustID taken', nextAttemptAt: null, dead: false });

    expect(ledger.documents.retryDocuments({ docKeys: ['ch_1:txn_1', 'unknown'] })).toBe(1);
    expect(state('ch_1:txn_1')).toBe('planned');
    expect(ledger.documents.retryDocuments({ docKeys: ['ch_1:txn_1'] })).toBe(0); // already planned

    expect(ledger.documents.retryDocuments({ cause: 'no such cause' })).toBe(0);
    expect(ledger.documents.retryDocuments({ cause: 'account 6150-00 missing' })).toBe(1);
    expect(state('ch_2:txn_2')).toBe('planned');
    expect(state('cus_1:customer')).toBe('failed');

    expect(ledger.documents.retryDocuments({ all: true })).toBe(1);
    expect(ledger.documents.countDocuments()).toEqual({ planned: 3, writing: 0, written: 0, failed: 0, dead: 0, skipped: 0, shadow: 0 });
  });

  it('retry never touches written, writing or skipped documents', () => {
    ledger.documents.markWriting('ch_1:txn_1');
    ledger.documents.markWritten('ch_1:txn_1', REF);
    ledger.documents.markWriting('ch_2:txn_2');
    ledger.documents.skipDocuments(['cus_1:customer'], 'exists in Sage');
    expect(ledger.documents.retryDocuments({ all: true })).toBe(0);
    expect([state('ch_1:txn_1'), state('ch_2:txn_2'), state('cus_1:customer')]).toEqual(['written', 'writing', 'skipped']);
  });

  it('skipDocuments skips planned, failed, dead and shadow documents, never written or writing ones', () => {
    ledger.documents.savePlan('ch_3', [journal('ch_3:txn_3')], version, 'shadow');
    ledger.documents.markFailed('ch_2:txn_2', { errorClass: 'data', message: 'x', nextAttemptAt: null, dead: true });
    ledger.documents.markWriting('ch_1:txn_1');
    expect(ledger.documents.skipDocuments(['ch_1:txn_1', 'ch_2:txn_2', 'ch_3:txn_3', 'cus_1:customer', 'unknown'], 'booked by hand')).toBe(3);
    expect([state('ch_1:txn_1'), state('ch_2:txn_2'), state('ch_3:txn_3'), state('cus_1:customer')]).toEqual(['writing', 'skipped', 'skipped', 'skipped']);
    ledger.documents.markWritten('ch_1:txn_1', REF);
    expect(ledger.documents.skipDocuments(['ch_1:txn_1'], 'again')).toBe(0);
    expect(ledger.documents.documentsToWrite('2030-01-01T00:00:00Z', 10)).toEqual([]);
  });

  it('documentsForObject lists an object’s documents', () => {
    ledger.documents.savePlan('re_1', [journal('re_1:txn_r1'), journal('re_1:txn_rf1', '-10.000', '2026-03-12')], version, 'planned');
    expect(ledger.documents.documentsForObject('re_1').map((doc) => doc.docKey)).toEqual(['re_1:txn_r1', 're_1:txn_rf1']);
    expect(ledger.documents.documentsForObject('nothing')).toEqual([]);
  });
});

describe('mapping versions', () => {
  it('increase only when the mapping changes', () => {
    expect(version).toBe(1);
    expect(ledger.mappings.saveMapping(mapping())).toBe(1);
    const changed = mapping({ timeZone: 'Pacific/Auckland' });
    expect(ledger.mappings.saveMapping(changed)).toBe(2);
    expect(ledger.mappings.saveMapping(changed)).toBe(2);
    expect(ledger.mappings.currentMapping()).toEqual({ version: 2, mapping: changed });
    expect(ledger.mappings.saveMapping(mapping())).toBe(3);
    expect(ledger.mappings.currentMapping()?.mapping.timeZone).toBe('America/Chicago');
  });
});

describe('chunk-level state changes (write pass)', () => {
  beforeEach(() => {
    ledger.documents.savePlan('cus_1', [plainCustomerDocument('cus_1')], version, 'planned');
    ledger.documents.savePlan('ch_1', [journal('ch_1:txn_1')], version, 'planned');
    ledger.documents.savePlan('ch_2', [journal('ch_2:txn_2')], version, 'planned');
  });

  it('markWritingAll marks the whole chunk, or none of it when one is not waiting to be written', () => {
    ledger.documents.markWriting('ch_2:txn_2');
    ledger.documents.markWritten('ch_2:txn_2', { ...REF, docKey: 'ch_2:txn_2' });
    expect(() => ledger.documents.markWritingAll(['cus_1', 'ch_1:txn_1', 'ch_2:txn_2'])).toThrow(/ch_2:txn_2 is not waiting to be written/);
    expect([state('cus_1'), state('ch_1:txn_1'), state('ch_2:txn_2')]).toEqual(['planned', 'planned', 'written']);
    expect(() => ledger.documents.markWritingAll(['ch_1:txn_1', 'ch_1:txn_1'])).toThrow(/ch_1:txn_1 is not waiting/);
    expect(state('ch_1:txn_1')).toBe('planned');
    ledger.documents.markWritingAll(['cus_1', 'ch_1:txn_1']);
    expect([state('cus_1'), state('ch_1:txn_1')]).toEqual(['writing', 'writing']);
    expect(ledger.documents.getDocument('ch_1:txn_1')?.attempts).toBe(1);
  });

  it('markWrittenAll records each document\'s own Sage reference and queues the write-backs of customers only', () => {
    ledger.documents.markWritingAll(['cus_1', 'ch_1:txn_1']);
    ledger.documents.markWrittenAll([
      { docKey: 'cus_1', ref: { docKey: 'cus_1', sageTable: 'tarCustomer', sageKey: 41, sageNumber: 'C00041', batchKey: null } },
      { docKey: 'ch_1:txn_1', ref: { docKey: 'ch_1:txn_1', sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '12', batchKey: 3 } },
    ]);
    expect(ledger.documents.getDocument('cus_1')).toMatchObject({ state: 'written', ref: { sageTable: 'tarCustomer', sageKey: 41, sageNumber: 'C00041', batchKey: null } });
    expect(ledger.documents.getDocument('ch_1:txn_1')).toMatchObject({ state: 'written', ref: { sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '12', batchKey: 3 } });
    expect(state('ch_2:txn_2')).toBe('planned');
    expect(ledger.documents.pendingWriteBacks(10).map((doc) => doc.docKey)).toEqual(['cus_1']);
  });
});
