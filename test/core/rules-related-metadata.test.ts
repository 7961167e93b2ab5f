import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../main/core/rules/rule-outcome.js';
import { conditionHolds } from '../../main/core/rules/rule-conditions.js';
import { objectFacts } from '../../main/core/rules/rule-facts.js';
import type { Rule } from '../../main/core/rules/rule-schema.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { context, invoice, invoiceLine } from './fixtures/stripe.js';

/**
 * Product metadata as docs/posting-rules.md ("Rules on invoice lines") states it: a metadata
 * condition `on: product` holds for a line when that line's product has the value, and for
 * the document as a whole (its own lines, a charge that paid it) only when every line's
 * does; a segment look-up takes the line's own value, and for the document the segment every
 * line gives, else the default. Checked against those sentences written out here over random
 * invoices, products and metadata.
 */

const PRODUCTS = ['prod_A0000000000001', 'prod_B0000000000002', 'prod_C0000000000003', 'prod_D0000000000004'];
const VALUES = ['east', 'west', 'rentals', 'none'];
const TABLE: Record<string, string> = { east: '10', west: '20', rentals: '30' };

const scenario = fc.record({
  lines: fc.array(fc.constantFrom(...PRODUCTS), { minLength: 1, maxLength: 5 }),
  /** Which products the ledger holds, with which division (undefined: no division key). */
  catalogue: fc.dictionary(fc.constantFrom(...PRODUCTS), fc.option(fc.constantFrom(...VALUES), { nil: undefined })),
  wanted: fc.constantFrom(...VALUES),
});

function factsOf(lines: string[], catalogue: Record<string, string | undefined>) {
  const related = Object.entries(catalogue).map(([id, division]): RuleRelatedObject => ({ id, object: 'product', metadata: division === undefined ? {} : { division }, name: id }));
  const bill = invoice({
    id: 'in_1QxR2mL4kd8sXyZaProp001',
    lines: lines.map((product, index) => invoiceLine({ id: `il_${index}`, amount: 1_000, pricing: { price_details: { price: `price_${index}`, product } } })),
  });
  return objectFacts(bill, context({ related }), null);
}

const SEGMENT_RULE: Rule = {
  name: 'Division',
  enabled: true,
  when: [],
  then: [{ action: 'segment', roles: ['revenue'], segment: 2, from: { on: 'product', key: 'division' }, values: TABLE, default: '00' }],
};

describe('rules on product metadata', () => {
  it('a product metadata condition holds on a line by its own product, and on the document only when it holds on every line', () => {
    fc.assert(
      fc.property(scenario, ({ lines, catalogue, wanted }) => {
        const facts = factsOf(lines, catalogue);
        const equals = { field: 'metadata', on: 'product', key: 'division', op: 'equals', value: wanted } as const;
        const exists = { field: 'metadata', on: 'product', key: 'division', op: 'exists' } as const;
        expect(conditionHolds(equals, facts)).toBe(lines.every((product) => catalogue[product] === wanted));
        expect(conditionHolds(exists, facts)).toBe(lines.every((product) => catalogue[product] !== undefined));
        facts.lines.forEach((line, index) => {
          expect(conditionHolds(equals, { ...facts, line })).toBe(catalogue[lines[index]!] === wanted);
          expect(conditionHolds({ field: 'product', in: [lines[index]!] }, { ...facts, line })).toBe(true);
        });
        expect(conditionHolds({ field: 'product', in: [lines[0]!] }, facts)).toBe(lines.every((product) => product === lines[0]));
      }),
    );
  });

  it('a segment from product metadata takes the line’s own value, and for the document the segment every line gives, else the default', () => {
    fc.assert(
      fc.property(scenario, ({ lines, catalogue }) => {
        const facts = factsOf(lines, catalogue);
        const segments = lines.map((product) => {
          const division = catalogue[product];
          return division !== undefined && division in TABLE ? TABLE[division]! : null;
        });
        const whole = segments.every((segment) => segment !== null && segment === segments[0]) ? segments[0]! : '00';
        expect(evaluateRules([SEGMENT_RULE], facts).segments.get('revenue#2')?.value).toBe(whole);
        facts.lines.forEach((line, index) => {
          expect(evaluateRules([SEGMENT_RULE], { ...facts, line }).segments.get('revenue#2')?.value).toBe(segments[index] ?? '00');
        });
      }),
    );
  });
});
