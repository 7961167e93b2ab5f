import { useState } from 'react';
import type { StatusSnapshot } from '../../../preload/contract.js';
import type { ViewId } from '../app.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { formatDateTime, formatDuration, formatMoney, phaseLabels } from '../format.js';

const stateWords: Record<StatusSnapshot['state'], string> = {
  idle: 'Up to date',
  syncing: 'Syncing',
  attention: 'Needs attention',
  paused: 'Paused',
  offline: 'Offline: waiting for the network',
};

function Progress({ status }: { status: StatusSnapshot }) {
  const progress = status.progress;
  const percent = progress?.total ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  // The block keeps its height when idle so the page does not jump when a run starts or ends.
  return (
    <div className="progress-block" aria-live="polite" aria-atomic="true">
      {progress ? (
        <>
          <p className="progress-label">
            {phaseLabels[progress.phase] ?? progress.phase}
            {progress.kind ? ` · ${progress.kind.replace('_', ' ')}s` : ''}
          </p>
          <progress max={progress.total ?? undefined} value={progress.total ? progress.done : undefined} aria-label="Sync progress" />
          <p className="muted">
            {progress.done.toLocaleString()}
            {progress.total !== null ? ` of ${progress.total.toLocaleString()}` : ''} {percent !== null ? `(${percent}%)` : ''} · {formatDuration(progress.etaSeconds)}
          </p>
        </>
      ) : (
        <p className="muted progress-label">{status.lastRun?.finishedAt ? `Sync finished ${formatDateTime(status.lastRun.finishedAt)}` : 'No sync has run yet.'}</p>
      )}
    </div>
  );
}

export function DashboardView({ status, onNavigate }: { status: StatusSnapshot; onNavigate: (view: ViewId) => void }) {
  const [error, setError] = useState<string | null>(null);
  const run = (work: Promise<unknown>): void => {
    work.then(() => setError(null), (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  const today = status.today;
  return (
    <div className="stack">
      <header className="status-head">
        <div>
          <h1 className={`status-title status-${status.state}`}>{stateWords[status.state]}</h1>
          <p className="muted">
            {status.profile ? `Profile ${status.profile}` : ''}
            {status.shadowMode ? ' · Shadow mode: previews only, nothing written to Sage' : ''}
          </p>
        </div>
        <div className="row">
          <button type="button" className="primary" onClick={() => run(call('syncNow', undefined))} disabled={status.state === 'syncing' || status.state === 'paused'}>
            Sync now
          </button>
          <button type="button" onClick={() => run(call('setPaused', { paused: status.state !== 'paused' }))}>
            {status.state === 'paused' ? 'Resume' : 'Pause'}
          </button>
        </div>
      </header>
      <ErrorMessage text={error} />
      <Progress status={status} />
      <dl className="facts">
        <dt>Last run</dt>
        <dd>
          {status.lastRun ? `${formatDateTime(status.lastRun.startedAt)} · ${status.lastRun.outcome ?? 'running'}` : 'never'}
          {status.lastRun?.message ? <span className="muted"> — {status.lastRun.message}</span> : null}
        </dd>
        <dt>Next run</dt>
        <dd>{status.nextRunAt ? formatDateTime(status.nextRunAt) : status.state === 'paused' ? 'paused' : '—'}</dd>
        <dt>In Sage</dt>
        <dd>
          {status.counts.written.toLocaleString()} written · {status.counts.planned.toLocaleString()} waiting · {(status.counts.failed + status.counts.dead).toLocaleString()} failed
        </dd>
      </dl>
      <section aria-labelledby="today-heading">
        <h2 id="today-heading">Today{today ? ` (${today.date})` : ''}</h2>
        {today ? (
          <ul className="totals">
            <li><strong>{formatMoney(today.charges.amount, today.currency)}</strong><span>{today.charges.count} payments</span></li>
            <li><strong>{formatMoney(today.refunds.amount, today.currency)}</strong><span>{today.refunds.count} refunds</span></li>
            <li><strong>{formatMoney(today.fees.amount, today.currency)}</strong><span>Stripe fees</span></li>
            <li><strong>{formatMoney(today.payouts.amount, today.currency)}</strong><span>{today.payouts.count} payouts</span></li>
          </ul>
        ) : (
          <p className="muted">No totals yet.</p>
        )}
      </section>
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
