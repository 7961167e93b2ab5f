import { describe, expect, it } from 'vitest';
import { fitCustomerText } from '../../main/core/customers/fit-customer-text.js';
import { splitAddress } from '../../main/core/customers/sage-address.js';
import { describeValue } from '../../main/core/money/describe-value.js';
import { parseSageAmount } from '../../main/core/money/sage-amount.js';
import { quoted } from '../../main/core/text/quoted.js';
import type { StripeCustomer } from '../../main/core/stripe/objects.js';

/** A value quoted in a message is capped: a 100,000-character field never makes a message of that size (issue #18, item 9). */

const HUGE = 'Ω'.repeat(100_000);

describe('quoted', () => {
  it('keeps short values whole and cuts long ones at 120 characters, saying how long they were', () => {
    expect(quoted('Hokkaido')).toBe('Hokkaido');
    expect(quoted('x'.repeat(120))).toBe('x'.repeat(120));
    expect(quoted('x'.repeat(121))).toBe(`${'x'.repeat(120)}… (121 characters)`);
    // Counted in characters, never cutting a surrogate pair in half.
    expect(quoted('🚀'.repeat(200))).toBe(`${'🚀'.repeat(120)}… (200 characters)`);
  });
});

describe('messages about huge Stripe values', () => {
  const customer = (changes: Partial<StripeCustomer>): StripeCustomer => ({
    id: 'cus_1',
    object: 'customer',
    name: 'Ada',
    email: null,
    phone: null,
    address: null,
    currency: null,
    metadata: {},
    created: 1,
    ...changes,
  });

  it('stay short in every place that quotes the value', () => {
    const texts = [
      ...fitCustomerText(customer({ name: HUGE }), 'fit').notes,
      ...fitCustomerText(customer({ name: HUGE }), 'park').problems.map((problem) => problem.message),
      ...fitCustomerText(customer({ phone: HUGE }), 'fit').notes,
      ...splitAddress({ line1: 'a', line2: null, city: 'c', state: HUGE, postal_code: null, country: 'US' }).problems.map((problem) => problem.message),
      describeValue({ nested: HUGE }),
    ];
    expect(texts.length).toBeGreaterThan(3);
    for (const text of texts) expect(text.length, text.slice(0, 80)).toBeLessThan(400);
    expect(() => parseSageAmount(HUGE)).toThrow(/^"Ω{120}… \(100000 characters\)" is not a decimal amount/);
  });
});
