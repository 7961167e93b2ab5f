import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateMapping, type Mapping } from '../../main/core/mapping/mapping.js';
import { customerMappingWithRules, planWithRules, explainRules, salesOrderWithRules } from '../../main/core/rules/plan-with-rules.js';
import { orderCustomerSkip } from '../../main/core/rules/customer-skip.js';
import type { JournalDocument, SageDocument } from '../../main/core/sage/documents.js';
import type { AnySyncedObject, StripeBalanceTransaction, StripeInvoice } from '../../main/core/stripe/objects.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { bt, charge, context, customer, fee, invoice, invoiceLine, mapping, refund } from './fixtures/stripe.js';

/**
 * The examples of docs/posting-rules.md ("Rules"), read from the page itself, planned
 * through the real planners with the rules, and compared with rows written out by hand
 * (account, debit/credit, date) from the tables on the same page.
 */

const DOC = readFileSync(new URL('../../docs/posting-rules.md', import.meta.url), 'utf8');

function exampleRules(title: string): unknown {
  const start = DOC.indexOf(`#### Example: ${title}`);
  expect(start).toBeGreaterThan(0);
  const block = /```json\n([\s\S]*?)```/.exec(DOC.slice(start));
  return JSON.parse(block![1]!);
}

function mappingWith(title: string): Mapping {
  const check = validateMapping({ ...mapping(), rules: exampleRules(title) });
  if (!check.ok) throw new Error(JSON.stringify(check.problems));
  return check.mapping;
}

/** [account, amount] with amount as signed decimal(15,3) text, debit positive. */
function rows(document: SageDocument | undefined): [string, string][] {
  expect(document?.type).toBe('journal');
  return (document as JournalDocument).lines.map((line) => [line.acctNo, line.amount]);
}

function plan(
  m: Mapping,
  object: AnySyncedObject,
  options: { bts: StripeBalanceTransaction[]; objects?: AnySyncedObject[]; invoices?: Record<string, string>; invoiceObjects?: StripeInvoice[]; related?: RuleRelatedObject[] },
) {
  return planWithRules(object, context({ mapping: m, ...options }));
}

const SALE = 'ch_3QxR2mL4kd8sXyZa0sale001';

describe('docs/posting-rules.md rule examples', () => {
  it('division by metadata: revenue, refunds and fees on the division segment', () => {
    const m = mappingWith('division by metadata');
    const saleBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0sale1', amount: 10_000, fee_details: [fee(320)], source: SALE });
    const sale = charge({ id: SALE, amount: 10_000, balance_transaction: saleBt.id, metadata: { division: 'west' } });
    const [journal] = plan(m, sale, { bts: [saleBt] });
    expect(rows(journal)).toEqual([
      ['1050-00', '96.800'],
      ['4000-20', '-100.000'],
      ['6150-20', '3.200'],
    ]);
    expect((journal as JournalDocument).postDate).toBe('2026-03-10');
    expect(explainRules(journal!.rules)[0]).toContain('rule "Division segment" set segment 2 of revenue to 20');

    const refundBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0ref01', amount: -2_500, type: 'refund', reporting_category: 'refund', source: 're_3QxR2mL4kd8sXyZa0ref001' });
    const back = refund({ id: 're_3QxR2mL4kd8sXyZa0ref001', charge: SALE, amount: 2_500, balance_transaction: refundBt.id });
    const [refundJournal] = plan(m, back, { bts: [refundBt], objects: [sale] });
    expect(rows(refundJournal)).toEqual([
      ['1050-00', '-25.000'],
      ['4900-20', '25.000'],
    ]);

    const unknown = charge({ id: SALE, amount: 10_000, balance_transaction: saleBt.id, metadata: { division: 'north' } });
    expect(rows(plan(m, unknown, { bts: [saleBt] })[0])).toEqual([
      ['1050-00', '96.800'],
      ['4000-00', '-100.000'],
      ['6150-00', '3.200'],
    ]);
  });

  it('marketplace channel by description: marketplace revenue and a comment', () => {
    const m = mappingWith('marketplace channel by description');
    const saleBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0amz01', amount: 5_000, fee_details: [fee(175)], source: SALE });
    const sale = charge({ id: SALE, amount: 5_000, balance_transaction: saleBt.id, description: 'Amazon order 112-5551212' });
    const [journal] = plan(m, sale, { bts: [saleBt] });
    expect(rows(journal)).toEqual([
      ['1050-00', '48.250'],
      ['4020-00', '-50.000'],
      ['6150-00', '1.750'],
    ]);
    for (const line of (journal as JournalDocument).lines) expect(line.comment.startsWith('AMZ ')).toBe(true);

    const webSale = charge({ id: SALE, amount: 5_000, balance_transaction: saleBt.id, description: 'Web order 77' });
    expect(rows(plan(m, webSale, { bts: [saleBt] })[0])).toContainEqual(['4000-00', '-50.000']);
  });

  it('EUR sales to a separate revenue account, by presentment currency', () => {
    const m = mappingWith('EUR sales to a separate revenue account');
    const saleBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0eur01', amount: 10_000, fee_details: [fee(320)], exchange_rate: 1.0869, source: SALE });
    const sale = charge({ id: SALE, amount: 9_200, currency: 'eur', balance_transaction: saleBt.id });
    expect(rows(plan(m, sale, { bts: [saleBt] })[0])).toEqual([
      ['1050-00', '96.800'],
      ['4030-00', '-100.000'],
      ['6150-00', '3.200'],
    ]);
    const usdSale = charge({ id: SALE, amount: 10_000, balance_transaction: saleBt.id });
    expect(rows(plan(m, usdSale, { bts: [saleBt] })[0])).toContainEqual(['4000-00', '-100.000']);
  });

  it('test-product skip: the invoice is skipped by the rule, the charge parks its net in suspense', () => {
    const m = mappingWith('test-product skip');
    const bill = invoice({
      id: 'in_1QxR2mL4kd8sXyZaInv0001',
      lines: [invoiceLine({ id: 'il_1', amount: 970, pricing: { price_details: { price: 'price_TestQA0001', product: 'prod_TestQA0001' } } })],
    });
    const invoiceDocuments = plan(m, bill, { bts: [] });
    expect(invoiceDocuments).toHaveLength(1);
    expect(invoiceDocuments[0]!.skippedByRule).toBe('Test product');

    const payBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0tst01', amount: 970, fee_details: [fee(29)], source: SALE });
    const pay = charge({ id: SALE, amount: 970, balance_transaction: payBt.id });
    const [journal] = plan(m, pay, { bts: [payBt], invoices: { [SALE]: bill.id }, invoiceObjects: [bill] });
    expect(rows(journal)).toEqual([
      ['1050-00', '9.410'],
      ['1990-00', '-9.410'],
    ]);
    expect(journal!.skippedByRule).toBeUndefined();
    expect(explainRules(journal!.rules)).toEqual(['rule "Test product" skipped: booked nothing but the clearing amount, parked in 1990-00']);
  });

  it('test-customer skip: the customer and its sales order are skipped by the rule, its charge is booked as without it', () => {
    const rules = mappingWith('test-customer skip');
    const m = { ...rules, salesOrders: { ...rules.salesOrders, enabled: true } };
    const tester = customer({ id: 'cus_QxR2mL4kd8sXyZaTest01', metadata: { test: 'true' } });
    const regular = customer({ id: 'cus_QxR2mL4kd8sXyZaReal01' });
    const payBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0cus01', amount: 2_000, fee_details: [fee(88)], source: SALE });
    const pay = charge({ id: SALE, amount: 2_000, balance_transaction: payBt.id, customer: tester.id });
    const ctx = context({ mapping: m, bts: [payBt], objects: [tester, regular] });

    expect(customerMappingWithRules(tester, ctx).skippedBy).toBe('Test customers');
    expect(customerMappingWithRules(regular, ctx).skippedBy).toBeNull();
    const [journal] = planWithRules(pay, ctx);
    expect(rows(journal)).toEqual([
      ['1050-00', '19.120'],
      ['4000-00', '-20.000'],
      ['6150-00', '0.880'],
    ]);
    expect(journal!.skippedByRule).toBeUndefined();
    const skip = orderCustomerSkip(pay, ctx)!;
    expect(skip.rule).toBe('Test customers');
    const [order] = salesOrderWithRules(pay, skip.custId, ctx, skip.rule);
    expect(order!.type).toBe('sales_order');
    expect(order!.skippedByRule).toBe('Test customers');
    expect(orderCustomerSkip({ ...pay, customer: regular.id }, ctx)).toBeNull();
  });

  it('channel and revenue line from PaymentIntent and Product metadata', () => {
    const m = mappingWith('channel and revenue line from PaymentIntent and Product metadata');
    const phoneIntent = { id: 'pi_3QxR2mL4kd8sXyZa0phone1', object: 'payment_intent' as const, metadata: { channel: 'phone' }, name: null };
    const webIntent = { id: 'pi_3QxR2mL4kd8sXyZa0web001', object: 'payment_intent' as const, metadata: { channel: 'web' }, name: null };
    const rentals = { id: 'prod_RentalGear000001', object: 'product' as const, metadata: { division: 'rentals' }, name: 'Tent rental' };
    const related = [phoneIntent, webIntent, rentals];
    const saleBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0phn01', amount: 6_000, fee_details: [fee(204)], source: SALE });
    const sale = charge({ id: SALE, amount: 6_000, balance_transaction: saleBt.id, payment_intent: phoneIntent.id });
    expect(rows(planWithRules(sale, context({ mapping: m, bts: [saleBt], related }))[0])).toEqual([
      ['1050-00', '57.960'],
      ['4040-00', '-60.000'],
      ['6150-00', '2.040'],
    ]);
    expect(rows(planWithRules({ ...sale, payment_intent: webIntent.id }, context({ mapping: m, bts: [saleBt], related }))[0])).toContainEqual(['4000-00', '-60.000']);
    // A PaymentIntent the ledger does not hold has no metadata: the condition does not hold.
    expect(rows(planWithRules(sale, context({ mapping: m, bts: [saleBt] }))[0])).toContainEqual(['4000-00', '-60.000']);

    const line = invoiceLine({ id: 'il_rent1', amount: 4_500, pricing: { price_details: { price: 'price_Rent0001', product: rentals.id } } });
    const bill = invoice({ id: 'in_1QxR2mL4kd8sXyZaRent01', lines: [line] });
    const [journal] = plan(m, bill, { bts: [], related });
    expect([...rows(journal)].sort()).toEqual([
      ['1200-00', '45.000'],
      ['4000-30', '-45.000'],
    ]);
    const other = invoice({ id: 'in_1QxR2mL4kd8sXyZaRent01', lines: [{ ...line, pricing: { price_details: { price: 'price_Other001', product: 'prod_Other0000000001' } } }] });
    expect([...rows(plan(m, other, { bts: [], related })[0])].sort()).toEqual([
      ['1200-00', '45.000'],
      ['4000-00', '-45.000'],
    ]);
  });

  it('two divisions on one invoice: each line on its product’s account and segment, the invoice’s own lines and its charge as without rules', () => {
    const m = mappingWith('two divisions on one invoice');
    const related: RuleRelatedObject[] = [
      { id: 'prod_RentalGear000001', object: 'product', metadata: { division: 'rentals' }, name: 'Kayak rental' },
      { id: 'prod_Service00000001', object: 'product', metadata: { division: 'service' }, name: 'Tune-up' },
    ];
    const bill = invoice({
      id: 'in_1QxR2mL4kd8sXyZaTwoDiv1',
      number: 'NWB-000123',
      lines: [
        invoiceLine({ id: 'il_rental', amount: 8_000, description: 'Kayak rental (2 days)', pricing: { price_details: { price: 'price_Rental0001', product: 'prod_RentalGear000001' } } }),
        invoiceLine({
          id: 'il_service',
          amount: 4_500,
          description: 'Tune-up & maintenance',
          pricing: { price_details: { price: 'price_Service001', product: 'prod_Service00000001' } },
          taxes: [{ amount: 371, tax_behavior: 'exclusive', taxable_amount: 4_500 }],
        }),
      ],
      amount_shipping: 1_000,
      total: 13_871,
      amount_due: 13_871,
      amount_paid: 13_871,
    });
    const [journal] = plan(m, bill, { bts: [], related });
    expect((journal as JournalDocument).postDate).toBe('2026-03-10');
    expect(rows(journal)).toEqual([
      ['1200-00', '138.710'],
      ['4050-30', '-80.000'],
      ['4000-40', '-45.000'],
      ['4000-00', '-10.000'],
      ['2200-00', '-3.710'],
    ]);
    const comments = (journal as JournalDocument).lines.map((line) => line.comment);
    expect(comments[1]).toBe('RENT NWB-000123 Kayak rental (2 days)');
    expect(comments.filter((comment) => comment.startsWith('RENT'))).toHaveLength(1);
    expect(explainRules(journal!.rules)).toEqual([
      'rule "Rental gear" set revenue to 4050-00 on line 1 "Kayak rental (2 days)"; added "RENT" to the line comments on line 1 "Kayak rental (2 days)"',
      'rule "Division segment" set segment 2 of revenue to 30 (metadata "rentals"): 4050-30 on line 1 "Kayak rental (2 days)"; set segment 2 of revenue to 40 (metadata "service"): 4000-40 on line 2 "Tune-up & maintenance"',
    ]);

    const payBt = bt({ id: 'txn_3QxR2mL4kd8sXyZa0two01', amount: 13_871, fee_details: [fee(432)], source: SALE });
    const pay = charge({ id: SALE, amount: 13_871, balance_transaction: payBt.id });
    const [payment] = plan(m, pay, { bts: [payBt], invoices: { [SALE]: bill.id }, invoiceObjects: [bill], related });
    expect(rows(payment)).toEqual([
      ['1050-00', '134.390'],
      ['1200-00', '-138.710'],
      ['6150-00', '4.320'],
    ]);
    expect(payment!.rules).toBeUndefined();
  });
});
