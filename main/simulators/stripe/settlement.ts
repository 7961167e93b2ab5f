import { apiExponent } from '../../core/money/currency.js';

/**
 * How a simulated charge settles into the account's USD balance. Exchange rates are kept
 * as integer millionths so conversions are integer arithmetic with one final rounding.
 */

export const SETTLEMENT_CURRENCY = 'usd';
const MICROS = 1_000_000;

/** Converts a presentment amount (its own minor unit) to USD cents at `rateMicros` USD per unit. */
export function settleAmount(amount: number, currency: string, rateMicros: number): number {
  if (currency === SETTLEMENT_CURRENCY) return amount;
  const exponentShift = 2 - apiExponent(currency);
  const numerator = amount * rateMicros * (exponentShift > 0 ? 10 ** exponentShift : 1);
  const denominator = MICROS * (exponentShift < 0 ? 10 ** -exponentShift : 1);
  return Math.round(numerator / denominator);
}

/** The `exchange_rate` field Stripe shows for a rate in millionths. */
export function exchangeRate(rateMicros: number): number {
  return rateMicros / MICROS;
}

/** Card processing fee in USD cents: 2.9% + 30¢, plus 1.5% for cross-border presentment. */
export function processingFee(settledAmount: number, crossBorder: boolean): number {
  const permille = crossBorder ? 44 : 29;
  return Math.round((settledAmount * permille) / 1000) + 30;
}

/** Stripe's fixed dispute fee in USD cents. */
export const DISPUTE_FEE = 1500;
