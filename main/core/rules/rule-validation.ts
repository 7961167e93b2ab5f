import type { Mapping } from '../mapping/mapping.js';
import { parseSageAmount } from '../money/sage-amount.js';
import { withSegment } from './account-segment.js';
import { accountTarget } from './rule-outcome.js';
import { RULE_OBJECT_KINDS, type Rule, type RuleAccountRole, type RuleAction, type RuleCondition, type RuleObjectKind } from './rule-schema.js';

/**
 * The rules checked as a whole, in plain words, after the schema has checked each field: a
 * rule that can never match, an action that can never apply, a rule that books on the
 * clearing or bank account, a segment an account does not have, two rules that conflict.
 * Accounts against the Sage chart are checked where the chart is (every account a rule can
 * produce is in mappedAccounts, which the preflight and the mapping editor check).
 */

export interface RuleProblem {
  path: string;
  message: string;
}

/** Which object kinds can have each field at all (rule-facts.ts). */
const FIELD_KINDS: Partial<Record<RuleCondition['field'], readonly RuleObjectKind[]>> = {
  balanceTransactionType: ['charge', 'refund', 'dispute', 'balance_transaction'],
  reportingCategory: ['charge', 'refund', 'dispute', 'balance_transaction'],
  product: ['charge', 'refund', 'dispute', 'invoice', 'credit_note'],
  price: ['charge', 'refund', 'dispute', 'invoice', 'credit_note'],
  paymentMethodType: ['charge', 'refund', 'dispute'],
  cardBrand: ['charge', 'refund', 'dispute'],
  presentmentCurrency: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'balance_transaction'],
  amount: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'balance_transaction'],
  customerCountry: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer'],
};

const METADATA_KINDS: Record<string, readonly RuleObjectKind[]> = {
  object: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer'],
  charge: ['charge', 'refund', 'dispute'],
  payment_intent: ['charge', 'refund', 'dispute'],
  customer: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer'],
  invoice: ['charge', 'refund', 'dispute', 'invoice', 'credit_note'],
  product: ['charge', 'refund', 'dispute', 'invoice', 'credit_note'],
};

const ACTION_KINDS: Partial<Record<RuleAction['action'], readonly RuleObjectKind[]>> = {
  account: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'balance_transaction'],
  segment: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'balance_transaction'],
  comment: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'balance_transaction'],
  skip: ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer', 'balance_transaction'],
  customer: ['customer'],
  salesOrder: ['charge', 'invoice'],
};

const KIND_WORDS: Record<RuleObjectKind, string> = {
  charge: 'charges',
  refund: 'refunds',
  dispute: 'disputes',
  invoice: 'invoices',
  credit_note: 'credit notes',
  customer: 'customers',
  balance_transaction: 'balance transactions booked on their own',
};

export function ruleProblems(rules: readonly Rule[], mapping: Mapping): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const names = new Map<string, number>();
  rules.forEach((rule, index) => {
    const at = (rest: string) => `rules.${index}${rest}`;
    const earlier = names.get(rule.name);
    if (earlier !== undefined) problems.push({ path: at('.name'), message: `rule ${earlier + 1} is called "${rule.name}" too; give each rule its own name, explanations name rules by it` });
    names.set(rule.name, index);
    const never = neverMatches(rule);
    if (never) problems.push({ path: at('.when'), message: `rule "${rule.name}" can never match: ${never}` });
    rule.when.forEach((condition, conditionIndex) => {
      const problem = conditionProblem(condition);
      if (problem) problems.push({ path: at(`.when.${conditionIndex}`), message: problem });
    });
    const kinds = kindsOf(rule);
    rule.then.forEach((action, actionIndex) => {
      for (const message of actionProblems(action, kinds, mapping)) problems.push({ path: at(`.then.${actionIndex}`), message });
    });
  });
  problems.push(...conflicts(rules));
  return problems;
}

/** The kinds a rule can apply to: its objectKind conditions, narrowed by the fields the others need. */
function kindsOf(rule: Rule): RuleObjectKind[] {
  let kinds: readonly RuleObjectKind[] = RULE_OBJECT_KINDS;
  for (const condition of rule.when) {
    const allowed =
      condition.field === 'objectKind' ? condition.in : condition.field === 'metadata' ? METADATA_KINDS[condition.on] : FIELD_KINDS[condition.field];
    if (allowed) kinds = kinds.filter((kind) => allowed.includes(kind));
  }
  return [...kinds];
}

function neverMatches(rule: Rule): string | null {
  if (kindsOf(rule).length === 0) return 'no kind of Stripe object has every field its conditions ask for (for example a card brand on a customer)';
  const equals = new Map<string, string>();
  for (const condition of rule.when) {
    if (condition.field !== 'metadata' || condition.op !== 'equals' || condition.value === undefined) continue;
    const key = `${condition.on}.${condition.key}`;
    const other = equals.get(key);
    if (other !== undefined && other !== condition.value) return `it asks for ${condition.on} metadata "${condition.key}" to equal both "${other}" and "${condition.value}"`;
    equals.set(key, condition.value);
  }
  const livemodes = new Set(rule.when.flatMap((condition) => (condition.field === 'livemode' ? [condition.equals] : [])));
  if (livemodes.size > 1) return 'it asks for live mode and test mode at once';
  let atLeast: bigint | null = null;
  let below: bigint | null = null;
  for (const condition of rule.when) {
    if (condition.field !== 'amount') continue;
    if (condition.atLeast !== undefined) atLeast = maxOf(atLeast, parseSageAmount(condition.atLeast));
    if (condition.below !== undefined) below = below === null ? parseSageAmount(condition.below) : minOf(below, parseSageAmount(condition.below));
  }
  if (atLeast !== null && below !== null && atLeast >= below) return 'its amount must be at least one amount and below a smaller or equal one';
  return null;
}

function conditionProblem(condition: RuleCondition): string | null {
  if (condition.field === 'metadata' && condition.op !== 'exists' && (condition.value === undefined || condition.value === '')) {
    return `enter the value metadata "${condition.key}" ${condition.op === 'equals' ? 'must equal' : 'must contain'}`;
  }
  if (condition.field === 'amount' && condition.atLeast === undefined && condition.below === undefined) return 'give the amount a lower limit (atLeast), an upper limit (below) or both';
  return null;
}

function actionProblems(action: RuleAction, kinds: readonly RuleObjectKind[], mapping: Mapping): string[] {
  const problems: string[] = [];
  const applies = ACTION_KINDS[action.action] ?? [];
  if (!kinds.some((kind) => applies.includes(kind))) {
    problems.push(`this action only applies to ${applies.map((kind) => KIND_WORDS[kind]).join(', ')}, and the rule matches only ${kinds.map((kind) => KIND_WORDS[kind]).join(', ')}`);
  }
  const forbidden = new Map([
    [mapping.accounts.clearing, 'the Stripe clearing account (the payout tie-out and the balance proof count one clearing account)'],
    [mapping.accounts.bank, 'the bank account (only payouts book on it)'],
  ]);
  if ((action.action === 'account' || action.action === 'skip') && action.account !== undefined && forbidden.has(action.account)) {
    problems.push(`${action.account} is ${forbidden.get(action.account)}; choose another account`);
  }
  if (action.action === 'account' && action.feeType !== undefined && action.role !== 'fees') problems.push('a fee type only goes with the fees account');
  if (action.action === 'customer' && action.custClassId === undefined && action.idPrefix === undefined) problems.push('set a customer class, a CustID prefix or both');
  if (action.action === 'salesOrder' && action.itemId === undefined && action.warehouseId === undefined) problems.push('set an item, a warehouse or both');
  if (action.action === 'segment') {
    for (const role of action.roles) {
      for (const account of roleAccounts(mapping, role)) {
        for (const value of [...new Set([...Object.values(action.values), action.default])]) {
          const next = withSegment(account, action.segment, value);
          if (next === null) {
            problems.push(`account ${account} (${role}) has no segment ${action.segment}`);
            break;
          }
          if (next.length !== account.length) {
            problems.push(`segment value "${value}" is not as long as segment ${action.segment} of ${account} (${role}); Sage's account mask fixes each segment's length`);
          }
        }
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * Two enabled rules with the same conditions that set the same target to different values:
 * the lower one never sets it. A rule below an enabled skip with the same or no conditions is
 * never reached at all.
 */
function conflicts(rules: readonly Rule[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const enabled = rules.map((rule, index) => ({ rule, index })).filter((entry) => entry.rule.enabled);
  for (const [position, later] of enabled.entries()) {
    for (const earlier of enabled.slice(0, position)) {
      const same = sameConditions(earlier.rule.when, later.rule.when);
      if (earlier.rule.then.some((action) => action.action === 'skip') && (same || earlier.rule.when.length === 0)) {
        problems.push({ path: `rules.${later.index}`, message: `rule "${later.rule.name}" is never reached: rule "${earlier.rule.name}" above it skips every object it would match` });
        continue;
      }
      if (!same) continue;
      const earlierTargets = targets(earlier.rule);
      for (const [target, value] of targets(later.rule)) {
        const first = earlierTargets.get(target);
        if (first !== undefined && first !== value) {
          problems.push({
            path: `rules.${later.index}`,
            message: `rules "${earlier.rule.name}" and "${later.rule.name}" conflict: both match the same objects and set ${target} (to ${first} and ${value}); the first one wins, so "${later.rule.name}" never does. Remove one or make their conditions differ`,
          });
        }
      }
    }
  }
  return problems;
}

function targets(rule: Rule): Map<string, string> {
  const result = new Map<string, string>();
  const set = (target: string, value: string) => {
    if (!result.has(target)) result.set(target, value);
  };
  for (const action of rule.then) {
    if (action.action === 'account') set(`the ${accountTarget(action.role, action.feeType).replace(':', ' ')} account`, action.account);
    if (action.action === 'segment') for (const role of action.roles) set(`segment ${action.segment} of ${role}`, JSON.stringify([action.from, action.values, action.default]));
    if (action.action === 'customer' && action.custClassId) set('the customer class', action.custClassId);
    if (action.action === 'customer' && action.idPrefix) set('the CustID prefix', action.idPrefix);
    if (action.action === 'salesOrder' && action.itemId) set('the order item', action.itemId);
    if (action.action === 'salesOrder' && action.warehouseId) set('the warehouse', action.warehouseId);
  }
  return result;
}

function sameConditions(a: readonly RuleCondition[], b: readonly RuleCondition[]): boolean {
  const normal = (conditions: readonly RuleCondition[]) => conditions.map((condition) => JSON.stringify(sortKeys(condition))).sort().join('|');
  return normal(a) === normal(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].map(sortKeys).sort();
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([key, child]) => [key, sortKeys(child)]));
  return value;
}

/** The mapped accounts of a role (revenue includes the per-product revenue accounts). */
export function roleAccounts(mapping: Mapping, role: RuleAccountRole): string[] {
  if (role === 'fees') return [...new Set(Object.values(mapping.accounts.fees))];
  const own = mapping.accounts[role];
  return role === 'revenue' ? [...new Set([own, ...Object.values(mapping.productRevenue)])] : own === undefined ? [] : [own];
}

/** Every GL account the rules can book on, for the checks against the Sage chart. */
export function ruleAccounts(mapping: Mapping): string[] {
  return [...new Set(ruleAccountPaths(mapping).map(([, account]) => account))].sort();
}

/** The same accounts by the rule setting that produces them (`rules.0.then.1`), for problems shown on the rule. */
export function ruleAccountPaths(mapping: Mapping): [string, string][] {
  const paths: [string, string][] = [];
  const rules = mapping.rules ?? [];
  // A segment is substituted into an account another rule set too (rule-mapping.ts).
  const overrides = rules.flatMap((rule) => rule.then.flatMap((action) => (action.action === 'account' ? [action] : [])));
  rules.forEach((rule, ruleIndex) => {
    rule.then.forEach((action, actionIndex) => {
      const path = `rules.${ruleIndex}.then.${actionIndex}`;
      if (action.action === 'account' || (action.action === 'skip' && action.account !== undefined)) paths.push([path, action.account!]);
      if (action.action !== 'segment') return;
      for (const role of action.roles) {
        const overridden = overrides.filter((override) => override.role === role).map((override) => override.account);
        for (const account of [...roleAccounts(mapping, role), ...overridden]) {
          for (const value of [...Object.values(action.values), action.default]) {
            const next = withSegment(account, action.segment, value);
            if (next !== null) paths.push([path, next]);
          }
        }
      }
    });
  });
  return paths;
}

function maxOf(a: bigint | null, b: bigint): bigint {
  return a === null || b > a ? b : a;
}

function minOf(a: bigint, b: bigint): bigint {
  return b < a ? b : a;
}
