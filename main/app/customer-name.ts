import type { Ledger } from '../core/ports/ledger.js';

/**
 * The name (or e-mail) of the Stripe customer a record belongs to, for lists that would
 * otherwise show a bare cus_ id: the customer itself, or the customer its `customer` field names.
 */
export function customerNameOf(objects: Pick<Ledger['objects'], 'getObject'>, stripeObjectId: string): string | null {
  const stored = objects.getObject(stripeObjectId);
  if (!stored) return null;
  const body = stored.object as unknown as Record<string, unknown>;
  const customer = stored.kind === 'customer' ? body : customerBody(objects, body.customer);
  if (!customer) return null;
  return nonEmpty(customer.name) ?? nonEmpty(customer.email);
}

function customerBody(objects: Pick<Ledger['objects'], 'getObject'>, reference: unknown): Record<string, unknown> | null {
  const id = typeof reference === 'string' ? reference : typeof reference === 'object' && reference !== null ? (reference as { id?: unknown }).id : null;
  if (typeof id !== 'string') return null;
  const stored = objects.getObject(id);
  return stored?.kind === 'customer' ? (stored.object as unknown as Record<string, unknown>) : null;
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
