import type { AnySyncedObject, StripeInvoice, StripeInvoiceLine, StripeInvoicePayment } from '../stripe/objects.js';
import type { StripeReader } from './stripe-reader.js';

/**
 * Stripe embeds only the first page of an invoice's lines. An invoice whose `lines.has_more`
 * is true gets the rest from `/v1/invoices/:id/lines` before it is stored, so the posting
 * rules always see every line (a plan from a partial invoice would misstate revenue). In the
 * same way, included `payments` that Stripe cut short (`has_more`) are completed from
 * `/v1/invoice_payments?invoice=`, so every charge that paid the invoice is linked to it.
 */
export async function withCompleteInvoiceLines(stripe: StripeReader, objects: readonly AnySyncedObject[]): Promise<AnySyncedObject[]> {
  const result: AnySyncedObject[] = [];
  for (const object of objects) {
    // An invoice without a lines list (an older API shape) is left for the planner to report.
    if (object.object !== 'invoice') {
      result.push(object);
      continue;
    }
    const lined = object.lines?.has_more ? await completeLines(stripe, object) : object;
    result.push(lined.payments?.has_more ? await completePayments(stripe, lined) : lined);
  }
  return result;
}

async function completePayments(stripe: StripeReader, invoice: StripeInvoice): Promise<StripeInvoice> {
  const payments: StripeInvoicePayment[] = [];
  await stripe.listEach<StripeInvoicePayment>('invoice_payments', { invoice: invoice.id }, (page) => {
    payments.push(...page);
  });
  return { ...invoice, payments: { ...invoice.payments!, data: payments, has_more: false } };
}

async function completeLines(stripe: StripeReader, invoice: StripeInvoice): Promise<StripeInvoice> {
  const lines: StripeInvoiceLine[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await stripe.listInvoiceLines(invoice.id, after);
    lines.push(...page.data);
    if (!page.has_more || page.data.length === 0) break;
    after = page.data[page.data.length - 1]!.id;
  }
  return { ...invoice, lines: { ...invoice.lines, data: lines, has_more: false } };
}
