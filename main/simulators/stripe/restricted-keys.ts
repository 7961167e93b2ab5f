import { StripeErrorResponse } from './stripe-error-response.js';

/**
 * Restricted keys (`rk_test_…`) as Stripe enforces them: each resource is None / Read / Write
 * on the key (https://docs.stripe.com/keys/restricted-api-keys), and a request to a resource
 * the key may not use is refused with HTTP 403, type `invalid_request_error`, and a message
 * naming the missing permission, e.g. "The provided key 'rk_test_***…abcd' does not have the
 * required permissions for this endpoint on account 'acct_…'. Having the 'rak_charge_read'
 * permission would allow this request to continue." (the shape stripe-node reports as
 * StripePermissionError, statusCode 403; stripe/stripe-node#2246, tylerjrichards/st-paywall#36).
 *
 * A restricted key the simulator has not been told about may use everything. The permission
 * slugs are the Dashboard's `rak_*` names; which slug guards invoice payments is not
 * documented, so it is modelled under Invoices.
 *
 * Expansion: whether Stripe checks the expanded object's permission is not documented, so the
 * harder case is modelled: a list that expands a PaymentIntent (`expand[]=data.payment_intent`)
 * is refused outright, naming `rak_payment_intent_read`, when the key may not read
 * PaymentIntents. The wizard's key test asks with the engine's own expansions for that reason.
 */

const READ_PERMISSIONS: Record<string, string> = {
  account: 'rak_account_read',
  balance: 'rak_balance_read',
  balance_transactions: 'rak_balance_transaction_source_read',
  charges: 'rak_charge_read',
  credit_notes: 'rak_credit_note_read',
  customers: 'rak_customer_read',
  disputes: 'rak_dispute_read',
  events: 'rak_event_read',
  invoice_payments: 'rak_invoice_read',
  invoices: 'rak_invoice_read',
  payouts: 'rak_payout_read',
  products: 'rak_product_read',
  refunds: 'rak_refund_read',
};

/** Expanded fields (the last part of an `expand[]` path) that need a read permission of their own. */
const EXPANSION_PERMISSIONS: Record<string, string> = {
  payment_intent: 'rak_payment_intent_read',
};

const expansionPermission = (path: string): string | undefined => EXPANSION_PERMISSIONS[path.split('.').at(-1) ?? ''];

export class RestrictedKeys {
  private readonly denied = new Map<string, Set<string>>();

  constructor(private readonly accountId: string) {}

  /** From now on, `key` lacks these `rak_*` permissions (read permissions of the resources above). */
  withhold(key: string, permissions: readonly string[]): void {
    this.denied.set(key, new Set(permissions));
  }

  /** The 403 Stripe sends when `key` may not make this request; null when it may. */
  refusal(key: string, method: string, resource: string | undefined, expand: readonly string[] = []): StripeErrorResponse | null {
    const withheld = this.denied.get(key);
    if (!withheld || resource === undefined) return null;
    const read = READ_PERMISSIONS[resource];
    const needed = method === 'GET' ? [read, ...expand.map(expansionPermission)] : [read?.replace(/_read$/, '_write')];
    const permission = needed.find((slug) => slug !== undefined && withheld.has(slug));
    if (permission === undefined) return null;
    const shown = `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
    return new StripeErrorResponse(
      403,
      'invalid_request_error',
      `The provided key '${shown}' does not have the required permissions for this endpoint on account '${this.accountId}'. Having the '${permission}' permission would allow this request to continue.`,
    );
  }
}
