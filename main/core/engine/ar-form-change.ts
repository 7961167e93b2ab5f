import { arInvoiceKey } from '../ar/ar-invoice-plan.js';
import { arReceiptKey } from '../ar/ar-receipt-plan.js';
import type { Mapping } from '../mapping/mapping.js';
import { formatSageAmount, parseSageAmount, sumAmounts } from '../money/sage-amount.js';
import { journalDocument } from '../posting/journal-document.js';
import { PlanningError } from '../posting/planning-error.js';
import { isDailySummary } from '../posting/daily-summary.js';
import type { Ledger, StoredDocument } from '../ports/ledger.js';
import type { JournalDocument, JournalLine, SageDocument } from '../sage/documents.js';

/**
 * A charge planned again in another form after part of its earlier AR form reached Sage
 * (docs/posting-rules.md "AR invoices for Stripe sales", turning the option off after a permanent
 * failure). An AR invoice or cash receipt that failed for good leaves the fee journal written
 * under the sale's own key (`ch_…:txn_…`: fees +fee, clearing −fee). When the user then turns AR
 * invoices or AR payments off, the charge's plan is its GL journal under that same key, which
 * cannot replace a written document: the gross and the revenue would never reach GL. So:
 *
 * - the GL journal becomes the part Sage does not hold yet, under `ch_…:txn_…:sale`: the plan
 *   without its fee lines, clearing raised by the fee the fee journal holds (clearing +gross,
 *   revenue −gross), whatever accounts the fees are mapped to now. The fee is booked once, by the
 *   fee journal already written; a rest that does not balance is a record error at planning;
 * - the charge's AR invoice and receipt that are not in Sage and not in the new plan are
 *   withdrawn, so a retry can never write them beside the GL journal.
 */

const IN_SAGE: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

export function saleRestKey(journalKey: string): string {
  return `${journalKey}:sale`;
}

export interface ChargeFormChange {
  documents: SageDocument[];
  /** The charge's AR invoice and receipt of an earlier plan that the new plan no longer has. */
  withdraw: string[];
}

export function afterEarlierArForm(ledger: Pick<Ledger, 'documents'>, journalKey: string, documents: SageDocument[], mapping: Mapping): ChargeFormChange {
  const planned = documents.map((document) => (document.type === 'journal' && document.key === journalKey ? restOfSale(ledger, document, mapping) : document));
  const keys = new Set(planned.map((document) => document.key));
  return { documents: planned, withdraw: [arInvoiceKey(journalKey), arReceiptKey(journalKey)].filter((key) => !keys.has(key)) };
}

/** The GL journal, or what Sage lacks of it when a receipt's fee journal holds its key. */
function restOfSale(ledger: Pick<Ledger, 'documents'>, journal: JournalDocument, mapping: Mapping): JournalDocument {
  const { clearing } = mapping.accounts;
  if (journal.arReceipt || journal.skippedByRule !== undefined) return journal;
  const held = heldLines(ledger, journal);
  const credits = (lines: readonly JournalLine[]) => lines.some((line) => line.acctNo !== clearing && parseSageAmount(line.amount) < 0n);
  if (held === null || !credits(journal.lines)) return journal;
  const planFee = sumAmounts(journal.lines.filter((line) => line.acctNo !== clearing && parseSageAmount(line.amount) > 0n).map((line) => parseSageAmount(line.amount)));
  // A fee journal has one credit, the fee, on clearing as it was mapped when the journal was
  // written (a clearing account renamed since must not make it read as the sale); a GL journal
  // written under the key, whose credit is the revenue, is the sale itself.
  const heldCredits = held.filter((line) => parseSageAmount(line.amount) < 0n);
  const feeJournal = heldCredits.length === 1 && (-parseSageAmount(heldCredits[0]!.amount) === planFee || heldCredits[0]!.acctNo === clearing);
  if (!feeJournal) return journal;
  // The fee journal debits the fees (on the accounts of the mapping it was planned with) and
  // credits clearing; what is left is the plan without its fee lines, clearing raised by the
  // fee held. Netting account by account would drop a held fee on an account the mapping no
  // longer names and leave the journal unbalanced.
  const heldFee = -parseSageAmount(heldCredits[0]!.amount);
  const rest: JournalLine[] = [];
  for (const line of journal.lines) {
    const amount = parseSageAmount(line.amount);
    if (line.acctNo === clearing) rest.push({ ...line, amount: formatSageAmount(amount + heldFee) });
    else if (amount < 0n) rest.push(line);
  }
  const key = saleRestKey(journal.key);
  if (planFee !== heldFee) {
    throw new PlanningError(
      'data',
      `journal ${key} cannot book the rest of the sale: the fee journal ${journal.key} in Sage holds fees of ${formatSageAmount(heldFee)}, but the charge's fees are ${formatSageAmount(planFee)}`,
    );
  }
  return {
    ...journal,
    ...journalDocument({
      key,
      postDate: journal.postDate,
      stripeObjectId: journal.stripeObjectId,
      description: `${journal.description}: its fees are in Sage already (journal ${journal.key}, written while its payment was to be an AR document that never reached Sage); this journal books the rest of the sale`,
      lines: rest.filter((line) => parseSageAmount(line.amount) !== 0n),
    }),
  };
}

/** The lines Sage holds under the journal's key: its own document, or its part of a daily summary. */
function heldLines(ledger: Pick<Ledger, 'documents'>, journal: JournalDocument): readonly JournalLine[] | null {
  const own = ledger.documents.getDocument(journal.key);
  if (own && IN_SAGE.has(own.state) && own.document.type === 'journal') return own.document.lines;
  const traceId = journal.lines[0]?.traceId;
  if (!traceId) return null;
  for (const stored of ledger.documents.documentsTracing(traceId)) {
    if (!IN_SAGE.has(stored.state) || !isDailySummary(stored.document)) continue;
    const part = stored.document.summary.parts.find((entry) => entry.key === journal.key);
    if (part) return part.lines;
  }
  return null;
}
