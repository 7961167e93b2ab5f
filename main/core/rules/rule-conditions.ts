import { fromStripeMinor, parseSageAmount } from '../money/sage-amount.js';
import { metadataValues, type RuleFacts } from './rule-facts.js';
import type { RuleCondition } from './rule-schema.js';
import { matchesWildcard } from './wildcard-pattern.js';

/** Whether one condition holds for the facts; a field Stripe did not send never matches. */
export function conditionHolds(condition: RuleCondition, facts: RuleFacts): boolean {
  switch (condition.field) {
    case 'objectKind':
      return condition.in.includes(facts.kind);
    case 'balanceTransactionType':
      return facts.balanceTransaction !== null && condition.in.includes(facts.balanceTransaction.type);
    case 'reportingCategory':
      return facts.balanceTransaction !== null && condition.in.includes(facts.balanceTransaction.reportingCategory);
    case 'metadata': {
      const wanted = condition.value ?? '';
      return metadataValues(facts, condition.on, condition.key).some((value) =>
        condition.op === 'exists' ? true : condition.op === 'equals' ? value === wanted : value.toLowerCase().includes(wanted.toLowerCase()),
      );
    }
    case 'product':
      return facts.products.some((product) => condition.in.includes(product));
    case 'price':
      return facts.prices.some((price) => condition.in.includes(price));
    case 'paymentMethodType':
      return facts.paymentMethodType !== null && condition.in.includes(facts.paymentMethodType);
    case 'cardBrand':
      return facts.cardBrand !== null && condition.in.includes(facts.cardBrand);
    case 'presentmentCurrency':
      return facts.presentmentCurrency !== null && condition.in.some((currency) => currency.toLowerCase() === facts.presentmentCurrency);
    case 'customerCountry':
      return facts.customerCountry !== null && condition.in.some((country) => country.toUpperCase() === facts.customerCountry);
    case 'amount':
      return amountInRange(facts, condition.atLeast, condition.below);
    case 'description':
      if (facts.description === null) return false;
      return condition.op === 'contains' ? facts.description.toLowerCase().includes(condition.value.toLowerCase()) : matchesWildcard(condition.value, facts.description);
    case 'livemode':
      return facts.livemode === condition.equals;
  }
}

/** Compared in exact thousandths of the object's currency; an amount of a currency we do not know never matches. */
function amountInRange(facts: RuleFacts, atLeast: string | undefined, below: string | undefined): boolean {
  if (facts.amount === null || facts.presentmentCurrency === null) return false;
  let amount: bigint;
  try {
    amount = fromStripeMinor(facts.amount, facts.presentmentCurrency);
  } catch {
    return false;
  }
  if (amount < 0n) amount = -amount;
  return (atLeast === undefined || amount >= parseSageAmount(atLeast)) && (below === undefined || amount < parseSageAmount(below));
}
