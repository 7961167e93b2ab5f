import { describe, expect, it } from 'vitest';
import type { JournalInSage } from '../../main/core/ports/sage-target.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { refuseFoundJournal } from '../../main/core/sage/found-journal.js';

/**
 * refuseFoundJournal on journals as Sage would give them back, written here by hand (no
 * sandbox: cases the sandbox cannot make, such as SQL Server's case-insensitive collation).
 */

const DAY = '2026-11-26';

function document(lines: [string, string][], postDate = DAY): JournalDocument {
  return {
    type: 'journal',
    key: 'daily:charges:2026-11-26',
    postDate,
    stripeObjectId: 'ch_a',
    description: 'charges',
    lines: lines.map(([acctNo, amount]) => ({ acctNo, amount, comment: 'c', traceId: 'txn_a' })),
  };
}

function pending(lines: [string, string][]): JournalInSage {
  return {
    ref: { docKey: 'daily:charges:2026-11-26', sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '12', batchKey: 3 },
    lines: lines.map(([acctNo, amount]) => ({ acctNo, amount, comment: 'c', tranDate: DAY, postDate: null })),
    posted: false,
    batch: { batchNo: 4, status: 4, postStatus: 0 },
  };
}

describe('a found journal compared account by account', () => {
  it("an account the document spells in lower case is Sage's upper-case GLAcctNo (SQL Server's collation finds it whatever its case)", () => {
    const sage = pending([
      ['ABC100', '10.000'],
      ['400000', '-10.000'],
    ]);
    expect(refuseFoundJournal(document([['abc-100', '10.000'], ['4000-00', '-10.000']]), sage)).toBeNull();
    expect(refuseFoundJournal(document([['abc-100', '12.000'], ['4000-00', '-12.000']]), sage)?.message).toContain(
      "Lines that differ (Sage's, then this document's): 4000-00: Sage -10.000, this document -12.000; abc-100: Sage 10.000, this document 12.000.",
    );
  });

  it('a document line whose amount is not a Sage amount: a data refusal naming it, never a throw (the chunk and the recovery go on)', () => {
    const refusal = refuseFoundJournal(document([['1050-00', '12x'], ['4000-00', '-12']]), pending([['105000', '12.000'], ['400000', '-12.000']]));
    expect(refusal).toMatchObject({
      errorClass: 'data',
      sageField: 'tglJournalDetl.PostAmt',
      message:
        "Journal daily:charges:2026-11-26: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal 12 in GL batch 4, " +
        'but this document cannot be compared with it: line 1: "12x" is not a decimal amount with at most 3 decimals (tglJournalDetl.PostAmt). ' +
        'Nothing was written, and the sync does not record this document as written.',
    });
  });
});
