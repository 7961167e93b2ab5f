import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { standaloneWithRules } from '../rules/plan-with-rules.js';
import { describeCondition } from '../rules/describe-rule.js';
import { conditionHolds, isLineCondition, lineConditionHolds } from '../rules/rule-conditions.js';
import { lineLabels } from '../rules/rule-lines.js';
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
  /**
   * `fires`: on the document or on some of its invoice lines; `note` then names the lines when
   * not all of them (core/rules/rule-lines.ts). A line condition `holds` when it holds on any
   * line, and its text names the lines when not all.
   */
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
  const lines = facts.lines.map((line, index) => ({ line, number: index + 1, fired: new Set(evaluateRules(rules, { ...facts, line }).fired) }));
  const report: RuleTestReport = {
    objectId,
    facts,
    rules: rules.map((rule) => {
      const conditions = rule.when.map((condition) => {
        if (!isLineCondition(condition)) return { text: describeCondition(condition), holds: conditionHolds(condition, facts) };
        const on = lines.filter((entry) => lineConditionHolds(condition, entry.line));
        const some = on.length > 0 && on.length < lines.length;
        return { text: `${describeCondition(condition)}${some ? ` (${lineLabels(on)})` : ''}`, holds: on.length > 0 };
      });
      const holds = conditions.every((condition) => condition.holds);
      const onLines = lines.filter((entry) => entry.fired.has(rule.name));
      const fires = fired.has(rule.name) || onLines.length > 0;
      const note = !rule.enabled
        ? 'disabled'
        : !fired.has(rule.name) && onLines.length > 0
          ? `on ${lineLabels(onLines)} (${onLines.length} of ${lines.length} lines)`
          : holds && !fires
            ? 'not reached: a rule above it skips the object'
            : null;
      return { name: rule.name, enabled: rule.enabled, fires, conditions, note };
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
