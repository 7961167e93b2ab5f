import type { PayoutReport, PeriodReport } from '../../core/reconciliation/payout-report.js';

/**
 * The period report as plain text for the screen or a printer: one block per payout
 * (Stripe side, Sage side, the proof, the lineage), then the period totals by account.
 * Fixed-width columns, no colours, fits 100 characters.
 */
export function renderReportTable(report: PeriodReport): string[] {
  const out: string[] = [];
  out.push(`Payout reconciliation ${report.from} to ${report.to}: ${report.payouts.length} payout(s), ${report.waiting} waiting`);
  out.push('');
  for (const payout of report.payouts) out.push(...renderPayout(payout), '');
  out.push('Period totals (Sage tglJournalDetl of the journals above, each journal once)');
  for (const [account, amount] of Object.entries(report.sageTotalsByAccount)) out.push(`  ${account.padEnd(20)} ${amount.padStart(16)}`);
  out.push(`  ${'all lines'.padEnd(20)} ${report.sageTotal.padStart(16)}`);
  out.push(`  ${'payouts (Stripe)'.padEnd(20)} ${report.payoutTotal.padStart(16)}`);
  return out;
}

function renderPayout(payout: PayoutReport): string[] {
  const out: string[] = [];
  out.push(`${payout.payoutId}  ${payout.kind} ${payout.status}  created ${payout.created}  arrival ${payout.arrival}  ${payout.amount} ${payout.currency}  [${payout.state}]`);
  out.push(`  ${payout.note}`);
  if (payout.stripe.itemised) {
    out.push(`  Stripe: ${payout.stripe.transactionCount} transaction(s), net ${payout.stripe.net}`);
    for (const [category, amount] of Object.entries(payout.stripe.grossByCategory)) out.push(`    gross ${category.padEnd(24)} ${amount.padStart(14)}`);
    for (const [type, amount] of Object.entries(payout.stripe.feesByType)) out.push(`    fee   ${type.padEnd(24)} ${amount.padStart(14)}`);
  } else {
    out.push('  Stripe: not itemised (Stripe cannot list the transactions of manual or instant payouts)');
  }
  out.push(`  Sage: batch(es) ${list(payout.sage.batches)}, journal(s) ${list(payout.sage.journals)}; bank ${payout.sage.bank}, clearing net ${payout.sage.clearingNet}`);
  for (const [account, amount] of Object.entries(payout.sage.totalsByAccount)) out.push(`    ${account.padEnd(30)} ${amount.padStart(14)}`);
  out.push('  Lineage: event → object → balance transaction → ledger document → Sage');
  for (const row of payout.lineage) {
    out.push(
      `    ${row.eventIds.at(-1) ?? '-'} → ${row.objectId} → ${row.balanceTransaction} ${row.category} ${row.net} → ${row.documents.join(', ') || 'no document'} → ${row.sage.join(', ') || 'not in Sage'}`,
    );
  }
  return out;
}

function list(values: readonly number[]): string {
  return values.length === 0 ? '-' : values.join(', ');
}
