import { useEffect, useRef, useState } from 'react';
import type { RunView } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { formatDateTime, formatElapsed } from '../format.js';

const PAGE_SIZE = 25;

const outcomeClass = (run: RunView): string => (run.outcome === 'failed' ? 'run-failed' : run.outcome === 'completed-with-errors' ? 'run-partial' : 'run-ok');

/** Every sync run, newest first: when, how long, how it ended, what it read, wrote and parked. */
export function RunHistoryView({ latestRunId, onBack }: { latestRunId: number | null; onBack: () => void }) {
  const [runs, setRuns] = useState<RunView[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const load = (offset: number): void => {
    call('listRuns', { limit: PAGE_SIZE, offset }).then(
      (page) => {
        setRuns((current) => (offset === 0 ? page.runs : [...current, ...page.runs]));
        setTotal(page.total);
        setError(null);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  };
  // A new run puts itself at the top: reload the first page.
  useEffect(() => load(0), [latestRunId]);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="stack">
      <button type="button" className="link back" onClick={onBack}>← Back to Home</button>
      <h1 ref={heading} tabIndex={-1}>Run history</h1>
      <ErrorMessage text={error} />
      <p className="muted notice" aria-live="polite">{total === null ? 'Loading…' : total === 0 ? 'No sync has run yet.' : `${countOf(total, 'run')}, newest first`}</p>
      <ol className="list runs" aria-label="Sync runs">
        {runs.map((run) => (
          <li key={run.runId} className="card run">
            <span className="run-head">
              <strong className={outcomeClass(run)}>{run.outcomeWords}</strong>
              <span className="muted">{formatDateTime(run.startedAt)}{run.durationSeconds === null ? '' : ` · took ${formatElapsed(run.durationSeconds)}`}</span>
            </span>
            <span>{run.summary}</span>
            {run.message ? (
              <details>
                <summary>Details</summary>
                <p className="mono small">Run {run.runId}: {run.message}</p>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
      {total !== null && runs.length < total ? (
        <button type="button" onClick={() => load(runs.length)}>Show older runs ({countOf(total - runs.length, 'more run')})</button>
      ) : null}
    </div>
  );
}
