import { unmaskAccountNo } from '../../main/adapters/sage/gl-checks.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { openBooks, type BooksOptions, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * Simulated books (test/support/simulated-books.ts) with the payout questions the
 * reconciliation tests ask of the ledger and the Sage sandbox.
 */

/** As Sage stores them, without the mask. */
export const CLEARING = unmaskAccountNo(DEFAULT_MAPPING.accounts.clearing);
export const BANK = unmaskAccountNo(DEFAULT_MAPPING.accounts.bank);
export const IN_TRANSIT = unmaskAccountNo(DEFAULT_MAPPING.accounts.payoutsInTransit);

export interface PayoutBooks extends SimulatedBooks {
  /** Ledger documents of a payout: those booking its listed transactions and its own journals. */
  payoutDocKeys(payoutId: string): string[];
  /** Sum of a payout's journal lines on an account in Sage, in thousandths; `ownOnly` keeps the payout's own journals. */
  sageSum(payoutId: string, acctNo: string, ownOnly: boolean): number;
}

/** The shared simulated books plus the payout questions a reconciliation test asks in plain SQL. */
export async function openSimulatedBooks(options: BooksOptions): Promise<PayoutBooks> {
  const base = await openBooks(options, 's5sync-recon-');
  const books: PayoutBooks = {
    ...base,
    payoutDocKeys(payoutId) {
      return books
        .ledgerSql<{ doc_key: string }>(
          `SELECT DISTINCT t.doc_key FROM document_traces t JOIN payout_items p ON p.id = t.trace_id WHERE p.payout_id = ?
           UNION SELECT doc_key FROM documents WHERE stripe_object_id = ?`,
          payoutId,
          payoutId,
        )
        .map((row) => row.doc_key);
    },
    sageSum(payoutId, acctNo, ownOnly) {
      const keys = ownOnly ? books.ledgerSql<{ doc_key: string }>('SELECT doc_key FROM documents WHERE stripe_object_id = ?', payoutId).map((row) => row.doc_key) : books.payoutDocKeys(payoutId);
      if (keys.length === 0) return 0;
      const [row] = books.sageSql<{ total: number | null }>(
        `SELECT SUM(d.PostAmt) AS total FROM tglJournalDetl d
         JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
         WHERE a.GLAcctNo = ? AND x.DocKey IN (${keys.map(() => '?').join(', ')})`,
        acctNo,
        ...keys,
      );
      return row?.total ?? 0;
    },
  };
  return books;
}
