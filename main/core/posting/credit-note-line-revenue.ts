import type { StripeCreditNote } from '../stripe/objects.js';
import { PlanningError } from './planning-error.js';

/** The revenue one credit note line reverses in one part of the note (pre- or post-payment). */
export interface CreditNoteLineShare {
  /** The credit note line (`cnli_…`): the journal line's trace. */
  id: string;
  description: string | null;
  /** The invoice line it credits. */
  invoiceLine: string;
  amount: number;
}

/**
 * The revenue each credited invoice line takes back in the two parts of a credit note, for
 * rules that read invoice lines (docs/posting-rules.md, "Rules on invoice lines"). A line's
 * revenue is read as an invoice line's is (invoice-line-revenue.ts): its amount less its
 * discounts, its other pre-tax credits and the tax included in its price. A mixed note gives
 * each line the pre-payment share of it in proportion, rounded half up as the note's tax is,
 * (`prePayment` of the note's total) and the rest to the post-payment part. What the lines do not take (custom lines, shipping,
 * rounding) stays on the part's own revenue line. Null when the note has no list of lines, so
 * the note is read as one document.
 */
export function creditNoteLineShares(note: StripeCreditNote, revenue: number, prePayment: number): { pre: CreditNoteLineShare[]; post: CreditNoteLineShare[] } | null {
  if (!note.lines || !Array.isArray(note.lines.data)) return null;
  if (note.lines.has_more) {
    throw new PlanningError('data', `credit note ${note.id} has more lines than Stripe returned with it; read the full line list`);
  }
  const pre: CreditNoteLineShare[] = [];
  const post: CreditNoteLineShare[] = [];
  let credited = 0;
  for (const item of note.lines.data) {
    if (item.type !== 'invoice_line_item' || !item.invoice_line_item) continue;
    const discounts = sum(item.discount_amounts ?? []);
    const credits = sum((item.pretax_credit_amounts ?? []).filter((entry) => entry.type !== 'discount'));
    const inclusiveTax = sum((item.taxes ?? []).filter((entry) => entry.tax_behavior === 'inclusive'));
    const amount = item.amount - discounts - credits - inclusiveTax;
    credited += amount;
    const share = note.total === 0 ? 0 : Math.floor((2 * amount * prePayment + note.total) / (2 * note.total));
    const line = { id: item.id, description: item.description, invoiceLine: item.invoice_line_item };
    pre.push({ ...line, amount: share });
    post.push({ ...line, amount: amount - share });
  }
  if (credited > revenue) {
    throw new PlanningError(
      'data',
      `credit note ${note.id}: its invoice lines credit ${credited} (minor units) of revenue but the note reverses only ${revenue}; the lines cannot be booked by their rules until they agree`,
    );
  }
  return { pre, post };
}

function sum(entries: readonly { amount: number }[]): number {
  return entries.reduce((total, entry) => total + entry.amount, 0);
}
