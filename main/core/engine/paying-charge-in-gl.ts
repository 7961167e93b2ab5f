import { arReceiptKey } from '../ar/ar-receipt-plan.js';
import { saleRestKey } from './ar-form-change.js';
import type { Mapping } from '../mapping/mapping.js';
import { parseSageAmount, sumAmounts, type SageAmount } from '../money/sage-amount.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { Ledger } from '../ports/ledger.js';
import type { ArCashReceipt, JournalLine } from '../sage/documents.js';
import type { StripeCharge, StripeInvoice } from '../stripe/objects.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * Whether the charge that paid a Stripe invoice already has its GL journal in the ledger
 * (docs/posting-rules.md "AR payments", charge booked before its invoice was paid), and what it
 * credited. Stripe marks an invoice paid after its PaymentIntent succeeds, so a sync between the
 * two books the charge in GL as the payment of a Stripe invoice (receivable −gross) while the
 * invoice is still open; a charge read before its invoice payment was known at all (a
 * PaymentIntent attached to the invoice later) booked the sale itself (revenue −gross). Its
 * journal, once planned, is what the charge books (an unwritten one too: the charge is not
 * planned again when its invoice is paid), so the invoice can no longer collect a Sage invoice,
 * and its own journal must debit the receivable the charge credits, or book nothing when the
 * charge booked the sale (sale-in-charge.ts).
 *
 * A charge whose AR cash receipt is in the ledger is not in GL (its journal of the same key is
 * the fee journal): it is reported with its receipt, which may hold the sale in Sage AR (a
 * PaymentIntent attached to a Stripe invoice after its charge was applied to a Sage invoice). One
 * a rule skipped is reported with nothing held. A journal inside a daily summary counts as the
 * charge's. A fee journal with the rest of the sale beside it (`ch_…:txn_…:sale`,
 * ar-form-change.ts) is read together with it: the two are the charge's GL journal.
 */

export interface ChargeInGl {
  chargeId: string;
  /** The date the journal is posted on in GL (the charge's business date, or its summary's). */
  postDate: BusinessDate;
  /** Written to Sage (or being written, or keyed by hand), not just planned. */
  inSage: boolean;
  /** It credited the receivable (it knew its invoice); false: it booked the sale to revenue itself. */
  creditsReceivable: boolean;
}

const IN_SAGE: ReadonlySet<string> = new Set(['written', 'writing', 'skipped']);

/** The mapping's receivable and clearing accounts. */
export type PaymentAccounts = Pick<Mapping['accounts'], 'receivable' | 'clearing'>;

/** What the ledger holds for a charge that paid the invoice. */
export type HeldPayment =
  /** Its GL journal; `gross` is what it credited besides clearing (the receivable, or revenue when it booked the sale), `credits` those lines. */
  | { kind: 'gl'; journal: ChargeInGl; gross: SageAmount; credits: JournalLine[] }
  /** Its AR cash receipt (the journal of its key is then the fee journal). */
  | { kind: 'receipt'; chargeId: string; postDate: BusinessDate; inSage: boolean; receipt: ArCashReceipt };

export interface PayingCharge {
  charge: StripeCharge;
  /** Null: nothing planned for it yet, or a rule skipped its journal. */
  held: HeldPayment | null;
}

/** The charge that paid the invoice whose GL journal credits the receivable (the first, by id), or null. */
export function payingChargeInGl(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, accounts: PaymentAccounts): ChargeInGl | null {
  const found = chargesPaying(ledger, invoice, accounts).find((paying) => paying.held?.kind === 'gl' && paying.held.journal.creditsReceivable);
  return found?.held?.kind === 'gl' ? found.held.journal : null;
}

/** Each stored charge that paid the invoice (with its balance transaction), and what the ledger holds for it. */
export function chargesPaying(ledger: Pick<Ledger, 'objects' | 'documents'>, invoice: StripeInvoice, accounts: PaymentAccounts): PayingCharge[] {
  const { receivable, clearing } = accounts;
  const found: PayingCharge[] = [];
  for (const chargeId of ledger.objects.chargesPayingInvoice(invoice.id)) {
    const stored = ledger.objects.getObject(chargeId);
    if (stored?.object.object !== 'charge') continue;
    const field = stored.object.balance_transaction;
    const balanceTransactionId = typeof field === 'string' ? field : (field?.id ?? null);
    if (balanceTransactionId === null) continue;
    found.push({ charge: stored.object, held: heldFor(ledger, chargeId, balanceTransactionId, receivable, clearing) });
  }
  return found;
}

function heldFor(ledger: Pick<Ledger, 'documents'>, chargeId: string, balanceTransactionId: string, receivable: string, clearing: string): HeldPayment | null {
  const journalKey = `${chargeId}:${balanceTransactionId}`;
  const booking = ledger.documents.documentsTracing(balanceTransactionId);
  const receipt = booking.find((document) => document.docKey === arReceiptKey(journalKey));
  if (receipt) {
    if (receipt.document.type !== 'journal' || !receipt.document.arReceipt) return null;
    return { kind: 'receipt', chargeId, postDate: receipt.document.postDate, inSage: IN_SAGE.has(receipt.state), receipt: receipt.document.arReceipt };
  }
  const keys = [journalKey, saleRestKey(journalKey)];
  // The sale's journal, or its fee journal and the rest of the sale beside it (ar-form-change.ts),
  // each alone or a daily summary's part; each key counted once.
  const found = new Map<string, { postDate: BusinessDate; inSage: boolean; lines: readonly JournalLine[] }>();
  for (const document of booking) {
    if (document.document.type !== 'journal' || document.document.skippedByRule !== undefined) continue;
    const { postDate } = document.document;
    const inSage = IN_SAGE.has(document.state);
    const parts = isDailySummary(document.document) ? document.document.summary.parts : [{ key: document.docKey, lines: document.document.lines }];
    for (const part of parts) if (keys.includes(part.key) && !found.has(part.key)) found.set(part.key, { postDate, inSage, lines: part.lines });
  }
  if (found.size === 0) return null;
  const held = [...found.values()];
  const credits = held.flatMap((entry) => entry.lines).filter((line) => line.acctNo !== clearing && parseSageAmount(line.amount) < 0n);
  return {
    kind: 'gl',
    journal: { chargeId, postDate: held[0]!.postDate, inSage: held.every((entry) => entry.inSage), creditsReceivable: credits.some((line) => line.acctNo === receivable) },
    gross: -sumAmounts(credits.map((line) => parseSageAmount(line.amount))),
    credits,
  };
}
