import { describe, expect, it } from 'vitest';
import { mappingWithRules } from '../../main/core/rules/rule-mapping.js';
import { evaluateRules } from '../../main/core/rules/rule-outcome.js';
import { lineScopes, ruledByLine, ruleHoldsWhere } from '../../main/core/rules/rule-lines.js';
import { objectFacts } from '../../main/core/rules/rule-facts.js';
import { explainRules, planWithRules, salesOrderWithRules } from '../../main/core/rules/plan-with-rules.js';
import { planInvoice } from '../../main/core/posting/invoice-plan.js';
import { PlanningError } from '../../main/core/posting/planning-error.js';
import type { Rule } from '../../main/core/rules/rule-schema.js';
import type { JournalDocument, SalesOrderDocument } from '../../main/core/sage/documents.js';
import type { StripeInvoice } from '../../main/core/stripe/objects.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { bt, charge, context, customer, fee, invoice, invoiceLine, mapping } from './fixtures/stripe.js';

/**
 * docs/posting-rules.md "Rules on invoice lines", case by case: a skip on a mixed invoice,
 * the order item and warehouse of an invoice's sales order, a rule mixing a document condition
 * with a line condition, and the order of rules within one line. The rows are written out by
 * hand from the invoice's numbers.
 */

const KAYAK = 'prod_RentalGear000001';
const SEAT = 'prod_BasicSeat000001';
const QA = 'prod_TestQA0001';
const SALE = 'ch_3QxR2mL4kd8sXyZa0line01';
const BUYER = customer({ id: 'cus_QxR2mN8vT4kLp1', metadata: { segment: 'wholesale' } });
const related: RuleRelatedObject[] = [{ id: KAYAK, object: 'product', metadata: { division: 'rentals' }, name: 'Kayak rental' }];

function bill(lines: { product: string; amount: number; description: string }[]): StripeInvoice {
  return invoice({
    id: 'in_1QxR2mL4kd8sXyZaLines01',
    number: 'NWB-000200',
    lines: lines.map((line, index) =>
      invoiceLine({ id: `il_${index + 1}`, amount: line.amount, description: line.description, pricing: { price_details: { price: `price_${index + 1}`, product: line.product } } }),
    ),
  });
}

const rows = (document: JournalDocument | undefined) => document!.lines.map((line) => [line.acctNo, line.amount]);

describe('rules on invoice lines', () => {
  const mixed = bill([
    { product: QA, amount: 500, description: 'QA seat' },
    { product: SEAT, amount: 1_500, description: 'Basic seat' },
  ]);

  it('a skip on the test product does not skip a mixed invoice or its payment, and says so on both records', () => {
    const rules: Rule[] = [{ name: 'Test product', enabled: true, when: [{ field: 'product', in: [QA] }], then: [{ action: 'skip' }] }];
    const m = mapping({ rules });
    const [journal] = planWithRules(mixed, context({ mapping: m })) as JournalDocument[];
    expect(journal!.skippedByRule).toBeUndefined();
    expect(rows(journal)).toEqual([
      ['1200-00', '20.000'],
      ['4000-00', '-5.000'],
      ['4000-00', '-15.000'],
    ]);
    const said =
      'rule "Test product" did not skip: line 1 "QA seat" of the invoice\'s 2 lines is for it, not every line; a skip applies only when every line is, so this document is booked in full';
    expect(explainRules(journal!.rules)).toEqual([said]);

    const payBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0line1', amount: 2_000, fee_details: [fee(88)], source: SALE });
    const pay = charge({ id: SALE, amount: 2_000, balance_transaction: payBt.id });
    const [payment] = planWithRules(pay, context({ mapping: m, bts: [payBt], invoices: { [SALE]: mixed.id }, invoiceObjects: [mixed] })) as JournalDocument[];
    expect(rows(payment)).toEqual([
      ['1050-00', '19.120'],
      ['1200-00', '-20.000'],
      ['6150-00', '0.880'],
    ]);
    expect(explainRules(payment!.rules)).toEqual([said]);

    const allTest = bill([{ product: QA, amount: 500, description: 'QA seat' }]);
    expect(planWithRules(allTest, context({ mapping: m }))[0]!.skippedByRule).toBe('Test product');
  });

  it('an invoice order takes the item of each line’s product, and the warehouse only when every line is for it', () => {
    const rules: Rule[] = [
      { name: 'Kayaks', enabled: true, when: [{ field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' }], then: [{ action: 'salesOrder', itemId: 'RENT-KAYAK', warehouseId: 'DOCK' }] },
    ];
    const base = mapping({ rules });
    const m = { ...base, salesOrders: { ...base.salesOrders, enabled: true } };
    const twoKinds = bill([
      { product: KAYAK, amount: 8_000, description: 'Kayak rental (2 days)' },
      { product: SEAT, amount: 1_500, description: 'Basic seat' },
    ]);
    const [order] = salesOrderWithRules(twoKinds, 'C-000001', context({ mapping: m, related })) as SalesOrderDocument[];
    expect(order!.lines.map((line) => [line.itemId, line.extAmount])).toEqual([
      ['RENT-KAYAK', '80.000'],
      ['STRIPE-SALE', '15.000'],
    ]);
    expect(order!.warehouseId).toBeUndefined();
    expect(explainRules(order!.rules)).toEqual(['rule "Kayaks" set the order item to RENT-KAYAK on line 1 "Kayak rental (2 days)"']);

    const kayaksOnly = bill([
      { product: KAYAK, amount: 8_000, description: 'Kayak rental (2 days)' },
      { product: KAYAK, amount: 4_000, description: 'Kayak rental (1 day)' },
    ]);
    const [rental] = salesOrderWithRules(kayaksOnly, 'C-000001', context({ mapping: m, related })) as SalesOrderDocument[];
    expect(rental!.lines.map((line) => line.itemId)).toEqual(['RENT-KAYAK', 'RENT-KAYAK']);
    expect(rental!.warehouseId).toBe('DOCK');
    expect(explainRules(rental!.rules)).toEqual(['rule "Kayaks" set the order item to RENT-KAYAK; set the warehouse to DOCK']);
  });

  it('a document condition must hold and the line condition picks the lines; within a line the first rule sets the account', () => {
    const rules: Rule[] = [
      {
        name: 'Wholesale kayaks',
        enabled: true,
        when: [
          { field: 'metadata', on: 'customer', key: 'segment', op: 'equals', value: 'wholesale' },
          { field: 'product', in: [KAYAK] },
        ],
        then: [{ action: 'account', role: 'revenue', account: '4060-00' }],
      },
      { name: 'All invoices', enabled: true, when: [{ field: 'objectKind', in: ['invoice'] }], then: [{ action: 'account', role: 'revenue', account: '4010-00' }] },
    ];
    const m = mapping({ rules });
    const twoKinds: StripeInvoice = {
      ...bill([
        { product: KAYAK, amount: 8_000, description: 'Kayak rental (2 days)' },
        { product: SEAT, amount: 1_500, description: 'Basic seat' },
      ]),
      amount_shipping: 1_000,
      total: 10_500,
      amount_due: 10_500,
      amount_paid: 10_500,
    };
    const [wholesale] = planWithRules(twoKinds, context({ mapping: m, objects: [BUYER] })) as JournalDocument[];
    expect(rows(wholesale)).toEqual([
      ['1200-00', '105.000'],
      ['4060-00', '-80.000'],
      ['4010-00', '-15.000'],
      ['4010-00', '-10.000'],
    ]);
    expect(explainRules(wholesale!.rules)).toEqual([
      'rule "Wholesale kayaks" set revenue to 4060-00 on line 1 "Kayak rental (2 days)"',
      'rule "All invoices" set revenue to 4010-00 on line 2 "Basic seat"; set revenue to 4010-00 on the invoice\'s own lines (shipping, tax, receivable)',
    ]);

    const retail = customer({ id: BUYER.id, metadata: { segment: 'retail' } });
    const [other] = planWithRules(twoKinds, context({ mapping: m, objects: [retail] })) as JournalDocument[];
    expect(rows(other)).toEqual([
      ['1200-00', '105.000'],
      ['4010-00', '-80.000'],
      ['4010-00', '-15.000'],
      ['4010-00', '-10.000'],
    ]);
    expect(explainRules(other!.rules)).toEqual(['rule "All invoices" set revenue to 4010-00']);
  });

  it('the editor’s count and rules test see a rule that holds on some lines only', () => {
    const twoKinds = bill([
      { product: KAYAK, amount: 8_000, description: 'Kayak rental (2 days)' },
      { product: SEAT, amount: 1_500, description: 'Basic seat' },
    ]);
    const facts = objectFacts(twoKinds, context({ related }), null);
    const where = ruleHoldsWhere({ when: [{ field: 'product', in: [KAYAK] }] }, facts);
    expect(where.document).toBe(false);
    expect(where.lines.map((entry) => [entry.number, entry.line?.id])).toEqual([[1, 'il_1']]);
    expect(ruleHoldsWhere({ when: [{ field: 'product', in: [QA] }] }, facts)).toEqual({ document: false, lines: [] });
  });

  it('refuses to apply the rules line by line when a line’s plan has another amount than the plan without rules', () => {
    const rules: Rule[] = [{ name: 'Kayaks', enabled: true, when: [{ field: 'product', in: [KAYAK] }], then: [{ action: 'account', role: 'revenue', account: '4050-00' }] }];
    const m = mapping({ rules });
    const twoKinds = bill([
      { product: KAYAK, amount: 8_000, description: 'Kayak rental (2 days)' },
      { product: SEAT, amount: 1_500, description: 'Basic seat' },
    ]);
    const ctx = context({ mapping: m, related });
    const [base] = planInvoice(twoKinds, ctx);
    const facts = objectFacts(twoKinds, ctx, null);
    const outcome = evaluateRules(rules, facts);
    const documentScope = { line: null, number: 0, outcome, ruled: mappingWithRules(m, outcome) };
    const lines = lineScopes(rules, facts, m);
    const owners = base!.lines.map((line) => (line.traceId.startsWith('il_') ? line.traceId : null));
    // A planner whose line for the kayak came out with another amount: nothing may be taken from it.
    const shifted = (): JournalDocument => ({ ...base!, lines: base!.lines.map((line, index) => (index === 1 ? { ...line, amount: '-79.000' } : line)) });
    expect(() => ruledByLine(base!, owners, documentScope, lines, shifted)).toThrow(PlanningError);
    expect(ruledByLine(base!, owners, documentScope, lines, () => planInvoice(twoKinds, { ...ctx, mapping: lines[0]!.ruled.mapping })[0]!).document).toMatchObject({
      lines: [{ acctNo: '1200-00' }, { acctNo: '4050-00', amount: '-80.000' }, { acctNo: '4000-00', amount: '-15.000' }],
    });
  });
});
