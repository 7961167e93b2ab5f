import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { conditionHolds } from '../rules/rule-conditions.js';
import type { Rule } from '../rules/rule-schema.js';
import { storedRuleFacts } from './rule-subject.js';

/**
 * The rules editor's live count: how many of the most recent stored Stripe objects one rule's
 * conditions match, with a few examples, so a bookkeeper sees what a rule catches before
 * saving it. Only the rule's own conditions are counted (not the rules above it).
 */

export const RECENT_OBJECTS = 500;
const EXAMPLES = 5;

export interface RuleMatches {
  examined: number;
  matched: number;
  examples: { objectId: string; kind: string; description: string | null; amount: number | null; currency: string | null }[];
}

export function recentRuleMatches(ledger: Ledger, mapping: Mapping, rule: Pick<Rule, 'when'>): RuleMatches {
  const { objects } = ledger.objects.searchObjects({ limit: RECENT_OBJECTS, offset: 0 });
  const result: RuleMatches = { examined: 0, matched: 0, examples: [] };
  for (const stored of objects) {
    if (stored.object.object === 'payout') continue;
    const facts = storedRuleFacts(ledger, mapping, stored.id);
    if (!facts) continue;
    result.examined += 1;
    if (!rule.when.every((condition) => conditionHolds(condition, facts))) continue;
    result.matched += 1;
    if (result.examples.length < EXAMPLES) {
      result.examples.push({ objectId: stored.id, kind: facts.kind, description: facts.description, amount: facts.amount, currency: facts.presentmentCurrency });
    }
  }
  return result;
}
