import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { chargesPaying, payingChargeInGl } from '../../main/core/engine/paying-charge-in-gl.js';
import { keptSaleInCharge, saleInChargePlan } from '../../main/core/engine/sale-in-charge.js';
import type { DailySummaryJournal } from '../../main/core/posting/daily-summary.js';
import type { JournalDocument, SageDocument } from '../../main/core/sage/documents.js';
import type { StripeInvoice } from '../../main/core/stripe/objects.js';
import { charge, invoice, invoiceLine, mapping, T0 } from '../core/fixtures/stripe.js';

/**
 * Which charge of a Stripe invoice already has its GL sale journal in the ledger (issue #21,
 * the charge booked before its invoice was paid), against the real SQLite ledger: found through
 * the invoice payment that names its PaymentIntent or the charge itself, planned or written,
 * alone or in a daily summary; not when it is an AR cash receipt or a rule skipped it.
 */

let dir: string;
let ledger: SqliteLedger;
let version: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-paying-charge-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  version = ledger.mappings.saveMapping(mapping());
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const ACCOUNTS = mapping().accounts;
const RECEIVABLE = ACCOUNTS.receivable;

const paid: StripeInvoice = invoice({ id: 'in_1', created: T0, status: 'paid', lines: [invoiceLine({ id: 'il_1', amount: 12_500 })] });

function saleJournal(chargeId: string, bt: string, postDate = '2026-03-10'): JournalDocument {
  return {
    type: 'journal',
    key: `${chargeId}:${bt}`,
    postDate,
    stripeObjectId: chargeId,
    description: `Stripe charge ${chargeId}`,
    lines: [
      { acctNo: '1050-00', amount: '121.070', comment: 'net', traceId: bt },
      { acctNo: '1200-00', amount: '-125.000', comment: 'paid in_1', traceId: bt },
      { acctNo: '6150-00', amount: '3.930', comment: 'fee', traceId: bt },
    ],
  };
}

/** The invoice (its payment naming the PaymentIntent) and the charge that succeeded on it, stored as the engine stores them. */
function storeInvoiceAndCharge(link: 'payment_intent' | 'charge', created = T0 + 60): void {
  ledger.objects.upsertObjects([paid, charge({ id: 'ch_1', payment_intent: 'pi_1', balance_transaction: 'txn_1', created })]);
  ledger.objects.linkInvoicePayment(link === 'payment_intent' ? 'pi_1' : 'ch_1', 'in_1');
}

function plan(objectId: string, documents: SageDocument[]): void {
  ledger.documents.savePlan(objectId, documents, version, 'planned');
}

describe('the charge that paid a Stripe invoice, in GL already', () => {
  it('is found by the PaymentIntent or the charge the invoice payment names, planned or written', () => {
    storeInvoiceAndCharge('payment_intent');
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toBeNull();
    plan('ch_1', [saleJournal('ch_1', 'txn_1')]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toEqual({ chargeId: 'ch_1', postDate: '2026-03-10', inSage: false, creditsReceivable: true });
    ledger.documents.markWritten('ch_1:txn_1', { docKey: 'ch_1:txn_1', sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '7', batchKey: 3 });
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toEqual({ chargeId: 'ch_1', postDate: '2026-03-10', inSage: true, creditsReceivable: true });
  });

  it('is found when the invoice payment names the charge itself (a charge without a PaymentIntent)', () => {
    storeInvoiceAndCharge('charge');
    plan('ch_1', [saleJournal('ch_1', 'txn_1')]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)?.chargeId).toBe('ch_1');
  });

  it('is found inside a daily summary, dated as the summary', () => {
    storeInvoiceAndCharge('payment_intent');
    const part = saleJournal('ch_1', 'txn_1');
    const summary: DailySummaryJournal = {
      ...saleJournal('daily:charges:2026-03-11', 'txn_1', '2026-03-11'),
      stripeObjectId: 'daily:charges:2026-03-11',
      summary: { kind: 'charges', day: '2026-03-11', parts: [{ key: part.key, stripeObjectId: 'ch_1', lines: part.lines }] },
    };
    plan('daily:charges:2026-03-11', [summary]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toEqual({ chargeId: 'ch_1', postDate: '2026-03-11', inSage: false, creditsReceivable: true });
  });

  it('is not in GL when the charge is an AR cash receipt (its journal of that key is the fee journal), nor when a rule skipped it', () => {
    storeInvoiceAndCharge('payment_intent');
    const fees: JournalDocument = { ...saleJournal('ch_1', 'txn_1'), lines: [{ acctNo: '6150-00', amount: '3.930', comment: 'fee', traceId: 'txn_1' }, { acctNo: '1050-00', amount: '-3.930', comment: 'fee', traceId: 'txn_1' }] };
    const receipt: JournalDocument = {
      ...saleJournal('ch_1', 'txn_1'),
      key: 'ch_1:txn_1:ar-receipt',
      lines: [{ acctNo: '1050-00', amount: '125.000', comment: 'receipt', traceId: 'txn_1' }, { acctNo: '1200-00', amount: '-125.000', comment: 'receipt', traceId: 'txn_1' }],
      arReceipt: { custId: 'ADA', amount: '125.000', cashAcctNo: '1050-00', comment: 'Stripe ch_1', applyTo: { invcKey: 5, tranId: '0000005001-IN', amount: '125.000' }, matchedBy: 'metadata' },
    };
    plan('ch_1', [receipt, fees]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toBeNull();
    // It is reported with its receipt, which holds the sale in Sage AR (sale-in-charge.ts).
    expect(chargesPaying(ledger, paid, ACCOUNTS).map((paying) => paying.held)).toEqual([
      { kind: 'receipt', chargeId: 'ch_1', postDate: '2026-03-10', inSage: false, receipt: receipt.arReceipt },
    ]);

    ledger.documents.withdrawDocuments([receipt.key, fees.key]);
    plan('ch_1', [{ ...saleJournal('ch_1', 'txn_1'), skippedByRule: 'test customers' }]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toBeNull();
  });

  it('does not count a journal that booked the sale to revenue (planned before the invoice payment was known): that one booked the sale itself', () => {
    storeInvoiceAndCharge('payment_intent');
    plan('ch_1', [toRevenue(saleJournal('ch_1', 'txn_1'))]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)).toBeNull();
    expect(chargesPaying(ledger, paid, ACCOUNTS).map((paying) => paying.held)).toEqual([
      {
        kind: 'gl',
        journal: { chargeId: 'ch_1', postDate: '2026-03-10', inSage: false, creditsReceivable: false },
        gross: 125_000n,
        credits: [{ acctNo: '4000-00', amount: '-125.000', comment: 'paid in_1', traceId: 'txn_1' }],
      },
    ]);
  });

  it('finds a charge created before the invoice by its PaymentIntent (a PaymentIntent attached to the invoice later), among many other charges', () => {
    ledger.objects.upsertObjects(Array.from({ length: 50 }, (_, index) => charge({ id: `ch_other${index}`, payment_intent: `pi_other${index}`, balance_transaction: `txn_other${index}`, created: T0 - 600 + index })));
    storeInvoiceAndCharge('payment_intent', T0 - 60);
    plan('ch_1', [saleJournal('ch_1', 'txn_1')]);
    expect(payingChargeInGl(ledger, paid, ACCOUNTS)?.chargeId).toBe('ch_1');
    expect(ledger.objects.chargesPayingInvoice('in_1')).toEqual(['ch_1']);
  });

  it('reports every charge paying the invoice, one still to be planned with nothing held', () => {
    storeInvoiceAndCharge('payment_intent');
    ledger.objects.upsertObjects([charge({ id: 'ch_2', payment_intent: 'pi_2', balance_transaction: 'txn_2', created: T0 + 120 })]);
    ledger.objects.linkInvoicePayment('pi_2', 'in_1');
    plan('ch_1', [toRevenue(saleJournal('ch_1', 'txn_1'))]);
    expect(chargesPaying(ledger, paid, ACCOUNTS).map((paying) => [paying.charge.id, paying.held?.kind ?? null])).toEqual([
      ['ch_1', 'gl'],
      ['ch_2', null],
    ]);
    plan('ch_2', [saleJournal('ch_2', 'txn_2')]);
    expect(chargesPaying(ledger, paid, ACCOUNTS).map((paying) => paying.held?.kind === 'gl' && paying.held.journal.creditsReceivable)).toEqual([false, true]);
  });
});

describe('a charge whose invoice is recorded as sold by it', () => {
  it('keeps crediting revenue when planned again with its invoice known, so the receivable is never credited without the invoice journal debiting it', () => {
    storeInvoiceAndCharge('payment_intent');
    plan('ch_1', [toRevenue(saleJournal('ch_1', 'txn_1'))]);
    const invoiceJournal: JournalDocument = {
      type: 'journal',
      key: 'in_1:paid',
      postDate: '2026-03-12',
      stripeObjectId: 'in_1',
      description: 'Stripe invoice in_1 paid',
      lines: [
        { acctNo: RECEIVABLE, amount: '125.000', comment: 'due', traceId: 'in_1' },
        { acctNo: '4000-00', amount: '-125.000', comment: 'services', traceId: 'il_1' },
      ],
    };
    const sold = chargesPaying(ledger, paid, ACCOUNTS).map((paying) => ({ chargeId: paying.charge.id, gross: 125_000n, held: paying.held }));
    const chargeNow = ledger.objects.getObject('ch_1')!.object as Parameters<typeof keptSaleInCharge>[1];
    const replanned = [saleJournal('ch_1', 'txn_1')];
    // Before the invoice's record exists the charge's new plan stands as planned.
    expect(keptSaleInCharge(ledger, chargeNow, 'in_1', replanned, mapping())).toBeNull();
    plan('in_1', [saleInChargePlan(invoiceJournal, paid, sold, null, mapping())!]);
    const kept = keptSaleInCharge(ledger, chargeNow, 'in_1', replanned, mapping());
    expect(kept?.[0]?.type === 'journal' && kept[0].lines.map((line) => [line.acctNo, line.amount])).toEqual([
      ['1050-00', '121.070'],
      ['4000-00', '-125.000'],
      ['6150-00', '3.930'],
    ]);
    // Another charge of the same invoice is not touched.
    expect(keptSaleInCharge(ledger, { ...chargeNow, id: 'ch_9' }, 'in_1', replanned, mapping())).toBeNull();
  });
});

function toRevenue(journal: JournalDocument): JournalDocument {
  return { ...journal, lines: journal.lines.map((line) => (line.acctNo === RECEIVABLE ? { ...line, acctNo: '4000-00' } : line)) };
}
