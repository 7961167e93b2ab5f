import { useEffect, useRef, useState } from 'react';
import { documentStates, objectKinds, type DocumentStateName, type ObjectKindName, type StatusSnapshot } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge, stateNames } from '../components/state-badge.js';
import { formatDateTime, formatMoney } from '../format.js';
import { kindNames } from '../kind-names.js';
import { useRequest } from '../use-request.js';
import { ObjectDetailPanel } from './object-detail-panel.js';

const PAGE_SIZE = 50;

interface Filters {
  search: string;
  kind: ObjectKindName | '';
  state: DocumentStateName | '';
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { search: '', kind: '', state: '', from: '', to: '' };

/** Every Stripe record the sync has seen, with the Sage documents made for it, a page at a time. */
export function ActivityView({ status }: { status: StatusSnapshot }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const listTop = useRef<HTMLParagraphElement>(null);
  const activity = useRequest(
    () =>
      call('listActivity', {
        search: filters.search.trim() || undefined,
        kind: filters.kind || undefined,
        state: filters.state || undefined,
        from: filters.from || undefined,
        to: filters.to || undefined,
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
      }),
    [filters, page, status.counts.written, status.counts.planned, status.lastRun?.runId],
  );
  const change = (next: Partial<Filters>): void => {
    setFilters({ ...filters, ...next });
    setPage(0);
  };
  useEffect(() => {
    // Back from a record: focus returns to the row that was opened.
    if (!selected && returnTo) openers.current.get(returnTo)?.focus();
  }, [selected, returnTo]);
  if (selected) {
    return (
      <ObjectDetailPanel
        stripeObjectId={selected}
        status={status}
        onBack={() => {
          setReturnTo(selected);
          setSelected(null);
        }}
      />
    );
  }
  const total = activity.value?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : page * PAGE_SIZE + 1;
  const last = Math.min(total, (page + 1) * PAGE_SIZE);
  const goToPage = (target: number): void => {
    setPage(target);
    listTop.current?.focus();
  };
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Activity</h1>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <label className="filter-wide">
          Search
          <input type="search" value={filters.search} onChange={(event) => change({ search: event.target.value })} placeholder="Stripe ID, customer, e-mail, amount, Sage number" />
        </label>
        <label>
          Kind
          <select value={filters.kind} onChange={(event) => change({ kind: event.target.value as ObjectKindName | '' })}>
            <option value="">All kinds</option>
            {objectKinds.map((name) => (
              <option key={name} value={name}>{kindNames[name]}</option>
            ))}
          </select>
        </label>
        <label>
          Sage state
          <select value={filters.state} onChange={(event) => change({ state: event.target.value as DocumentStateName | '' })}>
            <option value="">All states</option>
            {documentStates.map((name) => (
              <option key={name} value={name}>{stateNames[name]}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => change({ from: event.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => change({ to: event.target.value })} />
        </label>
      </form>
      {filtered ? <button type="button" className="link" onClick={() => change(NO_FILTERS)}>Clear search and filters</button> : null}
      <ErrorMessage text={activity.error} />
      <p ref={listTop} tabIndex={-1} className="muted notice" aria-live="polite">
        {activity.value ? (total === 0 ? 'No records match.' : `Showing ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${countOf(total, 'record')}`) : 'Loading…'}
      </p>
      <ul className="list" aria-label="Stripe records">
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
                {row.customerName && row.kind !== 'customer' ? <span className="small">{row.customerName}</span> : null}
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
      {total > PAGE_SIZE ? (
        <nav className="pager" aria-label="Pages">
          <button type="button" onClick={() => goToPage(page - 1)} disabled={page === 0}>← Newer</button>
          <span className="muted">Page {(page + 1).toLocaleString('en-US')} of {pages.toLocaleString('en-US')}</span>
          <button type="button" onClick={() => goToPage(page + 1)} disabled={page + 1 >= pages}>Older →</button>
        </nav>
      ) : null}
    </div>
  );
}
