import { describeValue } from './describe-value.js';

/**
 * Stripe's currency exponent table.
 *
 * Stripe amounts are integers in the currency's smallest unit. Most currencies have two
 * decimals; Stripe lists the exceptions on https://docs.stripe.com/currencies. Three
 * special cases matter for books: ISK is sent "with two decimals" for backward
 * compatibility although Stripe treats it as zero-decimal, and HUF and TWD are two-decimal
 * for charges but whole units for payouts. In all three the API amount is divided by 100,
 * so the Stripe exponent, not ISO 4217 (which gives ISK 0), decides the conversion.
 */

/** Zero-decimal currencies: the API amount is already in whole units. */
const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd',
  'vuv', 'xaf', 'xof', 'xpf',
]);

/**
 * Three-decimal currencies: the API amount is in thousandths, and Stripe requires the last
 * digit to be 0 (amounts are rounded to tens of the minor unit).
 */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/**
 * Currencies whose API amounts carry two decimals although the currency is used without
 * decimals in practice. The API amount is still divided by 100.
 */
const TWO_DECIMAL_IN_API_WHOLE_IN_PRACTICE = new Set(['isk', 'huf', 'twd']);

/** ISO 4217 codes are three ASCII letters; Stripe sends them in lower case. */
const CURRENCY_CODE = /^[a-z]{3}$/;

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: unknown) {
    super(`"${describeValue(currency)}" is not a currency code Stripe uses (three letters expected)`);
    this.name = 'UnknownCurrencyError';
  }
}

export function normaliseCurrency(currency: unknown): string {
  if (typeof currency !== 'string') throw new UnknownCurrencyError(currency);
  const code = currency.toLowerCase();
  if (!CURRENCY_CODE.test(code)) throw new UnknownCurrencyError(currency);
  return code;
}

/** Number of decimals in the integer amounts the Stripe API uses for this currency. */
export function apiExponent(currency: string): 0 | 2 | 3 {
  const code = normaliseCurrency(currency);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** True where Stripe shows decimals in the API that the currency does not use in practice. */
export function isWholeInPractice(currency: string): boolean {
  return TWO_DECIMAL_IN_API_WHOLE_IN_PRACTICE.has(normaliseCurrency(currency));
}
