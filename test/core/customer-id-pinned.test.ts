import { describe, expect, it } from 'vitest';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { fnv1a64 } from '../../main/core/customers/text-digest.js';

/**
 * The CustID of a Stripe customer is pinned to known values: a change of the digest, its
 * alphabet or its length would give customers already in Sage a new CustID after an upgrade,
 * and the next sync would create each of them a second time (issue #18, item 11).
 */
describe('Sage CustIDs of known Stripe customers', () => {
  it('stay the same in every version', () => {
    expect(sageCustIdFor('cus_NffrFeUfNV2Hib', 'S')).toBe('S80GXG8NWTO8');
    expect(sageCustIdFor('cus_NffrFeUfNV2Hib', 'STR')).toBe('STRGXG8NWTO8');
  });

  it('rest on FNV-1a 64 as its authors publish it', () => {
    // Test vector from the FNV reference (http://www.isthe.com/chongo/tech/comp/fnv/): FNV-1a 64 of "a".
    expect(fnv1a64('a').toString(16)).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('').toString(16)).toBe('cbf29ce484222325');
  });
});
