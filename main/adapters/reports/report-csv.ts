import type { PeriodReport, SageJournalLine } from '../../core/reconciliation/payout-report.js';

/**
 * The period report as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled): one row per Sage journal line of the period's payouts, each
 * journal once, with its payout and lineage, so the amount column adds up to the sums in
 * tglJournalDetl and the sheet can be pivoted by account, payout or category.
 */
export const REPORT_CSV_COLUMNS = [
  'payout',
  'payout_kind',
  'payout_status',
  'arrival_date',
  'payout_amount',
  'reconciliation',
  'stripe_events',
  'stripe_object',
  'balance_transaction',
  'category',
  'bt_gross',
  'bt_fee',
  'bt_net',
  'ledger_document',
  'sage_batch',
  'sage_journal',
  'entry',
  'account',
  'amount',
  'comment',
] as const;

export function renderReportCsv(report: PeriodReport): string {
  const rows: string[][] = [[...REPORT_CSV_COLUMNS]];
  const seen = new Set<string>();
  for (const payout of report.payouts) {
    for (const line of payout.sage.lines) {
      const key = journalLineKey(line);
      if (seen.has(key)) continue;
      seen.add(key);
      const lineage = payout.lineage.find((row) => row.documents.some((doc) => doc.startsWith(`${line.docKey} (`)));
      rows.push([
        payout.payoutId,
        payout.kind,
        payout.status,
        payout.arrival,
        payout.amount,
        payout.state,
        lineage?.eventIds.join(' ') ?? '',
        lineage?.objectId ?? '',
        lineage?.balanceTransaction ?? '',
        lineage?.category ?? '',
        lineage?.gross ?? '',
        lineage?.fee ?? '',
        lineage?.net ?? '',
        line.docKey,
        String(line.batchNo),
        String(line.journalNo),
        String(line.entryNo),
        line.acctNo,
        line.amount,
        line.comment,
      ]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function journalLineKey(line: SageJournalLine): string {
  return `${line.batchNo}|${line.journalNo}|${line.entryNo}`;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
