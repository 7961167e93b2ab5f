import type { RunView } from '../../preload/contract.js';
import { countOf } from '../../preload/count-words.js';
import { runOutcomeWords } from '../../preload/run-outcome-words.js';
import type { RunSummary } from '../core/engine/engine-events.js';
import type { Ledger } from '../core/ports/ledger.js';

/**
 * The run history in plain words, the same for the window's Run history and `s5sync runs`:
 * when each run started, how long it took, how it ended, and what it read, wrote and parked.
 */

function whatItDid(run: RunSummary): string {
  if (run.finishedAt === null) return 'Still running.';
  const parts = [
    run.objectsSeen > 0 ? `read ${countOf(run.objectsSeen, 'Stripe record')}` : 'no new Stripe activity',
    ...(run.documentsWritten > 0 || run.objectsSeen > 0 ? [`wrote ${countOf(run.documentsWritten, 'document')} to Sage`] : []),
    ...(run.documentsFailed > 0 ? [`parked ${countOf(run.documentsFailed, 'document')} Sage refused`] : []),
  ];
  const sentence = parts.join(', ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export function toRunView(run: RunSummary): RunView {
  const durationSeconds = run.finishedAt === null ? null : Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000));
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    durationSeconds,
    outcome: run.outcome,
    outcomeWords: runOutcomeWords(run.outcome),
    read: run.objectsSeen,
    written: run.documentsWritten,
    parked: run.documentsFailed,
    summary: whatItDid(run),
    message: run.message,
  };
}

export function runHistory(ledger: Pick<Ledger, 'runs'>, page: { limit: number; offset: number }): { runs: RunView[]; total: number } {
  const { runs, total } = ledger.runs.listRuns(page);
  return { runs: runs.map(toRunView), total };
}
