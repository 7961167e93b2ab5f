import { describe, expect, it } from 'vitest';
import { planCharge } from '../../main/core/posting/charge-plan.js';
import { planCreditNote } from '../../main/core/posting/credit-note-plan.js';
import { planDispute } from '../../main/core/posting/dispute-plan.js';
import { planInvoice } from '../../main/core/posting/invoice-plan.js';
import { journalDocument } from '../../main/core/posting/journal-document.js';
import { planPayout } from '../../main/core/posting/payout-plan.js';
import { planMoneyObject } from '../../main/core/posting/plan-object.js';
import { planningError } from './fixtures/planning-error.js';
import { planRefund } from '../../main/core/posting/refund-plan.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import type { StripeBalanceTransaction, StripeCharge } from '../../main/core/stripe/objects.js';
import { asJournal, expectBalanced, expectClearingIsNet, journalTotal, triples } from './fixtures/journal-checks.js';
import {
  bt,
  charge,
  context,
  creditNote,
  customer,
  dispute,
  fee,
  invoice,
  invoiceLine,
  mapping,
  payout,
  refund,
  T0,
} from './fixtures/stripe.js';

const M = mapping();
const A = M.accounts;
const CLEARING = A.clearing;

/** Balance + clearing = net, for one journal and the BT it came from. */
function check(journal: JournalDocument, source: StripeBalanceTransaction | null): JournalDocument {
  expectBalanced(journal);
  if (source) expectClearingIsNet(journal, source, M);
  else expect(journalTotal(journal, CLEARING)).toBe(0n);
  return journal;
}


const CH = 'ch_3QxR2mL4kd8sXyZa0sale001';
const TXN = 'txn_3QxR2mL4kd8sXyZa0fee001';

describe('charges', () => {
  const saleBt = bt({
    id: TXN,
    amount: 10_000,
    fee_details: [fee(320, 'stripe_fee'), fee(26, 'tax')],
    source: CH,
    created: Date.parse('2026-03-11T04:30:00Z') / 1000, // 23:30 in Chicago on 10 March
  });

  it('USD charge: net to clearing, gross to revenue, each fee type to its account', () => {
    const [doc, ...rest] = planCharge(charge({ id: CH, balance_transaction: saleBt }), context());
    expect(rest).toEqual([]);
    const journal = check(asJournal(doc), saleBt);
    expect(triples(journal)).toEqual([
      [CLEARING, '96.540', TXN],
      ['4000-00', '-100.000', TXN],
      ['6150-00', '3.200', TXN],
      ['6155-00', '0.260', TXN],
    ]);
    expect(journal.key).toBe(`${CH}:${TXN}`);
    expect(journal.postDate).toBe('2026-03-10');
    expect(journal.stripeObjectId).toBe(CH);
    expect(journal.description).toBe(`Stripe charge ${CH}`);
    expect(journal.lines.map((line) => line.comment)).toEqual([
      `${CH} sale net`,
      `${CH} sale`,
      `${CH} sale fee stripe_fee`,
      `${CH} sale fee tax`,
    ]);
  });

  it('expands a balance transaction given by id from the context', () => {
    const docs = planCharge(charge({ id: CH, balance_transaction: TXN }), context({ bts: [saleBt] }));
    expect(triples(asJournal(docs[0]))).toEqual(triples(asJournal(planCharge(charge({ id: CH, balance_transaction: saleBt }), context())[0])));
  });

  it('charge that paid an invoice clears the receivable instead of booking revenue', () => {
    const paid = bt({ id: TXN, amount: 7_794, fee_details: [fee(256)], source: CH });
    const invoiceId = 'in_1QxR2mL4kd8sXyZaInv0001';
    const journal = check(asJournal(planCharge(charge({ id: CH, amount: 7_794, balance_transaction: paid }), context({ invoices: { [CH]: invoiceId } }))[0]), paid);
    expect(triples(journal)).toEqual([
      [CLEARING, '75.380', TXN],
      [A.receivable, '-77.940', TXN],
      ['6150-00', '2.560', TXN],
    ]);
    expect(journal.lines[1]!.comment).toBe(`${CH} paid ${invoiceId}`.slice(0, 49) + '…');
  });

  it('a charge without a balance transaction yet is waiting, not an error', () => {
    const error = planningError(() => planCharge(charge({ id: CH, balance_transaction: null }), context()));
    expect(error.errorClass).toBe('waiting');
    expect(error.message).toContain(CH);
    const unread = planningError(() => planCharge(charge({ id: CH, balance_transaction: TXN }), context()));
    expect(unread.errorClass).toBe('waiting');
    expect(unread.message).toContain(TXN);
  });

  it('a charge status Stripe does not document is reported, not silently skipped', () => {
    const unknown = charge({ id: CH, status: 'teleported' as StripeCharge['status'] });
    const error = planningError(() => planCharge(unknown, context()));
    expect(error.errorClass).toBe('data');
    expect(error.message).toBe(`charge ${CH} has status "teleported", which this version does not know how to book`);
  });

  it('pending, failed and uncaptured charges book nothing', () => {
    expect(planCharge(charge({ id: CH, status: 'pending', balance_transaction: null }), context())).toEqual([]);
    expect(planCharge(charge({ id: CH, status: 'failed', paid: false }), context())).toEqual([]);
    expect(planCharge(charge({ id: CH, captured: false, balance_transaction: null }), context())).toEqual([]);
  });

  it.each([
    // [charge currency, amount, shown, BT amount (USD cents), fee, exchange rate]
    ['jpy', 15_000, 'JPY 15000', 10_012, 320, 0.006675],
    ['kwd', 30_750, 'KWD 30.750', 10_003, 320, 3.2531],
    ['eur', 9_200, 'EUR 92.00', 10_000, 320, 1.08696],
    ['eur', 5, 'EUR 0.05', 5, 0, 1.08696],
  ] as const)('%s charge settled in USD books the BT amounts and names the presentment', (currency, amount, shown, usd, stripeFee, rate) => {
    const id = 'ch_fx1';
    const settled = bt({ id: 'txn_fx1', amount: usd, fee_details: stripeFee ? [fee(stripeFee)] : [], exchange_rate: rate, source: id });
    const journal = check(asJournal(planCharge(charge({ id, currency, amount, balance_transaction: settled }), context())[0]), settled);
    const lines: [string, string, string][] = [
      [CLEARING, ((usd - stripeFee) / 100).toFixed(2) + '0', 'txn_fx1'],
      ['4000-00', `-${(usd / 100).toFixed(2)}0`, 'txn_fx1'],
    ];
    if (stripeFee) lines.push(['6150-00', `${(stripeFee / 100).toFixed(2)}0`, 'txn_fx1']);
    expect(triples(journal)).toEqual(lines);
    expect(journal.description).toBe(`Stripe charge ${id} ${shown} @${rate}`);
  });

  it('EUR charge with a real-length id keeps the presentment amount and rate in its description', () => {
    const settled = bt({ id: TXN, amount: 10_000, fee_details: [fee(320)], exchange_rate: 1.08696, source: CH });
    const journal = check(asJournal(planCharge(charge({ id: CH, currency: 'eur', amount: 9_200, balance_transaction: settled }), context())[0]), settled);
    expect(journal.description).toBe(`Stripe charge ${CH} EUR 92.00 @1.08696`);
    expect(triples(journal)).toEqual([
      [CLEARING, '96.800', TXN],
      ['4000-00', '-100.000', TXN],
      ['6150-00', '3.200', TXN],
    ]);
  });

  it('a settlement currency other than the home currency is a configuration problem', () => {
    const eurBt = bt({ id: TXN, amount: 9_200, currency: 'eur', fee_details: [fee(300, 'stripe_fee', 'eur')] });
    const error = planningError(() => planCharge(charge({ id: CH, currency: 'eur', amount: 9_200, balance_transaction: eurBt }), context()));
    expect(error.errorClass).toBe('configuration');
    expect(error.message).toMatch(/settled in EUR.*home currency is USD/);
  });

  it('inconsistent balance transactions are data errors', () => {
    const badFees = { ...bt({ id: TXN, amount: 10_000, fee_details: [fee(320)] }), fee: 346, net: 9_654 };
    expect(planningError(() => planCharge(charge({ id: CH, balance_transaction: badFees }), context())).errorClass).toBe('data');
    const badNet = { ...bt({ id: TXN, amount: 10_000, fee_details: [fee(320)] }), net: 9_000 };
    expect(planningError(() => planCharge(charge({ id: CH, balance_transaction: badNet }), context())).message).toMatch(/amount − fee ≠ net/);
  });
});

describe('refunds', () => {
  const RE = 're_3QxR2mL4kd8sXyZa0ref0001';
  const refundBt = (amount: number) => bt({ id: 'txn_3QxR2mL4kd8sXyZa0ref001', amount: -amount, type: 'refund', reporting_category: 'refund', source: RE });

  it.each([
    ['partial', 2_500, '25.000'],
    ['full', 10_000, '100.000'],
  ])('%s refund moves the amount out of clearing to refunds', (_kind, amount, text) => {
    const source = refundBt(amount);
    const docs = planRefund(refund({ id: RE, amount, balance_transaction: source }), context());
    expect(docs).toHaveLength(1);
    const journal = check(docs[0]!, source);
    expect(triples(journal)).toEqual([
      [CLEARING, `-${text}`, source.id],
      [A.refunds, text, source.id],
    ]);
    expect(journal.key).toBe(`${RE}:${source.id}`);
    expect(journal.description).toBe(`Stripe refund ${RE} of ch_3QxR2mL4kd8sXyZa0sale001`);
  });

  it('refund then refund failure: the failure BT returns the money in a journal of its own', () => {
    const source = refundBt(2_500);
    const failure = bt({ id: 'txn_3QxR2mL4kd8sXyZa0rfail1', amount: 2_500, type: 'refund_failure', reporting_category: 'refund_failure', source: RE, created: T0 + 86_400 });
    const docs = planRefund(refund({ id: RE, status: 'failed', failure_reason: 'expired_or_canceled_card', balance_transaction: source, failure_balance_transaction: failure }), context());
    expect(docs).toHaveLength(2);
    check(docs[0]!, source);
    const reversal = check(docs[1]!, failure);
    expect(triples(reversal)).toEqual([
      [CLEARING, '25.000', failure.id],
      [A.refunds, '-25.000', failure.id],
    ]);
    expect(reversal.key).toBe(`${RE}:${failure.id}`);
    expect(reversal.postDate).toBe('2026-03-11');
    expect(reversal.description).toBe(`Stripe refund ${RE} failed`);
    // Both journals together leave clearing and refunds untouched.
    expect(journalTotal(docs[0]!, CLEARING) + journalTotal(docs[1]!, CLEARING)).toBe(0n);
    expect(journalTotal(docs[0]!, A.refunds) + journalTotal(docs[1]!, A.refunds)).toBe(0n);
  });

  it('a refund settling a credit note goes through the invoice receivable', () => {
    const source = refundBt(3_000);
    const journal = check(planRefund(refund({ id: RE, amount: 3_000, balance_transaction: source }), context({ creditNotes: { [RE]: 'cn_1QxR2mL4kd8sXyZaCn0001' } }))[0]!, source);
    expect(triples(journal)).toEqual([
      [CLEARING, '-30.000', source.id],
      [A.receivable, '30.000', source.id],
    ]);
  });

  it('a refund without a balance transaction books nothing yet', () => {
    expect(planRefund(refund({ id: RE, status: 'pending' }), context())).toEqual([]);
  });
});

describe('disputes', () => {
  const DU = 'du_1QxR2mL4kd8sXyZa0dsp0001';
  const withdrawal = bt({
    id: 'txn_1QxR2mL4kd8sXyZa0dspW01',
    amount: -10_000,
    fee_details: [{ amount: 1_500, currency: 'usd', type: 'stripe_fee', description: 'Dispute fee' }],
    type: 'adjustment',
    reporting_category: 'dispute',
    source: DU,
  });

  it('lost: the amount to chargebacks, the 15.00 fee to dispute fees', () => {
    const docs = planDispute(dispute({ id: DU, status: 'lost', balance_transactions: [withdrawal] }), context());
    expect(docs).toHaveLength(1);
    const journal = check(docs[0]!, withdrawal);
    expect(triples(journal)).toEqual([
      [CLEARING, '-115.000', withdrawal.id],
      [A.disputes, '100.000', withdrawal.id],
      [A.disputeFees, '15.000', withdrawal.id],
    ]);
    expect(journal.description).toBe(`Stripe dispute ${DU} withdrawn`);
  });

  it('won: the reinstatement returns the amount (and a returned fee) in its own journal', () => {
    const reinstatement = bt({
      id: 'txn_1QxR2mL4kd8sXyZa0dspR01',
      amount: 10_000,
      fee_details: [{ amount: -1_500, currency: 'usd', type: 'stripe_fee', description: 'Dispute fee refund' }],
      type: 'adjustment',
      reporting_category: 'dispute_reversal',
      source: DU,
      created: T0 + 30 * 86_400,
    });
    const docs = planDispute(dispute({ id: DU, status: 'won', balance_transactions: [withdrawal, reinstatement] }), context());
    expect(docs.map((doc) => doc.key)).toEqual([`${DU}:${withdrawal.id}`, `${DU}:${reinstatement.id}`]);
    check(docs[0]!, withdrawal);
    const back = check(docs[1]!, reinstatement);
    expect(triples(back)).toEqual([
      [CLEARING, '115.000', reinstatement.id],
      [A.disputes, '-100.000', reinstatement.id],
      [A.disputeFees, '-15.000', reinstatement.id],
    ]);
    expect(back.description).toBe(`Stripe dispute ${DU} reinstated`);
    expect(back.postDate).toBe('2026-04-09');
  });

  it('a dispute still under review with no money moved books nothing', () => {
    expect(planDispute(dispute({ id: DU, status: 'needs_response' }), context())).toEqual([]);
  });
});

describe('payouts', () => {
  const PO = 'po_1QxR2mL4kd8sXyZa0pay0001';
  const payoutBt = bt({ id: 'txn_1QxR2mL4kd8sXyZa0pay001', amount: -9_654, type: 'payout', reporting_category: 'payout', source: PO });

  it('in transit: clearing to payouts in transit on the day Stripe creates it, nothing to the bank yet', () => {
    const created = Date.parse('2026-03-11T15:00:00Z') / 1000; // 10:00 in Chicago
    const docs = planPayout(payout({ id: PO, amount: 9_654, status: 'in_transit', balance_transaction: { ...payoutBt, created }, created }), context());
    expect(docs).toHaveLength(1);
    expect(triples(docs[0]!)).toEqual([
      [CLEARING, '-96.540', payoutBt.id],
      ['1020-00', '96.540', payoutBt.id],
    ]);
    expect(docs[0]!.postDate).toBe('2026-03-11');
    expect(docs[0]!.key).toBe(`${PO}:${payoutBt.id}`);
  });

  it('paid: then from payouts in transit to the bank, dated on the arrival date as the calendar date Stripe gives (00:00 UTC)', () => {
    const docs = planPayout(payout({ id: PO, amount: 9_654, balance_transaction: payoutBt, arrival_date: Date.parse('2026-03-13T00:00:00Z') / 1000 }), context());
    expect(docs).toHaveLength(2);
    check(docs[0]!, payoutBt);
    const arrived = docs[1]!;
    expect(triples(arrived)).toEqual([
      ['1010-00', '96.540', payoutBt.id],
      ['1020-00', '-96.540', payoutBt.id],
    ]);
    // Midnight UTC on the 13th is 18:00 on the 12th in Chicago; the bank's date is the 13th.
    expect(arrived.postDate).toBe('2026-03-13');
    expect(arrived.key).toBe(`${PO}:arrived`);
    expect(arrived.description).toBe(`Stripe payout ${PO}`);
  });

  it('paid instantly: the arrival is a moment, dated on its business day in the company time zone', () => {
    const at = Date.parse('2026-03-13T04:30:00Z') / 1000; // 23:30 on the 12th in Chicago
    const docs = planPayout(payout({ id: PO, amount: 9_654, method: 'instant', balance_transaction: payoutBt, arrival_date: at }), context());
    expect(docs[1]!.postDate).toBe('2026-03-12');
  });

  it('not yet proved: the engine plans only the journal of creation', () => {
    expect(planPayout(payout({ id: PO, amount: 9_654, balance_transaction: payoutBt }), context(), { withArrival: false }).map((doc) => doc.key)).toEqual([`${PO}:${payoutBt.id}`]);
  });

  it('failed before arriving: the failure BT brings the money back from payouts in transit, on the day Stripe reports it', () => {
    const failure = bt({ id: 'txn_1QxR2mL4kd8sXyZa0payF01', amount: 9_654, type: 'payout_failure', reporting_category: 'payout_reversal', source: PO, created: Date.parse('2026-03-16T14:00:00Z') / 1000 });
    const docs = planPayout(payout({ id: PO, amount: 9_654, status: 'failed', failure_code: 'account_closed', balance_transaction: payoutBt.id, failure_balance_transaction: failure.id }), context({ bts: [payoutBt, failure] }));
    expect(docs).toHaveLength(2);
    check(docs[0]!, payoutBt);
    const back = check(docs[1]!, failure);
    expect(triples(back)).toEqual([
      [CLEARING, '96.540', failure.id],
      ['1020-00', '-96.540', failure.id],
    ]);
    expect(back.postDate).toBe('2026-03-16');
    expect(back.description).toBe(`Stripe payout ${PO} failed`);
    expect(back.key).toBe(`${PO}:${failure.id}`);
  });

  it('failed after Stripe had marked it paid: the arrival journal stays and the failure takes the money back from the bank', () => {
    const failure = bt({ id: 'txn_1QxR2mL4kd8sXyZa0payF01', amount: 9_654, type: 'payout_failure', reporting_category: 'payout_reversal', source: PO });
    const failed = payout({ id: PO, amount: 9_654, status: 'failed', balance_transaction: payoutBt.id, failure_balance_transaction: failure.id });
    const docs = planPayout(failed, context({ bts: [payoutBt, failure], arrivedPayouts: [PO] }));
    expect(docs.map((doc) => doc.key)).toEqual([`${PO}:${payoutBt.id}`, `${PO}:arrived`, `${PO}:${failure.id}`]);
    expect(triples(docs[2]!)).toEqual([
      [CLEARING, '96.540', failure.id],
      ['1010-00', '-96.540', failure.id],
    ]);
  });

  it('no BT yet books nothing; an unread BT is waiting', () => {
    expect(planPayout(payout({ id: PO }), context())).toEqual([]);
    expect(planningError(() => planPayout(payout({ id: PO, balance_transaction: 'txn_unread' }), context())).errorClass).toBe('waiting');
  });
});

describe('invoices', () => {
  const IN = 'in_1QxR2mL4kd8sXyZaInv0001';

  it('paid subscription invoice: receivable total, revenue per product net of discount, exclusive tax', () => {
    const m = mapping({ productRevenue: { prod_Pro: '4010-00' } });
    const doc = invoice({
      id: IN,
      lines: [
        invoiceLine({
          id: 'il_1QxR2mL4kd8sXyZaLine001',
          amount: 5_000,
          description: '1 × Pro plan (at $50.00 / month)',
          pricing: { price_details: { price: 'price_Pro', product: 'prod_Pro' } },
          discount_amounts: [{ amount: 500 }],
          taxes: [{ amount: 371, tax_behavior: 'exclusive', taxable_amount: 4_500 }],
        }),
        invoiceLine({
          id: 'il_1QxR2mL4kd8sXyZaLine002',
          amount: 3_000,
          description: '3 × Seat (at $10.00 / month)',
          quantity: 3,
          pricing: { price_details: { price: 'price_Seat', product: 'prod_Seat' } },
          discount_amounts: [{ amount: 300 }],
          taxes: [{ amount: 223, tax_behavior: 'exclusive', taxable_amount: 2_700 }],
        }),
      ],
    });
    expect(doc.total).toBe(7_794);
    const docs = planInvoice(doc, context({ mapping: m }));
    expect(docs).toHaveLength(1);
    const journal = check(docs[0]!, null);
    expect(triples(journal)).toEqual([
      [A.receivable, '77.940', IN],
      ['4010-00', '-45.000', 'il_1QxR2mL4kd8sXyZaLine001'],
      ['4000-00', '-27.000', 'il_1QxR2mL4kd8sXyZaLine002'],
      [A.salesTax, '-5.940', IN],
    ]);
    expect(journal.key).toBe(`${IN}:paid`);
    expect(journal.postDate).toBe('2026-03-10');
    expect(journal.description).toBe('Stripe invoice A1B2C3D4-0001 paid');
  });

  it('inclusive tax is taken out of the line and booked as tax', () => {
    const doc = invoice({
      id: IN,
      lines: [invoiceLine({ id: 'il_incl', amount: 11_000, taxes: [{ amount: 1_000, tax_behavior: 'inclusive', taxable_amount: 10_000 }] })],
    });
    expect(doc.total).toBe(11_000);
    const journal = check(planInvoice(doc, context())[0]!, null);
    expect(triples(journal)).toEqual([
      [A.receivable, '110.000', IN],
      [A.revenue, '-100.000', 'il_incl'],
      [A.salesTax, '-10.000', IN],
    ]);
  });

  it.each(['void', 'uncollectible', 'open', 'draft'] as const)('%s invoice books nothing', (status) => {
    expect(planInvoice(invoice({ id: IN, status, lines: [invoiceLine({ id: 'il_1', amount: 5_000 })] }), context())).toEqual([]);
  });

  it('a paid zero-total invoice books nothing', () => {
    expect(planInvoice(invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 0 })] }), context())).toEqual([]);
  });

  it('an invoice in another currency or with unread lines is refused with the right class', () => {
    const eur = invoice({ id: IN, currency: 'eur', lines: [invoiceLine({ id: 'il_1', amount: 5_000, currency: 'eur' })] });
    expect(planningError(() => planInvoice(eur, context())).errorClass).toBe('configuration');
    const partial = invoice({ id: IN, lines: [invoiceLine({ id: 'il_1', amount: 5_000 })] });
    partial.lines.has_more = true;
    expect(planningError(() => planInvoice(partial, context())).errorClass).toBe('data');
  });
});

describe('credit notes', () => {
  const CN = 'cn_1QxR2mL4kd8sXyZaCn0001';
  const partly = () =>
    creditNote({
      id: CN,
      total: 5_000,
      total_taxes: [{ amount: 370 }],
      refunds: [{ refund: 're_3QxR2mL4kd8sXyZa0ref0001', amount_refunded: 3_000 }],
      out_of_band_amount: null,
      effective_at: T0 + 3_600,
    });

  it('partly refunded, partly credited: reverses revenue and tax, refunded part through the receivable', () => {
    const docs = planCreditNote(partly(), context());
    expect(docs).toHaveLength(1);
    const journal = check(docs[0]!, null);
    expect(triples(journal)).toEqual([
      [A.refunds, '46.300', CN],
      [A.salesTax, '3.700', CN],
      [A.receivable, '-30.000', CN],
      [A.customerCredits, '-20.000', CN],
    ]);
    expect(journal.key).toBe(`${CN}:issued`);
    expect(journal.description).toMatch(/^Stripe credit note A1B2C3D4-0001-CN-01 on in_1QxR2/);
  });

  it('a voided credit note is reversed by a journal of its own', () => {
    const voided = { ...partly(), status: 'void' as const, voided_at: T0 + 5 * 86_400 };
    const docs = planCreditNote(voided, context());
    expect(docs.map((doc) => doc.key)).toEqual([`${CN}:issued`, `${CN}:void`]);
    const reversal = check(docs[1]!, null);
    expect(triples(reversal)).toEqual([
      [A.refunds, '-46.300', CN],
      [A.salesTax, '-3.700', CN],
      [A.receivable, '30.000', CN],
      [A.customerCredits, '20.000', CN],
    ]);
    expect(reversal.postDate).toBe('2026-03-15');
    for (const acct of [A.refunds, A.salesTax, A.receivable, A.customerCredits]) {
      expect(journalTotal(docs[0]!, acct) + journalTotal(reversal, acct)).toBe(0n);
    }
  });

});

describe('journalDocument and planMoneyObject', () => {
  it('refuses an unbalanced or empty journal', () => {
    const line = { acctNo: CLEARING, amount: '1.000', comment: 'x', traceId: 'txn_1' };
    expect(() => journalDocument({ key: 'k', postDate: '2026-03-10', stripeObjectId: 'x', description: 'd', lines: [line] })).toThrow(/does not balance \(off by 1000 thousandths\)/);
    expect(planningError(() => journalDocument({ key: 'k', postDate: '2026-03-10', stripeObjectId: 'x', description: 'd', lines: [] })).errorClass).toBe('data');
  });

  it('dispatches by object kind; customers plan nothing here', () => {
    const saleBt = bt({ id: TXN, amount: 10_000, fee_details: [fee(320)] });
    expect(planMoneyObject(charge({ id: CH, balance_transaction: saleBt }), context())).toEqual(planCharge(charge({ id: CH, balance_transaction: saleBt }), context()));
    expect(planMoneyObject(customer({ id: 'cus_QxR2mN8vT4kLp1' }), context())).toEqual([]);
    expect(planMoneyObject(payout({ id: 'po_1' }), context())).toEqual([]);
  });
});
