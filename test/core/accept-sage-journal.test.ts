import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { acceptSageJournals, AcceptRefused, isSageJournalAcceptable } from '../../main/core/engine/accept-sage-journal.js';
import type { JournalInSage } from '../../main/core/ports/sage-target.js';
import type { SageRef } from '../../main/core/sage/documents.js';
import { plainCustomerDocument } from '../support/plain-customer-document.js';
import { refuseFoundJournal } from '../../main/core/sage/found-journal.js';
import { mapping } from './fixtures/stripe.js';
import { twoLineJournal } from '../support/two-line-journal.js';

/**
 * "Accept Sage's journal" on a real ledger file, with Sage's cross-reference as a map the test
 * writes by hand: what is recorded (state, Sage's reference, the reason, the transactions booked)
 * and each guard (only a journal refused for a journal found in Sage, the cross-reference asked
 * again, a reason), each checked by what is left unchanged when it refuses.
 */

const REFUSED = 'found-journal-refused';
const KEY = 'ch_1:txn_1';
const SAGE_JOURNAL: SageRef = { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: 7001, sageNumber: '42', batchKey: 9001 };
const REASON = 'difference of 2.50 entered as journal 57 in batch 12';

let dir: string;
let ledger: SqliteLedger;
let asked: string[][];
let xref: Map<string, SageRef>;
const sage = {
  findWritten: async (docKeys: readonly string[]) => {
    asked.push([...docKeys]);
    return new Map([...xref].filter(([docKey]) => docKeys.includes(docKey)));
  },
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-accept-'));
  let tick = 0;
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => new Date(Date.UTC(2026, 2, 10, 12, 0, tick++)).toISOString() });
  const version = ledger.mappings.saveMapping(mapping());
  ledger.documents.savePlan('ch_1', [twoLineJournal(KEY, 'txn_1')], version, 'planned');
  ledger.documents.savePlan('ch_2', [twoLineJournal('ch_2:txn_2', 'txn_2')], version, 'planned');
  asked = [];
  xref = new Map([[KEY, SAGE_JOURNAL]]);
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The write pass's record of the writer's refusal (write-pass.ts recordFailure): a data error with the refusal's code. */
function refuse(docKey: string, errorCode: string | null = REFUSED): void {
  ledger.documents.markWritingAll([docKey]);
  ledger.documents.markFailed(docKey, { errorClass: 'data', errorCode, message: `Journal ${docKey}: Sage's cross-reference already holds this key`, nextAttemptAt: null, dead: false });
}

const refusal = async (docKeys: string[], reason = REASON): Promise<string> => {
  try {
    await acceptSageJournals(ledger.documents, sage, docKeys, reason);
  } catch (error) {
    expect(error).toBeInstanceOf(AcceptRefused);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe("Accept Sage's journal", () => {
  it("records a refused journal as written under Sage's journal, with the reason, and its transaction as booked", async () => {
    refuse(KEY);
    expect(ledger.documents.isTraceBooked('txn_1')).toBe(false);
    expect(await acceptSageJournals(ledger.documents, sage, [KEY], `  ${REASON} `)).toEqual([KEY]);
    expect(asked).toEqual([[KEY]]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({
      state: 'written',
      ref: SAGE_JOURNAL,
      acceptReason: REASON,
      errorClass: null,
      errorCode: null,
      lastError: null,
      skipReason: null,
      document: twoLineJournal(KEY, 'txn_1'),
    });
    expect(ledger.documents.isTraceBooked('txn_1')).toBe(true);
    expect([...ledger.documents.bookedTraceIds(['txn_1', 'txn_2'])]).toEqual(['txn_1']);
    expect(ledger.documents.failedDocuments()).toEqual([]);
  });

  it('refuses a document whose last error is another one (no code, another code), recording nothing and asking Sage nothing', async () => {
    refuse(KEY, null);
    expect(await refusal([KEY])).toMatch(/^ch_1:txn_1: Accept Sage's journal applies only to a GL journal refused because Sage's cross-reference already holds its key/);
    refuse('ch_2:txn_2', 'another-code');
    expect(await refusal(['ch_2:txn_2'])).toMatch(/^ch_2:txn_2: Accept/);
    expect(asked).toEqual([]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'failed', ref: null, acceptReason: null });
  });

  it('refuses a planned, unknown or written document, and refuses the whole request when one of its documents is not refused', async () => {
    refuse(KEY);
    expect(await refusal([KEY, 'ch_2:txn_2'])).toMatch(/^ch_2:txn_2: Accept/);
    expect(await refusal(['ch_9:txn_9'])).toMatch(/^ch_9:txn_9: Accept/);
    expect(ledger.documents.getDocument(KEY)!.state).toBe('failed');
    await acceptSageJournals(ledger.documents, sage, [KEY], REASON);
    expect(await refusal([KEY])).toMatch(/^ch_1:txn_1: Accept/);
  });

  it("asks Sage's cross-reference again: a key a user deleted there is refused, nothing recorded", async () => {
    refuse(KEY);
    xref.clear();
    expect(await refusal([KEY])).toBe(
      "ch_1:txn_1: Sage's cross-reference (tciStripeXref_STRIPE) no longer holds this key, so there is no journal in Sage to accept (a user may have deleted it): nothing was recorded. Retry the document to write it to Sage",
    );
    expect(asked).toEqual([[KEY]]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'failed', ref: null, errorCode: REFUSED });
  });

  it('requires a reason, of at most 500 characters after trimming (the CLI stores what it is given)', async () => {
    refuse(KEY);
    expect(await refusal([KEY], '  ')).toMatch(/^say why Sage's journal is accepted/);
    expect(await refusal([KEY], 'ok')).toMatch(/^say why/);
    expect(await refusal([KEY], 'x'.repeat(501))).toBe(
      'the reason is 501 characters long: keep it to 500 (say what you entered in Sage for the difference): nothing was recorded',
    );
    expect(asked).toEqual([]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'failed', acceptReason: null });
    // 500 after trimming is taken, and stored trimmed.
    const longest = 'y'.repeat(500);
    expect(await acceptSageJournals(ledger.documents, sage, [KEY], `  ${longest}  `)).toEqual([KEY]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'written', acceptReason: longest });
  });

  it("refuses a key Sage's cross-reference holds as another kind of document than a GL journal, recording nothing", async () => {
    refuse(KEY);
    xref.set(KEY, { docKey: KEY, sageTable: 'tsoSalesOrder', sageKey: 501, sageNumber: 'SO-0000501', batchKey: null });
    expect(await refusal([KEY])).toBe(
      "ch_1:txn_1 (tsoSalesOrder key 501): Sage's cross-reference (tciStripeXref_STRIPE) holds this key as another kind of Sage document, not a GL journal (tglJournalHdr), so there is no journal in Sage to accept: nothing was recorded",
    );
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'failed', ref: null, acceptReason: null, errorCode: REFUSED });
    expect(ledger.documents.isTraceBooked('txn_1')).toBe(false);
  });

  it("is not offered for, and refuses, a journal Sage holds unposted in an open batch: its fix is to correct Sage's lines and Retry", async () => {
    const openInSage: JournalInSage = {
      ref: SAGE_JOURNAL,
      lines: [
        { acctNo: '105000', amount: '12.500', comment: 'net', tranDate: '2026-03-10', postDate: null },
        { acctNo: '400000', amount: '-12.500', comment: 'sale', tranDate: '2026-03-10', postDate: null },
      ],
      posted: false,
      batch: { batchNo: 12, status: 1, postStatus: 0 },
    };
    const error = refuseFoundJournal(twoLineJournal(KEY, 'txn_1'), openInSage)!;
    expect(error.message).toMatch(/unposted \(its batch is open\).*then Retry/);
    expect(error.message).not.toMatch(/Accept/);
    ledger.documents.markWritingAll([KEY]);
    ledger.documents.markFailed(KEY, { errorClass: error.errorClass, errorCode: error.code, message: error.message, nextAttemptAt: null, dead: false });
    expect(isSageJournalAcceptable(ledger.documents.getDocument(KEY)!)).toBe(false);
    expect(await refusal([KEY])).toMatch(/^ch_1:txn_1: Accept Sage's journal applies only to/);
    expect(asked).toEqual([]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'failed', ref: null, acceptReason: null });
    // The same journal once its batch is being posted keeps the refusal Accept answers.
    const beingPosted = refuseFoundJournal(twoLineJournal(KEY, 'txn_1'), { ...openInSage, batch: { batchNo: 12, status: 5, postStatus: 100 } })!;
    expect(beingPosted.message).toMatch(/Accept Sage's journal/);
    expect(beingPosted.code).toBe(REFUSED);
  });

  it('the ledger records only a GL journal failed with the code: a journal failed with another code and a customer failed with the code are left alone', () => {
    refuse('ch_2:txn_2', 'another-code');
    expect(ledger.documents.acceptFoundJournals([{ docKey: 'ch_2:txn_2', ref: { ...SAGE_JOURNAL, docKey: 'ch_2:txn_2' } }], REFUSED, REASON)).toEqual([]);
    expect(ledger.documents.getDocument('ch_2:txn_2')).toMatchObject({ state: 'failed', ref: null, acceptReason: null, errorCode: 'another-code' });
    const customerKey = 'cus_1:customer';
    ledger.documents.savePlan('cus_1', [plainCustomerDocument(customerKey)], 1, 'planned');
    refuse(customerKey);
    expect(ledger.documents.getDocument(customerKey)).toMatchObject({ state: 'failed', errorCode: REFUSED });
    expect(ledger.documents.acceptFoundJournals([{ docKey: customerKey, ref: { ...SAGE_JOURNAL, docKey: customerKey } }], REFUSED, REASON)).toEqual([]);
    expect(ledger.documents.getDocument(customerKey)).toMatchObject({ state: 'failed', ref: null, acceptReason: null, errorCode: REFUSED });
  });

  it('a document planned again or retried meanwhile (no longer failed with the code) is left as it is', async () => {
    refuse(KEY);
    // Between the caller's look and the record: a Retry puts it back to planned.
    expect(ledger.documents.retryDocuments({ docKeys: [KEY] })).toBe(1);
    expect(ledger.documents.acceptFoundJournals([{ docKey: KEY, ref: SAGE_JOURNAL }], REFUSED, REASON)).toEqual([]);
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'planned', ref: null, acceptReason: null });
    // A new body planned clears the code with the error: the refusal was of another body.
    refuse(KEY);
    ledger.documents.savePlan('ch_1', [twoLineJournal(KEY, 'txn_1', { description: 'another body' })], 1, 'planned');
    expect(ledger.documents.getDocument(KEY)).toMatchObject({ state: 'planned', errorCode: null });
  });
});
