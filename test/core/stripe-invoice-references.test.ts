import { describe, expect, it } from 'vitest';
import { collectionProblem, stripeInvoiceReferences } from '../../main/core/ar/stripe-invoice-references.js';
import { invoice, invoiceLine } from './fixtures/stripe.js';

/** Which Sage invoice a Stripe invoice names (custom fields, metadata, number, memo), and when it may stand for one. */

describe('stripeInvoiceReferences', () => {
  const base = invoice({ id: 'in_1', lines: [] });

  it('reads the metadata key, or a custom field named like it or mentioning Sage, as the explicit reference', () => {
    expect(stripeInvoiceReferences({ ...base, metadata: { sage_invoice: '5001' } }, 'sage_invoice').explicit).toBe('5001');
    expect(stripeInvoiceReferences({ ...base, custom_fields: [{ name: 'Sage Invoice', value: '5002' }] }, 'sage_invoice').explicit).toBe('5002');
    expect(stripeInvoiceReferences({ ...base, custom_fields: [{ name: 'erp ref', value: '5003' }] }, 'ERP-Ref').explicit).toBe('5003');
    expect(stripeInvoiceReferences({ ...base, custom_fields: [{ name: 'PO number', value: '5004' }] }, 'sage_invoice').explicit).toBeNull();
  });

  it('reads invoice-named custom fields, the number and the memo as text references, never other custom fields', () => {
    const references = stripeInvoiceReferences(
      { ...base, number: '0000005005', description: 'Balance of invoice 5006, 3 months', custom_fields: [{ name: 'Invoice no.', value: '5007' }, { name: 'PO number', value: '5008' }] },
      'sage_invoice',
    );
    expect(references.explicit).toBeNull();
    expect(references.inText).toEqual(expect.arrayContaining(['0000005005', '5006', '0000005006', '5007', '0000005007']));
    expect(references.inText.some((form) => form.includes('5008'))).toBe(false);
    expect(references.inText).not.toContain('3');
  });

  it('has no reference on an invoice with Stripe\'s own number only', () => {
    expect(stripeInvoiceReferences({ ...base, number: 'A1B2C3D4-0001' }, 'sage_invoice')).toEqual({ explicit: null, inText: ['A1B2C3D4-0001'] });
  });
});

describe('collectionProblem', () => {
  const paid = invoice({ id: 'in_2', lines: [invoiceLine({ id: 'il_1', amount: 10_000 })] });

  it('accepts an invoice paid in full without balance or credit notes, and names what else stands in the way', () => {
    expect(collectionProblem(paid)).toBeNull();
    expect(collectionProblem({ ...paid, status: 'open' })).toMatch(/not paid/);
    expect(collectionProblem({ ...paid, starting_balance: -500, amount_due: paid.total - 500 })).toMatch(/Stripe balance/);
    expect(collectionProblem({ ...paid, pre_payment_credit_notes_amount: 100 })).toMatch(/credit notes/);
    expect(collectionProblem({ ...paid, amount_paid: paid.total - 1 })).toMatch(/not paid in full/);
  });
});
