import { describe, expect, it } from 'vitest';
import { csvField, renderReportCsv } from '../../main/adapters/reports/report-csv.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { findDrift, type DriftFacts } from '../../main/core/reconciliation/drift.js';
import { buildPayoutReport, buildPeriodReport, type SageJournalLine } from '../../main/core/reconciliation/payout-report.js';
import { bt, charge, fee, payout, T0 } from '../core/fixtures/stripe.js';
import { balanceTransactionLines } from '../../main/core/posting/balance-transaction-journal.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';

const DAY = 86_400;

describe('findDrift', () => {
  const quiet: DriftFacts = {
    nowSeconds: T0 + 10 * DAY,
    timeZone: 'America/Chicago',
    unbookedTransactions: () => [],
    changedAfterWriting: () => [],
    payoutsNotBookedAfterArrival: () => [],
    chargesWithoutBookedFees: () => [],
    issueOf: () => null,
  };

  it('finds nothing on a clean ledger and asks only for what is past its grace period', () => {
    const asked: number[] = [];
    const facts = { ...quiet, unbookedTransactions: (before: number) => (asked.push(before), []), chargesWithoutBookedFees: (before: number) => (asked.push(before), []), payoutsNotBookedAfterArrival: (before: number) => (asked.push(before), []) };
    expect([...findDrift(facts)]).toEqual([]);
    expect(asked).toEqual([T0 + 9 * DAY, T0 + 9 * DAY, T0 + 9 * DAY]);
  });

  it('turns each kind of drift into a finding with a fix or a retry hint', () => {
    const findings = [
      ...findDrift({
        ...quiet,
        unbookedTransactions: () => [
          bt({ id: 'txn_refund', amount: -500, type: 'refund', reporting_category: 'refund', source: 're_1' }),
          bt({ id: 'txn_own', amount: -500, type: 'payout', reporting_category: 'payout', source: 'po_1' }),
        ],
        changedAfterWriting: () => [{ docKey: 'ch_1:txn_1', objectId: 'ch_1', difference: 'its journal lines would now differ from the ones written' }],
        payoutsNotBookedAfterArrival: () => [payout({ id: 'po_late' })],
        chargesWithoutBookedFees: () => [charge({ id: 'ch_nofee', balance_transaction: null })],
        issueOf: (id) => (id === 're_1' ? 'mapping has no refunds account' : id === 'po_late' ? '1 transaction(s) in payout po_late are not booked' : null),
      }),
    ];
    expect(findings.map((finding) => [finding.kind, finding.objectId])).toEqual([
      ['transaction-not-in-sage', 'txn_refund'],
      ['object-changed-after-writing', 'ch_1'],
      ['payout-unreconciled-after-arrival', 'po_late'],
      ['charge-without-fees', 'ch_nofee'],
    ]);
    expect(findings[0]!.message).toBe('balance transaction txn_refund (refund of re_1, 2026-03-10) has no journal in Sage: mapping has no refunds account');
    expect(findings[0]!.hint).toMatch(/Errors view/);
    expect(findings[1]!.hint).toMatch(/never changed/);
    expect(findings[2]!.message).toBe('payout po_late arrived on 2026-03-12 and is still not reconciled in Sage: 1 transaction(s) in payout po_late are not booked');
    expect(findings[3]!.message).toMatch(/has shown no balance transaction for it, so its fees are unknown/);
  });
});

describe('payout report', () => {
  const PO = 'po_report1';
  const sale = bt({ id: 'txn_sale', amount: 10_000, fee_details: [fee(320), fee(64, 'tax')], source: 'ch_sale' });
  const refund = bt({ id: 'txn_refund', amount: -2_500, type: 'refund', reporting_category: 'refund', source: 're_1' });
  const net = sale.net + refund.net;
  const own = bt({ id: 'txn_own', amount: -net, type: 'payout', reporting_category: 'payout', source: PO });
  const paid = payout({ id: PO, amount: net, balance_transaction: own.id });
  const journal = (key: string, objectId: string, transaction: typeof sale, counter: string): JournalDocument => ({
    type: 'journal',
    key,
    postDate: '2026-03-10',
    stripeObjectId: objectId,
    description: key,
    lines: balanceTransactionLines({ bt: transaction, counterAccount: counter, mapping: DEFAULT_MAPPING, label: key }),
  });
  const documents = [
    journal('ch_sale:txn_sale', 'ch_sale', sale, '4000-00'),
    journal('re_1:txn_refund', 're_1', refund, '4010-00'),
    journal(`${PO}:txn_own`, PO, own, '1020-00'),
    {
      type: 'journal' as const,
      key: `${PO}:arrived`,
      postDate: '2026-03-12',
      stripeObjectId: PO,
      description: 'arrived',
      lines: [
        { acctNo: '1010-00', amount: '71.160', comment: 'arrived', traceId: 'txn_own' },
        { acctNo: '1020-00', amount: '-71.160', comment: 'arrived', traceId: 'txn_own' },
      ],
    },
  ];
  /** What Sage holds: the same lines, unmasked account numbers, one journal per document. */
  const sageLines: SageJournalLine[] = documents.flatMap((document, index) =>
    document.lines.map((line, entry) => ({ docKey: document.key, batchNo: 7, journalNo: 100 + index, entryNo: entry + 1, acctNo: line.acctNo.replace('-', ''), amount: line.amount, comment: line.comment })),
  );
  const accounts = { clearing: '105000', bank: '101000', timeZone: 'America/Chicago' };
  const report = buildPayoutReport(
    {
      payout: paid,
      items: [sale, refund, own],
      ownTransactions: [own],
      documents: documents.map((document) => ({ docKey: document.key, state: 'written' as const, document })),
      sageLines,
      eventIds: (objectId) => (objectId === 'ch_sale' ? ['evt_1'] : []),
      waitingReason: null,
    },
    accounts,
  );

  it('puts Stripe’s side beside Sage’s and proves the bank and clearing movements', () => {
    expect(report.state).toBe('reconciled');
    expect(report.stripe).toEqual({
      itemised: true,
      transactionCount: 2,
      grossByCategory: { charge: '100.000', refund: '-25.000' },
      feesByType: { stripe_fee: '3.200', tax: '0.640' },
      net: '71.160',
    });
    expect(report.sage.bank).toBe('71.160');
    expect(report.sage.clearingNet).toBe('0.000');
    expect(report.sage.journals).toEqual([100, 101, 102, 103]);
    expect(report.sage.totalsByAccount['102000']).toBe('0.000');
    expect(report.lineage[0]).toEqual({
      eventIds: ['evt_1'],
      objectId: 'ch_sale',
      balanceTransaction: 'txn_sale',
      category: 'charge',
      gross: '100.000',
      fee: '3.840',
      net: '96.160',
      documents: ['ch_sale:txn_sale (written)'],
      sage: ['batch 7 / journal 100'],
    });
  });

  it('period totals add every Sage line once; the CSV quotes per RFC 4180 and its amounts add up to them', () => {
    const period = buildPeriodReport('2026-03-01', '2026-03-31', [report, report]);
    expect(period.sageTotal).toBe('0.000');
    expect(period.sageTotalsByAccount['101000']).toBe('71.160');
    const csv = renderReportCsv(period);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = csv.trimEnd().split('\r\n');
    expect(rows.length).toBe(1 + sageLines.length);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
  });

  it('a waiting payout shows why', () => {
    const waiting = buildPayoutReport(
      { payout: paid, items: null, ownTransactions: [], documents: [], sageLines: [], eventIds: () => [], waitingReason: 'the transactions of payout po_report1 have not been read from Stripe yet' },
      accounts,
    );
    expect(waiting.state).toBe('waiting');
    expect(waiting.note).toContain('have not been read');
  });
});
