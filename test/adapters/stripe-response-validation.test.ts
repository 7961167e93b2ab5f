import { describe, expect, it } from 'vitest';
import { validateInvoiceLines, validateListPage, validateObject } from '../../main/adapters/stripe/response-validation.js';

/** The adapter boundary: which answers get into the engine, which are parked, which are malformed as a whole. */

const charge = {
  id: 'ch_1',
  object: 'charge',
  amount: 1000,
  amount_refunded: 0,
  currency: 'usd',
  status: 'succeeded',
  balance_transaction: 'txn_1',
  created: 1_700_000_000,
};

describe('list pages', () => {
  it('keeps valid objects, names the invalid ones with their reason, and pages after the last object either way', () => {
    const withoutId = { ...charge, id: undefined };
    const page = validateListPage('charges', { object: 'list', data: [charge, {}, withoutId, { ...charge, id: 'ch_2', amount: '10.00' }], has_more: true, url: '/v1/charges' });
    expect('malformed' in page).toBe(false);
    if ('malformed' in page) return;
    expect(page.data).toEqual([charge]);
    expect(page.rejected.map((rejected) => rejected.key)).toEqual([expect.stringMatching(/^charges object without id #[0-9a-f]{12}$/), expect.stringMatching(/^charges object without id #/), 'ch_2']);
    expect(page.rejected[2]!.reason).toMatch(/^amount: .*expected number, received string$/);
    expect(page.lastId).toBe('ch_2');
    // The same bad object gets the same name on every run, so it is parked once.
    const again = validateListPage('charges', { object: 'list', data: [{}], has_more: false });
    expect(!('malformed' in again) && again.rejected[0]!.key).toBe(page.rejected[0]!.key);
  });

  it('hands on each valid object whole, keys no schema names included, and names a malformed one among them by its field', () => {
    // The schemas do not keep the keys they do not name (object-schemas.ts): the engine must get the object it read.
    const whole = {
      ...charge,
      id: 'ch_whole',
      balance_transaction: { id: 'txn_1', object: 'balance_transaction', fee: 59, fee_details: [{ amount: 59, type: 'stripe_fee' }] },
      metadata: { sage_customer: 'C-100' },
      billing_details: { address: { country: 'US' } },
      payment_method_details: { card: { brand: 'visa', last4: '4242' } },
    };
    const fractional = { ...whole, id: 'ch_fraction', amount: 12.5 };
    const page = validateListPage('charges', { object: 'list', data: [whole, fractional], has_more: false });
    if ('malformed' in page) throw new Error(page.malformed);
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toBe(whole);
    expect(page.data[0]).toEqual({ ...charge, id: 'ch_whole', balance_transaction: whole.balance_transaction, metadata: { sage_customer: 'C-100' }, billing_details: { address: { country: 'US' } }, payment_method_details: { card: { brand: 'visa', last4: '4242' } } });
    expect(page.rejected).toEqual([{ key: 'ch_fraction', path: 'charges', reason: expect.stringMatching(/^amount: .*expected int/) }]);
    expect(validateObject('balance_transactions', { id: 'txn_2', object: 'balance_transaction', amount: 100, currency: 'usd', fee: 3, net: 97, type: 'charge', created: 1, source: { object: 'charge' } })).toMatch(/^source/);
  });

  it('calls a body that is not a list malformed: `{}`, `data: null`, `has_more` missing', () => {
    expect(validateListPage('charges', {})).toMatchObject({ malformed: expect.stringMatching(/data/) });
    expect(validateListPage('charges', { object: 'list', data: null, has_more: false })).toMatchObject({ malformed: expect.stringMatching(/^data: /) });
    expect(validateListPage('events', { object: 'list', data: [] })).toMatchObject({ malformed: expect.stringMatching(/has_more/) });
  });
});

describe('single objects', () => {
  it('accepts a deleted customer as Stripe renders it and refuses an event without its object id', () => {
    expect(validateObject('customers', { id: 'cus_1', object: 'customer', deleted: true })).toBeNull();
    expect(validateObject('customers', { id: 'cus_1', object: 'customer' })).not.toBeNull();
    expect(validateObject('events', { id: 'evt_1', object: 'event', type: 'charge.succeeded', created: 1, data: { object: { object: 'charge' } } })).toMatch(/data\.object\.id/);
    expect(validateObject('payouts', { id: 'po_1', object: 'payout', amount: 5, currency: 'usd', status: 'paid', created: 1 })).toMatch(/arrival_date/);
  });

  it('refuses invoice lines without an integer amount', () => {
    expect(validateInvoiceLines({ object: 'list', data: [{ id: 'il_1', object: 'line_item', amount: 1.5, currency: 'usd' }], has_more: false })).toMatch(/^il_1: amount/);
    expect(validateInvoiceLines({ object: 'list', data: [{ id: 'il_1', object: 'line_item', amount: 150, currency: 'usd' }], has_more: false })).toBeNull();
  });
});
