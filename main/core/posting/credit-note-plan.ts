import { fromStripeMinor, formatSageAmount } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { StripeCreditNote } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { postComment } from './balance-transaction-journal.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/**
 * A credit note on a paid invoice reverses revenue and tax. The part Stripe refunds to the
 * card goes back through the invoice receivable (the refund's own journal then moves it out
 * of clearing); the rest (customer balance or out of band) becomes a customer credit. A
 * voided credit note is reversed by a journal of its own. Credit notes on unpaid invoices
 * (pre-payment) only reduce what is due, which was never booked, so they book nothing.
 */
export function planCreditNote(note: StripeCreditNote, context: PlanningContext): JournalDocument[] {
  if (note.type === 'pre_payment') return [];
  const { mapping } = context;
  const currency = normaliseCurrency(note.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError('configuration', `credit note ${note.id} is in ${currency.toUpperCase()}; only the home currency ${mapping.homeCurrency.toUpperCase()} can be booked`);
  }
  const tax = (note.total_taxes ?? []).reduce((sum, entry) => sum + entry.amount, 0);
  const refunded = note.refunds.reduce((sum, entry) => sum + entry.amount_refunded, 0);
  const credited = note.total - refunded;
  const amount = (value: number) => formatSageAmount(fromStripeMinor(value, currency));
  const issued: JournalLine[] = [
    { acctNo: mapping.accounts.refunds, amount: amount(note.total - tax), comment: postComment(`${note.number} credit`), traceId: note.id },
    { acctNo: mapping.accounts.salesTax, amount: amount(tax), comment: postComment(`${note.number} tax`), traceId: note.id },
    { acctNo: mapping.accounts.receivable, amount: amount(-refunded), comment: postComment(`${note.number} refunded`), traceId: note.id },
    { acctNo: mapping.accounts.customerCredits, amount: amount(-credited), comment: postComment(`${note.number} credited`), traceId: note.id },
  ].filter((entry) => entry.amount !== formatSageAmount(0n));
  const effective = note.effective_at ?? note.created;
  const documents = [
    journalDocument({
      key: `${note.id}:issued`,
      postDate: businessDate(effective, mapping.timeZone),
      stripeObjectId: note.id,
      description: `Stripe credit note ${note.number} on ${note.invoice}`,
      lines: issued,
    }),
  ];
  if (note.status === 'void' && note.voided_at !== null) {
    documents.push(
      journalDocument({
        key: `${note.id}:void`,
        postDate: businessDate(note.voided_at, mapping.timeZone),
        stripeObjectId: note.id,
        description: `Stripe credit note ${note.number} voided`,
        lines: issued.map((entry) => ({ ...entry, amount: negate(entry.amount), comment: postComment(`${note.number} void`) })),
      }),
    );
  }
  return documents;
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}
