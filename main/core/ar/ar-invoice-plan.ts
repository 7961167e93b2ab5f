import { formatSageAmount, parseSageAmount, sumAmounts } from '../money/sage-amount.js';
import type { Mapping } from '../mapping/mapping.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import { splitIntoReceipt } from './ar-receipt-plan.js';

/**
 * A Stripe-only sale as a pending AR invoice with its payment applied (issue #21 item 4,
 * docs/posting-rules.md "AR invoices for Stripe sales"). The sale's GL journal (clearing +net,
 * revenue −gross, fees +fee) becomes three documents:
 *
 * - the AR invoice for the gross: one line per revenue credit of the journal, to the same
 *   account and amount. Sage books receivable +gross and those credits when a user posts it;
 * - the AR cash receipt for the gross, applied to that invoice, cash account = clearing (Sage
 *   books clearing +gross, receivable −gross), built as every receipt is (ar-receipt-plan.ts);
 * - the fee journal, still in GL: fees +fee, clearing −fee.
 *
 * Together they book exactly what the GL journal did (receivable nets to zero), so the GL
 * revenue journal of the sale is not written: the revenue reaches GL when the invoice batch is
 * posted, and clearing moves by the net through the receipt and the fee journal as before.
 */

export function arInvoiceKey(journalKey: string): string {
  return `${journalKey}:ar-invoice`;
}

export type StripeSalePlan = { kind: 'invoice'; documents: JournalDocument[] } | { kind: 'gl'; journal: JournalDocument; why: string };

/**
 * The invoice, its receipt and the fee journal; or the journal unchanged with the reason when an
 * AR invoice cannot say what the journal says (sales tax: no captured invoice proves how a
 * pending invoice carries it in this version).
 */
export function planStripeSaleInvoice(journal: JournalDocument, custId: string, gross: string, mapping: Mapping): StripeSalePlan {
  const { clearing, receivable, salesTax } = mapping.accounts;
  const credits = journal.lines.filter((line) => line.acctNo !== clearing && parseSageAmount(line.amount) < 0n);
  const total = -sumAmounts(credits.map((line) => parseSageAmount(line.amount)));
  const refuse = (why: string): StripeSalePlan => ({
    kind: 'gl',
    why,
    journal: { ...journal, description: `${journal.description}. No AR invoice: ${why}; booked in GL as without AR invoices` },
  });
  if (credits.some((line) => line.acctNo === salesTax)) {
    return refuse(`${journal.stripeObjectId} credits sales tax (${salesTax}), and this version writes no sales tax on a pending AR invoice (no captured invoice proves tciSTaxTran's rows)`);
  }
  if (credits.length === 0 || total !== parseSageAmount(gross)) {
    return refuse(`${journal.stripeObjectId}'s revenue lines add up to ${formatSageAmount(total)}, not its gross ${gross}`);
  }
  const invoice = arInvoiceDocument(journal, receivable, custId, gross, credits, {
    description: `AR invoice for Stripe sale ${journal.stripeObjectId} to ${custId} (no Sage invoice named it)`,
    lineDescription: () => `Stripe ${journal.stripeObjectId}`,
  });
  return { kind: 'invoice', documents: [invoice, ...receiptAndFees(journal, custId, gross, mapping)] };
}

/**
 * The AR invoice standing for a sale's GL journal: receivable +gross and, per revenue credit of
 * the journal, an invoice line to the same account for the same amount. Key: the journal's, with
 * `:ar-invoice`.
 */
export function arInvoiceDocument(
  journal: JournalDocument,
  receivable: string,
  custId: string,
  gross: string,
  credits: readonly JournalLine[],
  words: { description: string; lineDescription: (line: JournalLine) => string },
): JournalDocument {
  const traceId = journal.lines[0]?.traceId ?? journal.stripeObjectId;
  return {
    type: 'journal',
    key: arInvoiceKey(journal.key),
    postDate: journal.postDate,
    stripeObjectId: journal.stripeObjectId,
    description: words.description,
    lines: [
      { acctNo: receivable, amount: gross, comment: postComment(`${journal.stripeObjectId} AR invoice`), traceId },
      ...credits.map((line) => ({ ...line, comment: postComment(`${journal.stripeObjectId} AR invoice line`) })),
    ],
    arInvoice: {
      custId,
      amount: gross,
      lines: credits.map((line) => ({ acctNo: line.acctNo, amount: formatSageAmount(-parseSageAmount(line.amount)), description: words.lineDescription(line) })),
      comment: `Stripe ${journal.stripeObjectId}`,
    },
  };
}

/**
 * The sale's receipt, applied to the AR invoice of the same sale, and its fee journal: the receipt
 * planner, given one counter line of −gross beside the fee lines. `invoice` names the AR invoice
 * when it is not the charge's own (a Stripe invoice's, stripe-invoice-sale-plan.ts).
 */
export function receiptAndFees(
  journal: JournalDocument,
  custId: string,
  gross: string,
  mapping: Mapping,
  invoice: { docKey: string; what: string } = { docKey: arInvoiceKey(journal.key), what: 'the AR invoice written for it' },
): JournalDocument[] {
  const { clearing, receivable } = mapping.accounts;
  const fees = journal.lines.filter((line) => line.acctNo !== clearing && parseSageAmount(line.amount) > 0n);
  const traceId = journal.lines[0]?.traceId ?? journal.stripeObjectId;
  const collapsed: JournalDocument = { ...journal, lines: [...fees, { acctNo: receivable, amount: formatSageAmount(-parseSageAmount(gross)), comment: '', traceId }] };
  const [receipt, ...feeJournals] = splitIntoReceipt(collapsed, { custId, applyTo: null, partial: false, matchedBy: 'stripe-sale' }, gross, mapping);
  const applied: JournalDocument = {
    ...receipt!,
    description: `AR cash receipt for ${journal.stripeObjectId}, applied to ${invoice.what}`,
    lines: receipt!.lines.map((line) => ({ ...line, comment: postComment(`${journal.stripeObjectId} pays its AR invoice`) })),
    arReceipt: { ...receipt!.arReceipt!, applyToOwnInvoice: { docKey: invoice.docKey, amount: gross } },
  };
  return [applied, ...feeJournals];
}
