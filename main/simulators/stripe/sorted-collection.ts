/**
 * Objects kept in Stripe's list order. Stored ascending by (created, id) so the generator,
 * which produces objects in time order, appends in O(1); lists read it backwards, which is
 * Stripe's newest-first order (created desc, id desc). Range and cursor lookups are binary
 * searches, so a page costs O(log n + limit) even at 100k+ objects.
 */
export interface Listable {
  id: string;
  created: number;
}

export interface CreatedBounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface PageQuery<T> {
  limit: number;
  /** Return objects older than this one; it need not be in the collection (filtered lists). */
  startingAfter?: Listable;
  /** Return the objects newer than this one that come immediately before it. */
  endingBefore?: Listable;
  created?: CreatedBounds;
  include?: (item: T) => boolean;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

function compareKey(a: Listable, created: number, id: string): number {
  if (a.created !== created) return a.created - created;
  if (a.id === id) return 0;
  return a.id < id ? -1 : 1;
}

export class SortedCollection<T extends Listable> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  insert(item: T): void {
    const last = this.items[this.items.length - 1];
    if (last === undefined || compareKey(last, item.created, item.id) < 0) {
      this.items.push(item);
      return;
    }
    this.items.splice(this.lowerBound(item.created, item.id), 0, item);
  }

  /** Ascending (oldest first) view, for tests and totals. */
  all(): readonly T[] {
    return this.items;
  }

  page(query: PageQuery<T>): Page<T> {
    let low = this.firstIndexCreatedFrom(query.created);
    let high = this.endIndexCreatedTo(query.created);
    const include = query.include ?? (() => true);
    if (query.endingBefore) {
      low = Math.max(low, this.positionAfter(query.endingBefore));
      const newerFirst: T[] = [];
      let index = low;
      for (; index < high && newerFirst.length <= query.limit; index++) {
        const item = this.items[index] as T;
        if (include(item)) newerFirst.push(item);
      }
      const hasMore = newerFirst.length > query.limit;
      return { data: newerFirst.slice(0, query.limit).reverse(), hasMore };
    }
    if (query.startingAfter) {
      high = Math.min(high, this.lowerBound(query.startingAfter.created, query.startingAfter.id));
    }
    const data: T[] = [];
    let index = high - 1;
    for (; index >= low && data.length <= query.limit; index--) {
      const item = this.items[index] as T;
      if (include(item)) data.push(item);
    }
    const hasMore = data.length > query.limit;
    return { data: data.slice(0, query.limit), hasMore };
  }

  /** First position holding an object newer than `item`. */
  private positionAfter(item: Listable): number {
    const index = this.lowerBound(item.created, item.id);
    return this.items[index]?.id === item.id ? index + 1 : index;
  }

  private firstIndexCreatedFrom(bounds: CreatedBounds | undefined): number {
    if (!bounds) return 0;
    let from = Number.NEGATIVE_INFINITY;
    if (bounds.gte !== undefined) from = Math.max(from, bounds.gte);
    if (bounds.gt !== undefined) from = Math.max(from, bounds.gt + 1);
    return from === Number.NEGATIVE_INFINITY ? 0 : this.firstIndexWithCreatedAtLeast(from);
  }

  private endIndexCreatedTo(bounds: CreatedBounds | undefined): number {
    if (!bounds) return this.items.length;
    let to = Number.POSITIVE_INFINITY;
    if (bounds.lte !== undefined) to = Math.min(to, bounds.lte);
    if (bounds.lt !== undefined) to = Math.min(to, bounds.lt - 1);
    return to === Number.POSITIVE_INFINITY ? this.items.length : this.firstIndexWithCreatedAtLeast(to + 1);
  }

  private firstIndexWithCreatedAtLeast(created: number): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.items[mid] as T).created < created) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private lowerBound(created: number, id: string): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKey(this.items[mid] as T, created, id) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
