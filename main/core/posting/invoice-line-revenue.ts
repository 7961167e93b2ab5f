import type { StripeInvoice } from '../stripe/objects.js';
import { PlanningError } from './planning-error.js';

export interface InvoiceLineRevenue {
  id: string;
  description: string | null;
  product: string | null;
  quantity: number | null;
  /** The line's amount less its discounts, pre-tax credits and the tax included in its price. */
  revenue: number;
  /** All tax on the line, inclusive and exclusive. */
  tax: number;
}

/**
 * What each invoice line earned, shared by the invoice journal and the invoice's sales order
 * so both book the same revenue. Stripe's `taxes`, `discount_amounts` and
 * `pretax_credit_amounts` may each be null (no tax calculation, no discount); the discount
 * entries of `pretax_credit_amounts` repeat `discount_amounts`, so only its other entries
 * (credit grants) are taken from it.
 */
export function invoiceLineRevenue(invoice: StripeInvoice): InvoiceLineRevenue[] {
  if (!invoice.lines || !Array.isArray(invoice.lines.data)) {
    throw new PlanningError('data', `invoice ${invoice.id} has no list of lines (an older Stripe API version?); it cannot be split into revenue and tax`);
  }
  if (invoice.lines.has_more) {
    throw new PlanningError('data', `invoice ${invoice.id} has more lines than Stripe returned with it; read the full line list`);
  }
  return invoice.lines.data.map((item) => {
    const discounts = sum(item.discount_amounts ?? []);
    const credits = sum((item.pretax_credit_amounts ?? []).filter((entry) => entry.type !== 'discount'));
    const taxes = item.taxes ?? [];
    const inclusiveTax = sum(taxes.filter((entry) => entry.tax_behavior === 'inclusive'));
    return {
      id: item.id,
      description: item.description,
      product: item.pricing?.price_details?.product ?? null,
      quantity: item.quantity,
      revenue: item.amount - discounts - credits - inclusiveTax,
      tax: sum(taxes),
    };
  });
}

function sum(entries: readonly { amount: number }[]): number {
  return entries.reduce((total, entry) => total + entry.amount, 0);
}
