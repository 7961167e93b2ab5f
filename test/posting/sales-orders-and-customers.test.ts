import { describe, expect, it } from 'vitest';
import { planCustomer } from '../../main/core/customers/customer-plan.js';
import { currentSageCustomer, planCustomerUpdate } from '../../main/core/customers/customer-update.js';
import { PlanningError } from '../../main/core/posting/planning-error.js';
import { planSalesOrder, orderCustomer } from '../../main/core/posting/sales-order-plan.js';
import type { CustomerDocument } from '../../main/core/sage/documents.js';
import { bt, charge, context, customer, fee, invoice, invoiceLine, mapping, T0 } from '../core/fixtures/stripe.js';

const ORDERS = mapping({ salesOrders: { enabled: true, defaultItemId: 'STRIPE-SALE', warehouseId: 'MAIN' }, productItems: { prod_gold: 'GOLD-PLAN' } });

function thrown(run: () => unknown): PlanningError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlanningError) return error;
    throw error;
  }
  throw new Error('expected a PlanningError');
}

describe('sales orders (plan shape)', () => {
  const sale = charge({
    id: 'ch_sale1',
    amount: 4_999,
    customer: 'cus_ada',
    description: 'Blue mug',
    balance_transaction: bt({ id: 'txn_sale1', amount: 4_999, fee_details: [fee(175)], created: T0 }),
  });

  it('a plain paid charge becomes one default-item line for the settled gross', () => {
    expect(planSalesOrder(sale, 'SABC123', context({ mapping: ORDERS }))).toEqual([
      {
        type: 'sales_order',
        key: 'ch_sale1:sales-order',
        stripeObjectId: 'ch_sale1',
        custId: 'SABC123',
        tranDate: '2026-03-10',
        comment: 'Stripe ch_sale1',
        lines: [{ itemId: 'STRIPE-SALE', description: 'Blue mug', quantity: '1', unitPrice: '49.99000', extAmount: '49.990' }],
      },
    ]);
  });

  it('nothing when sales orders are off, and nothing for a charge that paid an invoice', () => {
    expect(planSalesOrder(sale, 'SABC123', context())).toEqual([]);
    expect(planSalesOrder(sale, 'SABC123', context({ mapping: ORDERS, invoices: { ch_sale1: 'in_1' } }))).toEqual([]);
  });

  it('a paid invoice: one line per invoice line, item from productItems else the default item, net of discount and included tax', () => {
    const paid = invoice({
      id: 'in_gold',
      customer: 'cus_ada',
      status: 'paid',
      lines: [
        invoiceLine({ id: 'il_1', amount: 3_000, quantity: 3, description: 'Gold plan', pricing: { price_details: { price: 'price_g', product: 'prod_gold' } }, discount_amounts: [{ amount: 500 }] }),
        invoiceLine({ id: 'il_2', amount: 1_100, quantity: 1, description: 'Setup', taxes: [{ amount: 100, tax_behavior: 'inclusive', taxable_amount: 1_000 }] }),
      ],
    });
    const [order] = planSalesOrder(paid, 'SABC123', context({ mapping: ORDERS }));
    expect(order!.key).toBe('in_gold:sales-order');
    expect(order!.lines).toEqual([
      { itemId: 'GOLD-PLAN', description: 'Gold plan', quantity: '3', unitPrice: '8.33333', extAmount: '25.000' },
      { itemId: 'STRIPE-SALE', description: 'Setup', quantity: '1', unitPrice: '10.00000', extAmount: '10.000' },
    ]);
  });

  it('says clearly when the payment has no Stripe customer', () => {
    const error = thrown(() => orderCustomer({ ...sale, customer: null }));
    expect(error.errorClass).toBe('data');
    expect(error.message).toMatch(/charge ch_sale1 has no Stripe customer, so it cannot become a Sage sales order/);
  });
});

describe('customer updates', () => {
  const ada = customer({ id: 'cus_ada' });
  const [written] = planCustomer(ada, { kind: 'create', custId: 'SABC123' }, mapping()) as CustomerDocument[];
  const moved = { ...ada, email: 'ada@newmail.example', address: { ...ada.address!, line1: '1 New Street' } };

  it('nothing to do when only Stripe-side fields changed (metadata, our CustID write-back)', () => {
    expect(planCustomerUpdate({ ...ada, metadata: { sage_cust_id: 'SABC123' } }, written!, mapping())).toEqual([]);
  });

  it('a change in a field Sage holds becomes one update document of the whole primary record (golden)', () => {
    expect(planCustomerUpdate(moved, written!, mapping())).toEqual([
      {
        type: 'customer',
        action: 'update',
        basedOn: 'cus_ada:customer',
        key: expect.stringMatching(/^cus_ada:customer-update:[0-9a-z]{1,13}$/) as unknown as string,
        stripeObjectId: 'cus_ada',
        custId: 'SABC123',
        custName: written!.custName,
        custClassId: 'RETAIL',
        addrLines: ['1 New Street', ...written!.addrLines.slice(1)],
        city: written!.city,
        stateId: written!.stateId,
        postalCode: written!.postalCode,
        countryId: written!.countryId,
        contactName: written!.contactName,
        email: 'ada@newmail.example',
        phone: written!.phone,
      },
    ]);
  });

  it('the key is the same on a retry and new for a second change, and a change back is not mistaken for the first', () => {
    const [first] = planCustomerUpdate(moved, written!, mapping());
    expect(planCustomerUpdate(moved, written!, mapping())[0]!.key).toBe(first!.key);
    const [second] = planCustomerUpdate({ ...moved, phone: '+1 312 555 0199' }, first!, mapping());
    expect(second!.key).not.toBe(first!.key);
    expect(second!.basedOn).toBe(first!.key);
    const [back] = planCustomerUpdate(ada, second!, mapping());
    const [again] = planCustomerUpdate(moved, back!, mapping());
    expect(new Set([first!.key, second!.key, back!.key, again!.key]).size).toBe(4);
    expect(planCustomerUpdate(moved, first!, mapping())).toEqual([]);
  });

  it('what Sage holds is the end of the chain of written documents; unwritten updates do not count', () => {
    const [first] = planCustomerUpdate(moved, written!, mapping());
    const [second] = planCustomerUpdate({ ...moved, phone: '+1 312 555 0199' }, first!, mapping());
    const chain = [
      { document: second!, state: 'planned' as const },
      { document: written!, state: 'written' as const },
      { document: first!, state: 'written' as const },
    ];
    expect(currentSageCustomer(chain)).toEqual(first);
    expect(currentSageCustomer([{ document: written!, state: 'planned' }])).toBeNull();
  });

  it('in strict mode (longText "park") reports a new value that does not fit Sage, naming the field, instead of fitting it', () => {
    const strict = { ...mapping(), customers: { ...mapping().customers, longText: 'park' as const } };
    const error = thrown(() => planCustomerUpdate({ ...moved, address: { ...moved.address, state: 'Illinois' } }, written!, strict));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain('"Illinois" is longer than Sage\'s 3 characters for StateID');
  });

  it('by default fits a new value that is too long and notes it on the update', () => {
    const [update] = planCustomerUpdate({ ...moved, address: { ...moved.address, state: 'Illinois' } }, written!, mapping());
    expect(update?.stateId).toBeNull();
    expect(update?.notes).toContain('"Illinois" is too long for StateID (3 characters); StateID left empty');
  });
});
