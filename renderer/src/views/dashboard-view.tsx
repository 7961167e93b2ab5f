import { useEffect, useState } from 'react';
import type { StatusSnapshot, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { countOf } from '../../../preload/count-words.js';
import { formatDate, formatDateTime, formatMoney, formatTimeLeft, phaseLabels, phaseUnits } from '../format.js';
import { BalanceProofSection } from './balance-proof-section.js';
import { LogView } from './log-view.js';
import { UpdateBanner } from './update-banner.js';
import { RunHistoryView } from './run-history-view.js';
import { runOutcomeWords } from '../../../preload/run-outcome-words.js';

const stateWords: Record<StatusSnapshot['state'], string> = {
  idle: 'Up to date',
  syncing: 'Syncing',
  attention: 'Needs attention',
  paused: 'Paused',
  offline: 'Offline: waiting for the network',
};

/** Records that will not reach Sage without someone acting: parked documents and records not planned. */
export const notInSage = (status: StatusSnapshot): number => status.notInSage.parked + status.notInSage.unplanned;

function Progress({ status }: { status: StatusSnapshot }) {
  const progress = status.progress;
  const percent = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  const phase = progress ? `${phaseLabels[progress.phase] ?? progress.phase}${progress.kind ? ` · ${progress.kind.replace('_', ' ')}s` : ''}` : null;
  // A percentage and time left only where the whole phase's total is known (main/app/progress-tracker.ts).
  const counter = progress
    ? `${progress.done.toLocaleString()}${progress.total !== null ? ` of ${progress.total.toLocaleString()}` : ''} ${phaseUnits[progress.phase] ?? 'done'}${percent !== null ? ` (${percent}%) · ${formatTimeLeft(progress.etaSeconds)}` : ''}`
    : null;
  const idleNext = status.state === 'paused' ? 'Paused: no sync runs until you resume.' : status.nextRunAt ? `Next sync ${formatDateTime(status.nextRunAt)}` : 'Next sync: not scheduled';
  // Between phases a run has no progress to show for a moment: it is still a run, not "finished".
  const idleText = status.state === 'syncing' ? 'Syncing…' : status.lastRun?.finishedAt ? `Sync finished ${formatDateTime(status.lastRun.finishedAt)}` : 'No sync has run yet.';
  // A fixed-height block with every line always present, so nothing below moves when a run
  // starts, counts up or ends. Only the phase line is live: the counter changes several times
  // a second and would drown a screen reader; the progress bar carries it for those who ask.
  return (
    <div className="progress-block">
      <p className="progress-label" aria-live="polite">{phase ?? idleText}</p>
      <progress
        className={progress ? undefined : 'progress-idle'}
        max={progress?.total ?? undefined}
        value={progress?.total ? progress.done : progress ? undefined : 0}
        aria-label="Sync progress"
        aria-valuetext={counter ?? 'Not syncing'}
      />
      <p className="muted progress-counter">{counter ?? idleNext}</p>
    </div>
  );
}

/**
 * What "Sync now" did, once the run it started has finished: a run that found nothing new says
 * so with the last time anything was, so the click never seems to do nothing.
 */
function syncResult(status: StatusSnapshot): string {
  const run = status.lastRun;
  if (!run) return '';
  if (run.outcome === 'failed') return `The sync failed${run.message ? `: ${run.message}` : '.'}`;
  if (run.objectsSeen === 0) return status.lastActivityAt ? `No new Stripe activity since ${formatDateTime(status.lastActivityAt)}.` : 'No Stripe activity found yet.';
  return `Sync finished: ${countOf(run.objectsSeen, 'Stripe record')} read.`;
}

export function DashboardView({ status, onNavigate }: { status: StatusSnapshot; onNavigate: (view: ViewId) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [feedback, setFeedback] = useState('');
  const [showHistory, setShowHistory] = useState(false);
  const [showLogs, setShowLogs] = useState(false);
  /** The newest run when Sync now was clicked; the next finished run after it is the one to report. */
  const [awaitingAfter, setAwaitingAfter] = useState<number | null>(null);
  const run = (work: Promise<unknown>): void => {
    work.then(() => setError(null), (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  const syncNow = (): void => {
    setAwaitingAfter(status.lastRun?.runId ?? 0);
    setFeedback('Checking Stripe for new activity…');
    call('syncNow', undefined).then(
      ({ started }) => {
        if (!started) setFeedback('A sync is already running; its result shows here when it ends.');
        setError(null);
      },
      (failure: unknown) => {
        setAwaitingAfter(null);
        setFeedback('');
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  const finishedRun = status.lastRun?.finishedAt ? status.lastRun.runId : null;
  useEffect(() => {
    if (awaitingAfter === null || finishedRun === null || finishedRun <= awaitingAfter) return;
    setFeedback(syncResult(status));
    setAwaitingAfter(null);
  }, [finishedRun, awaitingAfter]);
  if (showHistory) return <RunHistoryView latestRunId={status.lastRun?.runId ?? null} onBack={() => setShowHistory(false)} />;
  if (showLogs) return <LogView onBack={() => setShowLogs(false)} />;
  const today = status.today;
  return (
    <div className="stack">
      <header className="status-head">
        <div>
          <h1 tabIndex={-1} className={`status-title status-${status.state}`}>{stateWords[status.state]}</h1>
          {status.shadowMode ? <p className="muted">Shadow mode: previews only, nothing written to Sage.</p> : null}
        </div>
        <div className="row">
          <button type="button" className="primary" onClick={syncNow} disabled={status.state === 'syncing' || status.state === 'paused'}>
            Sync now
          </button>
          <button type="button" onClick={() => run(call('setPaused', { paused: status.state !== 'paused' }))}>
            {status.state === 'paused' ? 'Resume' : 'Pause'}
          </button>
        </div>
      </header>
      <ErrorMessage text={error} />
      <UpdateBanner refreshKey={status.lastRun?.runId ?? null} />
      <p className="notice sync-feedback" aria-live="polite">{feedback}</p>
      <Progress status={status} />
      <dl className="facts">
        <dt>Last run</dt>
        <dd className="one-line">
          {status.lastRun ? `${formatDateTime(status.lastRun.startedAt)} · ${runOutcomeWords(status.lastRun.outcome)}` : 'never'}
        </dd>
        <dt>History</dt>
        <dd>
          <button type="button" className="link" onClick={() => setShowHistory(true)}>Run history</button> · <button type="button" className="link" onClick={() => setShowLogs(true)}>Logs</button>
        </dd>
        <dt>In Sage</dt>
        <dd>
          <span className="counter">{status.counts.written.toLocaleString()}</span> written · <span className="counter">{status.counts.planned.toLocaleString()}</span> waiting · <span className="counter">{notInSage(status).toLocaleString()}</span> not in Sage
        </dd>
      </dl>
      <section aria-labelledby="today-heading">
        <h2 id="today-heading">Today{today ? ` (${formatDate(today.date)})` : ''}</h2>
        {today ? (
          <ul className="totals">
            <li><strong>{formatMoney(today.charges.amount, today.currency)}</strong><span>{countOf(today.charges.count, 'payment')}</span></li>
            <li><strong>{formatMoney(today.refunds.amount, today.currency)}</strong><span>{countOf(today.refunds.count, 'refund')}</span></li>
            <li><strong>{formatMoney(today.fees.amount, today.currency)}</strong><span>Stripe fees</span></li>
            <li><strong>{formatMoney(today.payouts.amount, today.currency)}</strong><span>{countOf(today.payouts.count, 'payout')}</span></li>
          </ul>
        ) : (
          <p className="muted">No totals yet.</p>
        )}
      </section>
      <BalanceProofSection status={status} />
      <section aria-labelledby="attention-heading">
        <h2 id="attention-heading">Needs your attention</h2>
        {status.attention.length === 0 ? (
          <p className="muted">Nothing. Everything that could be written is in Sage.</p>
        ) : (
          <ul className="attention">
            {status.attention.map((item) => (
              <li key={item.id} className={`attention-${item.severity}`}>
                <button type="button" className="link" onClick={() => onNavigate(item.view)}>
                  {item.title}
                </button>
                <span className="muted">{item.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
