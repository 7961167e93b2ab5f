import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMapping, type Mapping } from '../../main/core/mapping/mapping.js';
import { parseSageAmount } from '../../main/core/money/sage-amount.js';
import { proveBalance } from '../../main/core/reconciliation/balance-proof.js';
import { tracesOnAccount } from '../support/traces-on-account.js';
import { planWithRules } from '../../main/core/rules/plan-with-rules.js';
import { RULE_ACCOUNT_ROLES, type Rule, type RuleAction } from '../../main/core/rules/rule-schema.js';
import type { JournalDocument, SageDocument } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { bt, charge, context, dispute, fee, mapping, refund } from './fixtures/stripe.js';

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
          opening: 0n,
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
});
