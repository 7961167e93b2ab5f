import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { standaloneWithRules } from '../rules/plan-with-rules.js';
import { describeCondition } from '../rules/describe-rule.js';
import { conditionHolds } from '../rules/rule-conditions.js';
import type { RuleFacts } from '../rules/rule-facts.js';
import { evaluateRules } from '../rules/rule-outcome.js';
import { describe, previewObject, type PreviewDocument } from './preview.js';
import { storedRuleFacts } from './rule-subject.js';

/**
 * `s5sync rules test --object ID`: the rules evaluated on one stored Stripe object (or a
 * balance transaction booked on its own), rule by rule with each condition, and the
 * documents they would plan for it. Reads the ledger only; writes nothing anywhere.
 */

export interface RuleTestReport {
  objectId: string;
  facts: RuleFacts;
  rules: { name: string; enabled: boolean; fires: boolean; conditions: { text: string; holds: boolean }[]; note: string | null }[];
  documents: PreviewDocument[];
  /** Why the object cannot be planned with the current mapping, if it cannot. */
  error: string | null;
}

export function testRules(ledger: Ledger, mapping: Mapping, objectId: string): RuleTestReport | null {
  const facts = storedRuleFacts(ledger, mapping, objectId);
  if (!facts) return null;
  const rules = mapping.rules ?? [];
  const fired = new Set(evaluateRules(rules, facts).fired);
  const report: RuleTestReport = {
    objectId,
    facts,
    rules: rules.map((rule) => {
      const conditions = rule.when.map((condition) => ({ text: describeCondition(condition), holds: conditionHolds(condition, facts) }));
      const holds = conditions.every((condition) => condition.holds);
      const note = !rule.enabled ? 'disabled' : holds && !fired.has(rule.name) ? 'not reached: a rule above it skips the object' : null;
      return { name: rule.name, enabled: rule.enabled, fires: fired.has(rule.name), conditions, note };
    }),
    documents: [],
    error: null,
  };
  const preview = previewObject(ledger, mapping, objectId);
  if (preview) return { ...report, documents: preview.current, error: preview.currentError };
  const bt = ledger.objects.getBalanceTransaction(objectId)!;
  try {
    const plan = standaloneWithRules(bt, mapping);
    return { ...report, documents: plan ? [describe(plan.document, 'not planned yet', null, null)] : [] };
  } catch (error) {
    return { ...report, error: error instanceof Error ? error.message : String(error) };
  }
}
