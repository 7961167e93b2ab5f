import { fnv1a64 } from './text-digest.js';

/**
 * A deterministic Sage CustID (varchar(12)) for a Stripe customer: the mapping's prefix and
 * a base-36 digest of the Stripe id. The same Stripe customer always gets the same CustID,
 * so a retry after a crash finds the customer it created instead of creating a second one.
 */

const CUST_ID_LENGTH = 12;

export function sageCustIdFor(stripeCustomerId: string, prefix: string): string {
  const digits = fnv1a64(stripeCustomerId).toString(36).toUpperCase().padStart(13, '0');
  return `${prefix}${digits.slice(-(CUST_ID_LENGTH - prefix.length))}`;
}
