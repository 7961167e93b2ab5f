import { DEFAULT_SUSPENSE_ACCOUNT, type Mapping } from '../mapping/mapping.js';
import { formatSageAmount, parseSageAmount } from '../money/sage-amount.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import { journalDocument } from '../posting/journal-document.js';
import type { JournalDocument, SageDocument } from '../sage/documents.js';

/**
 * A skip books nothing of the object, but Stripe's balance still moved: a journal through the
 * clearing account keeps its clearing line(s) and parks the same amount in the rule's account
 * (the mapping's suspense account by default), so clearing equals Stripe's balance, the payout
 * that pays the money out still ties out, and the balance proof holds exactly. Revenue, fees
 * and everything else of it are booked nowhere. A document without a clearing line (an invoice
 * journal, a credit note, a sales order) is recorded as skipped by the rule and never written.
 */

export const RULE_SKIP_PREFIX = 'skipped by rule ';

/** The skip reason stored on a document a rule skipped; the ledger re-plans these when the mapping changes. */
export function ruleSkipReason(rule: string): string {
  return `${RULE_SKIP_PREFIX}"${rule}"`;
}

export function isRuleSkipReason(reason: string | null | undefined): boolean {
  return reason?.startsWith(RULE_SKIP_PREFIX) ?? false;
}

export function parkAccount(mapping: Mapping, ruleAccount: string | null): string {
  return ruleAccount ?? mapping.accounts.suspense ?? DEFAULT_SUSPENSE_ACCOUNT;
}

/** The journal's clearing amounts parked in `park`, or null when the journal does not touch clearing. */
export function parkedJournal(document: JournalDocument, mapping: Mapping, rule: string, park: string): JournalDocument | null {
  const clearing = document.lines.filter((line) => line.acctNo === mapping.accounts.clearing);
  if (clearing.length === 0) return null;
  const lines = clearing.flatMap((line) => [
    line,
    { acctNo: park, amount: formatSageAmount(-parseSageAmount(line.amount)), comment: postComment(`skipped by rule ${rule}`), traceId: line.traceId },
  ]);
  return journalDocument({
    key: document.key,
    postDate: document.postDate,
    stripeObjectId: document.stripeObjectId,
    description: `${document.description} (skipped by rule "${rule}": the net is parked in ${park})`,
    lines,
  });
}

/** A document that needs the skipped customer in Sage, recorded as skipped by the customer's rule. */
export function skippedWithCustomer(document: SageDocument, rule: string): SageDocument {
  const change = `skipped: its customer is skipped by rule "${rule}", so Sage has no customer for it; the money is booked by the journal`;
  const rules = document.rules ?? [];
  const own = rules.find((effect) => effect.rule === rule);
  return {
    ...document,
    skippedByRule: rule,
    rules: own ? rules.map((effect) => (effect === own ? { ...effect, changes: [...effect.changes, change] } : effect)) : [...rules, { rule, changes: [change] }],
  };
}
