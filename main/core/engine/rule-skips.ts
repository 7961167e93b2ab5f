import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import { ruleSkipReason } from '../rules/rule-skip.js';
import type { SageDocument } from '../sage/documents.js';

/**
 * After a plan is saved, the documents a business rule skipped are recorded as skipped with
 * the rule's name, so they are never written and the record says why. Unlike a user's skip,
 * the ledger plans them again when the mapping changes (a rule removed or edited).
 */
export function recordRuleSkips(ledger: Pick<SageDocumentLedger, 'skipDocuments'>, documents: readonly SageDocument[]): void {
  const byRule = new Map<string, string[]>();
  for (const document of documents) {
    if (document.skippedByRule !== undefined) byRule.set(document.skippedByRule, [...(byRule.get(document.skippedByRule) ?? []), document.key]);
  }
  for (const [rule, keys] of byRule) ledger.skipDocuments(keys, ruleSkipReason(rule));
}
