import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMapping, type Mapping } from '../../main/core/mapping/mapping.js';
import { parseSageAmount } from '../../main/core/money/sage-amount.js';
import { proveBalance } from '../../main/core/reconciliation/balance-proof.js';
import { tracesOnAccount } from '../support/traces-on-account.js';
import { planWithRules } from '../../main/core/rules/plan-with-rules.js';
import { RULE_ACCOUNT_ROLES, type Rule, type RuleAccountRole, type RuleAction } from '../../main/core/rules/rule-schema.js';
import type { JournalDocument, SageDocument } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction, StripeInvoice } from '../../main/core/stripe/objects.js';
import { bt, charge, context, creditNote, dispute, fee, invoice, invoiceLine, mapping, refund } from './fixtures/stripe.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';

/**
 * Properties of the rules layer over random rule lists and random money movements. The
 * expectations come from the generated numbers (a transaction's net is amount − fees, summed
 * here), never from the planners.
 */

const SALE = 'ch_3QxR2mL4kd8sXyZa0sale001';
const DIVISIONS = ['east', 'west', 'north'] as const;
const ACCOUNTS = ['4000-10', '4000-20', '4900-10', '6150-20', '6160-10', '1200-20', '7000-00'] as const;

const condition = fc.oneof(
  fc.record({ field: fc.constant('metadata' as const), on: fc.constantFrom('charge' as const, 'object' as const), key: fc.constant('division'), op: fc.constant('equals' as const), value: fc.constantFrom(...DIVISIONS) }),
  fc.record({ field: fc.constant('objectKind' as const), in: fc.subarray(['charge', 'refund', 'dispute'] as const, { minLength: 1 }).map((kinds) => [...kinds]) }),
  fc.record({ field: fc.constant('amount' as const), atLeast: fc.constantFrom('1', '50', '99.99') }),
);

const action: fc.Arbitrary<RuleAction> = fc.oneof(
  fc.record({ action: fc.constant('account' as const), role: fc.constantFrom(...RULE_ACCOUNT_ROLES), account: fc.constantFrom(...ACCOUNTS) }),
  fc.record({
    action: fc.constant('segment' as const),
    roles: fc.subarray([...RULE_ACCOUNT_ROLES], { minLength: 1 }),
    segment: fc.constant(2),
    from: fc.constant({ on: 'charge' as const, key: 'division' }),
    values: fc.constant({ east: '10', west: '20' }),
    default: fc.constantFrom('00', '99'),
  }),
  fc.record({ action: fc.constant('comment' as const), text: fc.constantFrom('DIV', 'Marketplace channel') }),
  fc.record({ action: fc.constant('skip' as const) }),
);

const rule = (index: number) =>
  fc.record({ name: fc.constant(`rule ${index}`), enabled: fc.boolean(), when: fc.array(condition, { maxLength: 2 }), then: fc.array(action, { minLength: 1, maxLength: 3 }) });

const rules: fc.Arbitrary<Rule[]> = fc.integer({ min: 1, max: 5 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => rule(index))));

/** A movement: a sale, its refund or a dispute, with random amounts and fees, and its balance transaction(s). */
const movement = fc.record({
  kind: fc.constantFrom('charge', 'refund', 'dispute'),
  amount: fc.integer({ min: 1, max: 10_000_000 }),
  fees: fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 3 }),
  division: fc.constantFrom(...DIVISIONS, undefined),
});

function planned(m: Mapping, move: { kind: string; amount: number; fees: number[]; division: string | undefined }): { documents: SageDocument[]; bts: StripeBalanceTransaction[] } {
  const metadata: Record<string, string> = move.division ? { division: move.division } : {};
  const sale = charge({ id: SALE, amount: move.amount, metadata });
  const details = move.fees.map((amount, index) => fee(amount, index === 0 ? 'stripe_fee' : 'tax'));
  if (move.kind === 'charge') {
    const saleBt = bt({ id: 'txn_sale', amount: move.amount, fee_details: details, source: SALE });
    return { documents: planWithRules({ ...sale, balance_transaction: saleBt.id }, context({ mapping: m, bts: [saleBt] })), bts: [saleBt] };
  }
  if (move.kind === 'refund') {
    const refundBt = bt({ id: 'txn_refund', amount: -move.amount, type: 'refund', reporting_category: 'refund', source: 're_1', fee_details: details });
    const back = refund({ id: 're_1', amount: move.amount, charge: SALE, balance_transaction: refundBt.id, metadata });
    return { documents: planWithRules(back, context({ mapping: m, bts: [refundBt], objects: [sale] })), bts: [refundBt] };
  }
  const lost = bt({ id: 'txn_dispute', amount: -move.amount, type: 'adjustment', reporting_category: 'dispute', fee_details: details, source: 'du_1' });
  return { documents: planWithRules(dispute({ id: 'du_1', amount: move.amount, balance_transactions: [lost] }), context({ mapping: m, objects: [sale] })), bts: [lost] };
}

/** Net in thousandths of a USD transaction, from the generated numbers. */
function netOf(bts: readonly StripeBalanceTransaction[], id: string): bigint {
  const found = bts.find((entry) => entry.id === id)!;
  return BigInt(found.amount - found.fee_details.reduce((sum, detail) => sum + detail.amount, 0)) * 10n;
}

function journals(documents: readonly SageDocument[]): JournalDocument[] {
  return documents.filter((document): document is JournalDocument => document.type === 'journal');
}

describe('rules properties', () => {
  it('a rule never unbalances a journal, never touches clearing, and clearing moves by each net', () => {
    fc.assert(
      fc.property(rules, movement, (list, move) => {
        const m = { ...mapping(), rules: list };
        const { documents, bts } = planned(m, move);
        for (const journal of journals(documents)) {
          expect(journal.lines.reduce((sum, line) => sum + parseSageAmount(line.amount), 0n)).toBe(0n);
          for (const line of journal.lines) expect(line.comment.length).toBeLessThanOrEqual(50);
          const traces = new Set(journal.lines.map((line) => line.traceId));
          for (const trace of traces) {
            const clearing = journal.lines.filter((line) => line.traceId === trace && line.acctNo === '1050-00').reduce((sum, line) => sum + parseSageAmount(line.amount), 0n);
            expect(clearing).toBe(netOf(bts, trace));
          }
          expect(journal.lines.some((line) => line.acctNo === m.accounts.bank)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skip keeps the balance proof exact: clearing equals the balance Stripe reports', () => {
    fc.assert(
      fc.property(fc.array(movement, { minLength: 1, maxLength: 6 }), fc.boolean(), (moves, skipEverything) => {
        const list: Rule[] = [
          { name: 'Skip west', enabled: true, when: skipEverything ? [] : [{ field: 'metadata', on: 'charge', key: 'division', op: 'equals', value: 'west' }], then: [{ action: 'skip' }] },
        ];
        const m = { ...mapping(), rules: list };
        const allBts: StripeBalanceTransaction[] = [];
        const booked: { traceId: string; amount: string }[] = [];
        moves.forEach((move, index) => {
          const { documents, bts } = planned(m, move);
          const renamed = new Map(bts.map((entry) => [entry.id, `${entry.id}_${index}`]));
          allBts.push(...bts.map((entry) => ({ ...entry, id: renamed.get(entry.id)! })));
          for (const journal of journals(documents)) {
            for (const line of journal.lines) if (line.acctNo === m.accounts.clearing) booked.push({ traceId: renamed.get(line.traceId)!, amount: line.amount });
          }
        });
        const stripeBalance = allBts.reduce((sum, entry) => sum + netOf(allBts, entry.id), 0n) / 10n;
        const proof = proveBalance({
          balance: { object: 'balance', available: [{ amount: Number(stripeBalance), currency: 'usd' }], pending: [], livemode: false },
          homeCurrency: 'usd',
          clearingAccount: m.accounts.clearing,
          clearing: tracesOnAccount(allBts, booked),
          opening: () => 0n,
          cutoff: 2_000_000_000,
          checkedAt: '2026-03-11T00:00:00.000Z',
          reasonNotBooked: () => 'not booked',
          inTransitAccount: m.accounts.payoutsInTransit,
          payouts: [],
          inTransitLines: [],
          reasonPayoutDiffers: () => 'not booked',
        });
        expect(proof.exact).toBe(true);
        expect(proof.holds).toBe(true);
        expect(proof.items).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('order matters as documented: the first fired rule sets a target, a later one changes nothing there', () => {
    const targetRules = fc.shuffledSubarray(
      [
        { name: 'West', value: 'west' as const, account: '4000-20' },
        { name: 'Any division', value: null, account: '4000-10' },
        { name: 'East', value: 'east' as const, account: '7000-00' },
      ],
      { minLength: 1 },
    );
    fc.assert(
      fc.property(targetRules, fc.constantFrom(...DIVISIONS), (order, division) => {
        const list: Rule[] = order.map((entry) => ({
          name: entry.name,
          enabled: true,
          when: entry.value === null ? [{ field: 'metadata', on: 'charge', key: 'division', op: 'exists' }] : [{ field: 'metadata', on: 'charge', key: 'division', op: 'equals', value: entry.value }],
          then: [{ action: 'account', role: 'revenue', account: entry.account }],
        }));
        const expected = order.find((entry) => entry.value === null || entry.value === division)?.account ?? '4000-00';
        const { documents } = planned({ ...mapping(), rules: list }, { kind: 'charge', amount: 12_345, fees: [100], division });
        expect(journals(documents)[0]!.lines.find((line) => line.amount.startsWith('-'))!.acctNo).toBe(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('a skip stops the list: rules below it do not fire', () => {
    const list: Rule[] = [
      { name: 'Skip all', enabled: true, when: [], then: [{ action: 'skip' }] },
      { name: 'Comment', enabled: true, when: [], then: [{ action: 'comment', text: 'LATE' }] },
    ];
    const { documents } = planned({ ...mapping(), rules: list }, { kind: 'charge', amount: 1_000, fees: [], division: undefined });
    expect(documents[0]!.rules?.map((effect) => effect.rule)).toEqual(['Skip all']);
    expect(journals(documents)[0]!.lines.every((line) => !line.comment.startsWith('LATE'))).toBe(true);
    // The same list is refused by validation: the second rule is never reached.
    const check = validateMapping({ ...mapping(), rules: list });
    expect(check.ok).toBe(false);
  });

  it('a rule never unbalances a journal on mixed-product invoices, and each line lands where the rules for its own product say', () => {
    fc.assert(
      fc.property(lineRules, mixedInvoice, fc.constantFrom(...DIVISIONS, undefined), (list, spec, invoiceDivision) => {
        const m = { ...mapping(), rules: list };
        const bill = mixedBill(spec, invoiceDivision);
        const facts = { division: invoiceDivision, products: spec.lines.map((line) => line.product) };
        const [journal] = journals(planWithRules(bill, context({ mapping: m, related: CATALOGUE })));
        const skippedBy = expectedSkip(list, facts);
        if (skippedBy !== null) {
          expect(journal!.skippedByRule).toBe(skippedBy);
          return;
        }
        expect(journal!.skippedByRule).toBeUndefined();
        expect(journal!.lines.reduce((sum, line) => sum + parseSageAmount(line.amount), 0n)).toBe(0n);
        spec.lines.forEach((line, index) => {
          const booked = journal!.lines.filter((entry) => entry.traceId === `il_${index}`);
          const revenue = line.amount - line.discount;
          expect(booked.reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n)).toBe(BigInt(-revenue) * 10n);
          const want = expectedLine(list, facts, index);
          for (const entry of booked) {
            expect(entry.acctNo).toBe(want.account);
            if (want.comment) expect(entry.comment.startsWith(`${want.comment} `)).toBe(true);
            else expect(/^(DIV|RENT)/.test(entry.comment)).toBe(false);
          }
        });
        const own = expectedLine(list, facts, null);
        const shipping = journal!.lines.filter((entry) => entry.traceId === bill.id && entry.amount === `-${(spec.shipping / 100).toFixed(2)}0`);
        if (spec.shipping > 0) expect(shipping.map((entry) => entry.acctNo)).toContain(own.account);
        const receivable = journal!.lines.filter((entry) => entry.acctNo === '1200-00').reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n);
        expect(receivable).toBe(BigInt(bill.total) * 10n);
        for (const effect of journal!.rules ?? []) {
          for (const change of effect.changes) if (/^set /.test(change) && spec.lines.length > 1 && !wholeDocument(list, facts, effect.rule)) expect(change).toMatch(/ on (lines? \d|the invoice's own lines)/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a skip with a product condition on a mixed invoice parks the paying charge only when every line is for the product', () => {
    fc.assert(
      fc.property(mixedInvoice, (spec) => {
        const list: Rule[] = [{ name: 'Rentals skip', enabled: true, when: [{ field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' }], then: [{ action: 'skip' }] }];
        const m = { ...mapping(), rules: list };
        const bill = mixedBill(spec, undefined);
        const payBt = bt({ id: 'txn_pay', amount: bill.total, fee_details: [fee(30)], source: SALE });
        const pay = charge({ id: SALE, amount: bill.total, balance_transaction: payBt.id });
        const [journal] = journals(planWithRules(pay, context({ mapping: m, bts: [payBt], invoices: { [SALE]: bill.id }, invoiceObjects: [bill], related: CATALOGUE })));
        const all = spec.lines.every((line) => PRODUCT_DIVISIONS[line.product] === 'rentals');
        const some = spec.lines.some((line) => PRODUCT_DIVISIONS[line.product] === 'rentals');
        const clearing = journal!.lines.filter((line) => line.acctNo === '1050-00').reduce((sum, line) => sum + parseSageAmount(line.amount), 0n);
        expect(clearing).toBe(BigInt(bill.total - 30) * 10n);
        expect(journal!.lines.reduce((sum, line) => sum + parseSageAmount(line.amount), 0n)).toBe(0n);
        expect(journal!.lines.some((line) => line.acctNo === '1990-00')).toBe(all);
        const said = (journal!.rules ?? []).flatMap((effect) => effect.changes).join(' | ');
        expect(said.includes('did not skip')).toBe(some && !all);
      }),
      { numRuns: 200 },
    );
  });
});

describe('rules on the lines of a credit note (docs/posting-rules.md, "Rules on invoice lines")', () => {
  it('a rule never unbalances a credit note; each credited line’s revenue lands where the rules for its own product say, the rest where the document’s reading says', () => {
    fc.assert(
      fc.property(lineRules, mixedInvoice, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.constantFrom(0, 700), fc.constantFrom(...DIVISIONS, undefined), (invoiceRules, spec, credited, custom, invoiceDivision) => {
        // The same rules, acting on the refunds a credit note books instead of the revenue an invoice books.
        const list = invoiceRules.map((rule) => ({
          ...rule,
          then: rule.then.map((action) => (action.action === 'account' ? { ...action, role: 'refunds' as const } : action.action === 'segment' ? { ...action, roles: ['refunds' as const] } : action)),
        }));
        const bill = mixedBill(spec, invoiceDivision);
        const facts = { division: invoiceDivision, products: spec.lines.map((line) => line.product) };
        const picked = spec.lines.flatMap((line, index) => (credited[index] ? [{ ...line, index }] : []));
        const tax = picked.reduce((sum, line) => sum + line.tax, 0);
        // Written out from the generated numbers: each credited line in full with its tax, and a custom line.
        const total = picked.reduce((sum, line) => sum + line.amount - line.discount + line.tax, 0) + custom;
        if (total === 0) return;
        const noteLines = [
          ...picked.map((line) => ({
            id: `cnli_${line.index}`,
            object: 'credit_note_line_item' as const,
            type: 'invoice_line_item',
            invoice_line_item: `il_${line.index}`,
            amount: line.amount,
            description: `Line ${line.index + 1}`,
            quantity: 1,
            taxes: line.tax ? [{ amount: line.tax, tax_behavior: 'exclusive' }] : [],
            discount_amounts: line.discount ? [{ amount: line.discount }] : [],
            pretax_credit_amounts: [],
          })),
          ...(custom ? [{ id: 'cnli_custom', object: 'credit_note_line_item' as const, type: 'custom_line_item', amount: custom, description: 'Goodwill', quantity: 1, taxes: [], discount_amounts: [], pretax_credit_amounts: [] }] : []),
        ];
        const note = creditNote({
          id: 'cn_1QxR2mL4kd8sXyZaMix0001',
          invoice: bill.id,
          total,
          total_taxes: tax ? [{ amount: tax }] : [],
          refunds: [{ refund: 're_mix', amount_refunded: total }],
          lines: { object: 'list', data: noteLines, has_more: false, url: '' },
        });
        const [journal] = journals(planWithRules(note, context({ mapping: { ...mapping(), rules: list }, related: CATALOGUE, invoiceObjects: [bill] })));
        const skippedBy = expectedSkip(list, facts);
        if (skippedBy !== null) {
          expect(journal!.skippedByRule).toBe(skippedBy);
          return;
        }
        expect(journal!.lines.reduce((sum, line) => sum + parseSageAmount(line.amount), 0n)).toBe(0n);
        // A note is read by line only while an enabled rule reads lines (a line condition, or a segment from product metadata).
        const byLine = list.some((rule) => rule.enabled && (rule.when.some((condition) => condition.field === 'product' || (condition.field === 'metadata' && condition.on === 'product')) || rule.then.some((action) => action.action === 'segment')));
        const onLines = byLine ? picked : [];
        expect(journal!.lines.filter((entry) => entry.traceId.startsWith('cnli_')).length).toBe(onLines.filter((line) => line.amount - line.discount !== 0).length);
        for (const line of onLines) {
          const booked = journal!.lines.filter((entry) => entry.traceId === `cnli_${line.index}`);
          expect(booked.reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n)).toBe(BigInt(line.amount - line.discount) * 10n);
          const want = expectedLine(list, facts, line.index, '4900-00');
          for (const entry of booked) {
            expect(entry.acctNo).toBe(want.account);
            if (want.comment) expect(entry.comment.startsWith(`${want.comment} `)).toBe(true);
            else expect(/^(DIV|RENT)/.test(entry.comment)).toBe(false);
          }
        }
        const own = journal!.lines.filter((entry) => entry.traceId === note.id && entry.acctNo !== '2200-00' && entry.acctNo !== '1200-00');
        const rest = custom + (byLine ? 0 : picked.reduce((sum, line) => sum + line.amount - line.discount, 0));
        expect(own.reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n)).toBe(BigInt(rest) * 10n);
        for (const entry of own) expect(entry.acctNo).toBe(expectedLine(list, facts, null, '4900-00').account);
        const receivable = journal!.lines.filter((entry) => entry.acctNo === '1200-00').reduce((sum, entry) => sum + parseSageAmount(entry.amount), 0n);
        expect(receivable).toBe(BigInt(-total) * 10n);
      }),
      { numRuns: 300 },
    );
  });
});

// Mixed-product invoices: products of three divisions (one the catalogue does not know), rules
// on lines (product, product metadata) and on the document (the invoice's metadata).

const PRODUCT_DIVISIONS: Record<string, string | undefined> = {
  prod_Rent00000000001: 'rentals',
  prod_Rent00000000002: 'rentals',
  prod_Serv00000000001: 'service',
  prod_Unkn00000000001: undefined,
};
const PRODUCTS = Object.keys(PRODUCT_DIVISIONS);
const CATALOGUE: RuleRelatedObject[] = PRODUCTS.map((id) => {
  const division = PRODUCT_DIVISIONS[id];
  const metadata: Record<string, string> = division === undefined ? {} : { division };
  return { id, object: 'product', metadata, name: id };
});
const SEGMENTS: Record<string, string> = { rentals: '30', service: '40' };

const lineCondition = fc.oneof(
  fc.record({ field: fc.constant('product' as const), in: fc.subarray(PRODUCTS, { minLength: 1 }) }),
  fc.record({ field: fc.constant('metadata' as const), on: fc.constant('product' as const), key: fc.constant('division'), op: fc.constant('equals' as const), value: fc.constantFrom('rentals', 'service') }),
);
const documentCondition = fc.record({ field: fc.constant('metadata' as const), on: fc.constant('invoice' as const), key: fc.constant('division'), op: fc.constant('equals' as const), value: fc.constantFrom(...DIVISIONS) });
const lineAction: fc.Arbitrary<RuleAction> = fc.oneof(
  fc.record({ action: fc.constant('account' as const), role: fc.constant('revenue' as const), account: fc.constantFrom('4050-00', '4060-00') }),
  fc.record({ action: fc.constant('segment' as const), roles: fc.constant<RuleAccountRole[]>(['revenue']), segment: fc.constant(2), from: fc.constant({ on: 'product' as const, key: 'division' }), values: fc.constant(SEGMENTS), default: fc.constantFrom('00', '99') }),
  fc.record({ action: fc.constant('comment' as const), text: fc.constantFrom('DIV', 'RENT') }),
  fc.record({ action: fc.constant('skip' as const) }),
);
const lineRules: fc.Arbitrary<Rule[]> = fc.integer({ min: 1, max: 4 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, index) =>
      fc.record({
        name: fc.constant(`line rule ${index}`),
        enabled: fc.boolean(),
        when: fc.tuple(fc.array(lineCondition, { maxLength: 2 }), fc.array(documentCondition, { maxLength: 1 })).map(([lines, documents]) => [...lines, ...documents]),
        then: fc.array(lineAction, { minLength: 1, maxLength: 3 }),
      }),
    ),
  ),
);
const mixedInvoice = fc.record({
  lines: fc.array(fc.record({ product: fc.constantFrom(...PRODUCTS), amount: fc.integer({ min: 100, max: 500_000 }), discount: fc.integer({ min: 0, max: 50 }), tax: fc.integer({ min: 0, max: 900 }) }), { minLength: 1, maxLength: 4 }),
  shipping: fc.constantFrom(0, 995),
});

function mixedBill(spec: { lines: { product: string; amount: number; discount: number; tax: number }[]; shipping: number }, division: string | undefined): StripeInvoice {
  const lines = spec.lines.map((line, index) =>
    invoiceLine({
      id: `il_${index}`,
      amount: line.amount,
      description: `Line ${index + 1}`,
      pricing: { price_details: { price: `price_${index}`, product: line.product } },
      discount_amounts: line.discount ? [{ amount: line.discount }] : [],
      taxes: line.tax ? [{ amount: line.tax, tax_behavior: 'exclusive', taxable_amount: line.amount - line.discount }] : [],
    }),
  );
  // Total written out from the generated numbers: lines less discounts, exclusive tax, shipping.
  const total = spec.lines.reduce((sum, line) => sum + line.amount - line.discount + line.tax, 0) + spec.shipping;
  return invoice({ id: 'in_1QxR2mL4kd8sXyZaMix0001', lines, amount_shipping: spec.shipping, total, amount_due: total, amount_paid: total, metadata: division ? { division } : {} });
}

interface InvoiceFacts {
  division: string | undefined;
  products: string[];
}

/** Whether a rule's conditions hold on line `index`, or for the document (null): there a line condition must hold on every line. */
function holds(rule: Rule, facts: InvoiceFacts, index: number | null): boolean {
  const products = index === null ? facts.products : [facts.products[index]!];
  return rule.when.every((condition) => {
    if (condition.field === 'product') return products.every((product) => condition.in.includes(product));
    if (condition.field === 'metadata' && condition.on === 'product') return products.every((product) => PRODUCT_DIVISIONS[product] === condition.value);
    if (condition.field === 'metadata' && condition.on === 'invoice') return facts.division === condition.value;
    throw new Error(`not generated: ${condition.field}`);
  });
}

/** The skip rule that skips the document: the first enabled skip rule whose conditions hold for the document. */
function expectedSkip(list: readonly Rule[], facts: InvoiceFacts): string | null {
  return list.find((rule) => rule.enabled && rule.then.some((action) => action.action === 'skip') && holds(rule, facts, null))?.name ?? null;
}

/** A rule that fired for the document and every line, so its changes are said once. */
function wholeDocument(list: readonly Rule[], facts: InvoiceFacts, name: string): boolean {
  const rule = list.find((entry) => entry.name === name)!;
  return holds(rule, facts, null) && facts.products.every((_, index) => holds(rule, facts, index));
}

/** The account and comment prefix a line (or the document's own lines) gets, as the docs say: the first fired rule sets each target. */
function expectedLine(list: readonly Rule[], facts: InvoiceFacts, index: number | null, mapped = '4000-00'): { account: string; comment: string } {
  let account: string | null = null;
  let segment: string | null = null;
  const comments: string[] = [];
  for (const rule of list) {
    if (!rule.enabled || !holds(rule, facts, index)) continue;
    for (const action of rule.then) {
      if (action.action === 'account') account ??= action.account;
      if (action.action === 'comment') comments.push(action.text);
      if (action.action === 'segment') {
        const divisions = (index === null ? facts.products : [facts.products[index]!]).map((product) => PRODUCT_DIVISIONS[product]);
        const values = divisions.map((division) => (division === undefined ? undefined : SEGMENTS[division]));
        segment ??= values.every((value) => value !== undefined && value === values[0]) ? values[0]! : action.default;
      }
    }
  }
  const natural = (account ?? mapped).split('-')[0]!;
  const department = segment ?? (account ?? mapped).split('-')[1]!;
  return { account: `${natural}-${department}`, comment: comments.join(' ') };
}
