import { useState } from 'react';
import type { ErrorGroup, StatusSnapshot, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge } from '../components/state-badge.js';
import { useRequest } from '../use-request.js';
import { PLANNING_KEY_PREFIX } from './planning-key.js';
import { countOf } from '../../../preload/count-words.js';
import { AcceptSageJournalForm } from './accept-sage-journal-form.js';

const isPlanningProblem = (group: ErrorGroup): boolean => group.items.every((item) => item.docKey.startsWith(PLANNING_KEY_PREFIX));

function SkipForm({ docKey, stripeObjectId, onDone }: { docKey: string; stripeObjectId: string; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        call('skipDocuments', { docKeys: [docKey], reason }).then(({ skipped }) => onDone(`${countOf(skipped, 'document')} skipped`), (failure: unknown) => onDone(String(failure)));
      }}
    >
      <label>
        Reason for skipping {stripeObjectId}
        <input value={reason} onChange={(event) => setReason(event.target.value)} minLength={3} required placeholder="e.g. entered by hand in Sage" autoFocus />
      </label>
      <button type="submit">Skip</button>
    </form>
  );
}

function GroupCard({ group, onChanged }: { group: ErrorGroup; onChanged: (message: string) => void }) {
  const [skipping, setSkipping] = useState<string | null>(null);
  const [accepting, setAccepting] = useState<string | null>(null);
  const planning = isPlanningProblem(group);
  const retry = (payload: { docKeys: string[] } | { cause: string }): void => {
    call('retryDocuments', payload).then(
      ({ retried }) => onChanged(planning ? `${countOf(retried, 'record')} will be prepared again` : `${countOf(retried, 'document')} sent again`),
      (failure: unknown) => onChanged(String(failure)),
    );
  };
  return (
    <section className="card" aria-label={`Error: ${group.cause}`}>
      <h3 className="error-cause">{group.explanation}</h3>
      <p><strong>How to fix:</strong> {group.fix}</p>
      <details>
        <summary>{planning ? 'Technical message' : "Sage's message"} ({group.errorClass})</summary>
        <p className="mono small">{group.cause}</p>
      </details>
      <button type="button" className="primary" onClick={() => retry({ cause: group.cause })}>
        Retry all {group.items.length}
      </button>
      <ul className="list">
        {group.items.map((item) => (
          <li key={item.docKey} className="list-row">
            <span className="list-main">
              <span>
                {item.customerName ? <strong>{item.customerName} </strong> : null}
                <span className="mono">{item.stripeObjectId}</span>
              </span>
              {planning ? (
                <span className="muted small">{item.message}</span>
              ) : (
                <span className="muted">{countOf(item.attempts, 'attempt')} <StateBadge state={item.state} /></span>
              )}
            </span>
            <span className="row">
              <button type="button" onClick={() => retry({ docKeys: [item.docKey] })} aria-label={`Retry ${item.stripeObjectId}`}>Retry</button>
              {planning ? null : (
                <button type="button" onClick={() => setSkipping(skipping === item.docKey ? null : item.docKey)} aria-expanded={skipping === item.docKey} aria-label={`Skip ${item.stripeObjectId}`}>
                  Skip…
                </button>
              )}
              {item.sageJournalAcceptable ? (
                <button
                  type="button"
                  onClick={() => setAccepting(accepting === item.docKey ? null : item.docKey)}
                  aria-expanded={accepting === item.docKey}
                  aria-label={`Accept Sage's journal for ${item.stripeObjectId}`}
                >
                  Accept Sage's journal…
                </button>
              ) : null}
            </span>
            {skipping === item.docKey ? (
              <SkipForm docKey={item.docKey} stripeObjectId={item.stripeObjectId} onDone={(message) => { setSkipping(null); onChanged(message); }} />
            ) : null}
            {accepting === item.docKey ? (
              <AcceptSageJournalForm docKeys={[item.docKey]} subject={item.stripeObjectId} onDone={(message) => { setAccepting(null); onChanged(message); }} />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What did not reach Sage, grouped by cause and explained in plain words and Sage terms:
 * documents Sage refused, then Stripe records that could not be turned into documents.
 */
export function ErrorsView({ status, onNavigate }: { status: StatusSnapshot; onNavigate: (view: ViewId) => void }) {
  const [notice, setNotice] = useState('');
  const groups = useRequest(() => call('listErrors', undefined), [status.counts.failed, status.counts.dead, status.counts.planned, status.lastRun?.runId]);
  const onChanged = (message: string): void => {
    setNotice(message);
    groups.reload();
  };
  const all = groups.value ?? [];
  const writing = all.filter((group) => !isPlanningProblem(group));
  const planning = all.filter(isPlanningProblem);
  const mappingRelated = writing.some((group) => group.errorClass === 'configuration');
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Errors</h1>
      <p className="notice" aria-live="polite">{notice}</p>
      <ErrorMessage text={groups.error} />
      {groups.value && all.length === 0 ? <p className="muted">No errors. Every document that could be written is in Sage.</p> : null}
      {writing.length > 0 ? (
        <section className="stack" aria-labelledby="errors-sage">
          <h2 id="errors-sage">Not written to Sage</h2>
          {mappingRelated ? (
            <p className="small">
              A wrong account in the mapping? <button type="button" className="link" onClick={() => onNavigate('mapping')}>Fix it in Mapping</button>, then retry here.
            </p>
          ) : null}
          {writing.map((group) => <GroupCard key={group.cause} group={group} onChanged={onChanged} />)}
        </section>
      ) : null}
      {planning.length > 0 ? (
        <section className="stack" aria-labelledby="errors-planning">
          <h2 id="errors-planning">Stripe records that could not become Sage documents</h2>
          {planning.map((group) => <GroupCard key={group.cause} group={group} onChanged={onChanged} />)}
        </section>
      ) : null}
    </div>
  );
}
