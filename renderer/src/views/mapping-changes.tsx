import type { MappingChange, MappingPreview } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';

const LISTED_CHANGES = 10;

/** The accounts a document's lines move between, each pair once. */
function movesOf(change: MappingChange): string[] {
  if (!change.after) return [];
  const after = change.after;
  const moves = change.before.map((line, index) => ({ from: line.acctNo, to: after[index]?.acctNo ?? line.acctNo })).filter((move) => move.from !== move.to);
  return [...new Set(moves.map((move) => `${move.from} → ${move.to}`))];
}

/** One line as the preview lists it: account, debit or credit, comment. */
function lineWords(line: MappingChange['before'][number]): string {
  return `${line.acctNo} ${line.debit !== null ? `debit ${line.debit}` : `credit ${line.credit ?? ''}`} ${line.comment}`.trim();
}

/**
 * What saving would do to documents not yet in Sage, summarised: how many change, the account
 * moves, the documents that change shape (a granularity change), and the first documents'
 * lines before and after. Written documents never change.
 */
export function MappingChanges({ preview }: { preview: MappingPreview }) {
  const byMove = new Map<string, number>();
  const byNote = new Map<string, number>();
  for (const change of preview.changes) {
    for (const move of movesOf(change)) byMove.set(move, (byMove.get(move) ?? 0) + 1);
    if (change.note) byNote.set(change.note.replace(/: .*$/, ''), (byNote.get(change.note.replace(/: .*$/, '')) ?? 0) + 1);
  }
  const linesOnly = preview.changes.filter((change) => !change.note && movesOf(change).length === 0).length;
  const listed = preview.changes.slice(0, LISTED_CHANGES);
  const partial = preview.total > preview.changes.length ? ` (counted in the first ${preview.changes.length.toLocaleString()})` : '';
  return (
    <section aria-labelledby="preview-heading" className="stack">
      <h2 id="preview-heading">{countOf(preview.total, 'waiting document')} would change</h2>
      {preview.total === 0 ? <p className="muted">No document waiting for Sage would be prepared differently. Written documents never change.</p> : null}
      <ul className="list compact" aria-label="What changes">
        {[...byMove.entries()].map(([move, count]) => (
          <li key={move}><span className="mono">{move}</span>: {countOf(count, 'document')}{partial}</li>
        ))}
        {[...byNote.entries()].map(([note, count]) => (
          <li key={note}>{note[0]?.toUpperCase()}{note.slice(1)}: {countOf(count, 'document')}{partial}</li>
        ))}
        {linesOnly > 0 ? <li>Other amounts or dates change: {countOf(linesOnly, 'document')}{partial}</li> : null}
      </ul>
      {listed.length > 0 ? (
        <details>
          <summary>Documents{preview.total > listed.length ? ` (first ${listed.length})` : ''}</summary>
          <ul className="list compact">
            {listed.map((change) => (
              <li key={change.docKey} className="change">
                <span className="mono">{change.stripeObjectId}</span>
                {change.note ? <span className="small"> {change.note}</span> : null}
                <span className="small muted"> Now: {change.before.map(lineWords).join('; ')}</span>
                {change.after ? <span className="small"> After: {change.after.map(lineWords).join('; ')}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
