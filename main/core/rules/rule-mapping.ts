import { DEFAULT_RESERVE_ACCOUNT, DEFAULT_SUSPENSE_ACCOUNT, type Mapping } from '../mapping/mapping.js';
import { PlanningError } from '../posting/planning-error.js';
import { withSegment } from './account-segment.js';
import type { RuleOutcome } from './rule-outcome.js';
import type { RuleAccountRole } from './rule-schema.js';

/**
 * The mapping one document is planned with: the current mapping with the accounts, segments,
 * customer class, CustID prefix, order item and warehouse the fired rules set. The planners
 * then build the document exactly as without rules, so every journal keeps its amounts and
 * balances; only the accounts the rules name change, and the clearing and bank accounts never
 * do. Account overrides come first and segments are substituted into the result; a fee-type
 * override is more specific than one for all fees and wins over it.
 */

/** One mapped account a rule changed, with what each rule did to it. */
export interface AccountMove {
  /** The setting, e.g. "revenue", "fees.stripe_fee", "productRevenue.prod_123". */
  path: string;
  from: string;
  to: string;
  byRule: { rule: string; change: string }[];
}

export interface RuledMapping {
  mapping: Mapping;
  moves: AccountMove[];
  /** Non-account changes (customer class, prefix, item, warehouse), by rule. */
  settings: { rule: string; change: string }[];
}

export function mappingWithRules(base: Mapping, outcome: RuleOutcome): RuledMapping {
  const mapping = structuredClone(base);
  const moves = new Map<string, AccountMove>();
  const setLeaf = (path: string, get: () => string, set: (value: string) => void, value: string, rule: string, change: string) => {
    const before = get();
    if (before === value) return;
    const move = moves.get(path) ?? { path, from: before, to: before, byRule: [] };
    set(value);
    move.to = value;
    move.byRule.push({ rule, change });
    moves.set(path, move);
  };
  const leaves = (role: RuleAccountRole, feeType?: string) => roleLeaves(mapping, role, feeType);

  const ordered = [...outcome.accounts].sort(([a], [b]) => Number(a.startsWith('fees:')) - Number(b.startsWith('fees:')));
  for (const [target, decided] of ordered) {
    const [role, feeType] = target.split(':') as [RuleAccountRole, string | undefined];
    if (role === 'fees' && feeType !== undefined && !(feeType in mapping.accounts.fees)) mapping.accounts.fees[feeType] = mapping.accounts.fees.default!;
    for (const leaf of leaves(role, feeType)) {
      setLeaf(leaf.path, leaf.get, leaf.set, decided.value, decided.rule, `set ${leaf.path} to ${decided.value}`);
    }
  }
  for (const decision of outcome.segments.values()) {
    for (const leaf of leaves(decision.role)) {
      const current = leaf.get();
      const next = withSegment(current, decision.segment, decision.value);
      if (next === null) {
        throw new PlanningError('configuration', `rule "${decision.rule}" sets segment ${decision.segment} of ${leaf.path}, but account ${current} has fewer segments; fix the rule in the mapping`);
      }
      const why = decision.lookedUp === null ? 'the default' : `metadata "${decision.lookedUp}"`;
      setLeaf(leaf.path, leaf.get, leaf.set, next, decision.rule, `set segment ${decision.segment} of ${leaf.path} to ${decision.value} (${why}): ${next}`);
    }
  }

  const settings: RuledMapping['settings'] = [];
  if (outcome.custClassId) {
    mapping.customers.custClassId = outcome.custClassId.value;
    settings.push({ rule: outcome.custClassId.rule, change: `set the customer class to ${outcome.custClassId.value}` });
  }
  if (outcome.idPrefix) {
    mapping.customers.idPrefix = outcome.idPrefix.value;
    settings.push({ rule: outcome.idPrefix.rule, change: `set the CustID prefix to ${outcome.idPrefix.value}` });
  }
  if (outcome.itemId) {
    mapping.salesOrders.defaultItemId = outcome.itemId.value;
    mapping.productItems = {};
    settings.push({ rule: outcome.itemId.rule, change: `set the order item to ${outcome.itemId.value}` });
  }
  if (outcome.warehouseId) {
    mapping.salesOrders.warehouseId = outcome.warehouseId.value;
    settings.push({ rule: outcome.warehouseId.rule, change: `set the warehouse to ${outcome.warehouseId.value}` });
  }
  return { mapping, moves: [...moves.values()], settings };
}

interface Leaf {
  path: string;
  get(): string;
  set(value: string): void;
}

/** The mapping settings that hold a role's accounts: revenue includes the per-product revenue accounts. */
function roleLeaves(mapping: Mapping, role: RuleAccountRole, feeType?: string): Leaf[] {
  const { accounts } = mapping;
  if (role === 'fees') {
    const types = feeType === undefined ? Object.keys(accounts.fees) : [feeType];
    return types.map((type) => ({ path: `fees.${type}`, get: () => accounts.fees[type]!, set: (value) => (accounts.fees[type] = value) }));
  }
  // A mapping saved before the reserve and suspense accounts existed has none: the default chart's.
  const fallback = role === 'reserve' ? DEFAULT_RESERVE_ACCOUNT : DEFAULT_SUSPENSE_ACCOUNT;
  const own: Leaf = { path: role, get: () => accounts[role] ?? fallback, set: (value) => (accounts[role] = value) };
  if (role !== 'revenue') return [own];
  return [
    own,
    ...Object.keys(mapping.productRevenue).map((product) => ({
      path: `productRevenue.${product}`,
      get: () => mapping.productRevenue[product]!,
      set: (value: string) => (mapping.productRevenue[product] = value),
    })),
  ];
}
