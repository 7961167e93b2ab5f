import { describe, expect, it } from 'vitest';
import { planStripeSaleInvoice } from '../../main/core/ar/ar-invoice-plan.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';

/**
 * A Stripe-only sale split into an AR invoice, its receipt and its fee journal (issue #21 item
 * 4), against amounts worked out by hand: a 42.00 sale, 1.52 fee, two revenue accounts (a rule's
 * split), and a sale with sales tax that must stay in GL.
 */

function saleJournal(lines: [string, string][]): JournalDocument {
  return {
    type: 'journal',
    key: 'ch_1:txn_1',
    postDate: '2026-11-20',
    stripeObjectId: 'ch_1',
    description: 'Stripe charge ch_1',
    lines: lines.map(([acctNo, amount]) => ({ acctNo, amount, comment: 'ch_1 sale', traceId: 'txn_1' })),
  };
}

/** Σ per account of what the documents' lines say Sage books (canonical 3-decimal text, summed as integer thousandths), zero sums left out. */
function byAccount(documents: readonly JournalDocument[]): Record<string, string> {
  const totals = new Map<string, bigint>();
  for (const line of documents.flatMap((document) => document.lines)) totals.set(line.acctNo, (totals.get(line.acctNo) ?? 0n) + BigInt(line.amount.replace('.', '')));
  const text = (thousandths: bigint): string => `${thousandths < 0n ? '-' : ''}${(thousandths < 0n ? -thousandths : thousandths).toString().padStart(4, '0').replace(/(\d{3})$/, '.$1')}`;
  return Object.fromEntries([...totals].filter(([, thousandths]) => thousandths !== 0n).map(([acctNo, thousandths]) => [acctNo, text(thousandths)]));
}

describe('AR invoice for a Stripe sale', () => {
  it('invoices the revenue credits, applies the receipt to that invoice and keeps the fee in GL, booking what the GL journal booked', () => {
    const journal = saleJournal([['1050-00', '40.480'], ['4000-00', '-30.000'], ['4010-00', '-12.000'], ['6150-00', '1.520']]);
    const plan = planStripeSaleInvoice(journal, 'ADA0001', '42.000', DEFAULT_MAPPING);
    if (plan.kind !== 'invoice') throw new Error(plan.why);
    const [invoice, receipt, fees, ...more] = plan.documents;
    expect(more).toEqual([]);
    expect(invoice!.key).toBe('ch_1:txn_1:ar-invoice');
    expect(invoice!.arInvoice).toEqual({
      custId: 'ADA0001',
      amount: '42.000',
      lines: [
        { acctNo: '4000-00', amount: '30.000', description: 'Stripe ch_1' },
        { acctNo: '4010-00', amount: '12.000', description: 'Stripe ch_1' },
      ],
      comment: 'Stripe ch_1',
    });
    expect(receipt!.key).toBe('ch_1:txn_1:ar-receipt');
    expect(receipt!.arReceipt).toMatchObject({ custId: 'ADA0001', amount: '42.000', cashAcctNo: '1050-00', applyTo: null, applyToOwnInvoice: { docKey: 'ch_1:txn_1:ar-invoice', amount: '42.000' } });
    expect(fees!.key).toBe('ch_1:txn_1');
    expect(byAccount([fees!])).toEqual({ '6150-00': '1.520', '1050-00': '-1.520' });
    // Together: clearing +net, revenue −gross by account, fees +fee, receivable nets to zero: the GL journal's effect.
    expect(byAccount(plan.documents)).toEqual({ '1050-00': '40.480', '4000-00': '-30.000', '4010-00': '-12.000', '6150-00': '1.520' });
  });

  it('leaves a sale that credits sales tax in GL with the reason, as no captured invoice proves how tax is written', () => {
    const journal = saleJournal([['1050-00', '40.480'], ['4000-00', '-40.000'], ['2200-00', '-2.000'], ['6150-00', '1.520']]);
    const plan = planStripeSaleInvoice(journal, 'ADA0001', '42.000', DEFAULT_MAPPING);
    expect(plan.kind).toBe('gl');
    if (plan.kind !== 'gl') return;
    expect(plan.journal.lines).toEqual(journal.lines);
    expect(plan.journal.arInvoice).toBeUndefined();
    expect(plan.journal.description).toMatch(/No AR invoice: ch_1 credits sales tax \(2200-00\), and this version writes no sales tax on a pending AR invoice/);
  });

  it('leaves a sale in GL when its revenue credits are not its gross', () => {
    const journal = saleJournal([['1050-00', '40.480'], ['4000-00', '-41.000'], ['6150-00', '0.520']]);
    const plan = planStripeSaleInvoice(journal, 'ADA0001', '42.000', DEFAULT_MAPPING);
    expect(plan).toMatchObject({ kind: 'gl', why: "ch_1's revenue lines add up to 41.000, not its gross 42.000" });
  });
});
