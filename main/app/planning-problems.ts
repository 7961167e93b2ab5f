import type Database from 'better-sqlite3';
import type { ErrorGroup } from '../../preload/contract.js';
import { explainError } from './error-explanations.js';

/**
 * Stripe records the engine could not turn into Sage documents (object issues other than
 * 'waiting', e.g. a customer whose state name is longer than Sage's StateID). They have no
 * document yet, so each is listed under the key `object:<Stripe id>`; retrying one asks the
 * engine to plan the record again, with whatever the bookkeeper fixed since.
 */

export const PLANNING_KEY_PREFIX = 'object:';

interface PlanningIssue {
  object_id: string;
  error_class: string;
  message: string;
}

/** The problem without the record it is about, so records with the same problem group together. */
export function planningCause(message: string): string {
  return message
    .replace(/"[^"]*"/g, 'a value')
    .replace(/\b[a-z]{2,5}_[A-Za-z0-9]*[0-9A-Z][A-Za-z0-9]*\b\s?/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

const planningClass = (value: string): ErrorGroup['errorClass'] => (value === 'configuration' ? 'configuration' : 'data');

function readPlanningIssues(db: Database.Database): PlanningIssue[] {
  return db.prepare(`SELECT object_id, error_class, message FROM object_issues WHERE error_class <> 'waiting' ORDER BY message, object_id`).all() as PlanningIssue[];
}

export function listPlanningGroups(db: Database.Database): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const issue of readPlanningIssues(db)) {
    const cause = planningCause(issue.message);
    let group = groups.get(cause);
    if (!group) {
      const errorClass = planningClass(issue.error_class);
      group = { cause, errorClass, ...explainError(errorClass, issue.message), items: [] };
      groups.set(cause, group);
    }
    group.items.push({ docKey: `${PLANNING_KEY_PREFIX}${issue.object_id}`, stripeObjectId: issue.object_id, message: issue.message, attempts: 0, state: 'failed' });
  }
  return [...groups.values()];
}

/** The records behind a retry request: the `object:` keys given, or every record with that cause. */
export function planningObjectsToRetry(db: Database.Database, selector: { docKeys: readonly string[] } | { cause: string } | { all: true }): string[] {
  const issues = readPlanningIssues(db);
  if ('all' in selector) return issues.map((issue) => issue.object_id);
  if ('cause' in selector) return issues.filter((issue) => planningCause(issue.message) === selector.cause).map((issue) => issue.object_id);
  const wanted = new Set(selector.docKeys.filter((key) => key.startsWith(PLANNING_KEY_PREFIX)).map((key) => key.slice(PLANNING_KEY_PREFIX.length)));
  return issues.filter((issue) => wanted.has(issue.object_id)).map((issue) => issue.object_id);
}
