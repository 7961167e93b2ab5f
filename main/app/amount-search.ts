/**
 * A search text that reads as an amount ("208.96", "$1,250", "1250") as the integer minor
 * units Stripe stores it in. The currency is not known from the text, so each exponent Stripe
 * uses (0, 2, 3; main/core/money/currency.ts) gives a candidate; digits are shifted as text,
 * never through floating point.
 */
const AMOUNT_TEXT = /^[$€£¥]?\s*(\d{1,3}(?:,\d{3})+|\d{1,12})(?:\.(\d{1,3}))?(?:\s*[a-zA-Z]{3})?$/;

export function amountCandidates(search: string): number[] {
  const match = AMOUNT_TEXT.exec(search.trim());
  if (!match) return [];
  const whole = match[1]!.replace(/,/g, '');
  // Trailing zeros carry no value: "24.210" (Sage's three decimals) is 24.21 in a two-decimal currency.
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const candidates: number[] = [];
  for (const exponent of [0, 2, 3]) {
    if (fraction.length > exponent) continue;
    candidates.push(Number(`${whole}${fraction.padEnd(exponent, '0')}`));
  }
  return candidates;
}
