import { arReceiptKey } from '../ar/ar-receipt-plan.js';
import { parseSageAmount } from '../money/sage-amount.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { Ledger } from '../ports/ledger.js';
import type { JournalLine } from '../sage/documents.js';
import type { StripeInvoice } from '../stripe/objects.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * Whether the charge that paid a Stripe invoice already has its GL journal in the ledger
 * (docs/posting-rules.md "AR payments", charge booked before its invoice was paid), and what it
 * credited. Stripe marks an invoice paid after its PaymentIntent succeeds, so a sync between the
 * two books the charge in GL as the payment of a Stripe invoice (receivable −gross) while the
 * invoice is still open; a charge read before its invoice payment was known at all (a
 * PaymentIntent attached to the invoice later) booked the sale itself (revenue −gross). Its
 * journal, once planned, is what the charge books (an unwritten one too: the charge is not
 * planned again when its invoice is paid), so the invoice can no longer collect a Sage invoice,
 * and its own journal must debit the receivable the charge credits, or book nothing when the
 * charge booked the sale (sale-in-charge.ts).
 *
 * A charge whose AR cash receipt is in the ledger is not in GL (its journal of the same key is
 * the fee journal), nor is one a rule skipped. A journal inside a daily summary counts as the
 * charge's.
 */

export interface ChargeInGl {
  chargeId: string;
  /** The date the journal is posted on in GL (the charge's business date, or its summary's). */
  postDate: BusinessDate;
  /** Written to Sage (or being written, or keyed by hand), not just planned. */
  inSage: boolean;
  /** It credited the receivable (it knew its invoice); false: it booked the sale to revenue itself. */
  creditsReceivable: boolean;
}

const IN_SAGE: ReadonlySet<string> = new Set(['written', 'writing', 'skipped']);

/** The charge that paid the invoice whose GL journal credits the receivable (the first, by id), or null. */
export function payingChargeInGl(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, receivable: string): ChargeInGl | null {
  return chargesPaying(ledger, invoice, receivable).find((charge) => charge.journal?.creditsReceivable)?.journal ?? null;
}

/**
 * The charge whose GL journal booked the sale of the invoice itself (revenue, not the
 * receivable), when every charge that paid the invoice did so; else null (a charge still to be
 * planned credits the receivable, which the invoice's journal must then debit).
 */
export function chargeBookedSale(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, receivable: string): ChargeInGl | null {
  const charges = chargesPaying(ledger, invoice, receivable);
  return charges.length > 0 && charges.every((charge) => charge.journal && !charge.journal.creditsReceivable) ? charges[0]!.journal : null;
}

/** Each stored charge that paid the invoice, with its GL journal when the ledger holds one (null: none, or it is an AR cash receipt or a rule skipped it). */
function chargesPaying(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, receivable: string): { chargeId: string; journal: ChargeInGl | null }[] {
  const creditsReceivable = (lines: readonly JournalLine[]): boolean => lines.some((line) => line.acctNo === receivable && parseSageAmount(line.amount) < 0n);
  const found: { chargeId: string; journal: ChargeInGl | null }[] = [];
  for (const chargeId of ledger.objects.chargesPayingInvoice(invoice.id)) {
    const stored = ledger.objects.getObject(chargeId);
    if (stored?.object.object !== 'charge') continue;
    const field = stored.object.balance_transaction;
    const balanceTransactionId = typeof field === 'string' ? field : (field?.id ?? null);
    if (balanceTransactionId === null) continue;
    found.push({ chargeId, journal: null });
    const journalKey = `${chargeId}:${balanceTransactionId}`;
    const booking = ledger.documents.documentsTracing(balanceTransactionId);
    if (booking.some((document) => document.docKey === arReceiptKey(journalKey))) continue;
    for (const document of booking) {
      if (document.document.type !== 'journal' || document.document.skippedByRule !== undefined) continue;
      const lines =
        document.docKey === journalKey
          ? document.document.lines
          : isDailySummary(document.document)
            ? document.document.summary.parts.find((part) => part.key === journalKey)?.lines
            : undefined;
      if (!lines) continue;
      found[found.length - 1]!.journal = { chargeId, postDate: document.document.postDate, inSage: IN_SAGE.has(document.state), creditsReceivable: creditsReceivable(lines) };
      break;
    }
  }
  return found;
}
