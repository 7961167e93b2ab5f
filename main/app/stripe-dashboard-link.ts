import type { StoredObject } from '../core/ports/ledger.js';

/**
 * Where a record opens in the Stripe Dashboard: test-mode objects under /test/, live ones at
 * the root. Refunds and disputes are shown on their payment's page, credit notes on their
 * invoice's (the Dashboard has no page of their own to link to).
 */
const DASHBOARD = 'https://dashboard.stripe.com/';

export function stripeDashboardUrl(stored: StoredObject): string | null {
  const body = stored.object as unknown as Record<string, unknown>;
  const idOf = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null);
  const page: string | null = (() => {
    switch (stored.kind) {
      case 'charge':
        return `payments/${stored.id}`;
      case 'refund':
      case 'dispute': {
        const charge = idOf(body.charge);
        return charge ? `payments/${charge}` : null;
      }
      case 'customer':
        return `customers/${stored.id}`;
      case 'invoice':
        return `invoices/${stored.id}`;
      case 'credit_note': {
        const invoice = idOf(body.invoice);
        return invoice ? `invoices/${invoice}` : null;
      }
      case 'payout':
        return `payouts/${stored.id}`;
      default:
        return null;
    }
  })();
  if (page === null) return null;
  return `${DASHBOARD}${body.livemode === true ? '' : 'test/'}${page}`;
}
