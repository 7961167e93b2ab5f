import type { ObjectKindName } from '../../preload/contract.js';

/** Stripe record kinds as the bookkeeper reads them, in filters and headings. */
export const kindNames: Record<ObjectKindName, string> = {
  customer: 'Customers',
  charge: 'Payments',
  refund: 'Refunds',
  dispute: 'Disputes',
  invoice: 'Invoices',
  credit_note: 'Credit notes',
  payout: 'Payouts',
};
