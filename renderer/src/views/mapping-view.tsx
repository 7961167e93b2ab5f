import { useEffect, useState } from 'react';
import type { MappingPreview, MappingProblem } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';

type Accounts = Record<string, string | Record<string, string>>;

const accountLabels: Record<string, string> = {
  clearing: 'Stripe clearing',
  bank: 'Bank (payouts)',
  revenue: 'Sales revenue',
  refunds: 'Refunds',
  salesTax: 'Sales tax',
  receivable: 'Invoices receivable',
  disputes: 'Chargebacks',
  disputeFees: 'Dispute fees',
  adjustments: 'Adjustments and reserves',
  customerCredits: 'Customer credits',
  badDebt: 'Bad debt',
};

function AccountField({ path, label, value, problems, onChange }: { path: string; label: string; value: string; problems: MappingProblem[]; onChange: (value: string) => void }) {
  const problem = problems.find((candidate) => candidate.path === path);
  const id = `field-${path}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="mono" list="sage-accounts" value={value} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} onChange={(event) => onChange(event.target.value)} />
      {problem ? <span id={`${id}-problem`} className="error-text">{problem.message}</span> : null}
    </div>
  );
}

/** GL accounts per kind of Stripe money, checked against Sage, previewed before saving. */
export function MappingView() {
  const saved = useRequest(() => call('getMapping', undefined), []);
  const [mapping, setMapping] = useState<Record<string, unknown> | null>(null);
  const [search, setSearch] = useState('');
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [notice, setNotice] = useState('');
  const accountsFound = useRequest(() => call('listSageAccounts', { search }), [search]);
  useEffect(() => {
    if (saved.value && !mapping) setMapping(saved.value.mapping);
  }, [saved.value, mapping]);
  if (!mapping) return <div className="stack"><h1>Mapping</h1><ErrorMessage text={saved.error} /><p aria-busy="true">Loading…</p></div>;
  const accounts = mapping.accounts as Accounts;
  const setAccount = (key: string, value: string, feeType?: string): void => {
    const current = accounts[key];
    const next = feeType && typeof current === 'object' ? { ...current, [feeType]: value } : value;
    setMapping({ ...mapping, accounts: { ...accounts, [key]: next } });
    setPreview(null);
  };
  const runPreview = (): void => {
    call('previewMapping', { mapping }).then((result) => {
      setPreview(result);
      setProblems(result.problems);
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const save = (): void => {
    call('saveMapping', { mapping }).then((result) => {
      setProblems(result.problems);
      setNotice(result.problems.length ? 'Not saved: fix the problems shown.' : `Saved as version ${result.version}. Waiting documents use it from the next sync.`);
      setPreview(null);
    }, (failure: unknown) => setNotice(String(failure)));
  };
  return (
    <div className="stack">
      <h1>Mapping</h1>
      <p className="muted">Which Sage GL account each kind of Stripe money goes to.</p>
      <label>
        Find a Sage account
        <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="number or name" />
      </label>
      <datalist id="sage-accounts">
        {accountsFound.value?.map((account) => <option key={account.acctNo} value={account.acctNo}>{account.description}</option>)}
      </datalist>
      {search ? (
        <ul className="list compact" aria-label="Sage accounts found">
          {accountsFound.value?.map((account) => (
            <li key={account.acctNo}><span className="mono">{account.acctNo}</span> {account.description}{account.active ? '' : ' (inactive)'}</li>
          ))}
        </ul>
      ) : null}
      <fieldset>
        <legend>GL accounts</legend>
        {Object.entries(accounts).map(([key, value]) =>
          typeof value === 'string' ? (
            <AccountField key={key} path={`accounts.${key}`} label={accountLabels[key] ?? key} value={value} problems={problems} onChange={(next) => setAccount(key, next)} />
          ) : (
            Object.entries(value).map(([feeType, feeAccount]) => (
              <AccountField key={`${key}.${feeType}`} path={`accounts.${key}.${feeType}`} label={`Stripe fees: ${feeType.replace('_', ' ')}`} value={feeAccount} problems={problems} onChange={(next) => setAccount(key, next, feeType)} />
            ))
          ),
        )}
      </fieldset>
      <div className="row">
        <button type="button" onClick={runPreview}>Preview changes</button>
        <button type="button" className="primary" onClick={save}>Save mapping</button>
      </div>
      <p className="notice" aria-live="polite">{notice}</p>
      {problems.length ? (
        <ul className="problems" aria-label="Problems">
          {problems.map((problem) => <li key={problem.path} className="error-text">{problem.path}: {problem.message}</li>)}
        </ul>
      ) : null}
      {preview && preview.problems.length === 0 ? (
        <section aria-label="Preview">
          <h2>{preview.changes.length} waiting document(s) would change</h2>
          <ul className="list compact">
            {preview.changes.map((change) => (
              <li key={change.docKey}>
                <span className="mono">{change.stripeObjectId}</span>: {change.before.lines.map((line) => line.acctNo).join(', ')} → {change.after.lines.map((line) => line.acctNo).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
