import type { DocumentReadAhead, StoredDocument } from '../../core/ports/sage-document-ledger.js';
import type { LedgerConnection } from './ledger-connection.js';
import { documentColumns, isUnwrittenColumns, isWritten, SORT_KEY_COLUMN, stateOfColumns, toDocumentFromColumns } from './ledger-rows.js';

const COLUMNS = documentColumns();
const D_COLUMNS = documentColumns('d');
const DOC_KEY = 0;
/** Documents in sort_key order, as `ORDER BY sort_key` gives them (the keys are ASCII, so code units compare as SQLite's bytes). */
const bySortKey = (a: unknown[], b: unknown[]): number => {
  const left = a[SORT_KEY_COLUMN] as string;
  const right = b[SORT_KEY_COLUMN] as string;
  return left < right ? -1 : left > right ? 1 : 0;
};
/** How often a page changed under the planners is read again before its reads go to SQL one by one (current() says why). */
const REREADS = 3;

/** One page's documents as read ahead: raw rows, parsed at each read so every caller gets a copy of its own, as from SQL. */
interface ReadAheadPage {
  request: DocumentReadAhead;
  /** How many times it was read again after a change (REREADS at most). */
  rereads: number;
  /** This connection's count of changed rows (SQLite's total_changes) when the page was read. */
  changes: number;
  /** SQLite's data_version when the page was read: it moves when another connection commits. */
  version: number;
  /** Set when a read past the page may have seen another connection's commit made since the page was read. */
  overtaken: boolean;
  keyOwners: ReadonlySet<string>;
  byKey: Map<string, unknown[]>;
  byObject: Map<string, unknown[][]>;
  byTrace: Map<string, unknown[][]>;
}

// Every query here that starts from a list of keys (json_each) says CROSS JOIN, which keeps the
// list as the outer loop: for bookedTraceIds SQLite otherwise chose to walk every written
// document by the state index and scan the list for each (744 ms for 500 transactions on a 10k
// ledger against 6 ms, found by the A/B bench).

/**
 * The documents ledger's point reads (getDocument, documentsForObject, documentsTracing,
 * isTraceBooked), answered from a plan-pass page's documents read ahead (readAhead) when the
 * page covers the read, else by one query each.
 *
 * The planners asked some 30,000 point reads for 5,500 objects at 10k objects, most of them for
 * documents not planned yet; a page's documents are now read in three queries. A read is
 * answered from the page only when the page holds its whole answer: a key whose owner (the text
 * before its first `:`) is one the page read every key of, or an object or trace id the page
 * read. And only while nothing the page holds can have changed:
 * - this connection: SQLite counts the rows it changed (total_changes, a fraction of a
 *   microsecond to ask), compared at every read; any change at all (a save or withdrawal of the
 *   plan pass's own, the write pass, a user's skip or retry made while the pass awaited
 *   something, but also Stripe objects or write-backs stored beside it) and the page is read
 *   again, or dropped (current());
 * - another connection (`s5sync retry` run beside the tray app): its commits are seen by a
 *   read that starts a read transaction, which asking for data_version at every read would
 *   cost as much as the point read itself. The page is as of its reading, like one read
 *   transaction; a read past the page checks data_version after it, so once a read may have
 *   seen a newer commit the page is read again before it serves anything older.
 */
export class DocumentPageReads {
  private page: ReadAheadPage | null = null;

  constructor(private readonly connection: LedgerConnection) {
    // A page read inside a transaction or savepoint that is then rolled back may hold rows the
    // rollback undid, and the count of changes does not go back: such a page is not used again.
    connection.onRollback(() => this.forget());
  }

  readAhead(request: DocumentReadAhead): void {
    this.page = this.read(request, 0);
  }

  /** Drops the page read ahead (the plan pass's page is done). */
  forget(): void {
    this.page = null;
  }

  getDocument(docKey: string): StoredDocument | null {
    const page = this.current(true);
    if (page && this.owns(page, docKey)) {
      const row = page.byKey.get(docKey);
      return row ? toDocumentFromColumns(row) : null;
    }
    const row = this.connection.sql(`SELECT ${COLUMNS} FROM documents WHERE doc_key = ?`).raw(true).get(docKey) as unknown[] | undefined;
    this.checkOtherConnections();
    return row ? toDocumentFromColumns(row) : null;
  }

  documentsForObject(objectId: string): StoredDocument[] {
    const ahead = this.current(true)?.byObject.get(objectId);
    if (ahead) return ahead.map(toDocumentFromColumns);
    const rows = this.rows(`SELECT ${COLUMNS} FROM documents WHERE stripe_object_id = ? ORDER BY sort_key`, objectId);
    this.checkOtherConnections();
    return rows.map(toDocumentFromColumns);
  }

  documentsTracing(traceId: string): StoredDocument[] {
    const ahead = this.current(true)?.byTrace.get(traceId);
    if (ahead) return ahead.map(toDocumentFromColumns);
    const rows = this.rows(`SELECT ${D_COLUMNS} FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = ? ORDER BY d.sort_key`, traceId);
    this.checkOtherConnections();
    return rows.map(toDocumentFromColumns);
  }

  isTraceBooked(traceId: string): boolean {
    const ahead = this.current(true)?.byTrace.get(traceId);
    if (ahead) return ahead.some((row) => stateOfColumns(row) === 'written');
    const booked = this.connection
      .sql(
        `SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
         WHERE t.trace_id = ? AND ${isWritten('d')} LIMIT 1`,
      )
      .get(traceId);
    this.checkOtherConnections();
    return Boolean(booked);
  }

  bookedTraceIds(traceIds: readonly string[]): Set<string> {
    const booked = this.connection
      .sql(
        `SELECT DISTINCT t.trace_id FROM json_each(?) AS k CROSS JOIN document_traces t ON t.trace_id = k.value CROSS JOIN documents d ON d.doc_key = t.doc_key
         WHERE ${isWritten('d')}`,
      )
      .pluck(true)
      .all(JSON.stringify(traceIds)) as string[];
    return new Set(booked);
  }

  /**
   * True when the page shows that none of these documents can be withdrawn (none is stored
   * unwritten), so withdrawDocuments has nothing to do; false when it cannot tell.
   */
  nothingToWithdraw(docKeys: readonly string[]): boolean {
    const page = this.current(false);
    if (!page) return false;
    return docKeys.every((docKey) => {
      if (!this.owns(page, docKey)) return false;
      const row = page.byKey.get(docKey);
      return row === undefined || !isUnwrittenColumns(row);
    });
  }

  /** Whether the page read every document whose key has this one's owner. */
  private owns(page: ReadAheadPage, docKey: string): boolean {
    const colon = docKey.indexOf(':');
    return colon > 0 && page.keyOwners.has(docKey.slice(0, colon));
  }

  /**
   * The page, or null once something it holds may have changed since it was read. A planner's
   * read then reads the page again (`reread`), at most REREADS times per page: a pass's page is
   * planned beside other writers (the read pass storing objects beside the early customers,
   * Stripe write-backs recorded beside the rest) whose rows are not documents but move the count
   * all the same. A withdrawal does not (the page's saves come right before it, and each would
   * drop it again).
   */
  private current(reread: boolean): ReadAheadPage | null {
    const page = this.page;
    if (page === null) return null;
    if (!page.overtaken && this.changes() === page.changes) return page;
    this.page = reread && page.rereads < REREADS ? this.read(page.request, page.rereads + 1) : null;
    return this.page;
  }

  /** After a read past the page: when another connection has committed since the page was read, the page is not used as it is again. */
  private checkOtherConnections(): void {
    if (this.page && !this.page.overtaken && this.dataVersion() !== this.page.version) this.page.overtaken = true;
  }

  private read(request: DocumentReadAhead, rereads: number): ReadAheadPage {
    const page: ReadAheadPage = {
      request,
      rereads,
      changes: this.changes(),
      version: this.dataVersion(),
      overtaken: false,
      keyOwners: new Set(request.keyOwners),
      byKey: new Map(),
      byObject: new Map(),
      byTrace: new Map(),
    };
    // The keys `${owner}:…` are the range [owner + ':', owner + ';'): ';' follows ':', and doc_key compares as bytes (BINARY).
    for (const row of this.rows(
      `SELECT ${D_COLUMNS} FROM json_each(?) AS k CROSS JOIN documents d ON d.doc_key >= k.value || ':' AND d.doc_key < k.value || ';'`,
      JSON.stringify([...page.keyOwners]),
    )) {
      page.byKey.set(row[DOC_KEY] as string, row);
    }
    for (const id of request.objectIds) page.byObject.set(id, []);
    for (const row of this.rows(
      `SELECT k.value, ${D_COLUMNS} FROM json_each(?) AS k CROSS JOIN documents d ON d.stripe_object_id = k.value ORDER BY k.value, d.sort_key`,
      JSON.stringify([...page.byObject.keys()]),
    )) {
      page.byObject.get(row[0] as string)!.push(row.slice(1));
    }
    // A trace's documents are read as keys first and each document once: one document can trace
    // many of a page's ids (a daily summary traces every part's object and transaction), and a
    // row per trace and document held a copy of its body for each (a summary of 3,333 charges
    // took 1.7 GB for one page of 500).
    const traced = new Map<string, unknown[]>();
    for (const id of request.traceIds) page.byTrace.set(id, []);
    const pairs = this.rows(
      'SELECT k.value, t.doc_key FROM json_each(?) AS k CROSS JOIN document_traces t ON t.trace_id = k.value',
      JSON.stringify([...page.byTrace.keys()]),
    );
    const unread = [...new Set(pairs.map((pair) => pair[1] as string))].filter((docKey) => !page.byKey.has(docKey));
    for (const row of this.rows(`SELECT ${D_COLUMNS} FROM json_each(?) AS k CROSS JOIN documents d ON d.doc_key = k.value`, JSON.stringify(unread))) {
      traced.set(row[DOC_KEY] as string, row);
    }
    for (const [traceId, docKey] of pairs) {
      const row = page.byKey.get(docKey as string) ?? traced.get(docKey as string);
      if (row !== undefined) page.byTrace.get(traceId as string)!.push(row);
    }
    for (const rows of page.byTrace.values()) rows.sort(bySortKey);
    return page;
  }

  private changes(): number {
    return this.connection.sql('SELECT total_changes()').pluck(true).get() as number;
  }

  private dataVersion(): number {
    return this.connection.sql('PRAGMA data_version').pluck(true).get() as number;
  }

  private rows(text: string, ...params: unknown[]): unknown[][] {
    return this.connection.sql(text).raw(true).all(...params) as unknown[][];
  }
}
