import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../main/core/rules/rule-outcome.js';
import { conditionHolds } from '../../main/core/rules/rule-conditions.js';
import { objectFacts } from '../../main/core/rules/rule-facts.js';
import type { Rule } from '../../main/core/rules/rule-schema.js';
import type { RuleRelatedObject } from '../../main/core/stripe/rule-related-objects.js';
import { context, invoice, invoiceLine } from './fixtures/stripe.js';

/**
 * Product metadata as docs/posting-rules.md ("Conditions") states it: an invoice may have many
 * products, and a metadata condition `on: product` holds when ANY of its line's products has
 * the value; a segment look-up takes the value of the first line (in line order) whose
 * product's value the table lists, else the default. Checked against that sentence written out
 * here over random invoices, products and metadata.
 */

const PRODUCTS = ['prod_A0000000000001', 'prod_B0000000000002', 'prod_C0000000000003', 'prod_D0000000000004'];
const VALUES = ['east', 'west', 'rentals', 'none'];

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

describe('rules on product metadata', () => {
  it('a product metadata condition holds when any line’s product has the value', () => {
    fc.assert(
      fc.property(scenario, ({ lines, catalogue, wanted }) => {
        const facts = factsOf(lines, catalogue);
        const expected = lines.some((product) => catalogue[product] === wanted);
        expect(conditionHolds({ field: 'metadata', on: 'product', key: 'division', op: 'equals', value: wanted }, facts)).toBe(expected);
        expect(conditionHolds({ field: 'metadata', on: 'product', key: 'division', op: 'exists' }, facts)).toBe(lines.some((product) => catalogue[product] !== undefined));
      }),
    );
  });

  it('a segment from product metadata takes the first line whose value the table lists, else the default', () => {
    fc.assert(
      fc.property(scenario, ({ lines, catalogue }) => {
        const table: Record<string, string> = { east: '10', west: '20', rentals: '30' };
        const rule: Rule = {
          name: 'Division',
          enabled: true,
          when: [],
          then: [{ action: 'segment', roles: ['revenue'], segment: 2, from: { on: 'product', key: 'division' }, values: table, default: '00' }],
        };
        const first = lines.map((product) => catalogue[product]).find((division) => division !== undefined && division in table);
        const decision = evaluateRules([rule], factsOf(lines, catalogue)).segments.get('revenue#2');
        expect(decision?.value).toBe(first === undefined ? '00' : table[first]);
      }),
    );
  });
});
