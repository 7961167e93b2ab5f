import { formatSageAmount, fromStripeMinor } from '../core/money/sage-amount.js';

/**
 * What one stored Stripe object looks like in a list: a short description and its headline
 * amount as decimal text. Bodies are read loosely because the list must never fail on an
 * object the engine itself flagged as malformed.
 */

export interface ObjectSummary {
  description: string;
  amount: string | null;
  currency: string | null;
}

type Body = Record<string, unknown>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

function headlineMinor(kind: string, body: Body): unknown {
  if (kind === 'invoice') return body.amount_paid ?? body.total;
  if (kind === 'credit_note') return body.total;
  return body.amount;
}

function describe(kind: string, body: Body): string {
  const billing = (body.billing_details ?? {}) as Body;
  switch (kind) {
    case 'customer':
      return text(body.name) ?? text(body.email) ?? 'Customer';
    case 'charge':
      return text(body.description) ?? text(billing.name) ?? text(billing.email) ?? 'Card payment';
    case 'refund':
      return `Refund of ${text(body.charge) ?? 'a payment'}${text(body.reason) ? ` (${String(body.reason)})` : ''}`;
    case 'dispute':
      return `Dispute${text(body.reason) ? `: ${String(body.reason)}` : ''} (${text(body.status) ?? 'open'})`;
    case 'invoice':
      return `Invoice ${text(body.number) ?? ''} ${text(body.customer_name) ?? text(body.customer_email) ?? ''}`.replace(/\s+/g, ' ').trim();
    case 'credit_note':
      return `Credit note ${text(body.number) ?? ''}`.trim();
    case 'payout':
      return `Payout to bank (${text(body.status) ?? 'pending'})`;
    default:
      return kind;
  }
}

export function summariseObject(kind: string, stored: unknown): ObjectSummary {
  const body = (stored ?? {}) as Body;
  const currency = text(body.currency);
  const minor = headlineMinor(kind, body);
  let amount: string | null = null;
  if (currency && typeof minor === 'number') {
    try {
      amount = formatSageAmount(fromStripeMinor(minor, currency));
    } catch {
      amount = null;
    }
  }
  return { description: describe(kind, body), amount, currency };
}
