import { useEffect, useRef, useState } from 'react';
import { documentStates, objectKinds, type DocumentStateName, type ObjectKindName, type StatusSnapshot } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge } from '../components/state-badge.js';
import { formatDateTime, formatMoney } from '../format.js';
import { useRequest } from '../use-request.js';
import { ObjectDetailPanel } from './object-detail-panel.js';

const PAGE_SIZE = 50;

/** Every Stripe record the sync has seen, with the Sage documents made for it. */
export function ActivityView({ status }: { status: StatusSnapshot }) {
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<ObjectKindName | ''>('');
  const [state, setState] = useState<DocumentStateName | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const activity = useRequest(
    () => call('listActivity', { search: search || undefined, kind: kind || undefined, state: state || undefined, limit: PAGE_SIZE, offset: 0 }),
    [search, kind, state, status.counts.written, status.counts.planned, status.lastRun?.runId],
  );
  useEffect(() => {
    // Back from a record: focus returns to the row that was opened.
    if (!selected && returnTo) openers.current.get(returnTo)?.focus();
  }, [selected, returnTo]);
  if (selected) {
    return (
      <ObjectDetailPanel
        stripeObjectId={selected}
        onBack={() => {
          setReturnTo(selected);
          setSelected(null);
        }}
      />
    );
  }
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Activity</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          Search
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Stripe ID, email, Sage number" />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as ObjectKindName | '')}>
            <option value="">All</option>
            {objectKinds.map((name) => (
              <option key={name} value={name}>{name.replace('_', ' ')}</option>
            ))}
          </select>
        </label>
        <label>
          Sage state
          <select value={state} onChange={(event) => setState(event.target.value as DocumentStateName | '')}>
            <option value="">All</option>
            {documentStates.map((name) => (
              <option key={name} value={name}>{name}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorMessage text={activity.error} />
      <p className="muted notice" aria-live="polite">{activity.value ? `${activity.value.total.toLocaleString()} records` : 'Loading…'}</p>
      <ul className="list">
        {activity.value?.rows.map((row) => (
          <li key={row.stripeObjectId}>
            <button
              type="button"
              className="list-item"
              onClick={() => setSelected(row.stripeObjectId)}
              ref={(element) => {
                if (element) openers.current.set(row.stripeObjectId, element);
                else openers.current.delete(row.stripeObjectId);
              }}
            >
              <span className="list-main">
                <span className="list-title">{row.description}</span>
                <span className="muted mono">{row.stripeObjectId}</span>
                <span className="muted">{formatDateTime(row.created)}</span>
              </span>
              <span className="list-side">
                <span>{formatMoney(row.amount, row.currency)}</span>
                {row.documents.map((doc) => (
                  <span key={doc.docKey} className="doc-chip">
                    <StateBadge state={doc.state} /> {doc.sageNumber ? <span className="mono">{doc.sageNumber}</span> : null}
                  </span>
                ))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
