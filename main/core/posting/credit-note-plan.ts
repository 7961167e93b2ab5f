import { fromStripeMinor, formatSageAmount } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { BusinessDate } from '../time/business-date.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { StripeCreditNote } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { postComment } from './balance-transaction-journal.js';
import { creditNoteLineShares, type CreditNoteLineShare } from './credit-note-line-revenue.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/**
 * A credit note reverses revenue and tax, in two parts that Stripe reports separately
 * (`type` pre_payment, post_payment or mixed; `pre_payment_amount` + `post_payment_amount`
 * = `total`). Tax is split between the parts in proportion, rounded half up, the rest of the
 * tax going to the post-payment part.
 *
 * - The post-payment part (money the customer had already paid) is booked on the note's
 *   effective date: what Stripe refunds to the card goes back through the invoice receivable
 *   (the refund's own journal then moves it out of clearing); the rest (customer balance or
 *   out of band) becomes a customer credit.
 * - The pre-payment part only reduced what was still due. The invoice journal (see
 *   invoice-plan.ts) books the receivable before that reduction, so this part clears its share
 *   of the receivable on the day the invoice was paid; while the invoice is unpaid it waits,
 *   and an invoice that is void or uncollectible was never booked, so the part books nothing.
 *
 * A voided credit note is reversed by a journal of its own.
 *
 * `byLine` (when rules read invoice lines, plan-with-rules.ts): each part's revenue is booked
 * one line per invoice line the note credits, traced to the credit note line, and the rest
 * (custom lines, shipping) on the part's own line; the totals by account are the same.
 */
export function planCreditNote(note: StripeCreditNote, context: PlanningContext, byLine = false): JournalDocument[] {
  const { mapping } = context;
  const currency = normaliseCurrency(note.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError('configuration', `credit note ${note.id} is in ${currency.toUpperCase()}; only the home currency ${mapping.homeCurrency.toUpperCase()} can be booked`);
  }
  const { pre, post } = parts(note);
  const tax = (note.total_taxes ?? []).reduce((sum, entry) => sum + entry.amount, 0);
  const preTax = note.total === 0 ? 0 : Math.floor((2 * tax * pre + note.total) / (2 * note.total));
  const postTax = tax - preTax;
  const amount = (value: number) => formatSageAmount(fromStripeMinor(value, currency));
  const nonZero = (lines: JournalLine[]) => lines.filter((entry) => entry.amount !== formatSageAmount(0n));
  const shares = byLine ? creditNoteLineShares(note, note.total - tax, pre) : null;
  /** The part's revenue reversal: a line per credited invoice line when read by line, the rest on one line. */
  const reversal = (partRevenue: number, lineShares: readonly CreditNoteLineShare[] | undefined, comment: string): JournalLine[] => {
    const onLines = (lineShares ?? []).map((share) => ({
      acctNo: mapping.accounts.refunds,
      amount: amount(share.amount),
      comment: postComment(`${note.number} ${comment} ${share.description ?? share.invoiceLine}`),
      traceId: share.id,
    }));
    const rest = partRevenue - (lineShares ?? []).reduce((sum, share) => sum + share.amount, 0);
    return [...onLines, { acctNo: mapping.accounts.refunds, amount: amount(rest), comment: postComment(`${note.number} ${comment}`), traceId: note.id }];
  };
  const documents: JournalDocument[] = [];
  const booked: JournalLine[] = [];

  if (post !== 0) {
    const refunded = note.refunds.reduce((sum, entry) => sum + entry.amount_refunded, 0);
    const lines = nonZero([
      ...reversal(post - postTax, shares?.post, 'credit'),
      { acctNo: mapping.accounts.salesTax, amount: amount(postTax), comment: postComment(`${note.number} tax`), traceId: note.id },
      { acctNo: mapping.accounts.receivable, amount: amount(-refunded), comment: postComment(`${note.number} refunded`), traceId: note.id },
      { acctNo: mapping.accounts.customerCredits, amount: amount(-(post - refunded)), comment: postComment(`${note.number} credited`), traceId: note.id },
    ]);
    documents.push(
      journalDocument({
        key: `${note.id}:issued`,
        postDate: businessDate(note.effective_at ?? note.created, mapping.timeZone),
        stripeObjectId: note.id,
        description: `Stripe credit note ${note.number} on ${note.invoice}`,
        lines,
      }),
    );
    booked.push(...lines);
  }

  const preDate = pre === 0 ? null : prePaymentDate(note, context);
  if (preDate !== null) {
    const lines = nonZero([
      ...reversal(pre - preTax, shares?.pre, 'credit before payment'),
      { acctNo: mapping.accounts.salesTax, amount: amount(preTax), comment: postComment(`${note.number} tax`), traceId: note.id },
      { acctNo: mapping.accounts.receivable, amount: amount(-pre), comment: postComment(`${note.number} reduced amount due`), traceId: note.id },
    ]);
    documents.push(
      journalDocument({
        key: `${note.id}:pre-payment`,
        postDate: preDate,
        stripeObjectId: note.id,
        description: `Stripe credit note ${note.number} before payment of ${note.invoice}`,
        lines,
      }),
    );
    booked.push(...lines);
  }

  if (note.status === 'void' && note.voided_at !== null && booked.length > 0) {
    documents.push(
      journalDocument({
        key: `${note.id}:void`,
        postDate: businessDate(note.voided_at, mapping.timeZone),
        stripeObjectId: note.id,
        description: `Stripe credit note ${note.number} voided`,
        lines: booked.map((entry) => ({ ...entry, amount: negate(entry.amount), comment: postComment(`${note.number} void`) })),
      }),
    );
  }
  return documents;
}

/** The two parts; a server without the split fields is read by `type`. */
function parts(note: StripeCreditNote): { pre: number; post: number } {
  if (typeof note.pre_payment_amount === 'number' && typeof note.post_payment_amount === 'number') {
    if (note.pre_payment_amount + note.post_payment_amount !== note.total) {
      throw new PlanningError(
        'data',
        `credit note ${note.id}: its pre-payment (${note.pre_payment_amount}) and post-payment (${note.post_payment_amount}) parts do not add up to its total (${note.total})`,
      );
    }
    return { pre: note.pre_payment_amount, post: note.post_payment_amount };
  }
  if (note.type === 'mixed') {
    throw new PlanningError('data', `credit note ${note.id} is mixed but does not say how much of it came before payment (pre_payment_amount)`);
  }
  return note.type === 'pre_payment' ? { pre: note.total, post: 0 } : { pre: 0, post: note.total };
}

/** When the pre-payment part is booked: with the invoice's payment; null when never. */
function prePaymentDate(note: StripeCreditNote, context: PlanningContext): BusinessDate | null {
  const invoice = context.invoice(note.invoice);
  if (invoice === null) {
    throw new PlanningError('waiting', `credit note ${note.id} reduces invoice ${note.invoice}, which has not been read yet`);
  }
  const paidAt = invoice.status === 'paid' ? invoice.status_transitions.paid_at : null;
  if (note.status === 'void' && note.voided_at !== null && (paidAt === null || note.voided_at < paidAt)) return null;
  if (invoice.status === 'void' || invoice.status === 'uncollectible') return null;
  if (paidAt === null) {
    throw new PlanningError(
      'waiting',
      `credit note ${note.id} reduced what is due on invoice ${note.invoice}, which is not paid yet; it is booked with the invoice's payment`,
    );
  }
  return businessDate(Math.max(paidAt, note.effective_at ?? note.created), context.mapping.timeZone);
}

function negate(amount: string): string {
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}
