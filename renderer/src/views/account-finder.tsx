import { useState } from 'react';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';
import { countOf } from '../../../preload/count-words.js';

/**
 * Finds a GL account in the Sage chart for one mapping field: type part of the number or the
 * name, then pick one. Inactive accounts are listed (so the bookkeeper sees why one is
 * missing) but cannot be picked: Sage would refuse postings to them.
 */
export function AccountFinder({ id, fieldLabel, onPick }: { id: string; fieldLabel: string; onPick: (acctNo: string) => void }) {
  const [search, setSearch] = useState('');
  const found = useRequest(() => call('listSageAccounts', { search }), [search]);
  const accounts = found.value ?? [];
  return (
    <div className="finder" id={id}>
      <label>
        Search Sage accounts for {fieldLabel}
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="number or name" autoFocus />
      </label>
      <ErrorMessage text={found.error} />
      <p className="muted small notice" aria-live="polite">{found.value ? `${countOf(accounts.length, 'account')} found` : 'Searching…'}</p>
      <ul className="list compact finder-results">
        {accounts.map((account) => (
          <li key={account.acctNo}>
            <button
              type="button"
              className="finder-choice"
              disabled={!account.active}
              aria-label={`Use ${account.acctNo} ${account.description} for ${fieldLabel}${account.active ? '' : ' (inactive in Sage)'}`}
              onClick={() => onPick(account.acctNo)}
            >
              <span className="mono">{account.acctNo}</span> {account.description}
              {account.active ? null : <span className="muted"> (inactive)</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
