import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../main/core/ports/ledger.js';
import { stripeDashboardUrl } from '../../main/app/stripe-dashboard-link.js';

const stored = (kind: StoredObject['kind'], id: string, body: Record<string, unknown>): StoredObject => ({ id, kind, created: 0, object: { id, ...body } as unknown as StoredObject['object'] });

describe('stripeDashboardUrl', () => {
  it('links test-mode records under /test/ and live ones at the root', () => {
    expect(stripeDashboardUrl(stored('charge', 'ch_1', { livemode: false }))).toBe('https://dashboard.stripe.com/test/payments/ch_1');
    expect(stripeDashboardUrl(stored('charge', 'py_1', { livemode: true }))).toBe('https://dashboard.stripe.com/payments/py_1');
    expect(stripeDashboardUrl(stored('customer', 'cus_1', { livemode: true }))).toBe('https://dashboard.stripe.com/customers/cus_1');
    expect(stripeDashboardUrl(stored('payout', 'po_1', { livemode: false }))).toBe('https://dashboard.stripe.com/test/payouts/po_1');
    expect(stripeDashboardUrl(stored('invoice', 'in_1', { livemode: true }))).toBe('https://dashboard.stripe.com/invoices/in_1');
  });

  it('shows refunds and disputes on their payment, credit notes on their invoice', () => {
    expect(stripeDashboardUrl(stored('refund', 're_1', { livemode: true, charge: 'ch_9' }))).toBe('https://dashboard.stripe.com/payments/ch_9');
    expect(stripeDashboardUrl(stored('dispute', 'du_1', { livemode: false, charge: { id: 'ch_8' } }))).toBe('https://dashboard.stripe.com/test/payments/ch_8');
    expect(stripeDashboardUrl(stored('credit_note', 'cn_1', { livemode: true, invoice: 'in_7' }))).toBe('https://dashboard.stripe.com/invoices/in_7');
    expect(stripeDashboardUrl(stored('refund', 're_2', { livemode: true, charge: null }))).toBeNull();
  });
});
