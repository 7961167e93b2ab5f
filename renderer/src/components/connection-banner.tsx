import { useEffect, useRef, useState } from 'react';
import type { ConnectionProblemView, StatusSnapshot, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { formatDateTime } from '../format.js';

const RECONNECTED_TARGET: Partial<Record<ConnectionProblemView['kind'], string>> = { 'sage-unreachable': 'Sage 500', 'stripe-unreachable': 'Stripe' };

/**
 * Sage or Stripe out of reach, or a setup that cannot start: said above every view, with when
 * the app tries again on its own, a "Try again now", and the way to Settings. Nothing else of
 * the window is blocked by it. When the connection comes back the banner says so (until
 * dismissed or the next problem), so an outage seen in the window visibly ends there too.
 */
export function ConnectionBanner({ status, onNavigate }: { status: StatusSnapshot; onNavigate: (view: ViewId) => void }) {
  const [trying, setTrying] = useState(false);
  const [back, setBack] = useState<{ target: string; at: string } | null>(null);
  const problem = status.connection;
  const previous = useRef<ConnectionProblemView | null>(null);
  useEffect(() => {
    const before = previous.current;
    previous.current = problem;
    if (problem) setBack(null);
    else if (before && RECONNECTED_TARGET[before.kind]) setBack({ target: RECONNECTED_TARGET[before.kind]!, at: new Date().toISOString() });
  }, [problem]);
  if (!problem) {
    if (!back) return null;
    return (
      <div className="card connection-banner" role="status" aria-label={`Connected to ${back.target} again`}>
        <p><strong>Connected to {back.target} again</strong> at {formatDateTime(back.at)}. Syncing carries on from where it stopped; nothing was lost meanwhile.</p>
        <div className="row">
          <button type="button" onClick={() => setBack(null)}>Dismiss</button>
        </div>
      </div>
    );
  }
  return (
    <div className={`card connection-banner ${problem.kind === 'cannot-start' ? 'attention-error' : 'attention-warning'}`} role="alert" aria-label={problem.title}>
      <p><strong>{problem.title}</strong> {problem.reason}</p>
      <p className="muted small">
        {problem.kind === 'cannot-start' ? 'Stripe Sync waits until this is fixed.' : `Stripe activity is not lost: it is read when the connection is back. Since ${formatDateTime(problem.since)}.`}
        {problem.nextAttemptAt ? ` Trying again on its own at ${formatDateTime(problem.nextAttemptAt)}.` : ''}
      </p>
      <div className="row">
        <button type="button" disabled={trying} onClick={() => { setTrying(true); call('reconnect', undefined).finally(() => setTrying(false)); }}>
          {trying ? 'Trying…' : 'Try again now'}
        </button>
        <button type="button" onClick={() => onNavigate('settings')}>Open Settings</button>
      </div>
    </div>
  );
}
