import { apiExponent } from './currency.js';
import { describeValue } from './describe-value.js';
import { quoted } from '../text/quoted.js';

/**
 * A Sage 500 money amount: an integer number of thousandths, because Sage stores amounts as
 * decimal(15,3). Stripe's integer minor units convert to it exactly (no currency has more
 * than three decimals), so no amount ever passes through a JS floating point number.
 */
export type SageAmount = bigint;

/** The largest magnitude decimal(15,3) can hold: 12 integer digits, 3 decimals. */
export const SAGE_AMOUNT_LIMIT: SageAmount = 999_999_999_999_999n;

export class AmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountError';
  }
}

/** Converts a Stripe integer amount in the currency's API minor unit to Sage thousandths. */
export function fromStripeMinor(amount: unknown, currency: string): SageAmount {
  if (typeof amount !== 'number' && typeof amount !== 'bigint') {
    throw new AmountError(`amount ${describeValue(amount)} is not a number`);
  }
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new AmountError(`amount ${amount} is not a whole number of minor units`);
  }
  const scaled = BigInt(amount) * 10n ** BigInt(3 - apiExponent(currency));
  if (scaled > SAGE_AMOUNT_LIMIT || scaled < -SAGE_AMOUNT_LIMIT) {
    throw new AmountError(`amount ${describeValue(amount)} ${currency.toUpperCase()} does not fit Sage's decimal(15,3)`);
  }
  return scaled;
}

/** Converts Sage thousandths back to Stripe minor units; throws when it would lose a digit. */
export function toStripeMinor(amount: SageAmount, currency: string): bigint {
  const divisor = 10n ** BigInt(3 - apiExponent(currency));
  if (amount % divisor !== 0n) {
    throw new AmountError(`${formatSageAmount(amount)} has more decimals than ${currency.toUpperCase()} allows`);
  }
  return amount / divisor;
}

/** Formats thousandths as the decimal text SQL Server accepts for decimal(15,3), e.g. "-12.340". */
export function formatSageAmount(amount: SageAmount): string {
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const whole = magnitude / 1000n;
  const fraction = (magnitude % 1000n).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Formats thousandths for people, with the currency's own decimals ("1,234.50 USD" style without grouping). */
export function formatForDisplay(amount: SageAmount, currency: string): string {
  const exponent = apiExponent(currency);
  const text = formatSageAmount(amount);
  const trimmed = exponent === 3 ? text : exponent === 0 ? text.slice(0, -4) : text.slice(0, -1);
  return `${trimmed} ${currency.toUpperCase()}`;
}

const DECIMAL_TEXT = /^(-)?(\d{1,12})(?:\.(\d{1,3}))?$/;

/** Parses decimal text such as "12.34" or "-0.5" into thousandths; rejects anything else. */
export function parseSageAmount(text: string): SageAmount {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) throw new AmountError(`"${quoted(text)}" is not a decimal amount with at most 3 decimals`);
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole!) * 1000n + BigInt(fraction.padEnd(3, '0'));
  return sign ? -value : value;
}

export function sumAmounts(amounts: Iterable<SageAmount>): SageAmount {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}
