import type { Mapping } from '../mapping/mapping.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import { planCreditNote } from '../posting/credit-note-plan.js';
import { planMoneyObject } from '../posting/plan-object.js';
import type { PlanningContext } from '../posting/planning-context.js';
import { invoiceOrderLines, planSalesOrder } from '../posting/sales-order-plan.js';
import { planStandaloneTransaction, type StandalonePlan } from '../posting/standalone-transaction-plan.js';
import type { JournalDocument, RuleEffect, SageDocument } from '../sage/documents.js';
import type { AnySyncedObject, StripeBalanceTransaction, StripeCharge, StripeCustomer, StripeInvoice } from '../stripe/objects.js';
import { balanceTransactionFacts, objectFacts, type RuleFacts } from './rule-facts.js';
import { lineOwners, lineScopes, partialSkips, ruledByLine, rulesReadLines, type RuleChange } from './rule-lines.js';
import { mappingWithRules, type RuledMapping } from './rule-mapping.js';
import { evaluateRules, type RuleOutcome } from './rule-outcome.js';
import type { Rule } from './rule-schema.js';
import { parkAccount, parkedJournal, skippedWithCustomer } from './rule-skip.js';

/**
 * Planning with the business rules: each document the mapping plans is checked against the
 * rules with the facts of its object and of the balance transaction it books, planned again
 * with the mapping the fired rules make (rule-mapping.ts), then commented and skipped as they
 * say. Conditions on products and prices are read on each invoice line, and the lines of a
 * document take the accounts, comments and items of their own line's reading (rule-lines.ts);
 * a credit note's lines that credit an invoice line take that line's reading.
 * Every document a rule fired for records which rules fired and what they changed.
 * Without enabled rules nothing is planned twice. Payouts are not ruled: a payout moves money
 * from clearing to the bank, the two accounts no rule may change.
 */

export function enabledRules(mapping: Mapping): Rule[] {
  return (mapping.rules ?? []).filter((rule) => rule.enabled);
}

export function planWithRules(object: AnySyncedObject, context: PlanningContext): SageDocument[] {
  const rules = enabledRules(context.mapping);
  if (object.object === 'credit_note' && rulesReadLines(rules)) {
    // A credit note read by line: its revenue reversal is planned one line per credited invoice line.
    const credited = new Map((object.lines?.data ?? []).flatMap((line) => (line.invoice_line_item ? [[line.id, line.invoice_line_item] as const] : [])));
    return ruled(
      planCreditNote(object, context, true),
      rules,
      context.mapping,
      () => objectFacts(object, context, null),
      (mapping) => planCreditNote(object, { ...context, mapping }, true),
      () => null,
      (traceId) => credited.get(traceId),
    );
  }
  const base = planMoneyObject(object, context);
  if (rules.length === 0 || object.object === 'payout' || object.object === 'customer') return base;
  return ruled(base, rules, context.mapping, (document) => objectFacts(object, context, bookedTransaction(document, object, context)), (mapping) =>
    planMoneyObject(object, { ...context, mapping }),
  );
}

/**
 * The object's sales order with the rules applied. `customerSkippedBy` names the rule that
 * skips the order's customer (customer-skip.ts): the order is then recorded as skipped by that
 * rule, since Sage has no customer to take it.
 */
export function salesOrderWithRules(object: StripeCharge | StripeInvoice, custId: string, context: PlanningContext, customerSkippedBy: string | null = null): SageDocument[] {
  const base = planSalesOrder(object, custId, context);
  const rules = enabledRules(context.mapping);
  if (rules.length === 0) return base;
  const bt = object.object === 'charge' && typeof object.balance_transaction === 'string' ? context.balanceTransaction(object.balance_transaction) : null;
  const documents = ruled(
    base,
    rules,
    context.mapping,
    () => objectFacts(object, context, bt),
    (mapping) => planSalesOrder(object, custId, { ...context, mapping }),
    () => (object.object === 'invoice' ? invoiceOrderLines(object).map((line) => line.id) : null),
  );
  return customerSkippedBy === null ? documents : documents.map((document) => skippedWithCustomer(document, customerSkippedBy));
}

export function standaloneWithRules(bt: StripeBalanceTransaction, mapping: Mapping): StandalonePlan | null {
  const plan = planStandaloneTransaction(bt, mapping);
  const rules = enabledRules(mapping);
  if (!plan || rules.length === 0) return plan;
  const [document] = ruled([plan.document], rules, mapping, () => balanceTransactionFacts(bt), (ruledMapping) => {
    const replanned = planStandaloneTransaction(bt, ruledMapping);
    return replanned ? [replanned.document] : [];
  });
  return { document: document as JournalDocument, warning: plan.warning };
}

/**
 * The mapping a new customer is planned with (class, CustID prefix), what the rules changed,
 * and the rule that skips the customer (null when none does): a skipped customer is not
 * created, matched or updated in Sage (customer-skip.ts).
 */
export function customerMappingWithRules(customer: StripeCustomer, context: PlanningContext): { mapping: Mapping; rules: RuleEffect[]; skippedBy: string | null } {
  const rules = enabledRules(context.mapping);
  if (rules.length === 0) return { mapping: context.mapping, rules: [], skippedBy: null };
  const outcome = evaluateRules(rules, objectFacts(customer, context, null));
  const result = mappingWithRules(context.mapping, outcome);
  const changes = result.settings.filter((setting) => /customer class|CustID/.test(setting.change));
  if (outcome.skip) changes.push({ rule: outcome.skip.rule, change: 'skipped: the customer is not created, matched or updated in Sage' });
  return { mapping: result.mapping, rules: effects(outcome.fired, changes), skippedBy: outcome.skip?.rule ?? null };
}

/** The rules' trail of a document, as "rule 'X' set revenue to 4000-20" lines for people. */
export function explainRules(rules: readonly RuleEffect[] | undefined): string[] {
  return (rules ?? []).map((effect) => `rule "${effect.rule}" ${effect.changes.length ? effect.changes.join('; ') : 'fired and changed nothing here'}`);
}

function ruled(
  base: SageDocument[],
  rules: readonly Rule[],
  mapping: Mapping,
  factsFor: (document: SageDocument) => RuleFacts,
  replanWith: (mapping: Mapping) => SageDocument[],
  orderLineIds: () => string[] | null = () => null,
  creditedLine?: (traceId: string) => string | undefined,
): SageDocument[] {
  const replans = new Map<string, SageDocument[]>();
  const planWith = (document: SageDocument, result: RuledMapping): SageDocument => {
    if (result.moves.length === 0 && result.settings.length === 0) return document;
    const signature = JSON.stringify(result.mapping);
    if (!replans.has(signature)) replans.set(signature, replanWith(result.mapping));
    return replans.get(signature)!.find((candidate) => candidate.key === document.key) ?? document;
  };
  const readsLines = rulesReadLines(rules);
  return base.map((document) => {
    const facts = factsFor(document);
    const outcome = evaluateRules(rules, facts);
    const lines = readsLines ? lineScopes(rules, facts, mapping) : [];
    const partial = outcome.skip ? [] : partialSkips(lines);
    const owners = outcome.skip || lines.length === 0 ? [] : lineOwners(document, facts, orderLineIds, creditedLine);
    if (owners.some((owner) => owner !== null) && document.type !== 'customer') {
      const documentScope = { line: null, number: 0, outcome, ruled: mappingWithRules(mapping, outcome) };
      const byLine = ruledByLine(document, owners, documentScope, lines, (result) => planWith(document, result));
      const fired = rules.map((rule) => rule.name).filter((name) => byLine.fired.has(name) || partial.some((entry) => entry.rule === name));
      return { ...byLine.document, rules: effects(fired, [...byLine.changes, ...partial]) };
    }
    if (outcome.fired.length === 0 && partial.length === 0) return document;
    const result = mappingWithRules(mapping, outcome);
    return finish(document, planWith(document, result), outcome, result, mapping, partial, rules);
  });
}

/** Comments, skip and the trail, on the document as the ruled mapping planned it. */
function finish(
  original: SageDocument,
  document: SageDocument,
  outcome: RuleOutcome,
  result: RuledMapping,
  mapping: Mapping,
  partial: readonly RuleChange[],
  rules: readonly Rule[],
): SageDocument {
  const changes: RuleChange[] = [...partial];
  if (document.type === 'journal' && original.type === 'journal') {
    const used = new Set(original.lines.map((line) => line.acctNo));
    for (const move of result.moves) if (used.has(move.from)) changes.push(...move.byRule);
  }
  if (document.type === 'sales_order') changes.push(...result.settings.filter((setting) => /order item|warehouse/.test(setting.change)));

  let out: SageDocument = document;
  if (out.type === 'sales_order' && outcome.warehouseId) out = { ...out, warehouseId: outcome.warehouseId.value };
  if (out.type === 'journal' && outcome.comments.length > 0) {
    const prefix = outcome.comments.map((comment) => comment.value).join(' ');
    out = { ...out, lines: out.lines.map((line) => ({ ...line, comment: postComment(`${prefix} ${line.comment}`) })) };
    for (const comment of outcome.comments) changes.push({ rule: comment.rule, change: `added "${comment.value}" to the line comments` });
  }
  if (outcome.skip) {
    const { rule } = outcome.skip;
    const park = parkAccount(mapping, outcome.skip.value);
    const parked = out.type === 'journal' ? parkedJournal(out, mapping, rule, park) : null;
    if (parked) {
      out = parked;
      changes.push({ rule, change: `skipped: booked nothing but the clearing amount, parked in ${park}` });
    } else {
      out = { ...out, skippedByRule: rule };
      changes.push({ rule, change: 'skipped: recorded as skipped, never written' });
    }
  }
  const fired = rules.map((rule) => rule.name).filter((name) => outcome.fired.includes(name) || partial.some((entry) => entry.rule === name));
  return { ...out, rules: effects(fired, changes) };
}

function effects(fired: readonly string[], changes: readonly RuleChange[]): RuleEffect[] {
  return fired.map((rule) => ({ rule, changes: changes.filter((entry) => entry.rule === rule).map((entry) => entry.change) }));
}

/** The balance transaction a journal books: its lines carry the transaction's id. */
function bookedTransaction(document: SageDocument, object: AnySyncedObject, context: PlanningContext): StripeBalanceTransaction | null {
  if (document.type !== 'journal') return null;
  for (const line of document.lines) {
    const bt = context.balanceTransaction(line.traceId) ?? (object.object === 'dispute' ? object.balance_transactions.find((entry) => entry.id === line.traceId) : undefined);
    if (bt) return bt;
  }
  return null;
}
