import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../main/core/ports/ledger.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';
import { ITEMS_KEPT, StoredPayoutItems } from '../../main/core/engine/stored-payout-items.js';

/** A payout's items as a plain array in id order, and a ledger that pages through it the way payoutItemsAfter does, counting reads. */
function payoutOf(size: number, booked: ReadonlySet<string> = new Set()) {
  const items = Array.from({ length: size }, (_, index) => ({
    id: `txn_${String(index).padStart(6, '0')}`,
    object: 'balance_transaction',
    amount: 1_000 + index,
    net: 970 + index,
  })) as unknown as StripeBalanceTransaction[];
  const reads = { pages: 0, bookedQueries: 0 };
  const ledger = {
    objects: {
      payoutItemsAfter(payoutId: string, afterId: string | null, limit: number) {
        expect(payoutId).toBe('po_1');
        reads.pages++;
        return items.filter((bt) => afterId === null || bt.id > afterId).slice(0, limit);
      },
    },
    documents: {
      isTraceBooked: (id: string) => booked.has(id),
      bookedTraceIds(ids: readonly string[]) {
        reads.bookedQueries++;
        return new Set(ids.filter((id) => booked.has(id)));
      },
    },
  } as unknown as Pick<Ledger, 'objects' | 'documents'>;
  return { items, reads, stored: new StoredPayoutItems(ledger, 'po_1') };
}

const ids = (items: Iterable<StripeBalanceTransaction>): string[] => [...items].map((bt) => bt.id);

describe('StoredPayoutItems', () => {
  it('reads a payout of at most ITEMS_KEPT transactions once, and every pass sees all of them in id order', () => {
    const { items, reads, stored } = payoutOf(1_234);
    expect(ids(stored)).toEqual(ids(items));
    expect(reads.pages).toBe(3);
    expect(ids(stored)).toEqual(ids(items));
    expect(ids(stored)).toEqual(ids(items));
    expect(reads.pages).toBe(3);
  });

  it('reads a payout above ITEMS_KEPT again on every pass, so it is never held whole', () => {
    const { items, reads, stored } = payoutOf(ITEMS_KEPT + 1);
    expect(ids(stored)).toEqual(ids(items));
    const pagesOnePass = reads.pages;
    expect(pagesOnePass).toBe(5);
    expect(ids(stored)).toEqual(ids(items));
    expect(reads.pages).toBe(2 * pagesOnePass);
  });

  it('keeps nothing from a pass its consumer left early: the next pass reads from the ledger', () => {
    const { items, reads, stored } = payoutOf(1_200);
    for (const bt of stored) if (bt.id === items[700]!.id) break;
    expect(reads.pages).toBe(2);
    expect(ids(stored)).toEqual(ids(items));
    expect(reads.pages).toBe(5);
  });

  it('answers isBooked with one query a page while the page is gone through, on a kept pass as on the first', () => {
    const { reads, stored } = payoutOf(900, new Set(['txn_000003', 'txn_000620', 'txn_999999']));
    for (const pass of [1, 2]) {
      const seen: string[] = [];
      for (const bt of stored) if (stored.isBooked(bt.id)) seen.push(bt.id);
      expect(seen, `pass ${pass}`).toEqual(['txn_000003', 'txn_000620']);
      expect(reads.bookedQueries, `pass ${pass}`).toBe(2 * pass);
    }
    expect(reads.pages).toBe(2);
  });
});
