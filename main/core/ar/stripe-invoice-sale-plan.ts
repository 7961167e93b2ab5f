import { formatSageAmount, parseSageAmount, sumAmounts } from '../money/sage-amount.js';
import type { Mapping } from '../mapping/mapping.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { StripeInvoice } from '../stripe/objects.js';
import { arInvoiceDocument } from './ar-invoice-plan.js';

/**
 * A paid Stripe invoice that names no Sage invoice, as a pending AR invoice (issue #21 item 4,
 * docs/posting-rules.md "AR invoices for Stripe sales", Stripe invoices). Its GL journal
 * (receivable +total, one revenue credit per invoice line with the rules' accounts, shipping)
 * becomes an AR invoice with the same credits, one invoice line each; the charges that paid it
 * become AR cash receipts applied to it (ar-invoice-plan.ts receiptAndFees). The invoice is
 * kept in GL, with the reason on its record, when a part of it cannot be written on a pending
 * AR invoice from what the site's capture proves:
 *
 * - sales tax: no captured invoice proves the sales-tax rows (tciSTaxTran) Sage derives;
 * - the customer's Stripe balance applied (`total` − `amount_due`): its GL line is customer
 *   credits, and a pending AR invoice has no such line;
 * - pre-payment credit notes (`pre_payment_credit_notes_amount`): Stripe reduced what was due,
 *   and their GL journal clears the GL receivable; no AR credit memo is written;
 * - a line that credits the customer (a proration, a negative line): no capture proves a
 *   negative AR invoice line.
 *
 * Discounts and pre-tax credits need no line: each revenue credit is already net of them, as
 * Stripe's `total` is. Untaxed shipping is a revenue credit of its own and gets a line of its own.
 */

export type StripeInvoiceSalePlan = { kind: 'invoice'; invoice: JournalDocument } | { kind: 'gl'; why: string };

/** The description column of an AR invoice line (tarInvoiceDetl.Description) holds 40 characters in the captured shape. */
const LINE_DESCRIPTION_LIMIT = 40;

export function planStripeInvoiceSale(journal: JournalDocument, invoice: StripeInvoice, custId: string, mapping: Mapping): StripeInvoiceSalePlan {
  const { receivable, salesTax } = mapping.accounts;
  const label = invoice.number ?? invoice.id;
  const prePayment = invoice.pre_payment_credit_notes_amount ?? 0;
  if (prePayment !== 0) {
    return { kind: 'gl', why: `credit notes reduced Stripe invoice ${label} before it was paid, and no AR credit memo is written (no captured document proves one)` };
  }
  if (invoice.amount_due !== invoice.total) {
    return { kind: 'gl', why: `the customer's Stripe balance settled part of Stripe invoice ${label} (amount due ${invoice.amount_due}, total ${invoice.total} in cents), which a pending AR invoice cannot show` };
  }
  const debits = journal.lines.filter((line) => parseSageAmount(line.amount) > 0n);
  const credits = journal.lines.filter((line) => parseSageAmount(line.amount) < 0n);
  if (credits.some((line) => line.acctNo === salesTax)) {
    return { kind: 'gl', why: `Stripe invoice ${label} credits sales tax (${salesTax}), and this version writes no sales tax on a pending AR invoice (no captured invoice proves tciSTaxTran's rows)` };
  }
  const otherDebit = debits.find((line) => line.acctNo !== receivable);
  if (otherDebit) {
    return { kind: 'gl', why: `Stripe invoice ${label} debits ${otherDebit.acctNo} (a line crediting the customer), and no captured invoice proves a negative AR invoice line` };
  }
  const gross = sumAmounts(debits.map((line) => parseSageAmount(line.amount)));
  const credited = -sumAmounts(credits.map((line) => parseSageAmount(line.amount)));
  if (credits.length === 0 || gross <= 0n || credited !== gross) {
    return { kind: 'gl', why: `Stripe invoice ${label}'s revenue lines add up to ${formatSageAmount(credited)}, not its receivable ${formatSageAmount(gross)}` };
  }
  const descriptions = new Map((invoice.lines?.data ?? []).map((item) => [item.id, item.description ?? item.id]));
  const lineDescription = (line: JournalLine): string => fitted(line.traceId === invoice.id ? 'Shipping' : (descriptions.get(line.traceId) ?? label));
  return {
    kind: 'invoice',
    invoice: arInvoiceDocument(journal, receivable, custId, formatSageAmount(gross), credits, {
      description: `AR invoice for Stripe invoice ${label} to ${custId} (it names no Sage invoice)`,
      lineDescription,
    }),
  };
}

function fitted(text: string): string {
  const characters = [...text];
  return characters.length <= LINE_DESCRIPTION_LIMIT ? text : `${characters.slice(0, LINE_DESCRIPTION_LIMIT - 1).join('')}…`;
}
