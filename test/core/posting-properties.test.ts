import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountError, parseSageAmount, SAGE_AMOUNT_LIMIT } from '../../main/core/money/sage-amount.js';
import type { Mapping } from '../../main/core/mapping/mapping.js';
import { planCharge } from '../../main/core/posting/charge-plan.js';
import { planDispute } from '../../main/core/posting/dispute-plan.js';
import { planPayout } from '../../main/core/posting/payout-plan.js';
import type { PlanningContext } from '../../main/core/posting/planning-context.js';
import { planRefund } from '../../main/core/posting/refund-plan.js';
import { proveTieOut } from '../../main/core/reconciliation/tie-out.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { FeeDetail, StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { CANONICAL_AMOUNT } from './fixtures/journal-checks.js';
import { bt, charge, context, dispute, mapping, payout, refund } from './fixtures/stripe.js';

type Currency = string;
type Kind = 'charge' | 'refund' | 'refund_failure' | 'dispute' | 'dispute_reversal' | 'payout' | 'payout_failure';

/**
 * Decimals of the API amount, written out from Stripe's currency page
 * (https://docs.stripe.com/currencies: its zero-decimal list, its three-decimal list, and two
 * decimals for every other code), not taken from the production table under test: a wrong
 * entry there must fail these properties.
 */
const STRIPE_DOCS_ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const STRIPE_DOCS_THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];
function stripeDocsExponent(currency: Currency): 0 | 2 | 3 {
  if (STRIPE_DOCS_ZERO_DECIMAL.includes(currency)) return 0;
  if (STRIPE_DOCS_THREE_DECIMAL.includes(currency)) return 3;
  return 2;
}

/** The random properties run in one currency of each exponent, and in two of the rarer lists. */
const CURRENCIES: readonly Currency[] = ['usd', 'jpy', 'kwd', 'bhd', 'xof'];
const FEE_TYPES = ['stripe_fee', 'tax', 'application_fee', 'payment_method_passthrough_fee', 'withheld_tax'] as const;

/** Expected decimal(15,3) text of an integer minor amount, by string shifting only (no Number maths). */
function expectedText(minor: bigint, currency: Currency): string {
  const digits = (minor < 0n ? -minor : minor).toString() + '0'.repeat(3 - stripeDocsExponent(currency));
  const padded = digits.padStart(4, '0');
  const text = `${padded.slice(0, -3).replace(/^0+(?=\d)/, '')}.${padded.slice(-3)}`;
  return minor < 0n && text !== '0.000' ? `-${text}` : text;
}

/** Largest minor amount a single value may have so that amount, fee and net all fit decimal(15,3). */
function maxMinor(currency: Currency): bigint {
  return SAGE_AMOUNT_LIMIT / 10n ** BigInt(3 - stripeDocsExponent(currency)) / 4n;
}

/** Amounts that would go wrong in binary floating point, small and large, all within Sage's limit. */
function minorAmount(currency: Currency, divisor = 1n): fc.Arbitrary<number> {
  const step = stripeDocsExponent(currency) === 3 ? 10 : 1; // Stripe rounds three-decimal amounts to tens
  const max = maxMinor(currency) / divisor;
  return fc
    .oneof(
      fc.constantFrom(1, 3, 7, 10, 20, 30, 33, 67, 99, 101, 110, 1_999),
      fc.integer({ min: 1, max: 100_000 }),
      fc.bigInt({ min: 1n, max }).map(Number),
      fc.bigInt({ min: max - 1_000n, max }).map(Number),
    )
    .map((value) => Math.max(step, value - (value % step)));
}

function feeDetails(currency: Currency): fc.Arbitrary<FeeDetail[]> {
  return fc.array(
    fc.record({
      amount: fc.oneof(fc.constantFrom(0, 1, 10, 20, 30, 1_500), fc.integer({ min: 0, max: 1_000_000 })),
      currency: fc.constant(currency),
      type: fc.constantFrom(...FEE_TYPES),
      description: fc.constant(null),
    }),
    { maxLength: 3 },
  );
}

interface Movement {
  kind: Kind;
  currency: Currency;
  amount: number;
  fees: FeeDetail[];
}

const SIGN: Record<Kind, 1 | -1> = {
  charge: 1,
  refund: -1,
  refund_failure: 1,
  dispute: -1,
  dispute_reversal: 1,
  payout: -1,
  payout_failure: 1,
};

function movement(currency: Currency, kinds: readonly Kind[] = Object.keys(SIGN) as Kind[], divisor = 1n): fc.Arbitrary<Movement> {
  return fc.record({
    kind: fc.constantFrom(...kinds),
    currency: fc.constant(currency),
    amount: minorAmount(currency, divisor),
    fees: feeDetails(currency),
  });
}

/** Builds the Stripe objects of one movement and plans them; returns the BT and its journal. */
function plan(m: Movement, index: number, ctx: PlanningContext): { bt: StripeBalanceTransaction; journal: JournalDocument } {
  const id = `txn_prop${index}`;
  const fees = m.kind === 'charge' || m.kind === 'dispute' || m.kind === 'dispute_reversal' ? m.fees : [];
  const source = bt({ id, amount: SIGN[m.kind] * m.amount, currency: m.currency, fee_details: fees, type: m.kind, reporting_category: m.kind });
  let journals: JournalDocument[];
  switch (m.kind) {
    case 'charge':
      journals = planCharge(charge({ id: `ch_prop${index}`, currency: m.currency, amount: m.amount, balance_transaction: source }), ctx);
      break;
    case 'refund':
      journals = planRefund(refund({ id: `re_prop${index}`, currency: m.currency, amount: m.amount, balance_transaction: source }), ctx);
      break;
    case 'refund_failure': {
      const original = bt({ id: `txn_orig${index}`, amount: -m.amount, currency: m.currency, type: 'refund' });
      journals = planRefund(refund({ id: `re_prop${index}`, balance_transaction: original, failure_balance_transaction: source }), ctx).slice(1);
      break;
    }
    case 'dispute':
    case 'dispute_reversal':
      journals = planDispute(dispute({ id: `du_prop${index}`, currency: m.currency, amount: m.amount, balance_transactions: [source] }), ctx);
      break;
    case 'payout':
      journals = planPayout(payout({ id: `po_prop${index}`, currency: m.currency, amount: m.amount, status: 'in_transit', balance_transaction: source }), ctx);
      break;
    case 'payout_failure': {
      const original = bt({ id: `txn_orig${index}`, amount: -m.amount, currency: m.currency, type: 'payout' });
      journals = planPayout(payout({ id: `po_prop${index}`, status: 'failed', balance_transaction: original, failure_balance_transaction: source }), ctx).slice(1);
      break;
    }
  }
  expect(journals).toHaveLength(1);
  return { bt: source, journal: journals[0]! };
}

function sumLines(journals: readonly JournalDocument[], acctNo?: string): bigint {
  let total = 0n;
  for (const journal of journals) {
    for (const line of journal.lines) if (acctNo === undefined || line.acctNo === acctNo) total += parseSageAmount(line.amount);
  }
  return total;
}

function homeMapping(currency: Currency): Mapping {
  return mapping({ homeCurrency: currency });
}

describe('posting properties', () => {
  it.each(CURRENCIES)('every journal of a random %s movement balances, with exact canonical amounts', (currency) => {
    const m = homeMapping(currency);
    const ctx = context({ mapping: m });
    fc.assert(
      fc.property(movement(currency), (mv) => {
        const { bt: source, journal } = plan(mv, 0, ctx);
        for (const line of journal.lines) {
          expect(line.amount).toMatch(CANONICAL_AMOUNT);
          expect(line.traceId).toBe(source.id);
        }
        expect(sumLines([journal])).toBe(0n);
        expect(sumLines([journal], m.accounts.clearing)).toBe(parseSageAmount(expectedText(BigInt(source.net), currency)));
        // The multiset of amounts is exactly net, −amount and each non-zero fee, to the thousandth.
        const expected = [source.net, -source.amount, ...source.fee_details.map((f) => f.amount)]
          .map((minor) => expectedText(BigInt(minor), currency))
          .filter((text) => text !== '0.000')
          .sort();
        expect(journal.lines.map((line) => line.amount).sort()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it.each(CURRENCIES)('%s: the BTs of a payout plus the payout journal leave the clearing account at exactly zero', (currency) => {
    const m = homeMapping(currency);
    const ctx = context({ mapping: m });
    // Each item at most 1/64 of the per-value cap, so 25 items and their top-up fit decimal(15,3).
    const items = fc.array(movement(currency, ['charge', 'refund', 'refund_failure', 'dispute', 'dispute_reversal'], 64n), { minLength: 1, maxLength: 25 });
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 100_000 }), (movements, topUp) => {
        const planned = movements.map((mv, index) => plan(mv, index, ctx));
        let payoutMinor = planned.reduce((sum, entry) => sum + BigInt(entry.bt.net), 0n);
        if (payoutMinor <= 0n) {
          // Stripe only pays out a positive balance: add the sale that made it positive.
          const sale: Movement = { kind: 'charge', currency, amount: Number(-payoutMinor) + topUp * (stripeDocsExponent(currency) === 3 ? 10 : 1), fees: [] };
          planned.push(plan(sale, planned.length, ctx));
          payoutMinor += BigInt(planned.at(-1)!.bt.net);
        }
        const payoutBt = bt({ id: 'txn_payout', amount: -Number(payoutMinor), currency, type: 'payout', reporting_category: 'payout', source: 'po_prop' });
        const po = payout({ id: 'po_prop', currency, amount: Number(payoutMinor), balance_transaction: payoutBt });
        const proof = proveTieOut({ payout: po, items: [...planned.map((entry) => entry.bt), payoutBt], isBooked: () => true });
        expect(proof.ok).toBe(true);
        const payoutJournals = planPayout(po, ctx);
        const all = [...planned.map((entry) => entry.journal), ...payoutJournals];
        for (const journal of all) expect(sumLines([journal])).toBe(0n);
        expect(sumLines(all, m.accounts.clearing)).toBe(0n);
        expect(sumLines(all, m.accounts.payoutsInTransit)).toBe(0n);
        expect(sumLines(payoutJournals, m.accounts.bank)).toBe(parseSageAmount(expectedText(payoutMinor, currency)));
      }),
      { numRuns: 150 },
    );
  });

  it('sums of 0.1 + 0.2 style amounts are exact where floating point drifts', () => {
    const m = homeMapping('usd');
    const ctx = context({ mapping: m });
    const journals = [10, 20].map((amount, index) => plan({ kind: 'charge', currency: 'usd', amount, fees: [] }, index, ctx).journal);
    const clearingLines = journals.flatMap((journal) => journal.lines.filter((line) => line.acctNo === m.accounts.clearing));
    expect(clearingLines.map((line) => line.amount)).toEqual(['0.100', '0.200']);
    expect(clearingLines.reduce((sum, line) => sum + Number(line.amount), 0)).toBe(0.30000000000000004);
    expect(sumLines(journals, m.accounts.clearing)).toBe(300n);
    // A thousand 0.01 sales: float drifts away from 10, bigint does not.
    const cents = Array.from({ length: 1_000 }, (_, index) => plan({ kind: 'charge', currency: 'usd', amount: 1, fees: [] }, index, ctx).journal);
    expect(cents.reduce((sum, journal) => sum + Number(journal.lines[0]!.amount), 0)).not.toBe(10);
    expect(sumLines(cents, m.accounts.clearing)).toBe(10_000n);
    expect(sumLines(cents)).toBe(0n);
  });

  it.each([...STRIPE_DOCS_ZERO_DECIMAL, ...STRIPE_DOCS_THREE_DECIMAL, 'usd', 'eur', 'isk', 'huf', 'twd'])(
    '%s: a charge of 1,230 minor units books the amount Stripe\'s currency page gives it',
    (currency) => {
      const ctx = context({ mapping: homeMapping(currency) });
      const { journal } = plan({ kind: 'charge', currency, amount: 1_230, fees: [] }, 0, ctx);
      expect(sumLines([journal], ctx.mapping.accounts.clearing)).toBe(parseSageAmount(expectedText(1_230n, currency)));
    },
  );

  it('the expected text is worked out by hand for one currency of each exponent', () => {
    expect(expectedText(1_230n, 'usd')).toBe('12.300');
    expect(expectedText(1_230n, 'jpy')).toBe('1230.000');
    expect(expectedText(1_230n, 'kwd')).toBe('1.230');
    expect(expectedText(-5n, 'kwd')).toBe('-0.005');
  });

  it('clearing totals beyond 2^53 thousandths stay exact because they are summed as bigint', () => {
    const m = homeMapping('kwd');
    const ctx = context({ mapping: m });
    const big = 999_999_999_999_990; // 999,999,999,999.990 KWD, the largest three-decimal Stripe amount that fits
    const journals = Array.from({ length: 12 }, (_, index) => plan({ kind: 'charge', currency: 'kwd', amount: big, fees: [] }, index, ctx).journal);
    const clearing = sumLines(journals, m.accounts.clearing);
    expect(clearing).toBe(12n * 999_999_999_999_990n);
    expect(clearing > 2n ** 53n).toBe(true);
    expect(BigInt(Number(clearing) + 1)).not.toBe(clearing + 1n); // float cannot hold this total
  });

  it.each(CURRENCIES)('%s amounts near 2^53 are refused, never rounded into a journal', (currency) => {
    const ctx = context({ mapping: homeMapping(currency) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom<Kind>('charge', 'refund', 'payout'), (below, kind) => {
        const amount = Number.MAX_SAFE_INTEGER - below;
        expect(() => plan({ kind, currency, amount, fees: [] }, 0, ctx)).toThrow(AmountError);
      }),
      { numRuns: 50 },
    );
  });
});
