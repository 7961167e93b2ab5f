import { describe, expect, it } from 'vitest';
import { amountCandidates } from '../../main/app/amount-search.js';

describe('amountCandidates', () => {
  it('reads an amount as minor units for each Stripe exponent it fits', () => {
    expect(amountCandidates('208.96')).toEqual([20_896, 208_960]);
    expect(amountCandidates('$1,250')).toEqual([1_250, 125_000, 1_250_000]);
    expect(amountCandidates('1250 USD')).toEqual([1_250, 125_000, 1_250_000]);
    expect(amountCandidates('0.125')).toEqual([125]);
    expect(amountCandidates('19.9')).toEqual([1_990, 19_900]);
    expect(amountCandidates('24.210')).toEqual([2_421, 24_210]);
    expect(amountCandidates('5.000')).toEqual([5, 500, 5_000]);
  });

  it('leaves ids, names and e-mails alone', () => {
    for (const text of ['ch_3Nx', 'Søren Dubois', 'a@b.com', '2026-11-02', '1.2.3', '']) expect(amountCandidates(text)).toEqual([]);
  });
});
