import type Database from 'better-sqlite3';

/**
 * Journal lines beside their traces (issue #19, item 5: the ledger's cost). The
 * reconciliation's reads (the balance proof's lines on the clearing and in-transit accounts,
 * the payout proof's lines tracing a payout's transactions and its clearing balance) parsed
 * every journal's JSON body to find its lines, on every run, over the whole history. A
 * journal's `document_traces` row for a balance transaction now also holds that transaction's
 * lines: `lines`, the JSON text of their [account, amount] pairs in line order, or NULL for an
 * id the journal traces without lines of its own (a daily summary's own key and its parts'
 * objects). The lines per transaction are a daily summary's parts' lines (its own lines trace
 * the summary itself), or the journal's own lines. No row is added: the trace rows are written,
 * replaced and removed with the body already.
 *
 * Filled here from every journal document, in every state (whether a line counts is its
 * document's state). Frozen: a summary is spelled out as the body's `summary` member
 * (core/posting/daily-summary.ts when this was made), and the text is built here, not by the
 * ledger's code. A trace a journal's lines carry but that has no row (none is known to exist)
 * gets one, as the ledger writes it.
 */
export function v14TraceLines(db: Database.Database): void {
  db.exec('ALTER TABLE document_traces ADD COLUMN lines TEXT');
  const fill = db.prepare(
    `INSERT INTO document_traces (doc_key, trace_id, lines) VALUES (?, ?, ?)
     ON CONFLICT (doc_key, trace_id) DO UPDATE SET lines = excluded.lines`,
  );
  // A page of journals at a time (the connection cannot write while a read is open), so a large ledger's bodies are never held at once.
  const page = db.prepare(`SELECT doc_key, body FROM documents WHERE type = 'journal' AND doc_key > ? ORDER BY doc_key LIMIT 500`);
  for (let rows = page.all('') as JournalRow[]; rows.length > 0; rows = page.all(rows[rows.length - 1]!.doc_key) as JournalRow[]) {
    for (const row of rows) {
      const journal = JSON.parse(row.body) as OldJournal;
      const lines = journal.summary ? journal.summary.parts.flatMap((part) => part.lines) : journal.lines;
      const byTrace = new Map<string, [string, string][]>();
      for (const line of lines) {
        const pairs = byTrace.get(line.traceId) ?? [];
        pairs.push([line.acctNo, line.amount]);
        byTrace.set(line.traceId, pairs);
      }
      for (const [traceId, pairs] of byTrace) fill.run(row.doc_key, traceId, JSON.stringify(pairs));
    }
  }
}

interface JournalRow {
  doc_key: string;
  body: string;
}

interface OldLine {
  acctNo: string;
  amount: string;
  traceId: string;
}

/** A journal body as the ledger held it when this migration was made. */
interface OldJournal {
  lines: OldLine[];
  summary?: { parts: { lines: OldLine[] }[] };
}
