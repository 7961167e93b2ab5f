import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { ruleHoldsWhere } from '../rules/rule-lines.js';
import type { Rule } from '../rules/rule-schema.js';
import { storedRuleFacts } from './rule-subject.js';

/**
 * The rules editor's live count: how many of the most recent stored Stripe objects one rule's
 * conditions match, with a few examples, so a bookkeeper sees what a rule catches before
 * saving it. Only the rule's own conditions are counted (not the rules above it). An object
 * counts when the rule holds on the document or on any of its invoice lines (core/rules/rule-lines.ts).
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
    const where = ruleHoldsWhere(rule, facts);
    if (!where.document && where.lines.length === 0) continue;
    result.matched += 1;
    if (result.examples.length < EXAMPLES) {
      result.examples.push({ objectId: stored.id, kind: facts.kind, description: facts.description, amount: facts.amount, currency: facts.presentmentCurrency });
    }
  }
  return result;
}
