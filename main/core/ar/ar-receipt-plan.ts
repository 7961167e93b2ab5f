import { formatSageAmount, parseSageAmount, sumAmounts } from '../money/sage-amount.js';
import type { Mapping } from '../mapping/mapping.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';

/**
 * A payment applied in Sage AR (docs/posting-rules.md "AR payments"). The charge's GL journal
 * (clearing +net, revenue −gross, fees +fee) becomes two documents:
 *
 * - the AR cash receipt for the gross, cash account = clearing. Sage books clearing +gross and
 *   AR −gross when a user posts it; its `lines` say so, traced to the balance transaction, so
 *   the payout tie-out and the balance proof see the gross in clearing as before;
 * - the fee journal, still in GL: fees +fee, clearing −fee.
 *
 * Together they move clearing by the net, exactly as the GL-only journal did, so payouts are
 * unchanged. Revenue is not booked again: the Sage invoice booked it.
 */

export function arReceiptKey(journalKey: string): string {
  return `${journalKey}:ar-receipt`;
}

/** Where the receipt goes: the invoice it pays (a partial payment leaves the rest open), or on account. */
export interface ReceiptTarget {
  custId: string;
  applyTo: { invcKey: number; tranId: string } | null;
  partial: boolean;
  matchedBy: string;
}

export function splitIntoReceipt(journal: JournalDocument, target: ReceiptTarget, gross: string, mapping: Mapping): JournalDocument[] {
  const { clearing, receivable } = mapping.accounts;
  const traceId = journal.lines[0]?.traceId ?? journal.stripeObjectId;
  // The journal's lines: clearing +net, the gross's counter line (−gross), and the fee lines.
  const counter = journal.lines.findIndex((line) => line.acctNo !== clearing && parseSageAmount(line.amount) === -parseSageAmount(gross));
  const feeLines = journal.lines.filter((line, index) => line.acctNo !== clearing && index !== counter);
  const fees = sumAmounts(feeLines.map((line) => parseSageAmount(line.amount)));
  const applied = target.applyTo;
  const label = applied ? `${journal.stripeObjectId} pays ${applied.tranId}` : `${journal.stripeObjectId} on account`;
  const receiptLines: JournalLine[] = [
    { acctNo: clearing, amount: gross, comment: postComment(`${label} receipt`), traceId },
    { acctNo: receivable, amount: formatSageAmount(-parseSageAmount(gross)), comment: postComment(`${label} receipt`), traceId },
  ];
  const receipt: JournalDocument = {
    type: 'journal',
    key: arReceiptKey(journal.key),
    postDate: journal.postDate,
    stripeObjectId: journal.stripeObjectId,
    description: applied
      ? `AR cash receipt for ${journal.stripeObjectId}, applied to Sage invoice ${applied.tranId}${target.partial ? ' (partial payment)' : ''}`
      : `AR cash receipt for ${journal.stripeObjectId}, on account of ${target.custId}`,
    lines: receiptLines,
    arReceipt: {
      custId: target.custId,
      amount: gross,
      cashAcctNo: clearing,
      comment: `Stripe ${journal.stripeObjectId}`,
      applyTo: applied ? { invcKey: applied.invcKey, tranId: applied.tranId, amount: gross } : null,
      matchedBy: target.matchedBy,
    },
  };
  if (fees === 0n) return [receipt];
  const feeJournal: JournalDocument = {
    ...journal,
    description: `Stripe fees of ${journal.stripeObjectId} (its payment is an AR cash receipt)`,
    lines: [...feeLines, { acctNo: clearing, amount: formatSageAmount(-fees), comment: postComment(`${journal.stripeObjectId} fees`), traceId }],
  };
  return [receipt, feeJournal];
}
