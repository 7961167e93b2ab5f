import { describe, expect, it } from 'vitest';
import { explainRules, planWithRules } from '../../main/core/rules/plan-with-rules.js';
import { PlanningError } from '../../main/core/posting/planning-error.js';
import type { Rule } from '../../main/core/rules/rule-schema.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripeCreditNote, StripeCreditNoteLine } from '../../main/core/stripe/objects.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { context, creditNote, invoice, invoiceLine, mapping, T0 } from './fixtures/stripe.js';

/**
 * docs/posting-rules.md "Rules on invoice lines": a credit note that credits one line of a
 * two-division invoice takes that line's reading for the revenue it takes back; its custom
 * line, tax and receivable follow the document's. The rows are worked out by hand from the
 * note's numbers.
 */

const KAYAK = 'prod_RentalGear000001';
const SEAT = 'prod_BasicSeat000001';
const related: RuleRelatedObject[] = [{ id: KAYAK, object: 'product', metadata: { division: 'rentals' }, name: 'Kayak rental' }];

const twoDivisions = invoice({
  id: 'in_1QxR2mL4kd8sXyZaCnLine1',
  number: 'NWB-000300',
  lines: [
    invoiceLine({ id: 'il_kayak', amount: 8_000, description: 'Kayak rental (2 days)', pricing: { price_details: { price: 'price_kayak', product: KAYAK } } }),
    invoiceLine({ id: 'il_seat', amount: 1_500, description: 'Basic seat', pricing: { price_details: { price: 'price_seat', product: SEAT } } }),
  ],
});

const rules: Rule[] = [
  {
    name: 'Rentals',
    enabled: true,
    when: [{ field: 'metadata', on: 'product', key: 'division', op: 'equals', value: 'rentals' }],
    then: [
      { action: 'account', role: 'refunds', account: '4950-00' },
      { action: 'comment', text: 'RENT' },
    ],
  },
  { name: 'Credit notes', enabled: true, when: [{ field: 'objectKind', in: ['credit_note'] }], then: [{ action: 'account', role: 'refunds', account: '4910-00' }] },
];

function noteLine(fields: Partial<StripeCreditNoteLine> & { id: string; amount: number }): StripeCreditNoteLine {
  return { object: 'credit_note_line_item', type: 'invoice_line_item', description: null, quantity: 1, taxes: [], discount_amounts: [], pretax_credit_amounts: [], ...fields };
}

/** The kayak line credited with its 8% tax, and a custom goodwill line without tax: 80.00 + 6.40 + 5.00, refunded to the card. */
function kayakCredit(overrides: Partial<StripeCreditNote> = {}): StripeCreditNote {
  const lines = [
    noteLine({ id: 'cnli_kayak', invoice_line_item: 'il_kayak', amount: 8_000, description: 'Kayak rental (2 days)', taxes: [{ amount: 640, tax_behavior: 'exclusive' }] }),
    noteLine({ id: 'cnli_goodwill', type: 'custom_line_item', amount: 500, description: 'Goodwill' }),
  ];
  return creditNote({
    id: 'cn_1QxR2mL4kd8sXyZaCnLine1',
    invoice: twoDivisions.id,
    total: 9_140,
    total_taxes: [{ amount: 640 }],
    refunds: [{ refund: 're_3QxR2mL4kd8sXyZaCnLine1', amount_refunded: 9_140 }],
    lines: { object: 'list', data: lines, has_more: false, url: '/v1/credit_notes/cn_1QxR2mL4kd8sXyZaCnLine1/lines' },
    ...overrides,
  });
}

const rows = (document: JournalDocument | undefined) => document!.lines.map((line) => [line.acctNo, line.amount]);
const ctx = context({ mapping: mapping({ rules }), related, invoiceObjects: [twoDivisions] });

describe('rules on the lines of a credit note', () => {
  it('the revenue a credited invoice line takes back follows that line’s product; custom line, tax and receivable follow the document', () => {
    const [issued, ...others] = planWithRules(kayakCredit(), ctx) as JournalDocument[];
    expect(others).toEqual([]);
    expect(rows(issued)).toEqual([
      ['4950-00', '80.000'],
      ['4910-00', '5.000'],
      ['2200-00', '6.400'],
      ['1200-00', '-91.400'],
    ]);
    expect(issued!.lines[0]!.comment.startsWith('RENT ')).toBe(true);
    expect(issued!.lines.slice(1).every((line) => !line.comment.startsWith('RENT'))).toBe(true);
    expect(issued!.lines.map((line) => line.traceId)).toEqual(['cnli_kayak', kayakCredit().id, kayakCredit().id, kayakCredit().id]);
    expect(explainRules(issued!.rules)).toEqual([
      'rule "Rentals" set refunds to 4950-00 on line 1 "Kayak rental (2 days)"; added "RENT" to the line comments on line 1 "Kayak rental (2 days)"',
      'rule "Credit notes" set refunds to 4910-00 on the invoice\'s own lines (shipping, tax, receivable)',
    ]);
  });

  it('a line of the other division takes the document’s reading, and a voided note reverses the same rows', () => {
    const seatCredit = kayakCredit({
      id: 'cn_1QxR2mL4kd8sXyZaCnLine2',
      total: 1_500,
      total_taxes: [],
      refunds: [{ refund: 're_3QxR2mL4kd8sXyZaCnLine2', amount_refunded: 1_500 }],
      lines: { object: 'list', data: [noteLine({ id: 'cnli_seat', invoice_line_item: 'il_seat', amount: 1_500, description: 'Basic seat' })], has_more: false, url: '' },
    });
    const [seat] = planWithRules(seatCredit, ctx) as JournalDocument[];
    expect(rows(seat)).toEqual([
      ['4910-00', '15.000'],
      ['1200-00', '-15.000'],
    ]);

    const voided = kayakCredit({ status: 'void', voided_at: T0 + 86_400 });
    const [issued, reversal] = planWithRules(voided, ctx) as JournalDocument[];
    expect(rows(reversal)).toEqual([
      ['4950-00', '-80.000'],
      ['4910-00', '-5.000'],
      ['2200-00', '-6.400'],
      ['1200-00', '91.400'],
    ]);
    expect(rows(issued)).toEqual(rows(reversal).map(([account, amount]) => [account, amount!.startsWith('-') ? amount!.slice(1) : `-${amount}`]));
  });

  it('a mixed note gives each credited line its share of each part, rounded half up; each journal balances', () => {
    const paid = { ...twoDivisions, status: 'paid' as const, status_transitions: { ...twoDivisions.status_transitions, paid_at: T0 + 3_600 } };
    // 91.40 in all, 30.00 of it before payment: the kayak line's 80.00 gives 30 × 8000 / 9140 = 26.258… → 26.26 to that part.
    const mixed = kayakCredit({ type: 'mixed', pre_payment_amount: 3_000, post_payment_amount: 6_140, refunds: [{ refund: 're_3QxR2mL4kd8sXyZaCnLine1', amount_refunded: 6_140 }] });
    const documents = planWithRules(mixed, context({ mapping: mapping({ rules }), related, invoiceObjects: [paid] })) as JournalDocument[];
    const byKey = Object.fromEntries(documents.map((document) => [document.key.split(':')[1], rows(document)]));
    // Tax before payment: 640 × 3000 / 9140 = 210.06… → 2.10; revenue before payment 30.00 − 2.10 = 27.90, 26.26 of it the kayak's.
    expect(byKey['pre-payment']).toEqual([
      ['4950-00', '26.260'],
      ['4910-00', '1.640'],
      ['2200-00', '2.100'],
      ['1200-00', '-30.000'],
    ]);
    // After payment: 61.40 − 4.30 tax = 57.10, the kayak's 80.00 − 26.26 = 53.74, the rest 3.36.
    expect(byKey['issued']).toEqual([
      ['4950-00', '53.740'],
      ['4910-00', '3.360'],
      ['2200-00', '4.300'],
      ['1200-00', '-61.400'],
    ]);
  });

  it('refuses a note whose invoice lines credit more revenue than the note takes back', () => {
    const overstated = kayakCredit({ total: 8_640, refunds: [{ refund: 're_3QxR2mL4kd8sXyZaCnLine1', amount_refunded: 8_640 }] });
    const tooMuch = { ...overstated, lines: { ...overstated.lines!, data: [noteLine({ id: 'cnli_kayak', invoice_line_item: 'il_kayak', amount: 8_100, taxes: [{ amount: 640, tax_behavior: 'exclusive' }] })] } };
    expect(() => planWithRules(tooMuch, ctx)).toThrow(PlanningError);
  });
});
