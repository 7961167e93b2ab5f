import { describe, expect, it } from 'vitest';
import { apiExponent, isWholeInPractice, normaliseCurrency, UnknownCurrencyError } from '../../main/core/money/currency.js';
import {
  AmountError,
  formatForDisplay,
  formatSageAmount,
  fromStripeMinor,
  parseSageAmount,
  SAGE_AMOUNT_LIMIT,
  sumAmounts,
  toStripeMinor,
} from '../../main/core/money/sage-amount.js';
import { businessDate } from '../../main/core/time/business-date.js';

describe('Stripe currency exponent table', () => {
  it.each([
    ['usd', 2],
    ['eur', 2],
    ['gbp', 2],
    ['jpy', 0],
    ['krw', 0],
    ['vnd', 0],
    ['clp', 0],
    ['kwd', 3],
    ['bhd', 3],
    ['jod', 3],
    ['omr', 3],
    ['tnd', 3],
    // Special cases: ISO gives ISK 0 decimals, but the API amount carries two.
    ['isk', 2],
    ['huf', 2],
    ['twd', 2],
  ] as const)('%s has API exponent %i', (currency, exponent) => {
    expect(apiExponent(currency)).toBe(exponent);
    expect(apiExponent(currency.toUpperCase())).toBe(exponent);
  });

  it('flags ISK, HUF and TWD as whole in practice and nothing else', () => {
    expect(['isk', 'huf', 'twd'].map(isWholeInPractice)).toEqual([true, true, true]);
    expect(['usd', 'jpy', 'kwd'].map(isWholeInPractice)).toEqual([false, false, false]);
  });

  it('normalises case and rejects anything that is not a three-letter code', () => {
    expect(normaliseCurrency('USD')).toBe('usd');
    for (const bad of ['us', 'usdx', 'u$d', '', ' usd', 840, null, undefined, {}]) {
      expect(() => normaliseCurrency(bad)).toThrow(UnknownCurrencyError);
    }
    expect(() => apiExponent('dollars')).toThrow(UnknownCurrencyError);
    expect(() => fromStripeMinor(100, 'us')).toThrow(UnknownCurrencyError);
  });
});

describe('fromStripeMinor', () => {
  it.each([
    [1234, 'usd', '12.340'],
    [-1234, 'usd', '-12.340'],
    [5, 'usd', '0.050'],
    [1, 'eur', '0.010'],
    [0, 'usd', '0.000'],
    [1000, 'jpy', '1000.000'],
    [1, 'jpy', '1.000'],
    [1230, 'kwd', '1.230'],
    [-5, 'kwd', '-0.005'],
    [100_000, 'isk', '1000.000'],
    [99_900, 'huf', '999.000'],
    [2_500, 'TWD', '25.000'],
  ] as const)('%i %s is %s', (amount, currency, text) => {
    expect(formatSageAmount(fromStripeMinor(amount, currency))).toBe(text);
  });

  it('accepts bigint amounts and treats -0 as zero', () => {
    expect(fromStripeMinor(123n, 'usd')).toBe(1230n);
    expect(fromStripeMinor(-0, 'usd')).toBe(0n);
  });

  it.each([1.5, 0.1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '100', null, undefined])('rejects %s', (bad) => {
    expect(() => fromStripeMinor(bad, 'usd')).toThrow(AmountError);
  });

  it('enforces the decimal(15,3) limit exactly, in every exponent', () => {
    // 999,999,999,999.99 USD fits; one more cent does not.
    expect(fromStripeMinor(99_999_999_999_999, 'usd')).toBe(999_999_999_999_990n);
    expect(() => fromStripeMinor(100_000_000_000_000, 'usd')).toThrow(/does not fit/);
    expect(() => fromStripeMinor(-100_000_000_000_000, 'usd')).toThrow(AmountError);
    expect(fromStripeMinor(999_999_999_999, 'jpy')).toBe(999_999_999_999_000n);
    expect(() => fromStripeMinor(1_000_000_000_000, 'jpy')).toThrow(AmountError);
    expect(fromStripeMinor(999_999_999_999_999, 'kwd')).toBe(SAGE_AMOUNT_LIMIT);
    expect(fromStripeMinor(-999_999_999_999_999, 'kwd')).toBe(-SAGE_AMOUNT_LIMIT);
    expect(() => fromStripeMinor(1_000_000_000_000_000, 'kwd')).toThrow(AmountError);
    expect(() => fromStripeMinor(Number.MAX_SAFE_INTEGER, 'kwd')).toThrow(AmountError);
    expect(() => fromStripeMinor(10n ** 30n, 'usd')).toThrow(AmountError);
  });
});

describe('toStripeMinor', () => {
  it('inverts fromStripeMinor', () => {
    expect(toStripeMinor(12_340n, 'usd')).toBe(1234n);
    expect(toStripeMinor(1_000_000n, 'jpy')).toBe(1000n);
    expect(toStripeMinor(-1_235n, 'kwd')).toBe(-1235n);
  });

  it('refuses to drop a digit the currency cannot hold', () => {
    expect(() => toStripeMinor(12_345n, 'usd')).toThrow(/more decimals than USD/);
    expect(() => toStripeMinor(-1n, 'usd')).toThrow(AmountError);
    expect(() => toStripeMinor(1_500n, 'jpy')).toThrow(/JPY/);
  });
});

describe('formatSageAmount / parseSageAmount', () => {
  it.each([
    [0n, '0.000'],
    [1n, '0.001'],
    [-1n, '-0.001'],
    [-12_340n, '-12.340'],
    [1_000n, '1.000'],
    [SAGE_AMOUNT_LIMIT, '999999999999.999'],
    [-SAGE_AMOUNT_LIMIT, '-999999999999.999'],
  ] as const)('%s ⇄ %s', (amount, text) => {
    expect(formatSageAmount(amount)).toBe(text);
    expect(parseSageAmount(text)).toBe(amount);
  });

  it('parses short forms and normalises them to canonical text', () => {
    expect(formatSageAmount(parseSageAmount('12.34'))).toBe('12.340');
    expect(formatSageAmount(parseSageAmount('-0.5'))).toBe('-0.500');
    expect(formatSageAmount(parseSageAmount('7'))).toBe('7.000');
    expect(formatSageAmount(parseSageAmount('-0'))).toBe('0.000');
    expect(parseSageAmount(' 1.1 ')).toBe(1_100n);
  });

  it.each(['', '1.2345', '1e3', '0x10', '1,000.00', '+1.00', '.5', '5.', '1234567890123.000', 'NaN', '--1', '1 000'])(
    'rejects %j',
    (text) => {
      expect(() => parseSageAmount(text)).toThrow(AmountError);
    },
  );

  it('round trips every Stripe amount exactly where floating point would not', () => {
    // 0.1 + 0.2 in float is 0.30000000000000004; in thousandths it is exact.
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatSageAmount(sumAmounts([fromStripeMinor(10, 'usd'), fromStripeMinor(20, 'usd')]))).toBe('0.300');
    // 2^53 + 1 cannot be a float; as bigint thousandths the last digit survives.
    const nearFloatLimit = 2n ** 53n + 1n;
    expect(Number(nearFloatLimit)).toBe(2 ** 53);
    expect(formatSageAmount(nearFloatLimit / 10n)).toBe('900719925474.099');
    expect(parseSageAmount(formatSageAmount(nearFloatLimit / 10n))).toBe(nearFloatLimit / 10n);
    for (const minor of [1, 7, 10, 99, 101, 1099, 123_456_789, 99_999_999_999_999]) {
      for (const currency of ['usd', 'jpy', 'kwd', 'isk']) {
        if (currency === 'jpy' && minor > 999_999_999_999) continue;
        const amount = fromStripeMinor(minor, currency);
        expect(parseSageAmount(formatSageAmount(amount))).toBe(amount);
        expect(toStripeMinor(amount, currency)).toBe(BigInt(minor));
      }
    }
  });

  it('sums with bigint', () => {
    expect(sumAmounts([])).toBe(0n);
    expect(sumAmounts([SAGE_AMOUNT_LIMIT, SAGE_AMOUNT_LIMIT, -SAGE_AMOUNT_LIMIT])).toBe(SAGE_AMOUNT_LIMIT);
  });
});

describe('formatForDisplay', () => {
  it('shows the currency’s own decimals', () => {
    expect(formatForDisplay(12_340n, 'usd')).toBe('12.34 USD');
    expect(formatForDisplay(-1_000_000n, 'jpy')).toBe('-1000 JPY');
    expect(formatForDisplay(1_235n, 'kwd')).toBe('1.235 KWD');
    expect(formatForDisplay(1_000_000n, 'isk')).toBe('1000.00 ISK');
  });
});

describe('malformed amounts and currencies from a bad payload', () => {
  it('get a clear error, even for values String() cannot convert', () => {
    const unprintable = { toString: false } as unknown;
    expect(() => fromStripeMinor(unprintable, 'usd')).toThrow(new AmountError('amount {"toString":false} is not a number'));
    expect(() => normaliseCurrency(unprintable)).toThrow(UnknownCurrencyError);
    expect(() => businessDate(unprintable as number, 'UTC')).toThrow(RangeError);
  });
});
