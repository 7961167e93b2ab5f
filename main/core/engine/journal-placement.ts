import type { Mapping } from '../mapping/mapping.js';
import {
  foldIntoSummaries,
  isDailySummary,
  isDayComplete,
  partOf,
  summaryKey,
  summaryKindOf,
  withoutParts,
  SUMMARY_SETTLE_SECONDS,
  type DailySummaryJournal,
  type StoredSummary,
  type SummaryKind,
} from '../posting/daily-summary.js';
import type { Ledger, StoredDocument } from '../ports/ledger.js';
import type { JournalDocument } from '../sage/documents.js';
import type { AnySyncedObject } from '../stripe/objects.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * Decides where an object's per-transaction journals go under the mapping's granularity, and
 * keeps the two modes from booking anything twice when the granularity changes:
 *
 * - per-transaction: each journal is a document of its own; a journal already inside a
 *   written daily summary is booked and is not planned again; one inside an unwritten
 *   summary is taken out of it.
 * - daily-summary: each journal becomes a part of its day's summary once the day is complete;
 *   a journal already written on its own stays booked; an unwritten per-transaction document
 *   of it is withdrawn. Journals of days not yet complete wait.
 *
 * One instance lives for one planning pass and caches the summaries it touched, because
 * several objects of a page change the same summary before the page is saved.
 */

export interface Placement {
  /** Journals that are documents of the object itself. */
  own: JournalDocument[];
  /** Unwritten per-transaction documents now carried by a summary. */
  withdraw: string[];
  /** Why some of the object's journals are not placed yet, or null. */
  waiting: string | null;
}

const CLOSED_STATES: ReadonlySet<StoredDocument['state']> = new Set(['written', 'writing', 'skipped']);

export class JournalPlacement {
  private readonly chains = new Map<string, StoredSummary[]>();
  private readonly changed = new Map<string, DailySummaryJournal>();
  private readonly emptied = new Set<string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly mapping: Mapping,
    private readonly nowSeconds: number,
  ) {}

  place(objectType: AnySyncedObject['object'], objectId: string, journals: readonly JournalDocument[]): Placement {
    const kind = summaryKindOf(objectType);
    if (kind === null) return { own: [...journals], withdraw: [], waiting: null };
    return this.mapping.granularity === 'daily-summary' ? this.summarise(kind, journals) : this.separate(objectId, journals);
  }

  /** Summaries changed since the last call, and summaries that lost their last part. */
  takeChanges(): { save: DailySummaryJournal[]; withdraw: string[] } {
    const changes = { save: [...this.changed.values()], withdraw: [...this.emptied] };
    this.changed.clear();
    this.emptied.clear();
    return changes;
  }

  private summarise(kind: SummaryKind, journals: readonly JournalDocument[]): Placement {
    const withdraw: string[] = [];
    const waitingDays = new Set<BusinessDate>();
    const byDay = new Map<BusinessDate, JournalDocument[]>();
    for (const journal of journals) {
      const own = this.ledger.documents.getDocument(journal.key);
      if (own && CLOSED_STATES.has(own.state)) continue;
      if (!isDayComplete(journal.postDate, this.nowSeconds, this.mapping.timeZone)) {
        waitingDays.add(journal.postDate);
        continue;
      }
      if (own) withdraw.push(own.docKey);
      byDay.set(journal.postDate, [...(byDay.get(journal.postDate) ?? []), journal]);
    }
    for (const [day, dayJournals] of byDay) {
      for (const summary of foldIntoSummaries(this.chain(kind, day), kind, day, dayJournals.map(partOf))) {
        this.changed.set(summary.key, summary);
        this.emptied.delete(summary.key);
      }
    }
    const waiting =
      waitingDays.size === 0
        ? null
        : `waits for the daily summary of ${kind} on ${[...waitingDays].sort().join(', ')}: a day is summarised ${SUMMARY_SETTLE_SECONDS / 3600} h after it ends in ${this.mapping.timeZone}`;
    return { own: [], withdraw, waiting };
  }

  private separate(objectId: string, journals: readonly JournalDocument[]): Placement {
    const keys = new Set(journals.map((journal) => journal.key));
    const booked = new Set<string>();
    for (const stored of this.ledger.documents.documentsTracing(objectId)) {
      if (!isDailySummary(stored.document)) continue;
      const { kind, day } = stored.document.summary;
      const chain = this.chain(kind, day);
      for (const [index, entry] of chain.entries()) {
        const mine = entry.journal.summary.parts.filter((part) => keys.has(part.key)).map((part) => part.key);
        if (mine.length === 0) continue;
        if (!entry.open) {
          for (const key of mine) booked.add(key);
          continue;
        }
        const rest = withoutParts(entry.journal, new Set(mine));
        if (rest) {
          chain[index] = { journal: rest, open: true };
          this.changed.set(rest.key, rest);
        } else {
          chain.splice(index, 1);
          this.changed.delete(entry.journal.key);
          this.emptied.add(entry.journal.key);
        }
      }
    }
    return { own: journals.filter((journal) => !booked.has(journal.key)), withdraw: [], waiting: null };
  }

  private chain(kind: SummaryKind, day: BusinessDate): StoredSummary[] {
    const id = `${kind}|${day}`;
    let chain = this.chains.get(id);
    if (!chain) {
      chain = [];
      for (let sequence = 1; ; sequence++) {
        const stored = this.ledger.documents.getDocument(summaryKey(kind, day, sequence));
        if (!stored || !isDailySummary(stored.document)) break;
        chain.push({ journal: stored.document, open: !CLOSED_STATES.has(stored.state) });
      }
      this.chains.set(id, chain);
    }
    return chain;
  }
}
