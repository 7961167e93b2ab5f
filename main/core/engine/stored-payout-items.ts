import type { Ledger } from '../ports/ledger.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';

/** Transactions read from the ledger a page at a time. */
const ITEMS_PAGE = 500;

/**
 * Transactions of one payout kept after the first pass for the passes after it. The proof
 * goes through a payout's items twice when it holds (tie-out, then the clearing account); a
 * daily payout has a few hundred to a few thousand, each read and parsed again by the second
 * pass (docs/performance.md, "Session 10, throughput"). A payout above this is read again page
 * by page, as before, so memory stays bounded whatever the payout's size (issue #19: one payout
 * of 90,000 transactions); at about 1.5 KB a parsed transaction, this is about 3 MB.
 */
export const ITEMS_KEPT = 2_000;

/**
 * The payout's listed transactions as the ledger holds them. The first pass reads them a page
 * at a time; a later pass goes through the pages the first one kept when the payout has at most
 * ITEMS_KEPT, and reads them again otherwise. Keeping them gives the same answers: the proof is
 * synchronous and changes nothing, so nothing can change the stored items between its passes.
 * Whether each is booked is asked for its page in one query, the first time one of the page's
 * transactions is asked about (one query per transaction before: 4,080 at 10k objects). A
 * transaction not in the current page is asked alone.
 */
export class StoredPayoutItems implements Iterable<StripeBalanceTransaction> {
  private page: ReadonlySet<string> = new Set();
  private booked: ReadonlySet<string> | null = null;
  /** Every page of the payout once a first pass read them all and they were at most ITEMS_KEPT. */
  private kept: StripeBalanceTransaction[][] | null = null;

  constructor(
    private readonly ledger: Pick<Ledger, 'objects' | 'documents'>,
    private readonly payoutId: string,
  ) {}

  *[Symbol.iterator](): Iterator<StripeBalanceTransaction> {
    if (this.kept !== null) {
      for (const page of this.kept) yield* this.enter(page);
      return;
    }
    let keeping: StripeBalanceTransaction[][] | null = [];
    let count = 0;
    let after: string | null = null;
    for (;;) {
      const page = this.ledger.objects.payoutItemsAfter(this.payoutId, after, ITEMS_PAGE);
      count += page.length;
      if (keeping !== null && count <= ITEMS_KEPT) keeping.push(page);
      else keeping = null;
      yield* this.enter(page);
      if (page.length < ITEMS_PAGE) break;
      after = page[page.length - 1]!.id;
    }
    // Only a pass that went to the end keeps its pages: one a consumer left early holds part of them.
    this.kept = keeping;
  }

  isBooked(id: string): boolean {
    if (!this.page.has(id)) return this.ledger.documents.isTraceBooked(id);
    this.booked ??= this.ledger.documents.bookedTraceIds([...this.page]);
    return this.booked.has(id);
  }

  private enter(page: readonly StripeBalanceTransaction[]): readonly StripeBalanceTransaction[] {
    this.page = new Set(page.map((bt) => bt.id));
    this.booked = null;
    return page;
  }
}

/** The payout's stored items, or null when the list has not been read from Stripe yet. */
export function storedPayoutItems(ledger: Pick<Ledger, 'objects' | 'documents'>, payoutId: string): StoredPayoutItems | null {
  return ledger.objects.isPayoutItemised(payoutId) ? new StoredPayoutItems(ledger, payoutId) : null;
}
