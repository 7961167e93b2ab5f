import { fromStripeMinor, parseSageAmount } from '../money/sage-amount.js';
import { lineMetadataValue, metadataValue, scopeLines, type LineFacts, type RuleFacts } from './rule-facts.js';
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
    case 'metadata':
      if (condition.on === 'product') return onLines(facts, (line) => metadataMatches(condition, lineMetadataValue(line, condition.key)));
      return metadataMatches(condition, metadataValue(facts, condition.on, condition.key));
    case 'product':
    case 'price':
      return onLines(facts, (line) => lineConditionHolds(condition, line));
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

/** The conditions read on an invoice's lines: product, price and product metadata. */
export type LineCondition = Extract<RuleCondition, { field: 'product' | 'price' }> | (MetadataCondition & { on: 'product' });

type MetadataCondition = Extract<RuleCondition, { field: 'metadata' }>;

export function isLineCondition(condition: RuleCondition): condition is LineCondition {
  return condition.field === 'product' || condition.field === 'price' || (condition.field === 'metadata' && condition.on === 'product');
}

/** Whether a line condition holds on one line. */
export function lineConditionHolds(condition: LineCondition, line: LineFacts): boolean {
  switch (condition.field) {
    case 'product':
      return line.product !== null && condition.in.includes(line.product);
    case 'price':
      return line.price !== null && condition.in.includes(line.price);
    case 'metadata':
      return metadataMatches(condition, lineMetadataValue(line, condition.key));
  }
}

/** In the document scope every line must hold (and there must be lines); in a line's scope, that line. */
function onLines(facts: RuleFacts, holds: (line: LineFacts) => boolean): boolean {
  const lines = scopeLines(facts);
  return lines.length > 0 && lines.every(holds);
}

function metadataMatches(condition: MetadataCondition, value: string | null): boolean {
  if (value === null) return false;
  if (condition.op === 'exists') return true;
  const wanted = condition.value ?? '';
  return condition.op === 'equals' ? value === wanted : value.toLowerCase().includes(wanted.toLowerCase());
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
