import { formatSageAmount, fromStripeMinor } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { StripeInvoice } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { postComment } from './balance-transaction-journal.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/**
 * A paid subscription invoice books its revenue and tax on the day it was paid: the total
 * to the invoice receivable, each line (net of its discounts and of tax included in its
 * price) to the product's revenue account, tax to sales tax. The charge that paid it clears
 * the receivable (see charge-plan.ts), so revenue is booked once, with its real split.
 * Invoices that were never paid (voided, uncollectible, open) are not in the GL yet, so
 * they book nothing.
 */
export function planInvoice(invoice: StripeInvoice, context: PlanningContext): JournalDocument[] {
  const paidAt = invoice.status_transitions.paid_at;
  if (invoice.status !== 'paid' || paidAt === null || invoice.total === 0) return [];
  const { mapping } = context;
  const currency = normaliseCurrency(invoice.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError(
      'configuration',
      `invoice ${invoice.id} is in ${currency.toUpperCase()}; only invoices in the home currency ${mapping.homeCurrency.toUpperCase()} can be booked line by line`,
    );
  }
  if (!invoice.lines || !Array.isArray(invoice.lines.data)) {
    throw new PlanningError('data', `invoice ${invoice.id} has no list of lines (an older Stripe API version?); it cannot be split into revenue and tax`);
  }
  if (invoice.lines.has_more) {
    throw new PlanningError('data', `invoice ${invoice.id} has more lines than Stripe returned with it; read the full line list`);
  }
  const label = invoice.number ?? invoice.id;
  const lines: JournalLine[] = [line(mapping.accounts.receivable, invoice.total, currency, `${label} total`, invoice.id)];
  let tax = 0;
  for (const item of invoice.lines.data) {
    const discount = item.discount_amounts.reduce((sum, entry) => sum + entry.amount, 0);
    const inclusiveTax = item.taxes.filter((t) => t.tax_behavior === 'inclusive').reduce((sum, t) => sum + t.amount, 0);
    tax += item.taxes.reduce((sum, t) => sum + t.amount, 0);
    const product = item.pricing?.price_details?.product;
    const account = (product && mapping.productRevenue[product]) || mapping.accounts.revenue;
    const revenue = item.amount - discount - inclusiveTax;
    if (revenue !== 0) lines.push(line(account, -revenue, currency, `${label} ${item.description ?? item.id}`, item.id));
  }
  if (tax !== 0) lines.push(line(mapping.accounts.salesTax, -tax, currency, `${label} tax`, invoice.id));
  return [
    journalDocument({
      key: `${invoice.id}:paid`,
      postDate: businessDate(paidAt, mapping.timeZone),
      stripeObjectId: invoice.id,
      description: `Stripe invoice ${label} paid`,
      lines,
    }),
  ];
}

function line(acctNo: string, amount: number, currency: string, comment: string, traceId: string): JournalLine {
  return { acctNo, amount: formatSageAmount(fromStripeMinor(amount, currency)), comment: postComment(comment), traceId };
}
