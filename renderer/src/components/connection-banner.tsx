import { useState } from 'react';
import type { StatusSnapshot, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { formatDateTime } from '../format.js';

/**
 * Sage or Stripe out of reach, or a setup that cannot start: said above every view, with when
 * the app tries again on its own, a "Try again now", and the way to Settings. Nothing else of
 * the window is blocked by it.
 */
export function ConnectionBanner({ status, onNavigate }: { status: StatusSnapshot; onNavigate: (view: ViewId) => void }) {
  const [trying, setTrying] = useState(false);
  const problem = status.connection;
  if (!problem) return null;
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
