import { conditionHolds } from './rule-conditions.js';
import { lineMetadataValue, metadataValue, scopeLines, type RuleFacts } from './rule-facts.js';
import type { MetadataSource, Rule, RuleAccountRole } from './rule-schema.js';

/**
 * What the rules decide for one document, in order. Rules are read top to bottom and every
 * enabled rule whose conditions all hold fires. Each target (an account, a segment of an
 * account, the customer class, the CustID prefix, the order item, the warehouse) is set by the
 * FIRST fired rule that sets it; a later rule setting the same target changes nothing there.
 * Comments of all fired rules are kept, in order. A fired skip stops the list: the rules below
 * it are not read. So a specific rule goes above a general one.
 */

export interface Decided<T> {
  value: T;
  rule: string;
}

export interface SegmentDecision {
  role: RuleAccountRole;
  segment: number;
  value: string;
  /** The metadata value looked up, or null when the default was taken. */
  lookedUp: string | null;
  rule: string;
}

export interface RuleOutcome {
  fired: string[];
  /** By target: a role, or `fees:<type>` for one fee type. */
  accounts: Map<string, Decided<string>>;
  /** By `<role>#<segment>`. */
  segments: Map<string, SegmentDecision>;
  custClassId: Decided<string> | null;
  idPrefix: Decided<string> | null;
  itemId: Decided<string> | null;
  warehouseId: Decided<string> | null;
  comments: Decided<string>[];
  /** The skipping rule and the account a journal's clearing amount is parked in (null: the mapping's suspense account). */
  skip: Decided<string | null> | null;
  /**
   * In a line's scope, the skip rule that matched the line. A line is never skipped on its own
   * (rule-lines.ts): the skip is not taken there and does not stop the list for the line.
   */
  skipOnLine: string | null;
}

export function accountTarget(role: RuleAccountRole, feeType: string | undefined): string {
  return role === 'fees' && feeType !== undefined ? `fees:${feeType}` : role;
}

export function evaluateRules(rules: readonly Rule[], facts: RuleFacts): RuleOutcome {
  const outcome: RuleOutcome = {
    fired: [],
    accounts: new Map(),
    segments: new Map(),
    custClassId: null,
    idPrefix: null,
    itemId: null,
    warehouseId: null,
    comments: [],
    skip: null,
    skipOnLine: null,
  };
  for (const rule of rules) {
    if (!rule.enabled || !rule.when.every((condition) => conditionHolds(condition, facts))) continue;
    outcome.fired.push(rule.name);
    const first = <T>(current: Decided<T> | null, value: T | undefined): Decided<T> | null => current ?? (value === undefined ? null : { value, rule: rule.name });
    for (const action of rule.then) {
      switch (action.action) {
        case 'account': {
          const target = accountTarget(action.role, action.feeType);
          if (!outcome.accounts.has(target)) outcome.accounts.set(target, { value: action.account, rule: rule.name });
          break;
        }
        case 'segment': {
          const lookedUp = segmentSource(facts, action.from, action.values);
          const value = lookedUp === null ? action.default : action.values[lookedUp]!;
          for (const role of action.roles) {
            const key = `${role}#${action.segment}`;
            if (!outcome.segments.has(key)) outcome.segments.set(key, { role, segment: action.segment, value, lookedUp, rule: rule.name });
          }
          break;
        }
        case 'customer':
          outcome.custClassId = first(outcome.custClassId, action.custClassId);
          outcome.idPrefix = first(outcome.idPrefix, action.idPrefix);
          break;
        case 'salesOrder':
          outcome.itemId = first(outcome.itemId, action.itemId);
          outcome.warehouseId = first(outcome.warehouseId, action.warehouseId);
          break;
        case 'comment':
          outcome.comments.push({ value: action.text, rule: rule.name });
          break;
        case 'skip':
          if (facts.line) outcome.skipOnLine ??= rule.name;
          else outcome.skip = { value: action.account ?? null, rule: rule.name };
          break;
      }
    }
    if (outcome.skip) break;
  }
  return outcome;
}

/**
 * The metadata value a segment is looked up by, when its table lists it (else null: the
 * default). From `product`, the value of the scope's line; in the document scope, the value
 * every line gives (lines of products of different segments leave the document's own lines,
 * such as tax or shipping, on the default).
 */
function segmentSource(facts: RuleFacts, from: { on: MetadataSource; key: string }, table: Readonly<Record<string, string>>): string | null {
  const listed = (value: string | null) => (value !== null && Object.hasOwn(table, value) ? value : null);
  if (from.on !== 'product') return listed(metadataValue(facts, from.on, from.key));
  const values = scopeLines(facts).map((line) => listed(lineMetadataValue(line, from.key)));
  const [first] = values;
  return first !== undefined && first !== null && values.every((value) => value !== null && table[value] === table[first]) ? first : null;
}
