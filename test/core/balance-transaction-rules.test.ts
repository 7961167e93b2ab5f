import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { CATEGORY_RULES, ruleFor, TYPE_RULES } from '../../main/core/posting/balance-transaction-rules.js';
import { planDispute } from '../../main/core/posting/dispute-plan.js';
import { planStandaloneTransaction } from '../../main/core/posting/standalone-transaction-plan.js';
import { proveBalance } from '../../main/core/reconciliation/balance-proof.js';
import { tracesOnAccount } from '../support/traces-on-account.js';
import type { StripeBalance, StripeBalanceTransaction, StripeDispute, StripePayout } from '../../main/core/stripe/objects.js';
import { triples } from './fixtures/journal-checks.js';
import { payout as payoutObject } from './fixtures/stripe.js';

/** The `BalanceTransaction.Type` union of the pinned `stripe` package: Stripe's own list, read from the file. */
function packageTypes(): string[] {
  const text = readFileSync('node_modules/stripe/cjs/resources/BalanceTransactions.d.ts', 'utf8');
  const union = /type Type = ([^;]+);/.exec(text)![1]!;
  return [...union.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!);
}

/** Reporting categories named by Stripe (docs.stripe.com/reports/reporting-categories and the OpenAPI enum), written out here. */
const DOCUMENTED_CATEGORIES = [
  'advance', 'advance_funding', 'charge', 'charge_failure', 'connect_collection_transfer', 'connect_reserved_funds', 'dispute',
  'dispute_reversal', 'fee', 'issuing_authorization_hold', 'issuing_authorization_release', 'issuing_transaction', 'other_adjustment',
  'partial_capture_reversal', 'payout', 'payout_reversal', 'platform_earning', 'platform_earning_refund', 'refund', 'refund_failure',
  'risk_reserved_funds', 'tax', 'topup', 'topup_reversal', 'transfer', 'transfer_reversal',
];
/** The categories an `adjustment` carries (the others come with types of their own). */
const ADJUSTMENT_CATEGORIES = [
  'dispute', 'dispute_reversal', 'refund_failure', 'partial_capture_reversal', 'charge_failure', 'fee', 'tax', 'other_adjustment',
  'risk_reserved_funds', 'connect_reserved_funds', 'topup', 'topup_reversal', 'platform_earning', 'platform_earning_refund', 'transfer', 'transfer_reversal',
];

function bt(fields: Partial<StripeBalanceTransaction>): StripeBalanceTransaction {
  const amount = fields.amount ?? -1_234;
  const fee = fields.fee ?? 0;
  return {
    id: 'txn_test',
    object: 'balance_transaction',
    amount,
    currency: 'usd',
    net: amount - fee,
    fee,
    fee_details: [],
    exchange_rate: null,
    type: 'stripe_fee',
    reporting_category: 'fee',
    source: null,
    created: 1_793_000_000,
    available_on: 1_793_000_000,
    status: 'available',
    description: null,
    balance_type: 'payments',
    ...fields,
  };
}

describe('a rule for every balance-transaction type and reporting category', () => {
  it('covers every type in the pinned stripe package, and the docs table lists each', () => {
    const types = packageTypes();
    expect(types.length).toBeGreaterThan(45);
    const docs = readFileSync('docs/posting-rules.md', 'utf8');
    for (const type of types) {
      if (type !== 'adjustment') expect(TYPE_RULES[type], type).toBeDefined();
      expect(docs, `docs/posting-rules.md row for ${type}`).toContain(`| \`${type}\` |`);
    }
  });

  it('lists every documented reporting category in the docs, and gives every adjustment category a rule', () => {
    const docs = readFileSync('docs/posting-rules.md', 'utf8');
    for (const category of DOCUMENTED_CATEGORIES) expect(docs, category).toContain(`\`${category}\``);
    for (const category of ADJUSTMENT_CATEGORIES) {
      expect(CATEGORY_RULES[category], category).toBeDefined();
      expect(ruleFor(bt({ type: 'adjustment', reporting_category: category })).kind, category).not.toBe('suspense');
    }
  });

  it('books money without an object against the rule\u2019s account, and an unknown type to suspense with a warning', () => {
    const cases: [Partial<StripeBalanceTransaction>, string][] = [
      [{ type: 'stripe_fee', reporting_category: 'fee', amount: -1_234 }, '6150-00'],
      [{ type: 'tax_fee', reporting_category: 'fee', amount: -250 }, '6155-00'],
      [{ type: 'topup', reporting_category: 'topup', amount: 150_000, source: 'tu_1' }, '1010-00'],
      [{ type: 'reserve_transaction', reporting_category: 'risk_reserved_funds', amount: -20_000 }, '1060-00'],
      [{ type: 'adjustment', reporting_category: 'other_adjustment', amount: 800 }, '6170-00'],
      [{ type: 'quantum_settlement', reporting_category: 'mystery', amount: -1_234 }, '1990-00'],
      [{ type: 'adjustment', reporting_category: 'brand_new_category', amount: 99 }, '1990-00'],
    ];
    for (const [fields, account] of cases) {
      const transaction = bt(fields);
      const plan = planStandaloneTransaction(transaction, DEFAULT_MAPPING)!;
      const cents = (value: number) => (value / 100).toFixed(3);
      expect(triples(plan.document).map(([acct, amount]) => [acct, amount]).sort(), transaction.type).toEqual(
        [['1050-00', cents(transaction.net)], [account, cents(-transaction.amount)]].sort(),
      );
      expect(plan.document.postDate).toBe('2026-10-26');
      expect(plan.warning === null, transaction.type).toBe(account !== '1990-00');
    }
  });

  it('leaves transactions an object books, or another balance holds, to them', () => {
    for (const type of ['charge', 'payment', 'payment_failure_refund', 'refund', 'payout', 'payout_failure']) {
      expect(planStandaloneTransaction(bt({ type, reporting_category: type }), DEFAULT_MAPPING), type).toBeNull();
    }
    expect(planStandaloneTransaction(bt({ type: 'adjustment', reporting_category: 'dispute' }), DEFAULT_MAPPING)).toBeNull();
    expect(planStandaloneTransaction(bt({ type: 'issuing_transaction', reporting_category: 'issuing_transaction' }), DEFAULT_MAPPING)).toBeNull();
    expect(planStandaloneTransaction(bt({ type: 'stripe_fee', balance_type: 'risk_reserved' }), DEFAULT_MAPPING)).toBeNull();
  });
});

describe('disputes by what they are', () => {
  const dispute = (fields: Partial<StripeDispute>): StripeDispute => ({
    id: 'pdp_1',
    object: 'dispute',
    amount: 5_000,
    currency: 'usd',
    charge: 'py_1',
    status: 'warning_needs_response',
    reason: 'fraudulent',
    balance_transactions: [],
    metadata: {},
    created: 1_793_000_000,
    ...fields,
  });

  it('books nothing for a warning and books the withdrawal and the reinstatement with its returned fee when won', () => {
    expect(planDispute(dispute({}), { mapping: DEFAULT_MAPPING } as never)).toEqual([]);
    const fee = [{ amount: 1_500, currency: 'usd', type: 'stripe_fee', description: 'Dispute fee' }];
    const returned = [{ amount: -1_500, currency: 'usd', type: 'stripe_fee', description: 'Dispute fee returned' }];
    const withdrawal = bt({ id: 'txn_w', type: 'adjustment', reporting_category: 'dispute', amount: -5_000, fee: 1_500, fee_details: fee, source: 'pdp_1' });
    const reinstated = bt({ id: 'txn_r', type: 'adjustment', reporting_category: 'dispute_reversal', amount: 5_000, fee: -1_500, fee_details: returned, source: 'pdp_1' });
    const journals = planDispute(dispute({ status: 'won', balance_transactions: [withdrawal, reinstated] }), { mapping: DEFAULT_MAPPING } as never);
    expect(journals.map((journal) => triples(journal).map(([acct, amount]) => `${acct} ${amount}`).sort())).toEqual([
      ['1050-00 -65.000', '6160-00 50.000', '6165-00 15.000'],
      ['1050-00 65.000', '6160-00 -50.000', '6165-00 -15.000'],
    ]);
  });
});

describe('the balance proof', () => {
  const balance = (available: number, pending: number, currency = 'usd'): StripeBalance => ({
    object: 'balance',
    available: [{ amount: available, currency }],
    pending: [{ amount: pending, currency }],
    livemode: false,
  });
  const sale = bt({ id: 'txn_sale', type: 'charge', reporting_category: 'charge', amount: 10_000, fee: 320 });
  const fee = bt({ id: 'txn_fee', amount: -500 });
  const payout = bt({ id: 'txn_po', type: 'payout', reporting_category: 'payout', amount: -9_000, source: 'po_1' });
  const proof = (input: {
    stripe: StripeBalance;
    transactions: StripeBalanceTransaction[];
    booked: [string, string][];
    payouts?: StripePayout[];
    inTransit?: [string, string][];
  }) =>
    proveBalance({
      balance: input.stripe,
      homeCurrency: 'usd',
      clearingAccount: '1050-00',
      clearing: tracesOnAccount(
        input.transactions,
        input.booked.map(([traceId, amount]) => ({ traceId, amount })),
      ),
      opening: () => 0n,
      cutoff: 1_793_100_000,
      checkedAt: '2026-11-02T12:00:00.000Z',
      reasonNotBooked: (transaction) => `${transaction.id} is waiting`,
      inTransitAccount: '1020-00',
      payouts: input.payouts ?? [],
      inTransitLines: (input.inTransit ?? []).map(([traceId, amount]) => ({ traceId, amount })),
      reasonPayoutDiffers: (entry) => `${entry.id} waits for its tie-out`,
    });
  const onItsWay = payoutObject({ id: 'po_1', amount: 9_000, status: 'in_transit', balance_transaction: 'txn_po' });

  it('is exact when Sage holds every transaction Stripe counts', () => {
    const result = proof({ stripe: balance(9_180, 0), transactions: [sale, fee], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000']] });
    expect(result).toMatchObject({ holds: true, exact: true, difference: '0.000', unexplained: '0.000', booked: '91.800', stripeBalance: '91.800', items: [] });
  });

  it('is exact with a payout on its way: clearing gave it up when Stripe created it, and in transit holds it', () => {
    const result = proof({
      stripe: balance(0, 180),
      transactions: [sale, fee, payout],
      booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000'], ['txn_po', '-90.000']],
      payouts: [onItsWay],
      inTransit: [['txn_po', '90.000']],
    });
    expect(result).toMatchObject({ holds: true, exact: true, difference: '0.000', unexplained: '0.000', items: [] });
    expect(result.inTransit).toEqual({ account: '1020-00', stripe: '90.000', booked: '90.000', difference: '0.000', holds: true, items: [] });
  });

  it('holds, listing it, while a payout is not in Sage yet; is exact again once the payout has arrived and left in transit', () => {
    const queued = proof({ stripe: balance(0, 180), transactions: [sale, fee, payout], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000']], payouts: [onItsWay] });
    expect(queued).toMatchObject({ holds: true, exact: false, difference: '-90.000', unexplained: '0.000' });
    expect(queued.items).toEqual([expect.objectContaining({ balanceTransactionId: 'txn_po', difference: '-90.000', reason: 'txn_po is waiting' })]);
    expect(queued.inTransit).toMatchObject({ stripe: '90.000', booked: '0.000', difference: '90.000', holds: true });
    expect(queued.inTransit!.items).toEqual([{ payoutId: 'po_1', status: 'in_transit', stripeInTransit: '90.000', booked: '0.000', difference: '90.000', reason: 'po_1 waits for its tie-out' }]);

    const paid = { ...onItsWay, status: 'paid' as const };
    const waitingArrival = proof({ stripe: balance(0, 180), transactions: [sale, fee, payout], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000'], ['txn_po', '-90.000']], payouts: [paid], inTransit: [['txn_po', '90.000']] });
    expect(waitingArrival).toMatchObject({ holds: true, exact: false, difference: '0.000' });
    expect(waitingArrival.inTransit).toMatchObject({ stripe: '0.000', booked: '90.000', difference: '-90.000', holds: true });

    const arrived = proof({ stripe: balance(0, 180), transactions: [sale, fee, payout], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000'], ['txn_po', '-90.000']], payouts: [paid], inTransit: [['txn_po', '90.000'], ['txn_po', '-90.000']] });
    expect(arrived).toMatchObject({ holds: true, exact: true });
    expect(arrived.inTransit).toMatchObject({ stripe: '0.000', booked: '0.000', items: [] });
  });

  it('does not hold when in transit holds a payout for another amount, or an amount that is no payout', () => {
    const wrong = proof({ stripe: balance(0, 180), transactions: [sale, fee, payout], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000'], ['txn_po', '-90.000']], payouts: [onItsWay], inTransit: [['txn_po', '80.000']] });
    expect(wrong).toMatchObject({ holds: false, exact: false });
    expect(wrong.inTransit).toMatchObject({ difference: '10.000', holds: false });
    const stray = proof({ stripe: balance(0, 180), transactions: [sale, fee, payout], booked: [['txn_sale', '96.800'], ['txn_fee', '-5.000'], ['txn_po', '-90.000']], payouts: [onItsWay], inTransit: [['txn_po', '90.000'], ['txn_elsewhere', '3.000']] });
    expect(stray).toMatchObject({ holds: false, exact: false });
    expect(stray.inTransit!.items).toEqual([expect.objectContaining({ payoutId: 'txn_elsewhere', booked: '3.000', difference: '-3.000' })]);
  });

  it('does not hold when Stripe counts money that was never read, or Sage holds money Stripe does not', () => {
    expect(proof({ stripe: balance(9_180, 0), transactions: [sale], booked: [['txn_sale', '96.800']] })).toMatchObject({ holds: false, unexplained: '-5.000' });
    const doubled = proof({ stripe: balance(9_680, 0), transactions: [sale], booked: [['txn_sale', '96.800'], ['txn_sale', '96.800']] });
    expect(doubled).toMatchObject({ holds: false, unexplained: '0.000', difference: '-96.800' });
    expect(doubled.items).toEqual([expect.objectContaining({ balanceTransactionId: 'txn_sale', booked: '193.600', reason: expect.stringMatching(/different amount/) })]);
    const orphan = proof({ stripe: balance(9_680, 0), transactions: [sale], booked: [['txn_sale', '96.800'], ['txn_other', '12.000']] });
    expect(orphan).toMatchObject({ holds: false, unexplained: '0.000' });
    expect(orphan.items).toEqual([expect.objectContaining({ balanceTransactionId: 'txn_other', difference: '-12.000' })]);
  });

  it('does not hold while Stripe holds money in a currency the clearing account cannot', () => {
    const result = proof({
      stripe: { object: 'balance', available: [{ amount: 9_680, currency: 'usd' }, { amount: 500, currency: 'eur' }], pending: [], livemode: false },
      transactions: [sale],
      booked: [['txn_sale', '96.800']],
    });
    expect(result).toMatchObject({ holds: false, unexplained: '0.000', otherCurrencies: [{ currency: 'eur', amount: '5.000' }] });
  });
});
