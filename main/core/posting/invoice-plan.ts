import { formatSageAmount, fromStripeMinor } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { StripeInvoice } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { postComment } from './balance-transaction-journal.js';
import { invoiceLineRevenue } from './invoice-line-revenue.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/** The key of a paid invoice's journal; its AR invoice and the records of a sale its charge booked are keyed from it. */
export function paidInvoiceKey(invoiceId: string): string {
  return `${invoiceId}:paid`;
}

/**
 * A paid invoice books its revenue, shipping and tax on the day it was paid. The credit side
 * is the invoice as Stripe built it: each line net of its discounts, pre-tax credits and tax
 * included in its price (to the product's revenue account), shipping net of its tax, and all
 * tax to sales tax; together they are the invoice `total`. The debit side is how the total was
 * settled (Stripe's own arithmetic, see the Invoice object's `amount_due`):
 *
 *   receivable       amount_due + pre_payment_credit_notes_amount
 *   customer credits total − pre_payment_credit_notes_amount − amount_due
 *
 * The charges that paid it (linked through the invoice's payments, see invoice-links.ts)
 * clear `amount_due` from the receivable; each pre-payment credit note clears its own part
 * (see credit-note-plan.ts); the customer-credits line is the customer balance Stripe applied
 * (a credit consumed is a debit; a debit balance carried onto the invoice is a credit). What
 * was paid out of band stays in the receivable: Stripe moved no money, and the bookkeeper's
 * own receipt in Sage clears it. Invoices that were never paid (void, uncollectible, open)
 * are not in the GL yet, so they book nothing.
 */
export function planInvoice(invoice: StripeInvoice, context: PlanningContext): JournalDocument[] {
  const paidAt = invoice.status_transitions.paid_at;
  if (invoice.status !== 'paid' || paidAt === null || (invoice.total === 0 && invoice.amount_due === 0)) return [];
  const { mapping } = context;
  const currency = normaliseCurrency(invoice.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError(
      'configuration',
      `invoice ${invoice.id} is in ${currency.toUpperCase()}; only invoices in the home currency ${mapping.homeCurrency.toUpperCase()} can be booked line by line`,
    );
  }
  const label = invoice.number ?? invoice.id;
  const credits: JournalLine[] = [];
  let tax = 0;
  let credited = 0;
  for (const item of invoiceLineRevenue(invoice)) {
    const account = (item.product && mapping.productRevenue[item.product]) || mapping.accounts.revenue;
    tax += item.tax;
    credited += item.revenue + item.tax;
    if (item.revenue !== 0) credits.push(line(account, -item.revenue, currency, `${label} ${item.description ?? item.id}`, item.id));
  }
  const shipping = shippingOf(invoice);
  tax += shipping.tax;
  credited += shipping.net + shipping.tax;
  if (shipping.net !== 0) credits.push(line(mapping.accounts.revenue, -shipping.net, currency, `${label} shipping`, invoice.id));
  if (tax !== 0) credits.push(line(mapping.accounts.salesTax, -tax, currency, `${label} tax`, invoice.id));
  if (credited !== invoice.total) {
    throw new PlanningError(
      'data',
      `invoice ${invoice.id}: its lines, shipping and tax add up to ${show(credited, currency)} but its total is ${show(invoice.total, currency)}; the revenue split cannot be booked until they agree`,
    );
  }

  const prePaymentCredit = invoice.pre_payment_credit_notes_amount ?? 0;
  const balanceApplied = invoice.total - prePaymentCredit - invoice.amount_due;
  const debits = [
    line(mapping.accounts.receivable, invoice.amount_due + prePaymentCredit, currency, `${label} due`, invoice.id),
    line(mapping.accounts.customerCredits, balanceApplied, currency, `${label} customer balance`, invoice.id),
  ].filter((entry) => entry.amount !== formatSageAmount(0n));
  return [
    journalDocument({
      key: paidInvoiceKey(invoice.id),
      postDate: businessDate(paidAt, mapping.timeZone),
      stripeObjectId: invoice.id,
      description: `Stripe invoice ${label} paid`,
      lines: [...debits, ...credits],
    }),
  ];
}

/**
 * Shipping as Stripe itemises it in `shipping_cost` (its tax separate); a server that sends only
 * `amount_shipping` gets it booked as untaxed shipping.
 */
function shippingOf(invoice: StripeInvoice): { net: number; tax: number } {
  const cost = invoice.shipping_cost;
  if (cost) return { net: cost.amount_total - cost.amount_tax, tax: cost.amount_tax };
  return { net: invoice.amount_shipping ?? 0, tax: 0 };
}

function show(amount: number, currency: string): string {
  return `${formatSageAmount(fromStripeMinor(amount, currency))} ${currency.toUpperCase()}`;
}

function line(acctNo: string, amount: number, currency: string, comment: string, traceId: string): JournalLine {
  return { acctNo, amount: formatSageAmount(fromStripeMinor(amount, currency)), comment: postComment(comment), traceId };
}
