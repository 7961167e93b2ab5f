import type { Mapping } from '../mapping/mapping.js';
import { paidInvoiceKey } from '../posting/invoice-plan.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts, type SageAmount } from '../money/sage-amount.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import { PlanningError } from '../posting/planning-error.js';
import type { Ledger, StoredDocument } from '../ports/ledger.js';
import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import type { JournalDocument, JournalLine, SageDocument } from '../sage/documents.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import type { HeldPayment } from './paying-charge-in-gl.js';

/**
 * A Stripe invoice paid by a charge that booked the sale itself before its invoice payment was
 * known (docs/posting-rules.md "AR payments", charge booked as a plain sale): the charge was read
 * while no invoice payment named it or its PaymentIntent (a PaymentIntent attached to the invoice
 * later, Stripe's attach_payment), so its GL journal credited revenue, not the invoice receivable,
 * or it became an AR cash receipt applied to a Sage invoice, which holds the sale in Sage. The
 * invoice's own journal (receivable Dr, revenue and tax Cr) would book that sale a second time
 * and leave the receivable debited with nothing to clear it.
 *
 * What such a charge paid is Stripe's `amount_due` (or its share of it); the invoice's `total` is
 * more when a customer balance or pre-payment credit notes paid part of it (Invoice object:
 * `amount_due` is the total less the credit applied from `starting_balance` and less what
 * pre-payment credit notes took off; a debit balance adds to it). So the invoice's journal books
 * exactly the part its charges did not: the receivable for the pre-payment credit notes (they
 * clear it) and for any charge that credits the receivable, the customer balance applied, and the
 * rest of the total to the account the charge credited. When nothing is left, the journal is
 * recorded as skipped with a note saying why; when the charges stored do not add up to
 * `amount_due` the invoice waits (a payment not read yet) or is parked with the amounts named.
 * A charge that booked the sale keeps booking it however often it is planned again.
 */

const IN_SAGE: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

/** A stored charge that paid the invoice: what it paid (home currency) and what the ledger holds for it. */
export interface PaidBy {
  chargeId: string;
  gross: SageAmount;
  held: HeldPayment | null;
}

type Holder = PaidBy & { held: HeldPayment };

/**
 * Whether the charge holds its part of the invoice's sale already: a GL journal that credited
 * revenue, or an AR cash receipt applied to a Sage invoice (or to the AR invoice written for its
 * sale) that is not this Stripe invoice's own collection.
 */
export function holdsSale(held: HeldPayment | null, invoiceId: string): boolean {
  if (held?.kind === 'gl') return !held.journal.creditsReceivable;
  if (held?.kind === 'receipt') return held.receipt.stripeInvoice !== invoiceId && (held.receipt.applyTo !== null || held.receipt.applyToOwnInvoice !== undefined);
  return false;
}

/** A receipt planned as this Stripe invoice's collection, applied to the Sage invoice it names. */
function collectedSageInvoice(held: HeldPayment | null, invoiceId: string): boolean {
  return held?.kind === 'receipt' && held.receipt.stripeInvoice === invoiceId && held.receipt.applyTo !== null;
}

/**
 * The invoice's journal when charges that paid it hold its sale already: the part they did not
 * book, or the record that nothing is left (skipped, never written); null when none does. `named`
 * is the Sage invoices the Stripe invoice names (AR payments on and a reference found), or null.
 */
export function saleInChargePlan(journal: JournalDocument, invoice: StripeInvoice, paidBy: PaidBy[], named: string[] | null, mapping: Mapping): JournalDocument | null {
  if (!paidBy.some((paid) => holdsSale(paid.held, invoice.id))) return null;
  // Once a charge holds the sale, another charge's receipt that collected a Sage invoice for this
  // Stripe invoice holds its part too: that Sage invoice booked its revenue, and the receipt
  // credited Sage's AR, not 1200-00, so debiting 1200-00 for it would leave 1200-00 open and the
  // revenue counted twice.
  const holders = paidBy.filter((paid): paid is Holder => holdsSale(paid.held, invoice.id) || collectedSageInvoice(paid.held, invoice.id));
  const label = invoice.number ?? invoice.id;
  const pending = holders.filter((holder) => holder.held.kind === 'receipt' && !holder.held.inSage);
  if (pending.length > 0) {
    throw new PlanningError('waiting', `Stripe invoice ${label} was paid by ${pending.map((holder) => holder.chargeId).join(', ')}, whose AR cash receipt is not in Sage yet; the invoice is booked once it is`);
  }
  const { receivable, customerCredits } = mapping.accounts;
  const amount = (minor: number): SageAmount => fromStripeMinor(minor, invoice.currency);
  const due = amount(invoice.amount_due);
  const total = amount(invoice.total);
  const prePayment = amount(invoice.pre_payment_credit_notes_amount ?? 0);
  const balanceApplied = total - prePayment - due;
  const others = paidBy.filter((paid) => !holders.includes(paid as Holder));
  const held = sumAmounts(holders.map((holder) => holder.gross));
  const otherPaid = sumAmounts(others.map((paid) => paid.gross));
  if (held + otherPaid !== due) {
    const listed = paidBy.map((paid) => `${paid.chargeId} ${formatSageAmount(paid.gross)} (${whatHeld(paid, invoice.id, receivable)})`).join(', ');
    const message = `Stripe invoice ${label} was due ${formatSageAmount(due)} (amount_due), but the charges read that paid it add up to ${formatSageAmount(held + otherPaid)}: ${listed}`;
    if (held + otherPaid < due) throw new PlanningError('waiting', `${message}; it is booked once the rest of its payments are read`);
    throw new PlanningError('data', `${message}; the part of the invoice they did not book cannot be worked out, so nothing is booked for it until they agree`);
  }

  const inGl = holders.filter((holder): holder is PaidBy & { held: Extract<HeldPayment, { kind: 'gl' }> } => holder.held.kind === 'gl');
  const credited = new Set(inGl.flatMap((holder) => holder.held.credits.map((line) => line.acctNo)));
  const saleAccount = credited.size === 1 ? [...credited][0]! : mapping.accounts.revenue;
  const soldBy = `it was paid in Stripe by ${holders.map((holder) => soldPart(holder, saleAccount, holders.length > 1 || held !== total)).join(' and by ')}`;
  const elsewhere = journal.lines.filter((line) => parseSageAmount(line.amount) < 0n && line.acctNo !== saleAccount);
  const itemised =
    inGl.length === 0 || elsewhere.length === 0
      ? ''
      : `. ${inGl.length === 1 ? 'That journal' : 'Those journals'} credited all of it to ${saleAccount}; this invoice itemises ${elsewhere.map((line) => `${line.acctNo} ${formatSageAmount(-parseSageAmount(line.amount))}`).join(', ')}: move those amounts out of ${saleAccount} by hand in GL`;
  const names = named === null ? '' : named.length > 0 ? `Sage invoice ${named.join(' or ')}` : 'a Sage invoice';
  const which = named !== null && named.length === 1 ? named[0]! : 'the Sage invoice';
  const record = (note: string, restOfSale: boolean, lines: JournalLine[]): JournalDocument => ({
    ...journal,
    lines,
    description: `${journal.description}: ${note}`,
    saleInCharge: { chargeId: (inGl[0] ?? holders[0]!).chargeId, note, chargeIds: inGl.map((holder) => holder.chargeId), ...(restOfSale ? { restOfSale: true as const } : {}) },
  });

  const line = (acctNo: string, value: SageAmount, comment: string): JournalLine => ({ acctNo, amount: formatSageAmount(value), comment: postComment(`${label} ${comment}`), traceId: invoice.id });
  const rest = [
    line(receivable, otherPaid + prePayment, 'due'),
    line(customerCredits, balanceApplied, 'customer balance'),
    line(saleAccount, -(total - held), 'rest of sale'),
  ].filter((entry) => parseSageAmount(entry.amount) !== 0n);
  if (rest.length === 0) {
    if (named === null) {
      const where = inGl.length === holders.length ? 'in GL' : 'in Sage';
      return record(`Not booked: Stripe invoice ${label} is ${where} already, ${soldBy}; booking the invoice's revenue too would count the sale twice${itemised}`, false, journal.lines);
    }
    const settle =
      inGl.length > 0
        ? `. The Sage invoice's revenue and the charge's revenue are the same sale: settle ${which} in Sage by hand with a credit memo, not a cash receipt (the money and the revenue are in GL already)`
        : `; booking the invoice's revenue too would count the sale twice`;
    return record(`Not applied in AR and not booked: Stripe invoice ${invoice.id} names ${names}, but ${soldBy}${settle}${itemised}`, false, journal.lines);
  }
  const parts = [
    balanceApplied > 0n ? `the customer balance applied ${formatSageAmount(balanceApplied)} (${customerCredits} Dr)` : null,
    balanceApplied < 0n ? `the customer's debit balance carried onto it ${formatSageAmount(-balanceApplied)} (${customerCredits} Cr)` : null,
    prePayment !== 0n ? `pre-payment credit notes ${formatSageAmount(prePayment)} (${receivable} Dr, which the credit notes clear)` : null,
    ...others.map((paid) => `${paid.chargeId} ${formatSageAmount(paid.gross)} (${receivable} Dr, which its payment clears)`),
  ].filter((part): part is string => part !== null);
  const against = total - held >= 0n ? `${saleAccount} Cr ${formatSageAmount(total - held)}` : `${saleAccount} Dr ${formatSageAmount(held - total)}`;
  const inAr = named === null ? '' : `Not applied in AR: Stripe invoice ${invoice.id} names ${names}; settle ${which} in Sage by hand with a credit memo, not a cash receipt. `;
  return record(
    `${inAr}Booked only in part: ${soldBy}; this journal books the rest of its total ${formatSageAmount(total)}: ${parts.join(', ')}, against ${against}${itemised}`,
    true,
    rest,
  );
}

/** One charge's part in the note. */
function soldPart(holder: Holder, saleAccount: string, showAmount: boolean): string {
  const of = showAmount ? `${formatSageAmount(holder.gross)} of ` : '';
  if (holder.held.kind === 'gl') {
    const when = `${holder.held.journal.inSage ? 'booked in GL' : 'planned in GL'} on ${holder.held.journal.postDate}`;
    return `${holder.chargeId}, whose GL journal (${when}) booked ${of}the sale to ${saleAccount} before the invoice payment was known`;
  }
  const receipt = holder.held.receipt;
  const target = receipt.applyTo ? `Sage invoice ${receipt.applyTo.tranId}` : 'the AR invoice written for its sale';
  return `${holder.chargeId}, an AR cash receipt in Sage (written on ${holder.held.postDate}) for ${of}the sale, applied to ${target}, which holds that sale`;
}

function whatHeld(paid: PaidBy, invoiceId: string, receivable: string): string {
  const held = paid.held;
  if (held === null) return `credits ${receivable} once planned`;
  if (held.kind === 'receipt') return holdsSale(held, invoiceId) ? 'an AR cash receipt holding the sale' : 'an AR cash receipt paying this invoice';
  return held.journal.creditsReceivable ? `credits ${receivable}` : 'booked the sale in GL';
}

/** The record decided in an earlier pass and in Sage (skipped or written): a new plan never replaces it. */
export function decidedSaleInCharge(ledger: Pick<Ledger, 'documents'>, journal: JournalDocument): JournalDocument | null {
  const stored = ledger.documents.getDocument(journal.key);
  return stored && IN_SAGE.has(stored.state) && stored.document.type === 'journal' && stored.document.saleInCharge ? stored.document : null;
}

/**
 * What an invoice recorded as skipped whole still has to book: versions before the amount
 * comparison skipped a charge-first invoice whole despite a customer balance, pre-payment credit
 * notes or a second payment. Their skip record stays (a decision in the ledger is never replaced);
 * when the invoice planned again now books a rest, that rest goes under a key of its own
 * (`in_…:paid:rest`), written once however often it is planned.
 */
export function restAfterSkippedWhole(skipped: JournalDocument, planned: JournalDocument | null): JournalDocument[] {
  if (skipped.saleInCharge?.restOfSale || !planned?.saleInCharge?.restOfSale) return [];
  const note = `${planned.saleInCharge.note}. An earlier version recorded this invoice as not booked at all (${skipped.key}); this journal books what that left out`;
  return [{ ...planned, key: `${skipped.key}:rest`, description: `${planned.description}. An earlier version recorded this invoice as not booked at all (${skipped.key}); this journal books what that left out`, saleInCharge: { ...planned.saleInCharge, note } }];
}

/**
 * A charge whose invoice is recorded as sold by it keeps crediting revenue when planned again
 * (a new mapping, a refund updating the charge): crediting the receivable now would leave it
 * credited with no invoice journal to debit it.
 */
export function keptSaleInCharge(ledger: Pick<Ledger, 'documents'>, charge: StripeCharge, invoiceId: string | null, documents: SageDocument[], mapping: Mapping): SageDocument[] | null {
  if (invoiceId === null) return null;
  const record = ledger.documents.getDocument(paidInvoiceKey(invoiceId));
  const sold = record?.document.type === 'journal' ? record.document.saleInCharge : undefined;
  if (!sold || !(sold.chargeIds ?? [sold.chargeId]).includes(charge.id)) return null;
  const { receivable, revenue } = mapping.accounts;
  return documents.map((document) =>
    document.type === 'journal' && document.stripeObjectId === charge.id
      ? { ...document, lines: document.lines.map((line) => (line.acctNo === receivable ? { ...line, acctNo: revenue } : line)) }
      : document,
  );
}

/** After a plan is saved, each invoice journal that books nothing is recorded as skipped with its note, never written. */
export function recordSaleInChargeSkips(ledger: Pick<SageDocumentLedger, 'skipDocuments'>, documents: readonly SageDocument[]): void {
  for (const document of documents) {
    if (document.type === 'journal' && document.saleInCharge && !document.saleInCharge.restOfSale) ledger.skipDocuments([document.key], document.saleInCharge.note);
  }
}
