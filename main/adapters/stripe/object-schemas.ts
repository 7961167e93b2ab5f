import { z } from 'zod';
import type { StripeListPath } from '../../core/ports/stripe-api.js';

/**
 * What every object the engine reads must look like before it enters the engine: the fields
 * the ledger and the posting rules rely on, typed as the pinned API version documents them
 * (Stripe API reference, "The X object"; node_modules/stripe/types). Everything else is let
 * through untouched: the engine keeps the object it read (whole, in the ledger), not what a
 * schema parses out of it, so the object schemas are plain `z.object`s, which accept unknown
 * keys as `looseObject` does but do not copy each of them into a result nobody reads (a Stripe
 * charge has about 40 keys; copying them was 90% of validation's cost, docs/performance.md,
 * "Throughput"). A field whose value is wrong in a
 * way the posting rules explain in Sage terms (an unknown currency, a negative amount) is left
 * to them; these schemas catch what no rule could read: no id, no `created`, a money amount
 * that is not an integer, a list that is not a list.
 */

const id = z.string().min(1);
const unixSeconds = z.number().int();
const minorUnits = z.number().int();
const currency = z.string().min(1);
/** An expandable reference: the id, the expanded object (with its id), or null. */
const expandable = z.union([z.string().min(1), z.object({ id }), z.null()]);

const balanceTransaction = z.object({
  id,
  object: z.literal('balance_transaction'),
  amount: minorUnits,
  currency,
  fee: minorUnits,
  net: minorUnits,
  type: z.string(),
  created: unixSeconds,
  source: expandable.optional(),
});

/** A deleted customer is still retrievable, as `{ id, object, deleted: true }` without the other fields. */
const customer = z.union([
  z.object({ id, object: z.literal('customer'), created: unixSeconds }),
  z.object({ id, object: z.literal('customer'), deleted: z.literal(true) }),
]);

const charge = z.object({
  id,
  object: z.literal('charge'),
  amount: minorUnits,
  amount_refunded: minorUnits,
  currency,
  status: z.string(),
  balance_transaction: expandable,
  created: unixSeconds,
});

const refund = z.object({
  id,
  object: z.literal('refund'),
  amount: minorUnits,
  currency,
  status: z.string().nullable(),
  balance_transaction: expandable.optional(),
  created: unixSeconds,
});

const dispute = z.object({
  id,
  object: z.literal('dispute'),
  amount: minorUnits,
  currency,
  status: z.string(),
  balance_transactions: z.array(z.object({ id })),
  created: unixSeconds,
});

const invoice = z.object({
  id,
  object: z.literal('invoice'),
  currency,
  status: z.string().nullable(),
  total: minorUnits,
  created: unixSeconds,
});

const invoicePayment = z.object({ id, object: z.literal('invoice_payment'), invoice: expandable, created: unixSeconds });

const creditNote = z.object({ id, object: z.literal('credit_note'), currency, total: minorUnits, created: unixSeconds });

const payout = z.object({
  id,
  object: z.literal('payout'),
  amount: minorUnits,
  currency,
  arrival_date: unixSeconds,
  status: z.string(),
  created: unixSeconds,
});

/** Read only for its metadata (business rules); a deleted product has `deleted: true` and no metadata. */
const product = z.object({ id, object: z.literal('product') });

const event = z.object({
  id,
  object: z.literal('event'),
  type: z.string().min(1),
  created: unixSeconds,
  data: z.object({ object: z.object({ id, object: z.string().min(1) }) }),
});

export const OBJECT_SCHEMAS: Record<StripeListPath, z.ZodType> = {
  events: event,
  customers: customer,
  charges: charge,
  refunds: refund,
  disputes: dispute,
  invoices: invoice,
  invoice_payments: invoicePayment,
  credit_notes: creditNote,
  payouts: payout,
  balance_transactions: balanceTransaction,
  products: product,
};

/** Stripe's list envelope: `data` must be an array and `has_more` a boolean, or no page can be read. Loose: its `url` is read from the parsed envelope. */
export const LIST_ENVELOPE = z.looseObject({ object: z.literal('list'), data: z.array(z.unknown()), has_more: z.boolean() });

export const INVOICE_LINE = z.object({ id, object: z.literal('line_item'), amount: minorUnits, currency });

/** `field: problem; field: problem`, naming at most three problems. */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join('.') : 'the object'}: ${issue.message}`);
  const more = error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : '';
  return described.join('; ') + more;
}
