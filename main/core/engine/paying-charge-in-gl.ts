import { arReceiptKey } from '../ar/ar-receipt-plan.js';
import { parseSageAmount } from '../money/sage-amount.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { Ledger } from '../ports/ledger.js';
import type { JournalLine } from '../sage/documents.js';
import type { StripeInvoice } from '../stripe/objects.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * Whether the charge that paid a Stripe invoice already has its GL sale journal in the ledger
 * (docs/posting-rules.md "AR payments", charge booked before its invoice was paid). Stripe marks
 * an invoice paid after its PaymentIntent succeeds, so a sync between the two books the charge
 * in GL as the payment of a Stripe invoice (receivable −gross) while the invoice is still open.
 * Its journal, once planned, is what the charge books (an unwritten one too: the charge is not
 * planned again when its invoice is paid), so the invoice can no longer collect a Sage invoice:
 * its own journal must debit the receivable the charge credits.
 *
 * A charge whose AR cash receipt is in the ledger is not in GL (its journal of the same key is
 * the fee journal), nor is one a rule skipped. A journal inside a daily summary counts as the
 * charge's. Only a journal that credits the receivable counts: one planned before the invoice
 * payment was known booked the sale to revenue, and an invoice journal debiting the receivable
 * would then be left without its credit.
 */

export interface ChargeInGl {
  chargeId: string;
  /** The date the journal is posted on in GL (the charge's business date, or its summary's). */
  postDate: BusinessDate;
  /** Written to Sage (or being written, or keyed by hand), not just planned. */
  inSage: boolean;
}

const IN_SAGE: ReadonlySet<string> = new Set(['written', 'writing', 'skipped']);

export function payingChargeInGl(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, receivable: string): ChargeInGl | null {
  const creditsReceivable = (lines: readonly JournalLine[]): boolean => lines.some((line) => line.acctNo === receivable && parseSageAmount(line.amount) < 0n);
  for (const chargeId of ledger.objects.chargesPayingInvoice(invoice.id, invoice.created)) {
    const stored = ledger.objects.getObject(chargeId);
    if (stored?.object.object !== 'charge') continue;
    const field = stored.object.balance_transaction;
    const balanceTransactionId = typeof field === 'string' ? field : (field?.id ?? null);
    if (balanceTransactionId === null) continue;
    const journalKey = `${chargeId}:${balanceTransactionId}`;
    const booking = ledger.documents.documentsTracing(balanceTransactionId);
    if (booking.some((document) => document.docKey === arReceiptKey(journalKey))) continue;
    const journal = booking.find(
      (document) =>
        document.document.type === 'journal' &&
        document.document.skippedByRule === undefined &&
        (document.docKey === journalKey
          ? creditsReceivable(document.document.lines)
          : isDailySummary(document.document) && document.document.summary.parts.some((part) => part.key === journalKey && creditsReceivable(part.lines))),
    );
    if (journal && journal.document.type === 'journal') return { chargeId, postDate: journal.document.postDate, inSage: IN_SAGE.has(journal.state) };
  }
  return null;
}
