import type { ErrorGroup } from '../../preload/contract.js';
import type { Ledger, RetrySelector } from '../core/ports/ledger.js';
import { explainError } from './error-explanations.js';
import { customerNameOf } from './customer-name.js';

/**
 * Stripe records the engine could not turn into Sage documents (object issues other than
 * 'waiting', e.g. a customer whose state name is longer than Sage's StateID). They have no
 * document yet, so each is listed under the key `object:<Stripe id>`; retrying one asks the
 * engine to plan the record again, with whatever the bookkeeper fixed since.
 */

export const PLANNING_KEY_PREFIX = 'object:';

/** The problem without the record it is about, so records with the same problem group together. */
export function planningCause(message: string): string {
  return message
    .replace(/"[^"]*"/g, 'a value')
    .replace(/\b[a-z]{2,5}_[A-Za-z0-9]*[0-9A-Z][A-Za-z0-9]*\b\s?/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

const planningClass = (value: string): ErrorGroup['errorClass'] => (value === 'configuration' ? 'configuration' : 'data');

export function listPlanningGroups(ledger: Pick<Ledger, 'objects'>): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const issue of ledger.objects.planningIssues()) {
    const cause = planningCause(issue.message);
    let group = groups.get(cause);
    if (!group) {
      const errorClass = planningClass(issue.errorClass);
      group = { cause, errorClass, ...explainError(errorClass, issue.message), items: [] };
      groups.set(cause, group);
    }
    group.items.push({ docKey: `${PLANNING_KEY_PREFIX}${issue.objectId}`, stripeObjectId: issue.objectId, customerName: customerNameOf(ledger.objects, issue.objectId), message: issue.message, attempts: 0, state: 'failed', sageJournalAcceptable: false });
  }
  return [...groups.values()];
}

/** The records behind a retry request: the `object:` keys given, or every record with that cause. */
export function planningObjectsToRetry(ledger: Pick<Ledger, 'objects'>, selector: RetrySelector): string[] {
  const issues = ledger.objects.planningIssues();
  if ('all' in selector) return issues.map((issue) => issue.objectId);
  if ('cause' in selector) return issues.filter((issue) => planningCause(issue.message) === selector.cause).map((issue) => issue.objectId);
  const wanted = new Set(selector.docKeys.filter((key) => key.startsWith(PLANNING_KEY_PREFIX)).map((key) => key.slice(PLANNING_KEY_PREFIX.length)));
  return issues.filter((issue) => wanted.has(issue.objectId)).map((issue) => issue.objectId);
}
