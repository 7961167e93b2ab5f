import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { DocumentReadAhead } from '../../main/core/ports/sage-document-ledger.js';
import { dailySummary } from '../../main/core/posting/daily-summary.js';
import type { SageRef } from '../../main/core/sage/documents.js';
import { plainCustomerDocument } from '../support/plain-customer-document.js';
import { mapping } from '../core/fixtures/stripe.js';
import { twoLineJournal as journal } from '../support/two-line-journal.js';

/**
 * A plan-pass page's documents read ahead (adapters/ledger/document-page-reads.ts): every read
 * answers what the ledger holds at that moment, whether the page answers it or SQL does. The
 * oracle is a second connection to the same file, which never reads ahead.
 */

let dir: string;
let ledger: SqliteLedger;
let plain: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-read-ahead-'));
  let tick = 0;
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => new Date(Date.UTC(2026, 2, 10, 12, 0, tick++)).toISOString() });
  ledger.mappings.saveMapping(mapping());
  plain = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  plain.close();
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});


const ref = (docKey: string): SageRef => ({ docKey, sageTable: 'tglJournal', sageKey: 4711, sageNumber: 'GJ-000123', batchKey: 88 });

/** Documents in every state, keys of page objects and of others (ch_10 shares ch_1's first characters), a daily summary tracing objects and transactions. */
function fill(): void {
  const documents = ledger.documents;
  documents.savePlan('ch_1', [journal('ch_1:txn_1', 'txn_1'), journal('ch_1:txn_1:ar-receipt', 'txn_1')], 1, 'planned');
  documents.savePlan('ch_10', [journal('ch_10:txn_10', 'txn_10')], 1, 'planned');
  documents.savePlan('ch_2', [journal('ch_2:txn_2', 'txn_2')], 1, 'planned');
  documents.savePlan('ch_4', [journal('ch_4:txn_4', 'txn_4')], 1, 'shadow');
  documents.savePlan('ch_5', [journal('ch_5:txn_5', 'txn_5')], 1, 'planned');
  documents.savePlan('in_1', [journal('in_1:paid', 'in_1'), journal('in_1:paid:ar-invoice', 'in_1')], 1, 'planned');
  documents.savePlan('cus_1', [plainCustomerDocument('cus_1:customer')], 1, 'planned');
  const summary = dailySummary('charges', '2026-03-10', 1, [
    { key: 'ch_3:txn_3', stripeObjectId: 'ch_3', lines: journal('ch_3:txn_3', 'txn_3').lines },
    { key: 'ch_6:txn_6', stripeObjectId: 'ch_6', lines: journal('ch_6:txn_6', 'txn_6').lines },
  ]);
  documents.savePlan(summary.key, [summary], 1, 'planned');
  documents.markWritingAll(['ch_1:txn_1', summary.key, 'in_1:paid:ar-invoice']);
  documents.markWrittenAll([
    { docKey: 'ch_1:txn_1', ref: ref('ch_1:txn_1') },
    { docKey: summary.key, ref: ref(summary.key) },
  ]);
  documents.markFailed('ch_2:txn_2', { errorClass: 'data', message: 'Sage refused it', nextAttemptAt: null, dead: false });
  documents.markFailed('ch_5:txn_5', { errorClass: 'data', message: 'Sage refused it again', nextAttemptAt: null, dead: true });
  documents.skipDocuments(['cus_1:customer'], 'exists in Sage');
}

const PAGE: DocumentReadAhead = {
  keyOwners: ['ch_1', 'ch_2', 'ch_3', 'ch_4', 'ch_5', 'ch_7', 'in_1', 'cus_1'],
  objectIds: ['ch_1', 'ch_2', 'ch_3', 'ch_4', 'ch_5', 'ch_7', 'in_1', 'cus_1'],
  traceIds: ['ch_1', 'ch_3', 'ch_6', 'ch_7', 'txn_1', 'txn_2', 'txn_3', 'txn_5', 'txn_7', 'in_1'],
};

const KEYS = [
  'ch_1:txn_1',
  'ch_1:txn_1:ar-receipt',
  'ch_1:txn_1:ar-invoice',
  'ch_10:txn_10',
  'ch_2:txn_2',
  'ch_3:txn_3',
  'ch_4:txn_4',
  'ch_5:txn_5',
  'ch_7:txn_7',
  'in_1:paid',
  'in_1:paid:ar-invoice',
  'cus_1:customer',
  'daily:charges:2026-03-10',
  'ch_1',
  ':ch_1',
  'unknown',
];
const IDS = ['ch_1', 'ch_10', 'ch_2', 'ch_3', 'ch_4', 'ch_5', 'ch_6', 'ch_7', 'in_1', 'cus_1', 'daily:charges:2026-03-10', 'txn_1', 'txn_2', 'txn_3', 'txn_10', 'txn_7'];

/** Every read the page can answer, and some it cannot, by the ledger under test and by the oracle. */
function expectSameAnswers(): void {
  for (const key of KEYS) expect(ledger.documents.getDocument(key), key).toEqual(plain.documents.getDocument(key));
  for (const id of IDS) {
    expect(ledger.documents.documentsForObject(id), id).toEqual(plain.documents.documentsForObject(id));
    expect(ledger.documents.documentsTracing(id), id).toEqual(plain.documents.documentsTracing(id));
    expect(ledger.documents.isTraceBooked(id), id).toBe(plain.documents.isTraceBooked(id));
  }
  expect(ledger.documents.bookedTraceIds(IDS)).toEqual(new Set(IDS.filter((id) => plain.documents.isTraceBooked(id))));
}

describe("a plan-pass page's documents read ahead", () => {
  it('answer every read as the ledger does, for keys, objects and traces the page covers and for those it does not', () => {
    fill();
    ledger.documents.readAhead(PAGE);
    expectSameAnswers();
    // Each read is a copy of its own, as from SQL: a caller changing one changes no later answer.
    const first = ledger.documents.getDocument('ch_1:txn_1')!;
    if (first.document.type === 'journal') first.document.description = 'changed by a caller';
    first.state = 'planned';
    expect(ledger.documents.getDocument('ch_1:txn_1')).toEqual(plain.documents.getDocument('ch_1:txn_1'));
  });

  it('are the ledger as of their reading: another connection’s commit shows once a read past the page has seen it', () => {
    fill();
    ledger.documents.readAhead(PAGE);
    expect(ledger.documents.getDocument('ch_2:txn_2')?.state).toBe('failed');
    // Served from the page as read, proving the page answers: another process's commit lands now.
    plain.documents.skipDocuments(['ch_2:txn_2'], 'booked by hand');
    expect(ledger.documents.getDocument('ch_2:txn_2')?.state).toBe('failed');
    // A read past the page sees the commit; the page must not answer with anything older after it.
    expect(ledger.documents.getDocument('ch_10:txn_10')?.state).toBe('planned');
    expect(ledger.documents.getDocument('ch_2:txn_2')?.state).toBe('skipped');
    expectSameAnswers();
  });

  const writes: [string, () => void][] = [
    ['a plan saved', () => ledger.documents.savePlan('ch_7', [journal('ch_7:txn_7', 'txn_7')], 1, 'planned')],
    ['a plan saved again with new traces', () => ledger.documents.savePlan('ch_2', [journal('ch_2:txn_2', 'txn_7')], 1, 'planned')],
    ['a write started', () => ledger.documents.markWritingAll(['ch_1:txn_1:ar-receipt'])],
    ['a write finished', () => ledger.documents.markWrittenAll([{ docKey: 'in_1:paid:ar-invoice', ref: ref('in_1:paid:ar-invoice') }])],
    ['a failure', () => ledger.documents.markFailed('ch_1:txn_1:ar-receipt', { errorClass: 'data', message: 'no', nextAttemptAt: null, dead: false })],
    ['a user’s skip', () => ledger.documents.skipDocuments(['ch_2:txn_2'], 'booked by hand')],
    ['a user’s retry', () => ledger.documents.retryDocuments({ all: true })],
    ['shadow documents released', () => ledger.documents.releaseShadowDocuments()],
    ['a journal found in Sage', () => ledger.documents.recordFoundInSage([{ document: journal('ch_5:txn_5', 'txn_3'), ref: ref('ch_5:txn_5') }], 1)],
    ['a withdrawal', () => expect(ledger.documents.withdrawDocuments(['ch_1:txn_1:ar-receipt', 'ch_4:txn_4'])).toBe(2)],
  ];
  for (const [what, write] of writes) {
    it(`show ${what} made after the page was read at the next read`, () => {
      fill();
      ledger.documents.readAhead(PAGE);
      expectSameAnswers();
      write();
      expectSameAnswers();
    });
  }

  it('show every change when the page changes more often than it is read again (in this order, each on what the ones before left)', () => {
    fill();
    ledger.documents.readAhead(PAGE);
    for (const [, write] of writes) {
      write();
      expectSameAnswers();
    }
  });

  it('let a withdrawal in the page’s transaction remove a document saved in it, and nothing the page holds as written', () => {
    fill();
    ledger.documents.readAhead(PAGE);
    ledger.inTransaction(() => {
      // The page holds ch_1:txn_1 written and ch_7 with nothing: nothing to withdraw, no statement.
      expect(ledger.documents.withdrawDocuments(['ch_1:txn_1', 'ch_7:txn_7'])).toBe(0);
      ledger.documents.savePlans([{ objectId: 'ch_7', documents: [journal('ch_7:txn_7', 'txn_7')] }], 1, 'planned');
      expect(ledger.documents.withdrawDocuments(['ch_1:txn_1', 'ch_7:txn_7'])).toBe(1);
    });
    expect(ledger.documents.getDocument('ch_7:txn_7')).toBeNull();
    expect(ledger.documents.getDocument('ch_1:txn_1')?.state).toBe('written');
    expectSameAnswers();
  });

  it('are forgotten: forgetReadAhead leaves every read to SQL', () => {
    fill();
    ledger.documents.readAhead(PAGE);
    ledger.documents.forgetReadAhead();
    plain.documents.skipDocuments(['ch_2:txn_2'], 'booked by hand');
    expect(ledger.documents.getDocument('ch_2:txn_2')?.state).toBe('skipped');
  });

  it('are not used after a rollback that may have undone what they read', () => {
    fill();
    expect(() =>
      ledger.inTransaction(() => {
        ledger.documents.savePlan('ch_7', [journal('ch_7:txn_7', 'txn_7')], 1, 'planned');
        ledger.documents.readAhead(PAGE);
        expect(ledger.documents.getDocument('ch_7:txn_7')?.state).toBe('planned');
        throw new Error('the page fails');
      }),
    ).toThrow('the page fails');
    expect(ledger.documents.getDocument('ch_7:txn_7')).toBeNull();
    expectSameAnswers();
  });

  it('hold a document once however many of the page’s ids it traces (a daily summary traces every part)', () => {
    // 600 parts: a summary body of about 0.3 M characters; a page of 300 of its charges asks for
    // 600 of its trace ids. A copy per trace id was about 180 MB of heap; one copy is 0.3 MB.
    const ids = Array.from({ length: 600 }, (_, n) => `ch_${String(n).padStart(24, '0')}`);
    const summary = dailySummary(
      'charges',
      '2026-03-10',
      1,
      ids.map((id) => ({ key: `${id}:txn_${id.slice(3)}`, stripeObjectId: id, lines: journal(`${id}:txn_${id.slice(3)}`, `txn_${id.slice(3)}`).lines })),
    );
    ledger.documents.savePlan(summary.key, [summary], 1, 'shadow');
    const page = ids.slice(0, 300);
    const before = process.memoryUsage().heapUsed;
    ledger.documents.readAhead({ keyOwners: page, objectIds: page, traceIds: [...page, ...page.map((id) => `txn_${id.slice(3)}`)] });
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(30 * 2 ** 20);
    expect(ledger.documents.documentsTracing(`txn_${page[7]!.slice(3)}`)).toEqual(plain.documents.documentsTracing(`txn_${page[7]!.slice(3)}`));
  });
});
