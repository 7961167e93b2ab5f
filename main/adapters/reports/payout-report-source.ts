import type { Ledger, StoredDocument } from '../../core/ports/ledger.js';
import { heldNotes } from '../../core/engine/payout-journal-order.js';
import {
  buildPayoutReport,
  buildPeriodReport,
  type PeriodReport,
  type ReportAccounts,
  type ReportDocument,
  type SageJournalLine,
} from '../../core/reconciliation/payout-report.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { businessDate } from '../../core/time/business-date.js';
import type { StripeBalanceTransaction, StripePayout } from '../../core/stripe/objects.js';
import { unmaskAccountNo } from '../sage/gl-checks.js';
import { numberColumn, textColumn, varchar } from '../sage/sql-params.js';
import type { SagePort } from '../sage/sql-port.js';

/**
 * Gathers the facts of the period's payouts from the ledger and reads their journals back
 * from Sage with plain SQL, then lets the pure core build the report. Amounts come from Sage
 * itself (tglJournalDetl), not from our plans, so the report shows what the accountant will
 * see in Sage.
 */

/** Every journal line of one written document, by the cross-reference row our writer made. */
export const SELECT_JOURNAL_LINES_OF_DOCUMENT = `SELECT x.DocKey, b.BatchNo, h.JrnlNo, d.EntryNo, a.GLAcctNo, d.PostAmt, d.PostCmnt
FROM tglJournalDetl d
INNER JOIN tglJournalHdr h ON h.JrnlHdrKey = d.JrnlHdrKey
INNER JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = h.JrnlHdrKey AND x.CompanyID = h.CompanyID
INNER JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
INNER JOIN tciBatchLog b ON b.BatchKey = h.BatchKey
WHERE x.CompanyID = @companyId AND x.DocKey = @docKey
ORDER BY d.EntryNo`;

export interface ReportSource {
  ledger: Ledger;
  sage: SagePort;
  companyId: string;
  accounts: ReportAccounts;
}

export async function readPeriodReport(source: ReportSource, from: BusinessDate, to: BusinessDate): Promise<PeriodReport> {
  const { ledger } = source;
  // Sage keeps account numbers without the mask, and the report's amounts come from Sage.
  const accounts = { ...source.accounts, clearing: unmaskAccountNo(source.accounts.clearing), bank: unmaskAccountNo(source.accounts.bank) };
  const payouts = ledger.objects
    .payouts()
    .map((stored) => stored.object as StripePayout)
    .filter((payout) => {
      const arrival = businessDate(payout.arrival_date, accounts.timeZone);
      return arrival >= from && arrival <= to;
    });
  const sageCache = new Map<string, SageJournalLine[]>();
  const reports = [];
  for (const payout of payouts) {
    const items = ledger.objects.payoutItems(payout.id);
    const ownTransactions = [payout.balance_transaction, payout.failure_balance_transaction]
      .map((field) => (field === null ? null : typeof field === 'string' ? ledger.objects.getBalanceTransaction(field) : field))
      .filter((bt): bt is StripeBalanceTransaction => bt !== null);
    const traced = new Map<string, StoredDocument>();
    for (const bt of [...(items ?? []), ...ownTransactions]) {
      for (const doc of ledger.documents.documentsTracing(bt.id)) if (doc.document.type === 'journal') traced.set(doc.docKey, doc);
    }
    for (const doc of ledger.documents.documentsForObject(payout.id)) if (doc.document.type === 'journal') traced.set(doc.docKey, doc);
    const documents: ReportDocument[] = [...traced.values()].flatMap((doc) =>
      doc.document.type === 'journal' ? [{ docKey: doc.docKey, state: doc.state, document: doc.document }] : [],
    );
    const sageLines: SageJournalLine[] = [];
    for (const doc of documents) {
      if (doc.state !== 'written') continue;
      let lines = sageCache.get(doc.docKey);
      if (!lines) {
        lines = await readJournalLines(source, doc.docKey);
        sageCache.set(doc.docKey, lines);
      }
      sageLines.push(...lines);
    }
    reports.push(
      buildPayoutReport(
        {
          payout,
          items,
          ownTransactions,
          documents,
          sageLines,
          eventIds: (objectId) => ledger.objects.eventIdsForObject(objectId),
          waitingReason: ledger.objects.objectIssue(payout.id)?.message ?? (heldNotes(ledger.documents.documentsForObject(payout.id)).join(' ') || null),
        },
        accounts,
      ),
    );
  }
  return buildPeriodReport(from, to, reports);
}

async function readJournalLines(source: ReportSource, docKey: string): Promise<SageJournalLine[]> {
  const rows = await source.sage.query(SELECT_JOURNAL_LINES_OF_DOCUMENT, { companyId: varchar(3, source.companyId), docKey: varchar(100, docKey) });
  return rows.map((row) => ({
    docKey,
    batchNo: numberColumn(row, 'BatchNo'),
    journalNo: numberColumn(row, 'JrnlNo'),
    entryNo: numberColumn(row, 'EntryNo'),
    acctNo: textColumn(row, 'GLAcctNo') ?? '',
    amount: textColumn(row, 'PostAmt') ?? '0.000',
    comment: textColumn(row, 'PostCmnt') ?? '',
  }));
}

