import type { StripeListPath, StripeMetadataPath } from '../../core/ports/stripe-api.js';
import type { SimulatedKind } from './store.js';

/**
 * The Stripe resources the simulator serves: URL path, object kind, the name Stripe uses in
 * "No such …" errors, the extra list filters each accepts and which fields can be expanded.
 */
export interface ResourceDescription {
  kind: SimulatedKind | 'event';
  label: string;
  listFilters: readonly string[];
  expandable: readonly string[];
}

export const RESOURCES: Record<StripeListPath, ResourceDescription> = {
  events: { kind: 'event', label: 'event', listFilters: ['type'], expandable: [] },
  customers: { kind: 'customer', label: 'customer', listFilters: ['email'], expandable: [] },
  charges: { kind: 'charge', label: 'charge', listFilters: ['customer'], expandable: ['balance_transaction', 'failure_balance_transaction', 'payment_intent'] },
  refunds: {
    kind: 'refund',
    label: 'refund',
    listFilters: ['charge'],
    expandable: ['balance_transaction', 'failure_balance_transaction'],
  },
  disputes: { kind: 'dispute', label: 'dispute', listFilters: ['charge'], expandable: [] },
  invoices: { kind: 'invoice', label: 'invoice', listFilters: ['status', 'customer'], expandable: ['payments'] },
  invoice_payments: { kind: 'invoice_payment', label: 'invoice payment', listFilters: ['invoice'], expandable: [] },
  credit_notes: { kind: 'credit_note', label: 'credit note', listFilters: ['invoice', 'customer'], expandable: [] },
  payouts: {
    kind: 'payout',
    label: 'payout',
    listFilters: ['status'],
    expandable: ['balance_transaction', 'failure_balance_transaction'],
  },
  balance_transactions: {
    kind: 'balance_transaction',
    label: 'balance transaction',
    listFilters: ['payout', 'source', 'type'],
    expandable: ['source'],
  },
  products: { kind: 'product', label: 'product', listFilters: [], expandable: [] },
};

export const METADATA_PATHS: readonly StripeMetadataPath[] = ['customers', 'charges', 'invoices', 'payouts', 'refunds'];

export function isListPath(value: string): value is StripeListPath {
  return Object.hasOwn(RESOURCES, value);
}

export function isMetadataPath(value: string): value is StripeMetadataPath {
  return (METADATA_PATHS as readonly string[]).includes(value);
}

/** The kind of object an id names, from Stripe's id prefixes. */
export function kindOfId(id: string): SimulatedKind | null {
  const prefix = id.slice(0, id.indexOf('_') + 1);
  const kinds: Record<string, SimulatedKind> = {
    cus_: 'customer',
    ch_: 'charge',
    // Delayed payment methods (ACH, SEPA…) are charges and refunds with their own prefixes.
    py_: 'charge',
    re_: 'refund',
    pyr_: 'refund',
    // Stripe's dispute ids: mostly dp_, also du_, and pdp_ for bank debits.
    dp_: 'dispute',
    du_: 'dispute',
    pdp_: 'dispute',
    in_: 'invoice',
    inpay_: 'invoice_payment',
    cn_: 'credit_note',
    po_: 'payout',
    txn_: 'balance_transaction',
    prod_: 'product',
  };
  return kinds[prefix] ?? null;
}
