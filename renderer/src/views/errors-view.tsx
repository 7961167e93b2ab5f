import { useState } from 'react';
import type { ErrorGroup, StatusSnapshot } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge } from '../components/state-badge.js';
import { useRequest } from '../use-request.js';

function SkipForm({ docKey, onDone }: { docKey: string; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        call('skipDocuments', { docKeys: [docKey], reason }).then(({ skipped }) => onDone(`${skipped} skipped`), (failure: unknown) => onDone(String(failure)));
      }}
    >
      <label>
        Reason for skipping
        <input value={reason} onChange={(event) => setReason(event.target.value)} minLength={3} required placeholder="e.g. entered by hand in Sage" />
      </label>
      <button type="submit">Skip</button>
    </form>
  );
}

function GroupCard({ group, onChanged }: { group: ErrorGroup; onChanged: (message: string) => void }) {
  const [skipping, setSkipping] = useState<string | null>(null);
  const retry = (payload: { docKeys: string[] } | { cause: string }): void => {
    call('retryDocuments', payload).then(({ retried }) => onChanged(`${retried} document(s) sent again`), (failure: unknown) => onChanged(String(failure)));
  };
  return (
    <section className="card" aria-label={`Error: ${group.cause}`}>
      <h2 className="error-cause">{group.explanation}</h2>
      <p><strong>How to fix:</strong> {group.fix}</p>
      <details>
        <summary>Sage's message ({group.errorClass})</summary>
        <p className="mono small">{group.cause}</p>
      </details>
      <button type="button" className="primary" onClick={() => retry({ cause: group.cause })}>
        Retry all {group.items.length}
      </button>
      <ul className="list">
        {group.items.map((item) => (
          <li key={item.docKey} className="list-row">
            <span className="list-main">
              <span className="mono">{item.stripeObjectId}</span>
              <span className="muted">{item.attempts} attempt(s) <StateBadge state={item.state} /></span>
            </span>
            <span className="row">
              <button type="button" onClick={() => retry({ docKeys: [item.docKey] })} aria-label={`Retry ${item.stripeObjectId}`}>Retry</button>
              <button type="button" onClick={() => setSkipping(skipping === item.docKey ? null : item.docKey)} aria-expanded={skipping === item.docKey} aria-label={`Skip ${item.stripeObjectId}`}>
                Skip…
              </button>
            </span>
            {skipping === item.docKey ? <SkipForm docKey={item.docKey} onDone={(message) => { setSkipping(null); onChanged(message); }} /> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Failed Sage documents grouped by cause, explained in plain words and Sage terms. */
export function ErrorsView({ status }: { status: StatusSnapshot }) {
  const [notice, setNotice] = useState('');
  const groups = useRequest(() => call('listErrors', undefined), [status.counts.failed, status.counts.dead, status.lastRun?.runId]);
  const onChanged = (message: string): void => {
    setNotice(message);
    groups.reload();
  };
  return (
    <div className="stack">
      <h1>Errors</h1>
      <p className="notice" aria-live="polite">{notice}</p>
      <ErrorMessage text={groups.error} />
      {groups.value && groups.value.length === 0 ? <p className="muted">No errors. Every document that could be written is in Sage.</p> : null}
      {groups.value?.map((group) => <GroupCard key={group.cause} group={group} onChanged={onChanged} />)}
    </div>
  );
}
