import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSageAmount } from '../../main/core/money/sage-amount.js';
import { planCharge } from '../../main/core/posting/charge-plan.js';
import {
  dailySummary,
  foldIntoSummaries,
  isDayComplete,
  journalTraceIds,
  partOf,
  type StoredSummary,
} from '../../main/core/posting/daily-summary.js';
import { planRefund } from '../../main/core/posting/refund-plan.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { expectBalanced, triples } from '../core/fixtures/journal-checks.js';
import { bt, charge, context, fee, refund } from '../core/fixtures/stripe.js';

const DAY = '2026-03-10';
/** 2026-03-10 10:00 and 23:30 in Chicago. */
const MORNING = Date.parse('2026-03-10T15:00:00Z') / 1000;
const LATE = Date.parse('2026-03-11T04:30:00Z') / 1000;

function saleJournal(id: string, amount: number, fees: number, created: number): JournalDocument {
  const txn = `txn_${id}`;
  return planCharge(charge({ id: `ch_${id}`, amount, balance_transaction: bt({ id: txn, amount, fee_details: [fee(fees)], source: `ch_${id}`, created }) }), context())[0] as JournalDocument;
}

describe('daily summary journals', () => {
  it('adds the day’s charge journals up per account and keeps every balance transaction traceable', () => {
    const parts = [saleJournal('a', 10_000, 320, MORNING), saleJournal('b', 2_550, 104, LATE)].map(partOf);
    const summary = dailySummary('charges', DAY, 1, parts);
    expectBalanced(summary);
    expect(summary.key).toBe('daily:charges:2026-03-10');
    expect(summary.postDate).toBe(DAY);
    expect(triples(summary)).toEqual([
      ['1050-00', '121.260', 'daily:charges:2026-03-10'],
      ['4000-00', '-125.500', 'daily:charges:2026-03-10'],
      ['6150-00', '4.240', 'daily:charges:2026-03-10'],
    ]);
    expect(summary.lines.map((line) => line.comment)).toEqual([
      'charges 2026-03-10 debits (2)',
      'charges 2026-03-10 credits (2)',
      'charges 2026-03-10 debits (2)',
    ]);
    expect(journalTraceIds(summary).sort()).toEqual(['ch_a', 'ch_b', 'daily:charges:2026-03-10', 'txn_a', 'txn_b']);
  });

  it('keeps debits and credits apart, so a refund and its failure on one day still make a journal', () => {
    const original = bt({ id: 'txn_re', amount: -5_000, source: 're_1', created: MORNING });
    const failure = bt({ id: 'txn_ref', amount: 5_000, source: 're_1', created: LATE });
    const journals = planRefund(refund({ id: 're_1', amount: 5_000, balance_transaction: original, failure_balance_transaction: failure }), context());
    const summary = dailySummary('refunds', DAY, 1, journals.map(partOf));
    expectBalanced(summary);
    expect(triples(summary)).toEqual([
      ['1050-00', '50.000', 'daily:refunds:2026-03-10'],
      ['1050-00', '-50.000', 'daily:refunds:2026-03-10'],
      ['4900-00', '50.000', 'daily:refunds:2026-03-10'],
      ['4900-00', '-50.000', 'daily:refunds:2026-03-10'],
    ]);
  });

  it('is due only once the day has ended in the company time zone and the settle margin has passed', () => {
    const midnight = Date.parse('2026-03-11T05:00:00Z') / 1000; // 00:00 on 11 March in Chicago (CDT)
    expect(isDayComplete(DAY, midnight, 'America/Chicago')).toBe(false);
    expect(isDayComplete(DAY, midnight + 6 * 3600 - 1, 'America/Chicago')).toBe(false);
    expect(isDayComplete(DAY, midnight + 6 * 3600, 'America/Chicago')).toBe(true);
  });

  it('re-plans a part inside an open summary and sends a straggler after a written summary into #2', () => {
    const first = saleJournal('a', 10_000, 320, MORNING);
    const chain: StoredSummary[] = [];
    const [opened] = foldIntoSummaries(chain, 'charges', DAY, [partOf(first)]);
    expect(opened!.key).toBe('daily:charges:2026-03-10');
    const replanned = { ...partOf(first), lines: first.lines.map((line) => (line.acctNo === '4000-00' ? { ...line, acctNo: '4010-00' } : line)) };
    const [updated] = foldIntoSummaries(chain, 'charges', DAY, [replanned]);
    expect(updated!.summary.parts).toHaveLength(1);
    expect(updated!.lines.map((line) => line.acctNo)).toContain('4010-00');

    chain[0] = { journal: chain[0]!.journal, open: false }; // written
    expect(foldIntoSummaries(chain, 'charges', DAY, [partOf(first)])).toEqual([]);
    const [straggler] = foldIntoSummaries(chain, 'charges', DAY, [partOf(saleJournal('z', 700, 50, LATE))]);
    expect(straggler!.key).toBe('daily:charges:2026-03-10#2');
    expect(straggler!.summary.parts.map((part) => part.key)).toEqual(['ch_z:txn_z']);
  });

  it('property: a summary of random charges balances and equals the per-transaction journals per account', () => {
    const sale = fc.record({
      amount: fc.integer({ min: 50, max: 99_999_999 }),
      feeShare: fc.integer({ min: 0, max: 100 }),
      taxFee: fc.integer({ min: 0, max: 500 }),
      refunded: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(sale, { minLength: 1, maxLength: 25 }), (sales) => {
        const journals: JournalDocument[] = [];
        sales.forEach((entry, index) => {
          const stripeFee = Math.floor((entry.amount * entry.feeShare) / 1000);
          const feeDetails = [fee(stripeFee), fee(entry.taxFee, 'tax')];
          const sign = entry.refunded ? -1 : 1;
          const source = bt({ id: `txn_${index}`, amount: sign * entry.amount, fee_details: feeDetails, created: MORNING + index });
          journals.push(
            ...(entry.refunded
              ? planRefund(refund({ id: `re_${index}`, amount: entry.amount, balance_transaction: source }), context())
              : planCharge(charge({ id: `ch_${index}`, amount: entry.amount, balance_transaction: source }), context())),
          );
        });
        const summary = dailySummary('charges', DAY, 1, journals.map(partOf));
        expectBalanced(summary);
        const perAccount = (lines: JournalDocument['lines']) => {
          const totals = new Map<string, bigint>();
          for (const line of lines) totals.set(line.acctNo, (totals.get(line.acctNo) ?? 0n) + parseSageAmount(line.amount));
          return [...totals].filter(([, total]) => total !== 0n).sort();
        };
        expect(perAccount(summary.lines)).toEqual(perAccount(journals.flatMap((journal) => journal.lines)));
        const traces = new Set(journalTraceIds(summary));
        for (const index of sales.keys()) expect(traces.has(`txn_${index}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
