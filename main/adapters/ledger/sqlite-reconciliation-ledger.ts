import type { DocumentState } from '../../core/engine/engine-events.js';
import { isDailySummary } from '../../core/posting/daily-summary.js';
import type { DriftFinding, ReconciliationLedger, TraceOnAccount, TracedAmount, TracedJournalLine } from '../../core/ports/reconciliation-ledger.js';
import type { StoredDocument } from '../../core/ports/sage-document-ledger.js';
import type { StoredObject } from '../../core/ports/stripe-object-ledger.js';
import type { JournalDocument } from '../../core/sage/documents.js';
import type { StripeBalanceTransaction } from '../../core/stripe/objects.js';
import type { LedgerConnection } from './ledger-connection.js';
import { documentState, toDocument, toStoredObject, type DocumentRow, type ObjectRow } from './ledger-rows.js';

/**
 * Every line of every written journal whose body may hold a line on `@acctNo`, as `lines(line)`.
 * A daily summary's own lines trace the summary; its parts keep the per-transaction lines, so
 * those are the ones taken. `jsonb_each` walks the body's lines where they are (a path argument,
 * not `json_extract` of the array, which wrote the array out as text for `json_each` to parse
 * again) and gives each line as JSONB, so reading its account, amount and trace does not parse
 * the line's text three times; `jsonb(d.body)` goes through SQLite's per-statement cache of
 * parsed JSON, which the test for a summary then finds, so each body is parsed once. Callers
 * still compare each line's account: the text test only spares parsing bodies that cannot hold
 * it (docs/performance.md, 5).
 */
function writtenJournalLines(acctNo: string): string {
  const mayHold = appearsVerbatimInJson(acctNo) ? 'AND instr(d.body, @acctNo) > 0' : '';
  return `WITH lines AS (
  SELECT line.value AS line FROM documents d, jsonb_each(jsonb(d.body), '$.lines') AS line
  WHERE d.type = 'journal' AND d.state = 'written' ${mayHold} AND json_extract(d.body, '$.summary') IS NULL
  UNION ALL
  SELECT line.value FROM documents d, jsonb_each(jsonb(d.body), '$.summary.parts') AS part,
    jsonb_each(part.value, '$.lines') AS line
  WHERE d.type = 'journal' AND d.state = 'written' ${mayHold} AND json_extract(d.body, '$.summary') IS NOT NULL
)`;
}

/**
 * Whether a string is written into a JSON body exactly as it is: printable ASCII without the
 * two characters JSON escapes (`"` and `\`). Document bodies are `JSON.stringify` text, which
 * escapes nothing else in that range, so a body with a line on such an account contains the
 * account's text, and one without it has no line on that account (a Sage account number is
 * digits, letters and separators; any other goes the long way, every body parsed).
 */
function appearsVerbatimInJson(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text) && !/["\\]/.test(text);
}

/** Rows of a drift check's list read at a time. */
const DRIFT_PAGE = 500;

/**
 * Text order as SQLite's BINARY collation sorts it (byte by byte over UTF-8), which is not
 * JavaScript's (UTF-16 code units) beyond the Basic Multilingual Plane: the merge of two
 * ORDER BY streams must agree with the order they come in. UTF-8 bytes sort as code points do;
 * UTF-16 units sort so too except that surrogates (0xD800–0xDFFF, the halves of the code points
 * above 0xFFFF) come before 0xE000–0xFFFF. So at the first unit that differs, surrogates are
 * lifted above the rest (without encoding either string: the merge compares once per trace).
 */
function compareAsSqlite(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const unitA = a.charCodeAt(index);
    const unitB = b.charCodeAt(index);
    if (unitA !== unitB) return codePointRank(unitA) - codePointRank(unitB);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/** The lines of a journal per balance transaction: a daily summary's parts, or the journal's own lines. */
function perTransactionLines(journal: JournalDocument): JournalDocument['lines'] {
  return isDailySummary(journal) ? journal.summary.parts.flatMap((part) => part.lines) : journal.lines;
}

/**
 * Queries across both sides of the ledger (what Stripe says and what is booked in Sage) for
 * payout tie-outs and the drift checks, and the drift_findings table.
 */
export class SqliteReconciliationLedger implements ReconciliationLedger {
  constructor(private readonly connection: LedgerConnection) {}

  private storedObjects(text: string, params: Record<string, number>): StoredObject[] {
    return (this.connection.sql(text).all(params) as ObjectRow[]).map(toStoredObject);
  }

  countPayoutsArrivedNotTiedOut(nowSeconds: number): number {
    return (
      this.connection
        .sql(
          `SELECT COUNT(*) AS n FROM object_issues i JOIN stripe_objects o ON o.id = i.object_id
           WHERE o.kind = 'payout' AND i.error_class = 'waiting'
             AND (json_extract(o.body, '$.status') = 'paid' OR json_extract(o.body, '$.arrival_date') < ?)`,
        )
        .get(nowSeconds) as { n: number }
    ).n;
  }

  journalLinesTracing(traceIds: readonly string[]): TracedJournalLine[] {
    const wanted = new Set(traceIds);
    // One query for the whole list (a payout proof asks 500 at a time), not one per id. The
    // order is the per-id reading's: the ids as given, then a trace's documents by key; a
    // document tracing several of them comes at its first.
    const rows = this.connection
      .sql(
        `SELECT t.doc_key, ${documentState('d')} AS state, d.body FROM json_each(?) AS wanted
         JOIN document_traces t ON t.trace_id = wanted.value JOIN documents d ON d.doc_key = t.doc_key
         WHERE d.type = 'journal' AND d.state <> 'skipped'
         ORDER BY wanted.key, t.doc_key`,
      )
      .all(JSON.stringify([...wanted])) as { doc_key: string; state: DocumentState; body: string }[];
    const seen = new Set<string>();
    const lines: TracedJournalLine[] = [];
    for (const row of rows) {
      if (seen.has(row.doc_key)) continue;
      seen.add(row.doc_key);
      for (const line of perTransactionLines(JSON.parse(row.body) as JournalDocument)) {
        if (wanted.has(line.traceId)) lines.push({ docKey: row.doc_key, state: row.state, line });
      }
    }
    return lines;
  }

  writtenAmountsOnAccountUpTo(acctNo: string, createdUpTo: number, excludeTraceId: string): string[] {
    return (
      this.connection
        .sql(
          `${writtenJournalLines(acctNo)}
           SELECT json_extract(lines.line, '$.amount') AS amount FROM lines
           JOIN balance_transactions b ON b.id = json_extract(lines.line, '$.traceId')
           WHERE json_extract(lines.line, '$.acctNo') = @acctNo AND b.id <> @exclude AND json_extract(b.body, '$.created') <= @upTo`,
        )
        .all({ acctNo, upTo: createdUpTo, exclude: excludeTraceId }) as { amount: string }[]
    ).map((row) => row.amount);
  }

  balanceTransactionsToPlanAlone(mappingVersion: number): StripeBalanceTransaction[] {
    // No other object's document books it, and it has no document of its own that is written,
    // being written, skipped, or planned with this mapping version.
    return (
      this.connection
        .sql(
          `SELECT b.body FROM balance_transactions b
           WHERE NOT EXISTS (
             SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
             WHERE t.trace_id = b.id
               AND (d.stripe_object_id <> b.id OR ${documentState('d')} IN ('written', 'writing', 'skipped') OR d.mapping_version = @version))
           ORDER BY json_extract(b.body, '$.created'), b.id`,
        )
        .all({ version: mappingVersion }) as { body: string }[]
    ).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  }

  writtenLinesOnAccount(acctNo: string): TracedAmount[] {
    return this.connection
      .sql(
        `${writtenJournalLines(acctNo)}
         SELECT json_extract(line, '$.traceId') AS traceId, json_extract(line, '$.amount') AS amount FROM lines
         WHERE json_extract(line, '$.acctNo') = @acctNo`,
      )
      .all({ acctNo }) as TracedAmount[];
  }

  tracesOnAccount(acctNo: string, from: number | null, upTo: number): Iterable<TraceOnAccount> {
    // Two ordered streams, merged by trace id: the lines sorted by SQLite (small rows), the
    // transactions in primary-key order (no sort). Only the current trace is in memory.
    const lines = this.connection.sql(
      `${writtenJournalLines(acctNo)}
       SELECT COALESCE(json_extract(line, '$.traceId'), '') AS traceId, json_extract(line, '$.amount') AS amount FROM lines
       WHERE json_extract(line, '$.acctNo') = @acctNo ORDER BY 1`,
    );
    // Every transaction in key order; the window is applied to the parsed body, which the trace
    // needs anyway (SQLite's json_extract parsed each body once more only to read `created`, an
    // integer whenever it is stored: object-schemas.ts).
    const transactions = this.connection.sql('SELECT id, body FROM balance_transactions ORDER BY id');
    const inWindow = (created: unknown): boolean => typeof created === 'number' && created <= upTo && (from === null || created >= from);
    return {
      *[Symbol.iterator]() {
        const lineRows = lines.iterate({ acctNo }) as IterableIterator<TracedAmount>;
        const transactionRows = transactions.iterate() as IterableIterator<{ id: string; body: string }>;
        const nextInWindow = (): { id: string; parsed: StripeBalanceTransaction } | null => {
          for (let row = transactionRows.next(); !row.done; row = transactionRows.next()) {
            const parsed = JSON.parse(row.value.body) as StripeBalanceTransaction;
            if (inWindow(parsed.created)) return { id: row.value.id, parsed };
          }
          return null;
        };
        try {
          let line = lineRows.next();
          let transaction = nextInWindow();
          while (!line.done || transaction !== null) {
            const traceId = line.done || (transaction !== null && compareAsSqlite(transaction.id, line.value.traceId) < 0) ? transaction!.id : line.value.traceId;
            const booked: string[] = [];
            for (; !line.done && line.value.traceId === traceId; line = lineRows.next()) booked.push(line.value.amount);
            let stored: StripeBalanceTransaction | null = null;
            if (transaction !== null && transaction.id === traceId) {
              stored = transaction.parsed;
              transaction = nextInWindow();
            }
            yield { traceId, transaction: stored, booked };
          }
        } finally {
          lineRows.return?.();
          transactionRows.return?.();
        }
      },
    };
  }

  /**
   * The rows of a keyset-paged statement (`@after` the last row's key, `@limit`), one page in
   * memory at a time; no statement stays open between pages, so the caller may write.
   */
  private *pages<Row>(text: string, params: Record<string, unknown>, after: Record<string, unknown>, keyOf: (row: Row) => Record<string, unknown>): Generator<Row> {
    const statement = this.connection.sql(text);
    for (let key = after; ; ) {
      const rows = statement.all({ ...params, ...key, limit: DRIFT_PAGE }) as Row[];
      yield* rows;
      if (rows.length < DRIFT_PAGE) return;
      key = keyOf(rows[rows.length - 1]!);
    }
  }

  *balanceTransactionsNotBooked(createdBefore: number): Iterable<StripeBalanceTransaction> {
    const rows = this.pages<{ id: string; body: string }>(
      // Booked first, by index: SQLite evaluates a subquery after the other terms, so written as
      // two terms it parsed every transaction's body for `created`, booked or not. The CASE
      // reads the body only of a transaction no written document traces.
      `SELECT b.id, b.body FROM balance_transactions b
       WHERE b.id > @after
         AND CASE WHEN EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
                               WHERE t.trace_id = b.id AND d.state = 'written')
                  THEN 0 ELSE json_extract(b.body, '$.created') < @before END
       ORDER BY b.id LIMIT @limit`,
      { before: createdBefore },
      { after: '' },
      (row) => ({ after: row.id }),
    );
    for (const row of rows) yield JSON.parse(row.body) as StripeBalanceTransaction;
  }

  *writtenJournalsOfChangedObjects(): Iterable<StoredDocument> {
    const rows = this.pages<DocumentRow>(
      `SELECT d.* FROM documents d JOIN stripe_objects o ON o.id = d.stripe_object_id
       WHERE d.state = 'written' AND d.sort_key > @after AND d.type = 'journal' AND o.updated_at > d.updated_at
       ORDER BY d.sort_key LIMIT @limit`,
      {},
      { after: '' },
      (row) => ({ after: row.sort_key }),
    );
    for (const row of rows) yield toDocument(row);
  }

  paidPayoutsNotBookedAfterArrival(arrivedBefore: number): StoredObject[] {
    return this.storedObjects(
      `SELECT id, kind, created, body FROM stripe_objects o
       WHERE kind = 'payout' AND json_extract(body, '$.status') = 'paid' AND json_extract(body, '$.arrival_date') < @before
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_key = o.id || ':arrived' AND d.state = 'written')
       ORDER BY created, id`,
      { before: arrivedBefore },
    );
  }

  *chargesWithoutBookedFees(createdBefore: number): Iterable<StoredObject> {
    const rows = this.pages<ObjectRow>(
      `SELECT id, kind, created, body FROM stripe_objects o
       WHERE kind = 'charge' AND (created > @created OR (created = @created AND id > @id)) AND created < @before
         AND json_extract(body, '$.status') = 'succeeded'
         AND (json_extract(body, '$.balance_transaction') IS NULL
              OR NOT EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
                             WHERE t.trace_id = json_extract(o.body, '$.balance_transaction') AND d.state = 'written'))
       ORDER BY created, id LIMIT @limit`,
      { before: createdBefore },
      { created: Number.MIN_SAFE_INTEGER, id: '' },
      (row) => ({ created: row.created, id: row.id }),
    );
    for (const row of rows) yield toStoredObject(row);
  }

  replaceDriftFindings(findings: Iterable<DriftFinding>): number {
    const insert = this.connection.sql(
      `INSERT INTO drift_findings (kind, object_id, message, hint, found_at) VALUES (@kind, @objectId, @message, @hint, @now)
       ON CONFLICT (kind, object_id) DO UPDATE SET message = excluded.message, hint = excluded.hint`,
    );
    const now = this.connection.now();
    return this.connection.transaction(() => {
      this.connection.sql('DELETE FROM drift_findings').run();
      let stored = 0;
      for (const finding of findings) {
        insert.run({ ...finding, now });
        stored++;
      }
      return stored;
    });
  }

  driftFindings(): DriftFinding[] {
    return (
      this.connection.sql('SELECT kind, object_id, message, hint FROM drift_findings ORDER BY kind, object_id').all() as {
        kind: DriftFinding['kind'];
        object_id: string;
        message: string;
        hint: string;
      }[]
    ).map((row) => ({ kind: row.kind, objectId: row.object_id, message: row.message, hint: row.hint }));
  }
}
