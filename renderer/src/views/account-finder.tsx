import { useState } from 'react';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';
import { countOf } from '../../../preload/count-words.js';

/**
 * Finds a GL account in the Sage chart for one mapping setting: type part of the number, the
 * name or a type ("expense"), then pick one. Each account shows its Sage type. Inactive accounts
 * are listed (so the bookkeeper sees why one is missing) but cannot be picked: Sage would refuse
 * postings to them. An account whose type does not fit the setting is marked, and picking it is
 * refused with the reason (Stripe fees on a revenue account post fine in Sage and misstate the books).
 */
export function AccountFinder({ id, setting, fieldLabel, onPick }: { id: string; setting: string; fieldLabel: string; onPick: (acctNo: string) => void }) {
  const [search, setSearch] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const found = useRequest(() => call('listSageAccounts', { search, setting }), [search, setting]);
  const accounts = found.value ?? [];
  return (
    <div className="finder" id={id}>
      <label>
        Search Sage accounts for {fieldLabel}
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="number, name or type" autoFocus />
      </label>
      <ErrorMessage text={found.error} />
      <ErrorMessage text={refusal && `Not used for ${fieldLabel}: ${refusal}.`} />
      <p className="muted small notice" aria-live="polite">{found.value ? `${countOf(accounts.length, 'account')} found` : 'Searching…'}</p>
      <ul className="list compact finder-results">
        {accounts.map((account) => {
          const notes = [account.active ? null : 'inactive in Sage', account.unsuitable ? 'wrong type' : null].filter(Boolean).join(', ');
          return (
            <li key={account.acctNo}>
              <button
                type="button"
                className="finder-choice"
                disabled={!account.active}
                aria-label={`Use ${account.acctNo} ${account.description}, ${account.type?.name ?? 'type unknown'}, for ${fieldLabel}${notes ? ` (${notes})` : ''}`}
                onClick={() => {
                  if (account.unsuitable) {
                    setRefusal(account.unsuitable);
                    return;
                  }
                  setRefusal(null);
                  onPick(account.acctNo);
                }}
              >
                <span className="mono">{account.acctNo}</span> {account.description}
                <span className="account-type"> · {account.type?.name ?? 'type unknown'}</span>
                {notes ? <span className="muted"> ({notes})</span> : null}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
