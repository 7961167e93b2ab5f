import type { MappingProblem, RuleMatchesView } from '../../preload/contract.js';
import { recentRuleMatches } from '../core/engine/rule-matches.js';
import { validateMapping, type Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';
import { z } from 'zod';
import { conditionSchema } from '../core/rules/rule-schema.js';
import { schemaProblems } from '../core/validation/schema-problems.js';

/**
 * The rules editor's operations: rules are part of the mapping, so a changed list is checked
 * as the whole mapping with it (its effect on waiting documents is the mapping preview's
 * `s5sync preview --changes` re-plan, mapping-preview.ts).
 */

export function mappingWithRules(current: Mapping, rules: readonly unknown[]): ReturnType<typeof validateMapping> {
  return validateMapping({ ...current, rules });
}

const conditionsSchema = z.array(conditionSchema);

/** How many of the recent objects a rule's conditions (as the editor holds them) match; schema problems instead when they cannot be read. */
export function ruleMatchesView(ledger: Ledger, mapping: Mapping, when: readonly unknown[]): RuleMatchesView {
  const parsed = conditionsSchema.safeParse(when);
  if (!parsed.success) {
    const problems: MappingProblem[] = schemaProblems(conditionsSchema, when, parsed.error.issues, '(conditions)');
    return { examined: 0, matched: 0, examples: [], problems };
  }
  return { ...recentRuleMatches(ledger, mapping, { when: parsed.data }), problems: [] };
}
