import type { BalanceProofCarry, BalanceProofChanges, DriftFinding, ReconciliationLedger, TraceOnAccount, TracedAmount } from '../../core/ports/reconciliation-ledger.js';
import type { StoredDocument } from '../../core/ports/sage-document-ledger.js';
import type { StoredObject } from '../../core/ports/stripe-object-ledger.js';
import type { StripeBalanceTransaction } from '../../core/stripe/objects.js';
import { createdInProofWindow } from '../../core/reconciliation/proof-window.js';
import type { LedgerConnection } from './ledger-connection.js';
import { accountToken, amountsOnAccount } from './trace-lines.js';
import { documentState, isWritten, toDocument, toStoredObject, type DocumentRow, type ObjectRow } from './ledger-rows.js';
import { BALANCE_PROOF_TRIGGERS, DRIFT_STALE_TRIGGERS, PLAN_ALONE_TRIGGERS, putTriggersInPlace, triggersPresent } from './carry-triggers.js';
import { LEDGER_SCHEMA_VERSION } from './migrations.js';

/*
 * A journal's lines are read from its trace rows (document_traces.lines, trace-lines.ts): per
 * journal and balance transaction, that transaction's [account, amount] pairs. They are kept for
 * a journal in every state; which of them count is their document's state, read in these two
 * expressions and nowhere else (a seek by key per row). `@token` is the account's accountToken:
 * `instr` skips rows without the account's text before one is parsed (NULL lines, a trace
 * without lines, never match); the caller still takes only the amounts on the account
 * (amountsOnAccount). CROSS JOIN keeps the planner on the named order.
 */

/** The trace rows of written journals that may hold lines on the account, as `written_rows(trace_id, lines)`. */
const WRITTEN_ROWS = `written_rows AS (
  SELECT t.trace_id, t.lines FROM document_traces t CROSS JOIN documents d ON d.doc_key = t.doc_key
  WHERE instr(t.lines, @token) > 0 AND ${isWritten('d')}
)`;

/**
 * The trace rows of journals in any state but skipped for the trace ids of the JSON array
 * `@traceIds` that may hold lines on the account, as `unskipped_rows(trace_id, lines)`: by the
 * trace index, a seek per id and journal.
 */
const UNSKIPPED_ROWS_TRACING = `unskipped_rows AS (
  SELECT t.trace_id, t.lines FROM json_each(@traceIds) AS wanted
  CROSS JOIN document_traces t ON t.trace_id = wanted.value
  CROSS JOIN documents d ON d.doc_key = t.doc_key
  WHERE instr(t.lines, @token) > 0 AND d.state <> 'skipped'
)`;

/**
 * No document claims the transaction `b`: no other object's document traces it, and it has no
 * document of its own that is written, being written, skipped, or planned with this mapping
 * version (`@version`). The money spine plans a journal for each such transaction.
 */
const UNCLAIMED = `NOT EXISTS (
  SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key
  WHERE t.trace_id = b.id
    AND (d.stripe_object_id <> b.id OR ${documentState('d')} IN ('written', 'writing', 'skipped') OR d.mapping_version = @version))`;

/** Every unclaimed transaction, in the order they happened. */
const PLAN_ALONE_ALL = `SELECT b.id, b.body FROM balance_transactions b WHERE ${UNCLAIMED} ORDER BY json_extract(b.body, '$.created'), b.id`;

/**
 * The unclaimed among the candidates: those named in plan_alone_recheck and the transactions
 * stored after rowid `@upTo` (migration-plan-alone-carry.ts), each once, in the same order.
 * UNION ALL with the named ones left out of the second list, not UNION: SQLite merged a UNION
 * by id and so read the second list along the whole id index (0.59 ms at 13k transactions for
 * an idle pass, against 0.06 as a rowid range).
 */
const PLAN_ALONE_CANDIDATES = `SELECT b.id, b.body FROM (
    SELECT id FROM plan_alone_recheck
    UNION ALL SELECT id FROM balance_transactions WHERE rowid > @upTo AND id NOT IN (SELECT id FROM plan_alone_recheck)
  ) AS candidate CROSS JOIN balance_transactions b ON b.id = candidate.id
  WHERE ${UNCLAIMED} ORDER BY json_extract(b.body, '$.created'), b.id`;

/** The last balance_transactions row by rowid (rowid 0 and no id while there is none). */
interface LastTransaction {
  upTo: number;
  id: string | null;
}

/** A trace row as these reads select it. */
interface LinesRow {
  traceId: string;
  lines: string;
}

/** The amounts on `acctNo` of these rows, each with its trace. */
function tracedAmounts(rows: readonly LinesRow[], acctNo: string): TracedAmount[] {
  return rows.flatMap((row) => amountsOnAccount(row.lines, acctNo).map((amount) => ({ traceId: row.traceId, amount })));
}

/** Rows of a drift check's list read at a time. */
const DRIFT_PAGE = 500;

/*
 * The drift checks' lists (migration-drift-lists.ts) and the conditions an entry of each must
 * meet, the same text whether a list is built from the history or its entries are tested again.
 */

/** The lists and the change records they are brought up to date from, emptied when they are built from the history. */
const DRIFT_LIST_TABLES = [
  'drift_unbooked_transactions',
  'drift_unbooked_charges',
  'drift_changed_journals',
  'drift_objects_changed',
  'drift_documents_written',
  'drift_lists_stale',
] as const;


/**
 * A written or a skipped document traces the balance transaction with this id: booked, or kept
 * out of Sage on purpose (before go-live, by a business rule or by the bookkeeper), which is no
 * drift either (migration-drift-skipped-kept-out.ts).
 */
function isBookedOrSkipped(traceId: string): string {
  return `EXISTS (SELECT 1 FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = ${traceId} AND d.state IN ('written', 'skipped'))`;
}

/** The charge `o` succeeded and its balance transaction is missing or no written or skipped document traces it. */
function unbookedCharge(o: string): string {
  return `json_extract(${o}.body, '$.status') = 'succeeded'
    AND (json_extract(${o}.body, '$.balance_transaction') IS NULL OR NOT ${isBookedOrSkipped(`json_extract(${o}.body, '$.balance_transaction')`)})`;
}

/** `d` is a written journal and its object `o` was stored after the journal was last written. */
function changedAfterWriting(d: string, o: string): string {
  return `${d}.state = 'written' AND ${d}.type = 'journal' AND ${o}.updated_at > ${d}.updated_at`;
}

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

  linesOnAccountTracing(acctNo: string, traceIds: readonly string[]): TracedAmount[] {
    // One query for the whole list (a payout proof asks 500 at a time), in the ids' order. Each
    // line once, however often its id is asked.
    const rows = this.connection
      .sql(
        `WITH ${UNSKIPPED_ROWS_TRACING}
         SELECT trace_id AS traceId, lines FROM unskipped_rows`,
      )
      .all({ token: accountToken(acctNo), traceIds: JSON.stringify([...new Set(traceIds)]) }) as LinesRow[];
    return tracedAmounts(rows, acctNo);
  }

  writtenAmountsOnAccountUpTo(acctNo: string, createdUpTo: number, excludeTraceId: string): string[] {
    const rows = this.connection
      .sql(
        `WITH ${WRITTEN_ROWS}
         SELECT l.trace_id AS traceId, l.lines FROM written_rows l JOIN balance_transactions b ON b.id = l.trace_id
         WHERE l.trace_id <> @exclude AND json_extract(b.body, '$.created') <= @upTo`,
      )
      .all({ token: accountToken(acctNo), upTo: createdUpTo, exclude: excludeTraceId }) as LinesRow[];
    return rows.flatMap((row) => amountsOnAccount(row.lines, acctNo));
  }

  balanceTransactionsToPlanAlone(mappingVersion: number): StripeBalanceTransaction[] {
    // The candidates, or every transaction when nothing is carried (migration-plan-alone-carry.ts
    // and migration-plan-alone-triggers.ts say why the candidates hold every answer). The answer is carried as candidates, with
    // the last row seen, in the caller's transaction: rolled back with its plans.
    return this.connection.transaction(() => {
      const last = this.lastTransaction();
      const upTo = this.carriedUpTo(mappingVersion);
      const rows = (
        upTo === null ? this.connection.sql(PLAN_ALONE_ALL).all({ version: mappingVersion }) : this.connection.sql(PLAN_ALONE_CANDIDATES).all({ version: mappingVersion, upTo })
      ) as { id: string; body: string }[];
      // A carry starts here, so its triggers do (carry-triggers.ts): a carried pass found them all in place.
      if (upTo === null) putTriggersInPlace(this.connection, PLAN_ALONE_TRIGGERS);
      // The answer's rows are replaced only where they differ: a run with nothing new (an idle poll) commits nothing here.
      const answer = JSON.stringify(rows.map((row) => row.id));
      this.connection.sql('DELETE FROM plan_alone_recheck WHERE id NOT IN (SELECT value FROM json_each(?))').run(answer);
      this.connection.sql('INSERT INTO plan_alone_recheck (id) SELECT value FROM json_each(?) WHERE true ON CONFLICT (id) DO NOTHING').run(answer);
      this.connection
        .sql(
          `INSERT INTO plan_alone_carry (only_row, mapping_version, transactions_up_to, last_transaction_id) VALUES (1, @version, @upTo, @id)
           ON CONFLICT (only_row) DO UPDATE SET mapping_version = excluded.mapping_version, transactions_up_to = excluded.transactions_up_to,
             last_transaction_id = excluded.last_transaction_id`,
        )
        .run({ version: mappingVersion, upTo: last.upTo, id: last.id });
      return rows.map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
    });
  }

  /**
   * The rowid of the last transaction the previous pass saw, or null when the pass must read
   * every transaction: nothing carried, another mapping version, a trigger that names what
   * changed missing (carry-triggers.ts), or that rowid no longer holds the
   * transaction it held (rowids renumbered, which the ledger never does).
   */
  private carriedUpTo(mappingVersion: number): number | null {
    const carry = this.connection.sql('SELECT mapping_version AS version, transactions_up_to AS upTo, last_transaction_id AS id FROM plan_alone_carry').get() as
      | (LastTransaction & { version: number })
      | undefined;
    if (carry === undefined || carry.version !== mappingVersion) return null;
    // The recheck list is only as complete as its triggers.
    if (!triggersPresent(this.connection, PLAN_ALONE_TRIGGERS)) return null;
    return this.stillHolds(carry) ? carry.upTo : null;
  }

  writtenLinesOnAccount(acctNo: string): TracedAmount[] {
    const rows = this.connection.sql(`WITH ${WRITTEN_ROWS} SELECT trace_id AS traceId, lines FROM written_rows`).all({ token: accountToken(acctNo) }) as LinesRow[];
    return tracedAmounts(rows, acctNo);
  }

  tracesOnAccount(acctNo: string, from: number | null, upTo: number): Iterable<TraceOnAccount> {
    // Two ordered streams, merged by trace id: the trace rows sorted by SQLite (small rows),
    // the transactions in primary-key order (no sort). Only the current trace is in memory.
    const lines = this.connection.sql(`WITH ${WRITTEN_ROWS} SELECT trace_id AS traceId, lines FROM written_rows ORDER BY trace_id`);
    const token = accountToken(acctNo);
    // Every transaction in key order; the window is applied to the parsed body, which the trace
    // needs anyway (SQLite's json_extract parsed each body once more only to read `created`, an
    // integer whenever it is stored: object-schemas.ts).
    const transactions = this.connection.sql('SELECT id, body FROM balance_transactions ORDER BY id');
    return {
      *[Symbol.iterator]() {
        const lineRows = lines.raw(true).iterate({ token }) as IterableIterator<[traceId: string, lines: string]>;
        // The next row's amounts on the account; a row that only looked as if it held some (its text) is passed over.
        const nextOnAccount = (): { traceId: string; amounts: string[] } | null => {
          for (let row = lineRows.next(); !row.done; row = lineRows.next()) {
            const amounts = amountsOnAccount(row.value[1], acctNo);
            if (amounts.length > 0) return { traceId: row.value[0], amounts };
          }
          return null;
        };
        const transactionRows = transactions.iterate() as IterableIterator<{ id: string; body: string }>;
        const nextInWindow = (): { id: string; parsed: StripeBalanceTransaction } | null => {
          for (let row = transactionRows.next(); !row.done; row = transactionRows.next()) {
            const parsed = JSON.parse(row.value.body) as StripeBalanceTransaction;
            if (createdInProofWindow(parsed.created, from, upTo)) return { id: row.value.id, parsed };
          }
          return null;
        };
        try {
          let line = nextOnAccount();
          let transaction = nextInWindow();
          while (line !== null || transaction !== null) {
            const traceId = line === null || (transaction !== null && compareAsSqlite(transaction.id, line.traceId) < 0) ? transaction!.id : line.traceId;
            let booked: string[] = [];
            for (; line !== null && line.traceId === traceId; line = nextOnAccount()) booked = booked.length === 0 ? line.amounts : [...booked, ...line.amounts];
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

  tracesOnAccountSince(acctNo: string, from: number | null, upTo: number, createdAfter: number, traceIds: readonly string[]): TraceOnAccount[] {
    // The transactions created after the settled past, by the created index, then every asked id once.
    const recent = this.connection
      .sql(`SELECT id FROM balance_transactions WHERE created > @after AND created <= @upTo AND (@from IS NULL OR created >= @from)`)
      .pluck()
      .all({ after: createdAfter, upTo, from }) as string[];
    const ids = JSON.stringify([...new Set([...recent, ...traceIds])]);
    const transactions = new Map<string, StripeBalanceTransaction>();
    for (const row of this.connection.sql('SELECT id, body FROM balance_transactions WHERE id IN (SELECT value FROM json_each(?))').all(ids) as { id: string; body: string }[]) {
      const parsed = JSON.parse(row.body) as StripeBalanceTransaction;
      if (createdInProofWindow(parsed.created, from, upTo)) transactions.set(row.id, parsed);
    }
    const booked = new Map<string, string[]>();
    for (const row of this.writtenLineRowsTracing(acctNo, ids)) {
      const amounts = amountsOnAccount(row.lines, acctNo);
      if (amounts.length > 0) booked.set(row.traceId, [...(booked.get(row.traceId) ?? []), ...amounts]);
    }
    const traces: TraceOnAccount[] = [];
    for (const traceId of JSON.parse(ids) as string[]) {
      const transaction = transactions.get(traceId) ?? null;
      const amounts = booked.get(traceId) ?? [];
      if (transaction !== null || amounts.length > 0) traces.push({ traceId, transaction, booked: amounts });
    }
    return traces;
  }

  writtenLinesOnAccountTracing(acctNo: string, traceIds: readonly string[]): TracedAmount[] {
    return tracedAmounts(this.writtenLineRowsTracing(acctNo, JSON.stringify([...new Set(traceIds)])), acctNo);
  }

  /** The written trace rows of the traces `ids` (a JSON array, each once) that may hold lines on the account, by the trace index. */
  private writtenLineRowsTracing(acctNo: string, ids: string): LinesRow[] {
    return this.connection
      .sql(
        `SELECT t.trace_id AS traceId, t.lines FROM json_each(@ids) AS wanted
         CROSS JOIN document_traces t ON t.trace_id = wanted.value
         CROSS JOIN documents d ON d.doc_key = t.doc_key
         WHERE instr(t.lines, @token) > 0 AND ${isWritten('d')}`,
      )
      .all({ ids, token: accountToken(acctNo) }) as LinesRow[];
  }

  balanceProofCarry(): BalanceProofCarry | null {
    const row = this.connection.sql('SELECT settled_up_to AS settledUpTo, schema_version AS schemaVersion, body FROM balance_proof_carry').get() as
      | { settledUpTo: number; schemaVersion: number; body: string }
      | undefined;
    if (row === undefined || row.schemaVersion !== LEDGER_SCHEMA_VERSION) return null;
    // The log is only as complete as its triggers.
    return triggersPresent(this.connection, BALANCE_PROOF_TRIGGERS) ? { settledUpTo: row.settledUpTo, body: row.body } : null;
  }

  balanceProofChanges(acctNo: string): BalanceProofChanges {
    const rows = this.connection.sql('SELECT seq, trace_id AS traceId, kind, lines FROM balance_proof_changes ORDER BY seq').all() as {
      seq: number;
      traceId: string;
      kind: 'transaction' | 'lines';
      lines: string | null;
    }[];
    const transactionIds = new Set<string>();
    const lineTraceIds = new Set<string>();
    for (const row of rows) {
      if (row.kind === 'transaction') transactionIds.add(row.traceId);
      else if (row.lines !== null && amountsOnAccount(row.lines, acctNo).length > 0) lineTraceIds.add(row.traceId);
    }
    return { transactionIds: [...transactionIds], lineTraceIds: [...lineTraceIds], through: rows.length === 0 ? 0 : rows[rows.length - 1]!.seq };
  }

  saveBalanceProofCarry(carry: BalanceProofCarry, changesThrough: number): void {
    this.connection.transaction(() => {
      // The log starts with the carry (carry-triggers.ts): in the proof's transaction, so nothing is written between its reads and them.
      putTriggersInPlace(this.connection, BALANCE_PROOF_TRIGGERS);
      this.connection.sql('DELETE FROM balance_proof_changes WHERE seq <= ?').run(changesThrough);
      this.connection
        .sql(
          `INSERT INTO balance_proof_carry (id, settled_up_to, schema_version, body) VALUES (1, @settledUpTo, @schemaVersion, @body)
           ON CONFLICT (id) DO UPDATE SET settled_up_to = excluded.settled_up_to, schema_version = excluded.schema_version, body = excluded.body`,
        )
        .run({ ...carry, schemaVersion: LEDGER_SCHEMA_VERSION });
    });
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

  /**
   * The rowid of the last balance transaction the last check saw; null when the transactions
   * stored since cannot be told by rowid (migration-drift-rows-seen.ts): nothing recorded, or
   * that rowid holding another transaction now; or when the lists were last brought up to date
   * at another schema version (a migration since may have stored or written rows behind them:
   * migration-drift-lists-schema-version.ts).
   */
  private transactionsSeen(): number | null {
    const mark = this.connection.sql('SELECT up_to AS upTo, last_id AS lastId, schema_version AS schemaVersion FROM drift_transactions_seen').get() as
      | { upTo: number; lastId: string | null; schemaVersion: number | null }
      | undefined;
    if (!mark || mark.schemaVersion !== LEDGER_SCHEMA_VERSION) return null;
    return this.stillHolds({ upTo: mark.upTo, id: mark.lastId }) ? mark.upTo : null;
  }

  /** Records the last balance transaction as seen, at this schema version. */
  private markTransactionsSeen(): void {
    const last = this.lastTransaction();
    this.connection
      .sql('INSERT OR REPLACE INTO drift_transactions_seen (only_row, up_to, last_id, schema_version) VALUES (1, ?, ?, ?)')
      .run(last.upTo, last.id, LEDGER_SCHEMA_VERSION);
  }

  /** The last balance transaction stored, by rowid: the plan-alone pass and the drift lists tell what was stored since by it. */
  private lastTransaction(): LastTransaction {
    return (this.connection.sql('SELECT rowid AS upTo, id FROM balance_transactions ORDER BY rowid DESC LIMIT 1').get() as LastTransaction | undefined) ?? { upTo: 0, id: null };
  }

  /** True when `seen`'s rowid still holds its transaction (none for rowid 0): rowids renumbered would hide what was stored since. */
  private stillHolds(seen: LastTransaction): boolean {
    const atRow = this.connection.sql('SELECT id FROM balance_transactions WHERE rowid = ?').pluck().get(seen.upTo) as string | undefined;
    return (atRow ?? null) === seen.id;
  }

  bringDriftListsUpToDate(): 'changes' | 'history' {
    return this.connection.transaction(() => {
      // The stale rows are only as complete as their triggers.
      const stale = !triggersPresent(this.connection, DRIFT_STALE_TRIGGERS) || this.connection.sql('SELECT 1 FROM drift_lists_stale LIMIT 1').get() !== undefined;
      const seen = stale ? null : this.transactionsSeen();
      if (seen === null) {
        for (const table of DRIFT_LIST_TABLES) this.connection.sql(`DELETE FROM ${table}`).run();
        this.connection.sql(`INSERT INTO drift_unbooked_transactions (id) SELECT b.id FROM balance_transactions b WHERE NOT ${isBookedOrSkipped('b.id')}`).run();
        this.connection.sql(`INSERT INTO drift_unbooked_charges (id) SELECT o.id FROM stripe_objects o WHERE o.kind = 'charge' AND ${unbookedCharge('o')}`).run();
        this.connection
          .sql(
            `INSERT INTO drift_changed_journals (doc_key)
             SELECT d.doc_key FROM documents d JOIN stripe_objects o ON o.id = d.stripe_object_id WHERE ${changedAfterWriting('d', 'o')}`,
          )
          .run();
        this.markTransactionsSeen();
        // The lists are carried from here, so the triggers that make them stale are needed from here (carry-triggers.ts).
        putTriggersInPlace(this.connection, DRIFT_STALE_TRIGGERS);
        return 'history';
      }
      // What was stored or changed since the last check joins the lists (migration-drift-rows-seen.ts)…
      this.connection.sql('INSERT INTO drift_unbooked_transactions (id) SELECT id FROM balance_transactions WHERE rowid > ? ON CONFLICT DO NOTHING').run(seen);
      this.markTransactionsSeen();
      this.connection.sql(`INSERT OR IGNORE INTO drift_unbooked_charges (id) SELECT o.id FROM drift_objects_changed c CROSS JOIN stripe_objects o ON o.id = c.id WHERE o.kind = 'charge'`).run();
      this.connection
        .sql(
          `INSERT OR IGNORE INTO drift_changed_journals (doc_key)
           SELECT d.doc_key FROM drift_objects_changed c CROSS JOIN documents d ON d.stripe_object_id = c.id WHERE d.state = 'written'
           UNION SELECT doc_key FROM drift_documents_written`,
        )
        .run();
      this.connection.sql('DELETE FROM drift_objects_changed').run();
      this.connection.sql('DELETE FROM drift_documents_written').run();
      // …and every entry is tested against its list's condition as the history's read would test
      // it: an entry leaves when it no longer holds (booked, refunded before it settled, deleted).
      this.connection
        .sql(
          `DELETE FROM drift_unbooked_transactions WHERE id NOT IN (
             SELECT b.id FROM drift_unbooked_transactions u CROSS JOIN balance_transactions b ON b.id = u.id WHERE NOT ${isBookedOrSkipped('b.id')})`,
        )
        .run();
      this.connection
        .sql(
          `DELETE FROM drift_unbooked_charges WHERE id NOT IN (
             SELECT o.id FROM drift_unbooked_charges c CROSS JOIN stripe_objects o ON o.id = c.id WHERE o.kind = 'charge' AND ${unbookedCharge('o')})`,
        )
        .run();
      this.connection
        .sql(
          `DELETE FROM drift_changed_journals WHERE doc_key NOT IN (
             SELECT d.doc_key FROM drift_changed_journals k CROSS JOIN documents d ON d.doc_key = k.doc_key
             CROSS JOIN stripe_objects o ON o.id = d.stripe_object_id WHERE ${changedAfterWriting('d', 'o')})`,
        )
        .run();
      return 'changes';
    });
  }

  *balanceTransactionsNotBooked(createdBefore: number): Iterable<StripeBalanceTransaction> {
    // `created` from its column (migration 17), not each body parsed; the column is NULL where the
    // body's is not a number, and there the body is compared as before (a JSON true is 1 to SQLite).
    const rows = this.pages<{ id: string; body: string }>(
      `SELECT b.id, b.body FROM drift_unbooked_transactions u CROSS JOIN balance_transactions b ON b.id = u.id
       WHERE u.id > @after AND (b.created < @before OR (b.created IS NULL AND json_extract(b.body, '$.created') < @before))
       ORDER BY u.id LIMIT @limit`,
      { before: createdBefore },
      { after: '' },
      (row) => ({ after: row.id }),
    );
    for (const row of rows) yield JSON.parse(row.body) as StripeBalanceTransaction;
  }

  *writtenJournalsOfChangedObjects(): Iterable<StoredDocument> {
    // In the documents' order, as the history's read listed them: two journals of one object
    // give one finding, the last one's.
    const rows = this.pages<DocumentRow>(
      `SELECT d.* FROM drift_changed_journals k CROSS JOIN documents d ON d.doc_key = k.doc_key
       WHERE d.sort_key > @after
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
    // In the list's order: a charge is named once whatever the order, and no sort is needed.
    const rows = this.pages<ObjectRow>(
      `SELECT o.id, o.kind, o.created, o.body FROM drift_unbooked_charges c CROSS JOIN stripe_objects o ON o.id = c.id
       WHERE c.id > @after AND o.created < @before
       ORDER BY c.id LIMIT @limit`,
      { before: createdBefore },
      { after: '' },
      (row) => ({ after: row.id }),
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
