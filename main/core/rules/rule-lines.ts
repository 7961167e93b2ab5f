import { postComment } from '../posting/balance-transaction-journal.js';
import { PlanningError } from '../posting/planning-error.js';
import type { JournalDocument, JournalLine, SageDocument, SalesOrderDocument, SalesOrderLine } from '../sage/documents.js';
import { conditionHolds, isLineCondition } from './rule-conditions.js';
import type { LineFacts, RuleFacts } from './rule-facts.js';
import { mappingWithRules, type RuledMapping } from './rule-mapping.js';
import { evaluateRules, type RuleOutcome } from './rule-outcome.js';
import type { Rule } from './rule-schema.js';
import type { Mapping } from '../mapping/mapping.js';

/**
 * Rules on invoice lines (docs/posting-rules.md, "Rules on invoice lines"). The conditions on
 * product, price and product metadata are read line by line: an invoice that mixes two
 * divisions books each line's revenue by its own product. The rules are evaluated once for
 * the document as a whole and once for each line:
 *
 * - in a line's scope the document's conditions (customer, currency, payment method, the
 *   charge's or invoice's metadata…) must hold as usual and the line conditions hold on that
 *   line; the outcome decides the accounts, segments, comments and order item of the
 *   document lines that come from that invoice line (an invoice journal's revenue lines, an
 *   invoice order's lines, the revenue a credit note's line takes back from it);
 * - in the document's scope a line condition holds only when it holds on every line (and there
 *   is one); that outcome decides the document's own lines (an invoice's or credit note's tax,
 *   shipping, receivable and customer-credit lines, a credit note's custom lines), every line of a document that has none from an
 *   invoice line (the charge that paid the invoice, its refund), the order's
 *   warehouse, and whether the document is skipped. So a skip on a product skips an invoice
 *   and its payment only when every line is for that product: a mixed invoice is booked in
 *   full and its record says which lines matched the skip.
 *
 * Each scope's mapping plans the whole document again, and each document line is taken from
 * the plan of the scope it belongs to, at the same position: the amounts never depend on the
 * accounts, and a line whose amount or trace differs there is refused, so every journal
 * balances as the plan without rules did.
 */

export interface NumberedLine {
  /** Null: the document as a whole. */
  line: LineFacts | null;
  /** The line's position on the invoice, from 1. */
  number: number;
}

export interface RuleScope extends NumberedLine {
  outcome: RuleOutcome;
  ruled: RuledMapping;
}

export interface RuleChange {
  rule: string;
  change: string;
}

/** Whether any rule reads lines: a line condition, or a segment from product metadata. */
export function rulesReadLines(rules: readonly Rule[]): boolean {
  return rules.some((rule) => rule.when.some(isLineCondition) || rule.then.some((action) => action.action === 'segment' && action.from.on === 'product'));
}

export function lineScopes(rules: readonly Rule[], facts: RuleFacts, mapping: Mapping): RuleScope[] {
  return facts.lines.map((line, index) => {
    const outcome = evaluateRules(rules, { ...facts, line });
    return { line, number: index + 1, outcome, ruled: mappingWithRules(mapping, outcome) };
  });
}

/** `line 2 "Rental insurance"`, or `lines 1 "Basic", 2 "Rental insurance"`. */
export function lineLabels(scopes: readonly NumberedLine[]): string {
  const labels = scopes.map((scope) => `${scope.number}${scope.line?.description ? ` "${scope.line.description}"` : ''}`);
  return `${labels.length === 1 ? 'line' : 'lines'} ${labels.join(', ')}`;
}

/**
 * A skip rule that matched some lines but not the document (not every line is for it): the
 * skip is not taken, and the record says so, naming the lines.
 */
export function partialSkips(lines: readonly RuleScope[]): RuleChange[] {
  const byRule = new Map<string, RuleScope[]>();
  for (const scope of lines) {
    if (scope.outcome.skipOnLine !== null) byRule.set(scope.outcome.skipOnLine, [...(byRule.get(scope.outcome.skipOnLine) ?? []), scope]);
  }
  return [...byRule].map(([rule, matched]) => ({
    rule,
    change: `did not skip: ${lineLabels(matched)} of the invoice's ${lines.length} lines ${matched.length === 1 ? 'is' : 'are'} for it, not every line; a skip applies only when every line is, so this document is booked in full`,
  }));
}

/**
 * The invoice line each line of the document comes from (its id), or null for the document's
 * own lines. A journal's lines name their invoice line in `traceId`, or a credit note's line
 * that `creditedLine` says credits it; an invoice order's lines are its invoice's lines that
 * earned something, in order (`orderLineIds`).
 */
export function lineOwners(
  document: SageDocument,
  facts: RuleFacts,
  orderLineIds: () => string[] | null,
  creditedLine: (traceId: string) => string | undefined = () => undefined,
): (string | null)[] {
  const ids = new Set(facts.lines.map((line) => line.id));
  if (document.type === 'journal') {
    return document.lines.map((line) => {
      const owner = creditedLine(line.traceId) ?? line.traceId;
      return ids.has(owner) ? owner : null;
    });
  }
  if (document.type === 'sales_order') {
    const sources = orderLineIds();
    return sources !== null && sources.length === document.lines.length ? sources : document.lines.map(() => null);
  }
  return [];
}

/**
 * The document with each line as its scope's mapping plans it, the comments of its scope, the
 * changes each rule made said with the lines they were made on, and the rules that fired for
 * any of its lines. `planWith` plans the whole document with a scope's mapping.
 */
export function ruledByLine(
  document: JournalDocument | SalesOrderDocument,
  owners: readonly (string | null)[],
  documentScope: RuleScope,
  lines: readonly RuleScope[],
  planWith: (ruled: RuledMapping) => SageDocument,
): { document: SageDocument; changes: RuleChange[]; fired: Set<string> } {
  const owning = owners.map((owner) => (owner === null ? documentScope : (lines.find((scope) => scope.line!.id === owner) ?? documentScope)));
  const plans = new Map<RuleScope, SageDocument>();
  const planOf = (scope: RuleScope): SageDocument => {
    if (!plans.has(scope)) plans.set(scope, scope.ruled.moves.length > 0 || scope.ruled.settings.length > 0 ? planWith(scope.ruled) : document);
    return plans.get(scope)!;
  };
  const scopes = [documentScope, ...lines].filter((scope) => owning.includes(scope));
  const changes: { rule: string; change: string; scope: RuleScope }[] = [];
  const wholeDocument: RuleChange[] = [];
  let out: SageDocument;

  if (document.type === 'journal') {
    const journalLines = document.lines.map((base, index) => {
      const scope = owning[index]!;
      const line = sameLine(document, base, (planOf(scope) as JournalDocument).lines?.[index], scope);
      const prefix = scope.outcome.comments.map((comment) => comment.value).join(' ');
      return prefix ? { ...line, comment: postComment(`${prefix} ${line.comment}`) } : line;
    });
    out = { ...(planOf(documentScope) as JournalDocument), lines: journalLines };
    for (const scope of scopes) {
      const used = new Set(document.lines.filter((_, index) => owning[index] === scope).map((line) => line.acctNo));
      for (const move of scope.ruled.moves) if (used.has(move.from)) changes.push(...move.byRule.map((entry) => ({ ...entry, scope })));
      for (const comment of scope.outcome.comments) changes.push({ rule: comment.rule, change: `added "${comment.value}" to the line comments`, scope });
    }
  } else {
    const orderLines = document.lines.map((base, index) => sameOrderLine(document, base, (planOf(owning[index]!) as SalesOrderDocument).lines?.[index]));
    out = { ...document, lines: orderLines };
    for (const scope of scopes) {
      for (const setting of scope.ruled.settings) if (/order item/.test(setting.change)) changes.push({ ...setting, scope });
    }
    // One warehouse for the whole order: the document's reading decides it.
    const warehouse = documentScope.outcome.warehouseId;
    if (warehouse) {
      out = { ...out, warehouseId: warehouse.value };
      wholeDocument.push({ rule: warehouse.rule, change: `set the warehouse to ${warehouse.value}` });
    }
  }

  const fired = new Set(scopes.flatMap((scope) => scope.outcome.fired));
  if (document.type === 'sales_order') documentScope.outcome.fired.forEach((rule) => fired.add(rule));
  return { document: out, changes: [...said(changes, scopes), ...wholeDocument], fired };
}

/**
 * The changes in words: a change made in every scope that owns lines is said once, for the
 * document; otherwise with the lines it was made on (the document's own lines are named as
 * such).
 */
function said(changes: readonly { rule: string; change: string; scope: RuleScope }[], scopes: readonly RuleScope[]): RuleChange[] {
  const grouped = new Map<string, { rule: string; change: string; scopes: RuleScope[] }>();
  for (const entry of changes) {
    const key = `${entry.rule}\u0000${entry.change}`;
    const group = grouped.get(key) ?? { rule: entry.rule, change: entry.change, scopes: [] };
    if (!group.scopes.includes(entry.scope)) group.scopes.push(entry.scope);
    grouped.set(key, group);
  }
  return [...grouped.values()].flatMap((group) => {
    if (scopes.every((scope) => group.scopes.includes(scope))) return [{ rule: group.rule, change: group.change }];
    const onLines = group.scopes.filter((scope) => scope.line !== null);
    const own = group.scopes.some((scope) => scope.line === null);
    return [
      ...(onLines.length > 0 ? [{ rule: group.rule, change: `${group.change} on ${lineLabels(onLines)}` }] : []),
      ...(own ? [{ rule: group.rule, change: `${group.change} on the invoice's own lines (shipping, tax, receivable)` }] : []),
    ];
  });
}

function sameLine(document: JournalDocument, base: JournalLine, planned: JournalLine | undefined, scope: RuleScope): JournalLine {
  if (!planned || planned.amount !== base.amount || planned.traceId !== base.traceId) {
    throw new PlanningError(
      'data',
      `journal ${document.key}: planned with the rules of ${scope.line ? lineLabels([scope]) : 'the document'}, its lines differ from the plan without rules, so the rules cannot be applied line by line`,
    );
  }
  return planned;
}

function sameOrderLine(document: SalesOrderDocument, base: SalesOrderLine, planned: SalesOrderLine | undefined): SalesOrderLine {
  if (!planned || planned.extAmount !== base.extAmount || planned.quantity !== base.quantity) {
    throw new PlanningError('data', `sales order ${document.key}: planned with a line's rules, its lines differ from the plan without rules, so the rules cannot be applied line by line`);
  }
  return planned;
}

/**
 * Where one rule's conditions hold on an object, for the rules editor's count and `rules
 * test`: on the document as a whole, and on which of its invoice lines.
 */
export function ruleHoldsWhere(rule: Pick<Rule, 'when'>, facts: RuleFacts): { document: boolean; lines: NumberedLine[] } {
  const holdsOn = (scoped: RuleFacts) => rule.when.every((condition) => conditionHolds(condition, scoped));
  const lines = facts.lines.flatMap((line, index) =>
    holdsOn({ ...facts, line }) ? [{ line, number: index + 1 }] : [],
  );
  return { document: holdsOn(facts), lines };
}
